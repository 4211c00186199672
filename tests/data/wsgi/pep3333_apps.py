"""WSGI apps for tests/integration/test_serve_wsgi.py, each wrapped in wsgiref's validator (a
PEP 3333 violation by the server raises, so the request fails). `application` dispatches on
the first path segment. CLOSE_LOG names a file where iterables record their close()."""
import hashlib
import io
import os
import sys
import threading
import time
import warnings
from wsgiref import validate

warnings.simplefilter("error", validate.WSGIWarning)  # warnings are failures too


def record(what):
    path = os.environ.get("CLOSE_LOG")
    if path:
        with open(path, "a") as f:
            f.write(what + "\n")


def plain(environ, start_response):
    body = ("%s %s|%s|%s|%s|%s" % (environ["REQUEST_METHOD"], environ["SCRIPT_NAME"],
                                   environ["PATH_INFO"], environ["QUERY_STRING"],
                                   environ["wsgi.url_scheme"],
                                   environ.get("HTTP_X_MULTI", ""))).encode("latin-1")
    start_response("200 OK", [("Content-Type", "text/plain"),
                              ("Content-Length", str(len(body)))])
    return [body]


class Counting:
    """An iterable with close(): yields N lines, records its close()."""

    def __init__(self, n, tag):
        self.n, self.tag = n, tag

    def __iter__(self):
        for i in range(self.n):
            yield b"line %d\n" % i

    def close(self):
        record("closed " + self.tag)


def generator(environ, start_response):
    start_response("200 OK", [("Content-Type", "text/plain")])
    n = int(environ["QUERY_STRING"] or "5")
    return Counting(n, "long" if n > 1000 else "gen")


def writer(environ, start_response):
    write = start_response("200 OK", [("Content-Type", "text/plain")])
    write(b"written ")
    return [b"then ", b"iterated"]


def exc_info(environ, start_response):
    start_response("200 OK", [("Content-Type", "text/plain")])
    try:
        raise RuntimeError("changed my mind")
    except RuntimeError:
        start_response("503 Service Unavailable", [("Content-Type", "text/plain")],
                       sys.exc_info())
    return [b"sorry"]


def exc_after(environ, start_response):
    start_response("200 OK", [("Content-Type", "text/plain")])

    def body():
        yield b"first"
        try:
            raise RuntimeError("too late")
        except RuntimeError:
            start_response("500 Internal Server Error", [("Content-Type", "text/plain")],
                           sys.exc_info())  # re-raises: the head is out
        yield b"never"
    return body()


class RecordingFile(io.FileIO):
    """A file whose close() is recorded as "closed <tag>"."""

    def __init__(self, path, tag):
        super().__init__(path, "rb")
        self.tag = tag

    def close(self):
        if not self.closed:
            record("closed " + self.tag)
        super().close()


def file_wrapper(environ, start_response):
    path = os.path.join(os.path.dirname(__file__), "pep3333_apps.py")
    start_response("200 OK", [("Content-Type", "text/plain")])
    f = RecordingFile(path, environ["PATH_INFO"].strip("/"))
    return environ["wsgi.file_wrapper"](f, 4096)


def pieces(environ, start_response):
    """Reads the body in small reads and readlines; answers its length and sha256."""
    inp = environ["wsgi.input"]
    h = hashlib.sha256()
    total = 0
    first = inp.readline(100)
    h.update(first)
    total += len(first)
    while True:
        chunk = inp.read(7919)
        if not chunk:
            break
        h.update(chunk)
        total += len(chunk)
    body = b"%d %s" % (total, h.hexdigest().encode())
    start_response("200 OK", [("Content-Type", "text/plain")])
    return [body]


def reject(environ, start_response):
    """Refuses the content without reading it: no 100 Continue may go out."""
    start_response("413 Content Too Large", [("Content-Type", "text/plain")])
    return [b"too large"]


def upload_until_error(environ, start_response):
    """Reads the content to its end; records whether reading failed (the client left)."""
    inp = environ["wsgi.input"]
    try:
        while inp.read(65536):
            pass
        record("upload complete")
    except OSError as e:
        record("upload failed: %s" % type(e).__name__)
    start_response("400 Bad Request", [("Content-Type", "text/plain")])
    return Counting(1, "upload")


def reason(environ, start_response):
    start_response("299 Whatever It Is", [("Content-Type", "text/plain")])
    return [b"custom"]


RELEASE = threading.Event()


def write_wait(environ, start_response):
    """write()s, then waits (10 s at most) for a request to /release: the written bytes must
    reach the client meanwhile."""
    write = start_response("200 OK", [("Content-Type", "text/plain")])
    write(b"first;")
    released = RELEASE.wait(10)
    RELEASE.clear()
    return [b"released" if released else b"timeout"]


def release(environ, start_response):
    RELEASE.set()
    start_response("200 OK", [("Content-Type", "text/plain")])
    return [b"ok"]


def raises(environ, start_response):
    raise ValueError("the app broke")


def blocking(environ, start_response):
    time.sleep(float(environ["QUERY_STRING"] or "3"))
    start_response("200 OK", [("Content-Type", "text/plain")])
    return [b"slept"]


def background(environ, start_response):
    """Starts a thread that records "background ran" a moment later: it needs the GIL while
    the server sits idle between requests."""
    import threading

    def later():
        time.sleep(0.2)
        record("background ran")

    threading.Thread(target=later, daemon=True).start()
    start_response("200 OK", [("Content-Type", "text/plain")])
    return [b"started"]


def errors(environ, start_response):
    environ["wsgi.errors"].write("a line for the log\n")
    start_response("200 OK", [("Content-Type", "text/plain")])
    return [b"logged"]


ROUTES = {name: validate.validator(app) for name, app in {
    "plain": plain, "gen": generator, "write": writer, "exc": exc_info, "file": file_wrapper,
    "pieces": pieces, "errors": errors, "background": background, "reject": reject,
    "upload": upload_until_error, "reason": reason, "write_wait": write_wait,
    "release": release}.items()}
# Not validated: they break the rules on purpose, or (sendfile) need the server's own
# file_wrapper object back, which the validator's iterator wrapper hides.
ROUTES.update({"raise": raises, "block": blocking, "exc_after": exc_after,
               "sendfile": file_wrapper})


def application(environ, start_response):
    path = environ["PATH_INFO"].strip("/").split("/")[0]
    app = ROUTES.get(path, ROUTES["plain"])
    return app(environ, start_response)
