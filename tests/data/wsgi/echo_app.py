"""The echo app of test_http_methods.py: says what request it got, as JSON.

/            {"method", "path", "headers" (as received, Title-Case), "length" and "sha256" of
             the content, "body" (its first 64 KiB, latin-1)}
/form        multipart/form-data or urlencoded content parsed by werkzeug: {"method",
             "form": {name: value}, "files": {name: {"filename", "content_type", "length",
             "sha256"}}}
/redirect/N  reads the content, then answers status N with Location: /
/busy?key=K  counts the request under K, answers 503
/hits?key=K  how many requests /busy saw under K
/status/N    answers status N
?delay=S     (any path) waits S seconds after reading the content, before answering
"""
import hashlib
import json
import threading
import time
import urllib.parse

from werkzeug.formparser import parse_form_data

HITS = {}
LOCK = threading.Lock()
LIMIT = 64 * 1024


def answer(start_response, status, doc, extra=()):
    data = json.dumps(doc).encode()
    start_response(status, [("Content-Type", "application/json"),
                            ("Content-Length", str(len(data)))] + list(extra))
    return [data]


def drain(environ):
    inp, digest, length, head = environ["wsgi.input"], hashlib.sha256(), 0, b""
    while True:
        chunk = inp.read(64 * 1024)
        if not chunk:
            return length, digest.hexdigest(), head
        digest.update(chunk)
        length += len(chunk)
        if len(head) < LIMIT:
            head += chunk[:LIMIT - len(head)]


def headers_of(environ):
    out = {k[5:].replace("_", "-").title(): v for k, v in environ.items()
           if k.startswith("HTTP_")}
    for key in ("CONTENT_TYPE", "CONTENT_LENGTH"):
        if environ.get(key):
            out[key.replace("_", "-").title()] = environ[key]
    return out


def form(environ, start_response, delay):
    _, fields, files = parse_form_data(environ)
    parts = {}
    for name, f in files.items():
        digest, length = hashlib.sha256(), 0
        while chunk := f.stream.read(64 * 1024):
            digest.update(chunk)
            length += len(chunk)
        parts[name] = {"filename": f.filename, "content_type": f.content_type,
                       "length": length, "sha256": digest.hexdigest()}
    time.sleep(delay)
    return answer(start_response, "200 OK", {"method": environ["REQUEST_METHOD"],
                                             "form": dict(fields), "files": parts})


def application(environ, start_response):
    path = environ["PATH_INFO"]
    query = urllib.parse.parse_qs(environ.get("QUERY_STRING", ""))
    key = query.get("key", [""])[0]
    delay = float(query.get("delay", ["0"])[0])
    if path == "/form":
        return form(environ, start_response, delay)
    length, sha256, head = drain(environ)
    time.sleep(delay)
    if path.startswith("/redirect/"):
        status = path.rsplit("/", 1)[1]
        return answer(start_response, status + " Moved", {}, [("Location", "/")])
    if path == "/busy":
        with LOCK:
            HITS[key] = HITS.get(key, 0) + 1
        return answer(start_response, "503 Busy", {"busy": True})
    if path == "/hits":
        with LOCK:
            return answer(start_response, "200 OK", {"hits": HITS.get(key, 0)})
    if path.startswith("/status/"):
        return answer(start_response, path.rsplit("/", 1)[1] + " Status", {})
    return answer(start_response, "200 OK", {
        "method": environ["REQUEST_METHOD"], "path": path, "headers": headers_of(environ),
        "length": length, "sha256": sha256, "body": head.decode("latin-1")})
