"""WSGI apps for tests/integration/test_http2.py, each wrapped in wsgiref.validate."""
import hashlib
import json
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


ROUTES = {"environ": environ_view, "upload": upload, "stream": stream}


def application(environ, start_response):
    path = environ["PATH_INFO"].strip("/").split("/")[0]
    return validate.validator(ROUTES.get(path, environ_view))(environ, start_response)
