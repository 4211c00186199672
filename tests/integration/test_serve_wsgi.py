"""`netius serve wsgi` against curl, raw sockets and Python apps: PEP 3333 (apps wrapped in
wsgiref.validate), Flask, client disconnects, failing apps and --threads."""
import hashlib
import json
import os
import socket
import subprocess
import threading
import time
import unittest

from harness import DATA_DIR, ServeProcess, TempDirTest, tool

APPS = os.path.join(DATA_DIR, "wsgi")


class WsgiTest(TempDirTest):
    def serve(self, *args, env=None):
        s = ServeProcess(["wsgi", "--python-path", APPS] + list(args), env, 20)
        self.addCleanup(s.stop)
        return s

    def curl(self, *args):
        r = tool(["curl", "-sS", "--max-time", "30"] + list(args), check=False)
        self.assertEqual(r.returncode, 0, r.stderr)
        return r.stdout

    def curl_head(self, *args):
        out = self.curl("-i", *args)
        head, _, body = out.partition(b"\r\n\r\n")
        return head.decode("latin-1"), body

    def wait_for_record(self, line):
        """Waits up to 10 s for the apps' record() of `line` in CLOSE_LOG (self.closes)."""
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            if os.path.exists(self.closes) and line in self.read("closes").decode():
                return
            time.sleep(0.05)
        self.fail("the app never recorded %r" % line)


class DemoTest(WsgiTest):
    def test_demo_app(self):
        srv = ServeProcess(["wsgi"], None, 20)
        self.addCleanup(srv.stop)
        head, body = self.curl_head(srv.url + "/")
        self.assertTrue(head.startswith("HTTP/1.1 200 OK"), head)
        self.assertIn("Content-Length: 11", head)
        self.assertEqual(body, b"Hello World")

    def test_import_error_exits_before_binding(self):
        r = subprocess.run([os.environ.get("NETIUS_BIN", "build/netius"), "serve", "wsgi",
                            "no_such_module_x", "--port", "0"], capture_output=True, timeout=30)
        self.assertEqual(r.returncode, 1)
        self.assertIn(b"ModuleNotFoundError", r.stderr)
        self.assertNotIn(b"serving", r.stderr)

    def test_missing_standard_library_is_a_clear_error(self):
        # The package only recommends the interpreter's standard library (libpython3.X-stdlib);
        # PYTHONHOME pointing nowhere is the interpreter without it.
        env = dict(os.environ, PYTHONHOME=os.path.join(self.dir, "none"))
        r = subprocess.run([os.environ.get("NETIUS_BIN", "build/netius"), "serve", "wsgi",
                            "--port", "0"], capture_output=True, timeout=30, env=env)
        self.assertEqual(r.returncode, 1)
        self.assertRegex(r.stderr, rb"(?m)^netius: serve wsgi: cannot load the Python runtime "
                                   rb"\(.*libpython3\.\d+-stdlib\)$")
        self.assertNotIn(b"serving", r.stderr)


class Pep3333Test(WsgiTest):
    def setUp(self):
        super().setUp()
        self.closes = self.path("closes")
        self.srv = self.serve("pep3333_apps", "--mount", "/m",
                              env={"CLOSE_LOG": self.closes})
        self.base = self.srv.url + "/m/"

    def wait_for_close(self, tag):
        self.wait_for_record("closed " + tag)

    def test_environ_and_mount(self):
        head, body = self.curl_head(self.base + "plain/a%20b?x=1", "-H", "X-Multi: 1",
                                    "-H", "X-Multi: 2", "-H", "X_Multi: spoof")
        self.assertIn("Content-Length: %d" % len(body), head)
        self.assertEqual(body, b"GET /m|/plain/a b|x=1|http|1, 2")
        head, _ = self.curl_head(self.srv.url + "/other")
        self.assertTrue(head.startswith("HTTP/1.1 404"), head)

    def test_forwarded_proto_not_trusted_by_default(self):
        body = self.curl(self.base + "plain", "-H", "X-Forwarded-Proto: https")
        self.assertIn(b"|http|", body)

    def test_generator_chunked_and_closed(self):
        head, body = self.curl_head(self.base + "gen?3")
        self.assertIn("Transfer-Encoding: chunked", head)
        self.assertEqual(body, b"line 0\nline 1\nline 2\n")
        self.wait_for_close("gen")

    def test_http10_closes(self):
        head, body = self.curl_head("--http1.0", self.base + "gen?2")
        self.assertNotIn("chunked", head)
        self.assertEqual(body, b"line 0\nline 1\n")

    def test_head_has_no_body(self):
        out = self.curl("-I", self.base + "gen?2")
        self.assertTrue(out.startswith(b"HTTP/1.1 200"), out)
        self.wait_for_close("gen")

    def test_write_callable(self):
        self.assertEqual(self.curl(self.base + "write"), b"written then iterated")

    def test_exc_info_replaces_status(self):
        head, body = self.curl_head(self.base + "exc")
        self.assertTrue(head.startswith("HTTP/1.1 503"), head)
        self.assertEqual(body, b"sorry")

    def test_exc_info_after_head_closes(self):
        r = tool(["curl", "-sS", "--max-time", "10", self.base + "exc_after"], check=False)
        self.assertNotEqual(r.returncode, 0)  # truncated chunked body
        self.assertEqual(self.curl(self.base + "write"), b"written then iterated")

    def test_file_wrapper(self):
        with open(os.path.join(APPS, "pep3333_apps.py"), "rb") as f:
            expected = f.read()
        self.assertEqual(self.curl(self.base + "file"), expected)  # validated: iterated
        head, body = self.curl_head(self.base + "sendfile")  # the file itself
        self.assertIn("Content-Length: %d" % len(expected), head)
        self.assertEqual(body, expected)
        self.wait_for_close("sendfile")

    def test_input_read_in_pieces(self):
        data = b"first line\n" + os.urandom(300000)
        p = self.write("body", data)
        out = self.curl("--data-binary", "@" + p, self.base + "pieces")
        self.assertEqual(out, b"%d %s" % (len(data), hashlib.sha256(data).hexdigest().encode()))

    def test_chunked_upload_100mb(self):
        size = 100 * 1024 * 1024
        srv = self.serve("pep3333_apps", "--max-body-bytes", str(size + 1))
        block = hashlib.sha256(b"x").digest() * 2048  # 64 KiB
        h = hashlib.sha256()
        for _ in range(size // len(block)):
            h.update(block)
        with socket.create_connection(("127.0.0.1", srv.port), timeout=60) as s:
            s.sendall(b"POST /pieces HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n"
                      b"Expect: 100-continue\r\n\r\n")
            self.assertTrue(s.recv(100).startswith(b"HTTP/1.1 100 Continue"))
            frame = b"%x\r\n%s\r\n" % (len(block), block)
            for _ in range(size // len(block)):
                s.sendall(frame)
            s.sendall(b"0\r\n\r\n")
            reply = b""
            while not reply.endswith(h.hexdigest().encode()):
                chunk = s.recv(65536)
                if not chunk:
                    break
                reply += chunk
        self.assertIn(b"%d %s" % (size, h.hexdigest().encode()), reply)

    def test_errors_stream_logged(self):
        self.assertEqual(self.curl(self.base + "errors"), b"logged")
        self.srv.stop()
        self.assertIn(b"a line for the log", self.srv.log)

    def test_app_raising_gets_500_and_server_goes_on(self):
        head, _ = self.curl_head(self.base + "raise")
        self.assertTrue(head.startswith("HTTP/1.1 500"), head)
        self.assertIn(b"plain", self.curl(self.base + "plain"))
        self.srv.stop()
        self.assertIn(b"ValueError: the app broke", self.srv.log)

    def test_disconnect_mid_response_calls_close(self):
        s = socket.create_connection(("127.0.0.1", self.srv.port), timeout=10)
        s.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
        s.sendall(b"GET /m/gen?200000 HTTP/1.1\r\nHost: x\r\n\r\n")
        self.assertTrue(s.recv(4096))
        s.close()
        self.wait_for_close("long")

    def test_app_threads_run_while_the_loop_is_idle(self):
        # No request follows: the thread can only run if the idle loop let go of the GIL.
        self.assertEqual(self.curl(self.base + "background"), b"started")
        self.wait_for_record("background ran")

    def test_no_validator_warnings(self):
        for path in ["plain", "gen?2", "write", "exc", "file", "errors"]:
            self.curl(self.base + path)
        self.srv.stop()
        self.assertNotIn(b"AssertionError", self.srv.log)
        self.assertNotIn(b"WSGIWarning", self.srv.log)


class ThreadsTest(WsgiTest):
    def test_blocking_app_does_not_stall_others(self):
        srv = self.serve("pep3333_apps", "--threads", "4")
        slow = threading.Thread(target=self.curl, args=(srv.url + "/block?4",))
        slow.start()
        self.addCleanup(slow.join, 30)
        time.sleep(0.3)
        # The loop answers others while one thread sleeps in the app.
        r = tool(["curl", "-sS", "--max-time", "2", srv.url + "/plain"], check=False)
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertIn(b"/plain", r.stdout)
        self.assertEqual(self.curl(srv.url + "/gen?3"), b"line 0\nline 1\nline 2\n")
        self.assertEqual(self.curl(srv.url + "/write"), b"written then iterated")

    def test_workers_with_threads(self):
        srv = self.serve("pep3333_apps", "--workers", "2", "--threads", "2")
        for _ in range(4):
            self.assertEqual(self.curl(srv.url + "/gen?2"), b"line 0\nline 1\n")
        head, _ = self.curl_head(srv.url + "/raise")
        self.assertTrue(head.startswith("HTTP/1.1 500"), head)

    def test_trusted_proxy_sets_scheme(self):
        srv = self.serve("pep3333_apps", "--trusted-proxy", "127.0.0.1")
        body = self.curl(srv.url + "/plain", "-H", "X-Forwarded-Proto: https")
        self.assertIn(b"|https|", body)

    def test_threads_disconnect_calls_close(self):
        closes = self.path("closes")
        srv = self.serve("pep3333_apps", "--threads", "2", env={"CLOSE_LOG": closes})
        s = socket.create_connection(("127.0.0.1", srv.port), timeout=10)
        s.sendall(b"GET /gen?200000 HTTP/1.1\r\nHost: x\r\n\r\n")
        self.assertTrue(s.recv(4096))
        s.close()
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline:
            if os.path.exists(closes) and b"closed long" in self.read("closes"):
                return
            time.sleep(0.05)
        self.fail("close() not called")


class FlaskTest(WsgiTest):
    def setUp(self):
        super().setUp()
        self.srv = self.serve("flask_app:app")
        self.url = self.srv.url

    def test_route(self):
        self.assertEqual(self.curl(self.url + "/"), b"Hello World")

    def test_json(self):
        out = self.curl("-H", "Content-Type: application/json", "--data", '[1,2,3]',
                        self.url + "/json")
        self.assertEqual(json.loads(out), {"got": [1, 2, 3], "n": 3})

    def test_form_post(self):
        self.assertEqual(self.curl("--data", "name=caf%C3%A9", self.url + "/form"),
                         "name=café".encode())

    def test_multipart_upload(self):
        p = self.write("up.bin", os.urandom(200000))
        self.assertEqual(self.curl("-F", "file=@%s" % p, self.url + "/upload"),
                         b"up.bin 200000")

    def test_streaming(self):
        head, body = self.curl_head(self.url + "/stream")
        self.assertIn("Transfer-Encoding: chunked", head)
        self.assertEqual(body, b"part 0\npart 1\npart 2\n")

    def test_error_handler(self):
        head, body = self.curl_head(self.url + "/boom")
        self.assertTrue(head.startswith("HTTP/1.1 418"), head)
        self.assertEqual(json.loads(body)["error"], "key")


if __name__ == "__main__":
    unittest.main()
