"""`netius http post|put|patch|delete|head|request` and curl's content options against real
servers: `serve wsgi` running tests/data/wsgi/echo_app.py (it answers with the method, the
fields, the content's length and sha256; werkzeug parses the forms) and nginx; usage errors.
Streaming, redirects, retries and HTTP/2 are in test_http_methods_upload.py."""
import hashlib
import json
import os
import shutil
import tempfile
import unittest

from harness import DATA_DIR, ServeProcess, TempDirTest, run
from peers import Nginx

APPS = os.path.join(DATA_DIR, "wsgi")


class EchoTest(TempDirTest):
    """One `serve wsgi` echo server for the class."""

    @classmethod
    def setUpClass(cls):
        cls.srv = ServeProcess(["wsgi", "echo_app", "--python-path", APPS, "--threads", "4"],
                               None, 20)

    @classmethod
    def tearDownClass(cls):
        cls.srv.stop()

    def url(self, path="/"):
        return self.srv.url + path

    def http(self, *args, input=None):
        return run(["http"] + list(args), input=input)

    def echo(self, command, *args, path="/", input=None):
        """`netius http COMMAND ARGS URL` of the echo app: its JSON answer."""
        r = self.http(command, *args, self.url(path), input=input)
        self.assertEqual(r.returncode, 0, r.stderr)
        return json.loads(r.stdout)


class MethodsTest(EchoTest):
    def test_each_command_sends_its_method(self):
        for command, method in (("get", "GET"), ("post", "POST"), ("put", "PUT"),
                                ("patch", "PATCH"), ("delete", "DELETE")):
            with self.subTest(command=command):
                got = self.echo(command)
                self.assertEqual(got["method"], method)
                self.assertEqual(got["length"], 0)
        got = self.echo("request", "-X", "OPTIONS")
        self.assertEqual(got["method"], "OPTIONS")
        self.assertEqual(self.echo("post", "-X", "PROPFIND")["method"], "PROPFIND")
        # RFC 9110 §8.6: POST and PUT without content say so; DELETE and PATCH send nothing.
        self.assertEqual(self.echo("post")["headers"]["Content-Length"], "0")
        self.assertNotIn("Content-Length", self.echo("delete")["headers"])
        self.assertNotIn("Content-Type", self.echo("delete")["headers"])

    def test_head_is_get_dash_i(self):
        r = self.http("head", self.url())
        self.assertEqual((r.returncode, r.stdout), (0, b""), r.stderr)
        r = self.http("head", "-i", self.url())
        self.assertTrue(r.stdout.startswith(b"HTTP/1.1 200 OK\r\n"), r.stdout)
        self.assertTrue(r.stdout.endswith(b"\r\n\r\n"), r.stdout)  # the head alone
        r = self.http("head", "-v", self.url())
        self.assertIn(b"> HEAD / HTTP/1.1", r.stderr)

    def test_data_joined_in_order_with_curls_rules(self):
        self.write("crlf.txt", b"b=2\r\nc=3\n")
        got = self.echo("post", "-d", "a=1", "-d", "@" + self.path("crlf.txt"),
                        "--data-raw", "@raw", "--data-binary", "x y")
        self.assertEqual(got["body"], "a=1&b=2c=3&@raw&x y")
        self.assertEqual(got["headers"]["Content-Type"], "application/x-www-form-urlencoded")
        self.assertEqual(got["headers"]["Content-Length"], str(len("a=1&b=2c=3&@raw&x y")))
        # -d makes get a POST (curl); put keeps PUT; -H replaces or removes the default type.
        self.assertEqual(self.echo("get", "-d", "q=1")["method"], "POST")
        got = self.echo("put", "-d", "v", "-H", "Content-Type: text/plain")
        self.assertEqual((got["method"], got["body"]), ("PUT", "v"))
        self.assertEqual(got["headers"]["Content-Type"], "text/plain")
        self.assertNotIn("Content-Type", self.echo("post", "-d", "v", "-H", "Content-Type:")
                         ["headers"])
        # -d @- reads standard input whole, CR and LF dropped; --data-binary keeps them.
        self.assertEqual(self.echo("post", "-d", "@-", input=b"p=1\r\n&q=2\n")["body"], "p=1&q=2")
        got = self.echo("post", "--data-binary", "@" + self.path("crlf.txt"))
        self.assertEqual(got["body"], "b=2\r\nc=3\n")

    def test_json_content_and_headers(self):
        got = self.echo("post", "--json", '{"name": "netius"}', "--json", "[1]")
        self.assertEqual(got["body"], '{"name": "netius"}[1]')  # concatenated, as curl
        self.assertEqual(got["headers"]["Content-Type"], "application/json")
        self.assertEqual(got["headers"]["Accept"], "application/json")
        self.write("item.json", b'{"id": 7}\n')
        got = self.echo("patch", "--json", "@" + self.path("item.json"))
        self.assertEqual((got["method"], got["body"]), ("PATCH", '{"id": 7}\n'))
        self.assertEqual(self.echo("get", "--json", "[1, 2]")["method"], "POST")  # as curl
        got = self.echo("put", "--json", "{}", "-H", "Accept: text/plain")
        self.assertEqual(got["headers"]["Accept"], "text/plain")

    def test_json_alone_prints_results_for_every_method(self):
        for args in (["--json"], ["--json", "-d", "x=1"], ["-d", "x=1", "--json"]):
            with self.subTest(args=args):
                r = self.http("post", *args, self.url())
                self.assertEqual(r.returncode, 0, r.stderr)
                result = json.loads(r.stdout)
                self.assertEqual(result["code"], 200)
                self.assertEqual(json.loads(result["data"])["method"], "POST")
        # --json before the URL is the output flag, and --json DATA the content, together.
        r = self.http("put", "--json", self.url(), "--json", '{"a": 1}')
        result = json.loads(r.stdout)
        self.assertEqual(json.loads(json.loads(result["data"])["body"]), {"a": 1})
        r = self.http("delete", "--json", self.url("/status/404"), "--fail")
        self.assertEqual(r.returncode, 22, r.stderr)
        self.assertEqual(json.loads(r.stdout)["code"], 404)

    def test_form_fields_and_files(self):
        self.write("notes.txt", b"some notes\n")
        self.write("essay.txt", b"an essay")
        photo = os.urandom(300 * 1024)
        self.write("photo.png", photo)
        got = self.echo("post", "-F", "name=netius", "-F", "photo=@" + self.path("photo.png"),
                        "-F", "doc=@%s;filename=renamed.txt" % self.path("notes.txt"),
                        "-F", "raw=@%s;type=application/x-test" % self.path("notes.txt"),
                        "-F", "essay=<" + self.path("essay.txt"),
                        "--form-string", "literal=@not-a-file;type=x", path="/form")
        self.assertEqual(got["method"], "POST")
        self.assertEqual(got["form"], {"name": "netius", "essay": "an essay",
                                       "literal": "@not-a-file;type=x"})
        self.assertEqual(got["files"]["photo"], {
            "filename": "photo.png", "content_type": "image/png", "length": len(photo),
            "sha256": hashlib.sha256(photo).hexdigest()})
        self.assertEqual(got["files"]["doc"]["filename"], "renamed.txt")
        self.assertEqual(got["files"]["doc"]["content_type"], "text/plain")
        self.assertEqual(got["files"]["raw"]["content_type"], "application/x-test")
        # The boundary is random, and the request says which it is.
        head = self.echo("put", "-F", "a=1")["headers"]
        self.assertRegex(head["Content-Type"],
                         r"^multipart/form-data; boundary=-{24}[A-Za-z0-9]{24}$")

    def test_usage_errors(self):
        url = self.url()
        for args, fragment in (
                (["post", "-d", "a", "-F", "b=c", url], "exclude each other"),
                (["post", "--json", "{}", "-d", "a", url], "exclude each other"),
                (["head", "-d", "a", url], "carries no content"),
                (["get", "-I", "--json", "{}", url], "carries no content"),
                (["request", url], "--request is required"),
                (["post", "--data-binary", "@-", url, url], "one URL only"),
                (["post", "--data-binary", "@-", "-d", "@-", url], "read only once"),
                (["post", "-F", "novalue", url], "expected NAME=VALUE"),
                (["post", "-F", "a=b;foo=1", url], "unknown parameter ';foo'"),
                (["post", "-F", "a=@", url], "no file name"),
                (["post", "--json", '{"a": ', url], "neither JSON content nor a URL")):
            with self.subTest(args=args):
                r = self.http(*args, input=b"")
                self.assertEqual(r.returncode, 2, r.stderr)
                self.assertIn(fragment.encode(), r.stderr)
                self.assertEqual(r.stdout, b"")
        r = self.http("put", "--data-binary", "@/nonexistent/netius-file", url)
        self.assertFailsWith(r, "/nonexistent/netius-file: No such file or directory")
        r = self.http("post", "-F", "f=@" + self.dir, url)
        self.assertFailsWith(r, "Is a directory")


class NginxMethodsTest(TempDirTest):
    """nginx reads what we send (fixed length or chunked) and applies its redirects."""

    @classmethod
    def setUpClass(cls):
        cls.www = tempfile.mkdtemp(prefix="netius-www-")
        cls.nginx = Nginx(cls.www, """
    location = /method { return 200 "$request_method [$content_length] [$http_transfer_encoding]\\n"; }
    location = /r301 { return 301 /method; }
    location = /r303 { return 303 /method; }
    location = /r308 { return 308 /method; }
""")
        cls.nginx.__enter__()

    @classmethod
    def tearDownClass(cls):
        cls.nginx.__exit__(None, None, None)
        shutil.rmtree(cls.www, True)

    def http(self, *args, input=None):
        r = run(["http"] + list(args), input=input)
        self.assertEqual(r.returncode, 0, r.stderr)
        return r.stdout

    def test_methods_and_framing(self):
        url = self.nginx.url("/method")
        self.assertEqual(self.http("put", "-d", "abc", url), b"PUT [3] []\n")
        self.assertEqual(self.http("delete", url), b"DELETE [] []\n")
        self.assertTrue(self.http("patch", "--data-binary", "@-", url, input=b"x" * 100000)
                        .endswith(b"[chunked]\n"))
        self.assertEqual(self.http("request", "-X", "OPTIONS", url), b"OPTIONS [] []\n")

    def test_redirect_method_rules(self):
        self.write("body.bin", b"z" * 5000)
        body = "@" + self.path("body.bin")
        self.assertEqual(self.http("put", "-d", "a", self.nginx.url("/r301")), b"PUT [1] []\n")
        self.assertEqual(self.http("post", "-d", "a", self.nginx.url("/r301")), b"GET [] []\n")
        self.assertEqual(self.http("delete", self.nginx.url("/r303")), b"GET [] []\n")
        self.assertEqual(self.http("post", "--data-binary", body, self.nginx.url("/r308")),
                         b"POST [5000] []\n")


if __name__ == "__main__":
    unittest.main()
