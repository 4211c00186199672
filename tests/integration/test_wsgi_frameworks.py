"""`netius serve wsgi` running real framework apps the way they are deployed: a Django project
(admin login with its CSRF round trip, a plain view, an upload, a FileResponse, the 404 page,
--mount), a Flask site (Jinja2 page, signed-cookie session, JSON API, multi-MiB uploads) and a
Bottle app (template, JSON, form), each on the event loop, with --workers 2 and with --threads
4. One server per test class; the clients are urllib (with a cookie jar) and curl."""
import hashlib
import http.cookiejar
import json
import os
import re
import shutil
import subprocess
import tempfile
import threading
import time
import unittest
import urllib.error
import urllib.parse
import urllib.request

from harness import DATA_DIR, ServeProcess, tool

APPS = os.path.join(DATA_DIR, "wsgi")
DJSITE = os.path.join(APPS, "djsite")
PYTHON = "/usr/bin/python3"  # Debian's, which has Django, Flask and Bottle (as the server has)
TIMEOUT = 30

# The Django database: migrated once for the module, in a temporary directory.
TMP = None
DJANGO_ENV = {}


def setUpModule():
    global TMP
    TMP = tempfile.mkdtemp(prefix="netius-frameworks-")
    DJANGO_ENV["DJSITE_DB"] = os.path.join(TMP, "db.sqlite3")
    r = subprocess.run([PYTHON, "manage.py", "migrate", "--noinput", "-v", "0"], cwd=DJSITE,
                       env=dict(os.environ, **DJANGO_ENV), capture_output=True, timeout=120)
    assert r.returncode == 0, r.stderr.decode(errors="replace")


def tearDownModule():
    shutil.rmtree(TMP, True)


def create_superuser(name, password):
    r = subprocess.run([PYTHON, "manage.py", "createsuperuser", "--noinput", "--username", name,
                        "--email", name + "@example.com"], cwd=DJSITE,
                       env=dict(os.environ, DJANGO_SUPERUSER_PASSWORD=password, **DJANGO_ENV),
                       capture_output=True, timeout=60)
    assert r.returncode == 0, r.stderr.decode(errors="replace")


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args):
        return None  # a 3xx comes back to the caller as is


class Client:
    """An HTTP client with its own cookie jar, never a proxy; request() returns (status,
    headers, body)."""

    def __init__(self, base):
        self.base = base
        self.jar = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.jar),
                                                  NoRedirect(), urllib.request.ProxyHandler({}))

    def request(self, path, data=None, headers=None, method=None):
        if isinstance(data, dict):
            data = urllib.parse.urlencode(data).encode()
        req = urllib.request.Request(self.base + path, data=data, headers=headers or {},
                                     method=method)
        try:
            with self.opener.open(req, timeout=TIMEOUT) as r:
                return r.status, r.headers, r.read()
        except urllib.error.HTTPError as e:
            with e:
                return e.code, e.headers, e.read()

    def cookie(self, name):
        return next((c.value for c in self.jar if c.name == name), None)


class FrameworkTest(unittest.TestCase):
    """Starts `netius serve wsgi APP ARGS EXTRA` once for the class (`cls.srv`); the subclasses
    with EXTRA = --workers 2 / --threads 4 run the same tests again. On tear-down the server
    must exit 0 on SIGTERM, and its log must have no Python traceback."""
    APP = []
    EXTRA = []
    ENV = {}

    @classmethod
    def setUpClass(cls):
        cls.srv = ServeProcess(["wsgi"] + cls.APP + cls.EXTRA,
                               dict(cls.ENV), 30)
        cls.addClassCleanup(cls.srv.stop)
        cls.url = cls.srv.url

    @classmethod
    def tearDownClass(cls):
        status = cls.srv.stop()
        log = cls.srv.log.decode(errors="replace")
        if status != 0 or "Traceback" in log:
            raise AssertionError("server exit status %s, log:\n%s" % (status, log))

    def client(self):
        return Client(self.url)

    def curl(self, *args):
        r = tool(["curl", "-sS", "--noproxy", "*", "--max-time", str(TIMEOUT)] + list(args),
                 check=False)
        self.assertEqual(r.returncode, 0, r.stderr)
        return r.stdout

    def upload(self, path, size, *curl_args):
        """curl -F: a multipart upload of `size` random bytes as big.bin and a field note=hello;
        returns the app's JSON answer and the SHA-256 of what was sent."""
        data = os.urandom(size)
        with tempfile.NamedTemporaryFile(dir=TMP, suffix=".bin") as f:
            f.write(data)
            f.flush()
            out = self.curl(*curl_args, "-F", "file=@%s;filename=big.bin" % f.name,
                            "-F", "note=hello", self.url + path)
        return json.loads(out), hashlib.sha256(data).hexdigest()

    def in_parallel(self, fn, n=16, threads=8):
        """Calls fn(i) for i < n on `threads` threads at once; returns the results in order."""
        results = [None] * n
        errors = []

        def work(k):
            for i in range(k, n, threads):
                try:
                    results[i] = fn(i)
                except Exception as e:  # reported below, in the test's thread
                    errors.append(e)
        pool = [threading.Thread(target=work, args=(k,)) for k in range(threads)]
        for t in pool:
            t.start()
        for t in pool:
            t.join(TIMEOUT * 2)
            self.assertFalse(t.is_alive(), "a request thread is still waiting")
        self.assertEqual(errors, [])
        return results


# ---------------------------------------------------------------------------------------------
# Django: djsite (tests/data/wsgi/djsite), as `django-admin startproject` makes it, admin on.

ERROR_TEXT = b"Please enter the correct username and password for a staff account."
CSRF_INPUT = re.compile(rb'name="csrfmiddlewaretoken" value="([^"]+)"')


class DjangoTest(FrameworkTest):
    APP = ["djsite.wsgi", "--chdir", DJSITE]
    ENV = DJANGO_ENV
    USER = "admin"

    @classmethod
    def setUpClass(cls):
        cls.password = "pw-%s-%s" % (cls.__name__, os.getpid())
        cls.user = "%s_%s" % (cls.USER, cls.__name__.lower())
        create_superuser(cls.user, cls.password)
        super().setUpClass()

    def login_form(self, client):
        """GET /admin/login/: the csrftoken cookie and the form's csrfmiddlewaretoken."""
        status, headers, body = client.request("/admin/login/?next=/admin/")
        self.assertEqual(status, 200, body[:500])
        self.assertIn(b"<title>Log in | Django site admin</title>", body)
        self.assertIn("csrftoken=", headers.get("Set-Cookie", ""))
        token = CSRF_INPUT.search(body)
        self.assertIsNotNone(token, body[:2000])
        self.assertIsNotNone(client.cookie("csrftoken"))
        return token.group(1).decode()

    def test_admin_login_csrf_round_trip(self):
        c = self.client()
        token = self.login_form(c)
        # A wrong password: the form again, with Django's error.
        status, _, body = c.request("/admin/login/?next=/admin/", {
            "csrfmiddlewaretoken": token, "username": self.user, "password": "wrong",
            "next": "/admin/"})
        self.assertEqual(status, 200)
        self.assertIn(ERROR_TEXT, body)
        # The right one: a session and a redirect to the index, which then loads.
        status, headers, body = c.request("/admin/login/?next=/admin/", {
            "csrfmiddlewaretoken": token, "username": self.user, "password": self.password,
            "next": "/admin/"})
        self.assertEqual(status, 302, body[:500])
        self.assertEqual(headers["Location"], "/admin/")
        self.assertIsNotNone(c.cookie("sessionid"))
        status, _, body = c.request("/admin/")
        self.assertEqual(status, 200)
        self.assertIn(b"Site administration", body)
        self.assertIn(b"<strong>%s</strong>" % self.user.encode(), body)
        self.assertIn(b'href="/admin/auth/user/"', body)
        # The user list reads the database.
        status, _, body = c.request("/admin/auth/user/")
        self.assertEqual(status, 200)
        self.assertIn(self.user.encode(), body)

    def test_admin_login_without_token_is_forbidden(self):
        c = self.client()
        self.login_form(c)  # the cookie is there, the form field is not
        status, _, body = c.request("/admin/login/?next=/admin/", {
            "username": self.user, "password": self.password, "next": "/admin/"})
        self.assertEqual(status, 403)
        self.assertIn(b"CSRF verification failed", body)
        self.assertIsNone(c.cookie("sessionid"))

    def test_admin_index_without_session_redirects_to_login(self):
        status, headers, _ = self.client().request("/admin/")
        self.assertEqual(status, 302)
        self.assertEqual(headers["Location"], "/admin/login/?next=/admin/")

    def test_plain_view(self):
        status, headers, body = self.client().request("/hello/")
        self.assertEqual(status, 200)
        self.assertEqual(body, b"Hello from Django")
        self.assertEqual(headers["Content-Type"], "text/plain")
        self.assertEqual(headers["X-Frame-Options"], "DENY")  # the middleware ran

    def test_file_response(self):
        with open(os.path.join(DJSITE, "manage.py"), "rb") as f:
            expected = f.read()
        status, headers, body = self.client().request("/download/")
        self.assertEqual(status, 200)
        self.assertEqual(body, expected)
        self.assertEqual(int(headers["Content-Length"]), len(expected))
        self.assertEqual(headers["Content-Disposition"], 'attachment; filename="manage.py"')

    def test_upload(self):
        size = 5 * 1024 * 1024 + 99  # past FILE_UPLOAD_MAX_MEMORY_SIZE: spooled to a file
        doc, sha = self.upload("/upload/", size)
        self.assertEqual(doc, {"name": "big.bin", "size": size, "note": "hello", "sha256": sha})

    def test_common_middleware_appends_slash(self):
        status, headers, _ = self.client().request("/hello")
        self.assertEqual(status, 301)
        self.assertEqual(headers["Location"], "/hello/")

    def test_not_found_page(self):
        status, _, body = self.client().request("/no/such/page/")
        self.assertEqual(status, 404)
        self.assertIn(b"<h1>Not Found</h1>", body)
        self.assertIn(b"The requested resource was not found on this server.", body)

    def test_disallowed_host(self):
        status, _, _ = self.client().request("/hello/", headers={"Host": "evil.example"})
        self.assertEqual(status, 400)

    def test_concurrent_requests(self):
        results = self.in_parallel(lambda i: self.client().request("/hello/")[::2])
        self.assertEqual(results, [(200, b"Hello from Django")] * 16)


class DjangoMountTest(FrameworkTest):
    """--mount /app: Django builds its URLs (redirects, forms) from SCRIPT_NAME."""
    APP = ["djsite.wsgi", "--chdir", DJSITE, "--mount", "/app"]
    ENV = DJANGO_ENV

    def test_urls_carry_the_mount(self):
        c = self.client()
        status, headers, _ = c.request("/app/admin/")
        self.assertEqual(status, 302)
        self.assertEqual(headers["Location"], "/app/admin/login/?next=/app/admin/")
        status, _, body = c.request("/app/admin/login/?next=/app/admin/")
        self.assertEqual(status, 200)
        self.assertIn(b'action="/app/admin/login/?next=/app/admin/"', body)
        self.assertEqual(c.request("/app/hello")[1]["Location"], "/app/hello/")
        self.assertEqual(c.request("/app/hello/")[2], b"Hello from Django")
        self.assertEqual(c.request("/hello/")[0], 404)  # outside the mount: netius' 404


class DjangoWorkersTest(DjangoTest):
    EXTRA = ["--workers", "2"]


class DjangoThreadsTest(DjangoTest):
    EXTRA = ["--threads", "4"]


# ---------------------------------------------------------------------------------------------
# Flask: tests/data/wsgi/flask_site.py and its templates in flask_templates/.

class FlaskTest(FrameworkTest):
    APP = ["flask_site:app", "--python-path", APPS]

    def test_template_page(self):
        status, headers, body = self.client().request("/")
        self.assertEqual(status, 200)
        self.assertEqual(headers["Content-Type"], "text/html; charset=utf-8")
        self.assertEqual(int(headers["Content-Length"]), len(body))
        page = body.decode()
        self.assertGreater(len(body), 3000)
        self.assertIn("<title>Parts catalogue · netius shop</title>", page)  # inheritance
        self.assertIn("Signed in as <strong>ann &amp; bob</strong>", page)  # autoescape
        self.assertIn("<p>12 products, 10 in stock, stock value 1885.76.</p>", page)
        self.assertEqual(page.count("<tr class="), 12)  # the loop
        self.assertIn('<td class="num">12</td>\n      <td><code>NT-012</code></td>', page)
        self.assertEqual(page.count("sold out"), 2)
        self.assertTrue(page.rstrip().endswith("</html>"))
        self.assertIn("NT-001, NT-002", page)  # super() and filters in the footer

    def test_session_counter(self):
        c = self.client()
        for n in range(1, 5):
            status, _, body = c.request("/counter")
            self.assertEqual((status, body), (200, b"visits=%d" % n))
        self.assertIsNotNone(c.cookie("session"))
        # Another client starts from 1; a forged cookie is not believed.
        self.assertEqual(self.client().request("/counter")[2], b"visits=1")
        forged = self.client()
        status, _, body = forged.request("/counter", headers={
            "Cookie": "session=eyJ2aXNpdHMiOjEwMH0.ZZZZZZ.forgedsignature"})
        self.assertEqual((status, body), (200, b"visits=1"))

    def test_json_api(self):
        doc = {"items": [{"name": "b", "price": 1.5, "qty": 2},
                         {"name": "a", "price": 0.25, "qty": 4}], "note": "café ✓"}
        status, headers, body = self.client().request(
            "/api/items", json.dumps(doc).encode(), {"Content-Type": "application/json"})
        self.assertEqual(status, 200)
        self.assertEqual(headers["Content-Type"], "application/json")
        self.assertEqual(json.loads(body), {"count": 2, "total": 4.0, "names": ["a", "b"],
                                            "echo": doc})
        status, _, _ = self.client().request("/api/items", b"{not json",
                                             {"Content-Type": "application/json"})
        self.assertEqual(status, 400)

    def test_upload_multi_mib(self):
        size = 6 * 1024 * 1024 + 123  # curl sends Expect: 100-continue
        doc, sha = self.upload("/upload", size)
        self.assertEqual(doc, {"filename": "big.bin", "size": size, "field": "hello",
                               "sha256": sha})

    def test_upload_chunked(self):
        size = 3 * 1024 * 1024 + 7
        doc, sha = self.upload("/upload", size, "-H", "Transfer-Encoding: chunked")
        self.assertEqual(doc, {"filename": "big.bin", "size": size, "field": "hello",
                               "sha256": sha})

    def test_not_found(self):
        status, _, body = self.client().request("/nope")
        self.assertEqual(status, 404)
        self.assertIn(b"Not Found", body)

    def test_concurrent_requests(self):
        def visit(i):
            c = self.client()
            return [c.request("/counter")[2] for _ in range(3)], len(c.request("/")[2])
        results = self.in_parallel(visit)
        self.assertEqual([r[0] for r in results], [[b"visits=1", b"visits=2", b"visits=3"]] * 16)
        self.assertEqual(len({r[1] for r in results}), 1)


class FlaskWorkersTest(FlaskTest):
    EXTRA = ["--workers", "2"]


class FlaskThreadsTest(FlaskTest):
    EXTRA = ["--threads", "4"]


# ---------------------------------------------------------------------------------------------
# Bottle: tests/data/wsgi/bottle_app.py and its template in bottle_views/.

class BottleTest(FrameworkTest):
    APP = ["bottle_app", "--chdir", APPS]

    def test_template(self):
        status, headers, body = self.client().request("/hello/Ann%20%3C%26%3E")
        self.assertEqual(status, 200)
        self.assertEqual(headers["Content-Type"], "text/html; charset=UTF-8")
        page = body.decode()
        self.assertIn("<h1>Hello Ann &lt;&amp;&gt;!</h1>", page)
        self.assertEqual(re.findall(r"<li>(.*?)</li>", page), ["1. alpha", "2. beta", "3. gamma"])

    def status(self):
        status, headers, body = self.client().request("/api/status")
        self.assertEqual(status, 200)
        self.assertEqual(headers["Content-Type"], "application/json")
        return json.loads(body)

    def test_json(self):
        doc = self.status()
        self.assertIs(doc["ok"], True)
        self.assertIs(doc["multithread"], True)  # PEP 3333: what serve wsgi may do
        self.assertNotEqual(doc["pid"], os.getpid())

    def test_form_post(self):
        c = self.client()
        status, _, body = c.request("/form", {"name": "café", "qty": "3"})
        self.assertEqual((status, body.decode()), (200, "ordered 3 x café"))
        status, _, body = c.request("/form", {"qty": "1"})
        self.assertEqual((status, body), (400, b"name missing"))
        status, _, _ = c.request("/form")  # GET: Bottle's 405
        self.assertEqual(status, 405)

    def test_form_post_with_curl(self):
        out = self.curl("--data-urlencode", "name=Zoë & co", "--data", "qty=12",
                        self.url + "/form")
        self.assertEqual(out.decode(), "ordered 12 x Zoë & co")

    def test_concurrent_requests(self):
        results = self.in_parallel(
            lambda i: self.client().request("/form", {"name": "n%d" % i, "qty": str(i)})[2])
        self.assertEqual(results, [b"ordered %d x n%d" % (i, i) for i in range(16)])


class BottleWorkersTest(BottleTest):
    EXTRA = ["--workers", "2"]

    def test_both_workers_answer(self):
        # Both workers accept on the master's one socket; whichever is waiting takes the next
        # connection. The second worker may still be importing the app when the first
        # answers (a loaded machine): ask until both have answered, for at most 20 s.
        docs, deadline = [], time.monotonic() + 20
        while len({d["pid"] for d in docs}) < 2 and time.monotonic() < deadline:
            docs.append(self.status())
        self.assertEqual(len({d["pid"] for d in docs}), 2, docs[:3])
        self.assertTrue(all(d["multiprocess"] for d in docs), docs[0])


class BottleThreadsTest(BottleTest):
    EXTRA = ["--threads", "4"]


if __name__ == "__main__":
    unittest.main()
