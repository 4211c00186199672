"""Request-body limits as a migrating user meets them, over HTTP/1.1 and h2 with curl:
`serve wsgi` streams `wsgi.input` and has no limit by default (a 30 MiB upload goes through,
as under gunicorn); `--max-body-bytes 0` means no limit on every server; a nonzero limit is
still answered 413; `config show` and `--help` say which default applies."""
import hashlib
import os
import unittest

from harness import DATA_DIR, ServeProcess, TempDirTest, run, tool

APPS = os.path.join(DATA_DIR, "wsgi")
MIB = 1024 * 1024


class BodyLimitTest(TempDirTest):
    def setUp(self):
        super().setUp()
        self.upload = self.path("upload")
        with open(self.upload, "wb") as f:  # 30 MiB, more than the held servers' 16 MiB
            block = hashlib.sha256(b"u").digest() * 2048
            for _ in range(30 * MIB // len(block)):
                f.write(block)
        with open(self.upload, "rb") as f:
            self.digest = hashlib.sha256(f.read()).hexdigest().encode()

    def serve(self, *args):
        s = ServeProcess(list(args), None, 20)
        self.addCleanup(s.stop)
        return s

    def post(self, url, h2, path=None):
        """(status, body) of a curl POST of `path` (the 30 MiB upload by default)."""
        r = tool(["curl", "-sS", "--max-time", "60", "--expect100-timeout", "30",
                  "--http2-prior-knowledge" if h2 else "--http1.1", "-o", self.path("out"),
                  "-w", "%{http_code}", "--data-binary", "@" + (path or self.upload), url],
                 check=False)
        self.assertEqual(r.returncode, 0, r.stderr)
        return int(r.stdout), self.read("out")

    def test_wsgi_takes_a_30_mib_upload_by_default(self):
        srv = self.serve("wsgi", "pep3333_apps", "--python-path", APPS)
        for h2 in (False, True):
            with self.subTest(h2=h2):
                status, body = self.post(srv.url + "/pieces", h2)
                self.assertEqual((status, body), (200, b"%d %s" % (30 * MIB, self.digest)))

    def test_zero_means_no_limit_where_the_server_holds_the_body(self):
        srv = self.serve("hello", "--max-body-bytes", "0")
        for h2 in (False, True):
            with self.subTest(h2=h2):
                self.assertEqual(self.post(srv.url + "/", h2), (200, b"Hello World"))
        held = self.serve("hello")  # the default limit, 16 MiB, stands there
        for h2 in (False, True):
            with self.subTest(h2=h2, default=True):
                self.assertEqual(self.post(held.url + "/", h2)[0], 413)

    def test_a_limit_is_still_413(self):
        small = self.write("small", b"x" * 2000)
        for args in (["wsgi", "pep3333_apps", "--python-path", APPS], ["hello"]):
            srv = self.serve(*args, "--max-body-bytes", "1000")
            for h2 in (False, True):
                with self.subTest(server=args[0], h2=h2):
                    self.assertEqual(self.post(srv.url + "/pieces", h2, small)[0], 413)
                    status, _ = self.post(srv.url + "/pieces", h2, self.write("ok", b"y" * 999))
                    self.assertEqual(status, 200)

    def test_defaults_in_config_show_and_help(self):
        def shown(*command):
            r = run(["config", "show"] + list(command))
            self.assertEqual(r.returncode, 0, r.stderr)
            return [line for line in r.stdout.decode().splitlines()
                    if line.startswith("max-body-bytes = ")][0]
        self.assertRegex(shown("serve", "wsgi"), r"^max-body-bytes = 0 +# default$")
        self.assertRegex(shown("serve", "proxy"), r"^max-body-bytes = 0 +# default$")
        self.assertRegex(shown("serve", "hello"), r"^max-body-bytes = 16777216 +# default$")
        self.assertRegex(shown("serve", "file"), r"^max-body-bytes = 16777216 +# default$")
        self.assertRegex(shown("serve", "hello", "--max-body-bytes", "0"),
                         r"^max-body-bytes = 0 +# flag$")
        r = run(["serve", "hello", "--max-body-bytes", "-1", "--port", "0"], timeout=10)
        self.assertEqual(r.returncode, 2, r.stderr)
        hello = run(["serve", "hello", "--help"]).stdout.decode()
        self.assertIn("holds in memory until it is complete", hello)
        wsgi = run(["serve", "wsgi", "--help"]).stdout.decode()
        self.assertIn("0, the default: no limit", wsgi)


if __name__ == "__main__":
    unittest.main()
