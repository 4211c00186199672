"""WSGI apps for tests/integration/test_http2.py, each wrapped in wsgiref.validate."""
import hashlib
import json
import os
import time
from wsgiref import validate


def environ_view(environ, start_response):
    keys = ("SERVER_PROTOCOL", "HTTP_HOST", "CONTENT_LENGTH", "REQUEST_METHOD", "PATH_INFO",
            "QUERY_STRING", "HTTP_COOKIE", "wsgi.url_scheme", "wsgi.input_terminated")
    body = json.dumps({k: environ.get(k) for k in keys}).encode()
    start_response("200 OK", [("Content-Type", "application/json"),
                              ("Content-Length", str(len(body)))])
    return [body]


def upload(environ, start_response):
    """Reads wsgi.input in pieces until its end: the content's length and SHA-256."""
    h, n = hashlib.sha256(), 0
    while True:
        piece = environ["wsgi.input"].read(65536)
        if not piece:
            break
        h.update(piece)
        n += len(piece)
    body = ("%d %s" % (n, h.hexdigest())).encode()
    start_response("200 OK", [("Content-Type", "text/plain")])
    return [body]


def stream(environ, start_response):
    """100 pieces of 1 KiB, no Content-Length."""
    start_response("200 OK", [("Content-Type", "text/plain")])
    return (b"%04d" % i + b"x" * 1020 for i in range(100))


class Slow:
    """N pieces of 1 KiB, `delay` seconds apart (?n=N&delay=S); records its close() in
    CLOSE_LOG with how many pieces went out."""

    def __init__(self, environ, start_response):
        query = dict(p.split("=") for p in environ["QUERY_STRING"].split("&") if "=" in p)
        self.n, self.delay, self.sent = int(query.get("n", 5)), float(query.get("delay", 0.2)), 0
        start_response("200 OK", [("Content-Type", "text/plain")])

    def __iter__(self):
        for i in range(self.n):
            if i:
                time.sleep(self.delay)
            self.sent += 1
            yield b"%04d" % i + b"s" * 1020

    def close(self):
        path = os.environ.get("CLOSE_LOG")
        if path:
            with open(path, "a") as f:
                f.write("slow closed after %d\n" % self.sent)


ROUTES = {"environ": environ_view, "upload": upload, "stream": stream, "slow": Slow}


def application(environ, start_response):
    path = environ["PATH_INFO"].strip("/").split("/")[0]
    return validate.validator(ROUTES.get(path, environ_view))(environ, start_response)
