"""HTTP/2 on every HTTP server (`serve hello`, `serve file`, `serve wsgi`) against curl
(--http2, --http2-prior-knowledge), nghttp, h2load, Python's h2 and headless Chromium: ALPN and
prior knowledge on one port, the same semantics as HTTP/1.1 (ranges, conditional requests,
listings, codings, streamed and deferred answers, uploads), the access log, PROXY protocol,
settings, graceful shutdown. Attacks are in test_http2_attacks.py."""
import gzip
import hashlib
import json
import os
import re
import shutil
import signal
import socket
import subprocess
import tempfile
import time
import unittest

import h2.config
import h2.connection
import h2.events

from harness import DATA_DIR, NETIUS, ServeProcess, TempDirTest, tool, wait_for

APPS = os.path.join(DATA_DIR, "wsgi")


class H2Test(TempDirTest):
    def serve(self, *args, env=None, start_timeout=20):
        s = ServeProcess(list(args), env, start_timeout)
        self.addCleanup(s.stop)
        return s

    def curl(self, *args, check=True):
        """curl -sS ARGS (30 s bound); returns (http_version, status, head, body)."""
        r = tool(["curl", "-sS", "--max-time", "30", "-D", "-", "-o", self.path("body"),
                  "-w", "\n%{http_version} %{http_code}"] + list(args), check=False)
        if check:
            self.assertEqual(r.returncode, 0, r.stderr)
        out = r.stdout.decode("latin-1")
        head, _, tail = out.rpartition("\n")
        version, code = tail.split()
        body = self.read("body") if os.path.exists(self.path("body")) else b""
        if os.path.exists(self.path("body")):
            os.unlink(self.path("body"))
        return version, int(code), head, body

    @staticmethod
    def field(head, name):
        """The value of the last response head's field `name` (h2 names are lower case)."""
        last = head.strip().split("\r\n\r\n")[-1]
        m = re.search(r"^%s: ([^\r\n]*)" % re.escape(name), last, re.I | re.M)
        return m.group(1) if m else None

    def h2_socket(self, port, preamble=b""):
        """A raw client connection speaking h2 with prior knowledge (python h2)."""
        s = socket.create_connection(("127.0.0.1", port), timeout=10)
        self.addCleanup(s.close)
        if preamble:
            s.sendall(preamble)
        c = h2.connection.H2Connection(h2.config.H2Configuration(client_side=True))
        c.initiate_connection()
        s.sendall(c.data_to_send())
        return s, c

    @staticmethod
    def h2_exchange(s, c, headers, body=None):
        """Sends one request on a new stream; returns (headers dict, body, events) once the
        stream ends (10 s socket timeout bounds every wait)."""
        sid = c.get_next_available_stream_id()
        c.send_headers(sid, headers, end_stream=body is None)
        if body is not None:
            c.send_data(sid, body, end_stream=True)
        s.sendall(c.data_to_send())
        got, data, events = {}, b"", []
        while True:
            chunk = s.recv(65536)
            if not chunk:
                raise AssertionError("closed before the stream ended: %r" % events)
            for e in c.receive_data(chunk):
                events.append(e)
                if isinstance(e, h2.events.ResponseReceived) and e.stream_id == sid:
                    got = {k.decode(): v.decode() for k, v in e.headers}
                elif isinstance(e, h2.events.DataReceived) and e.stream_id == sid:
                    data += e.data
                    c.acknowledge_received_data(e.flow_controlled_length, sid)
                elif isinstance(e, h2.events.DataReceived) and e.flow_controlled_length:
                    # Another stream's data: the connection's window is reopened, its own not.
                    c.increment_flow_control_window(e.flow_controlled_length)
                elif isinstance(e, h2.events.StreamEnded) and e.stream_id == sid:
                    s.sendall(c.data_to_send())
                    return got, data, events
                elif isinstance(e, h2.events.StreamReset) and e.stream_id == sid:
                    raise AssertionError("stream reset: %r" % e)
            s.sendall(c.data_to_send())


class HelloH2Test(H2Test):
    def test_prior_knowledge_and_http11_on_one_port(self):
        srv = self.serve("hello", "--access-log", self.path("access.log"))
        version, code, head, body = self.curl("--http2-prior-knowledge", srv.url + "/a?b=1")
        self.assertEqual((version, code, body), ("2", 200, b"Hello World"))
        self.assertTrue(head.startswith("HTTP/2 200"), head)
        self.assertEqual(self.field(head, "server"), "netius")
        self.assertEqual(self.field(head, "content-length"), "11")
        self.assertRegex(self.field(head, "date"), r"\w{3}, \d\d \w{3} \d{4} \d\d:\d\d:\d\d GMT")
        # Names go out in lower case and no connection-specific field is sent (RFC 9113 §8.2).
        for line in head.split("\r\n")[1:]:
            if line:
                name = line.split(":")[0]
                self.assertEqual(name, name.lower(), line)
                self.assertNotIn(name, ("connection", "keep-alive", "transfer-encoding"))
        version, code, _, body = self.curl("--http1.1", srv.url + "/")
        self.assertEqual((version, code, body), ("1.1", 200, b"Hello World"))
        # RFC 9113 deprecates Upgrade: h2c: such a request is plain HTTP/1.1, no 101.
        version, code, head, body = self.curl("--http2", srv.url + "/")
        self.assertEqual((version, code, body), ("1.1", 200, b"Hello World"))
        self.assertNotIn("101", head)
        srv.stop()
        log = self.read("access.log").decode()
        self.assertRegex(log, r'"GET /a\?b=1 HTTP/2.0" 200 11 ')
        self.assertRegex(log, r'"GET / HTTP/1.1" 200 11 ')

    def test_alpn_over_tls(self):
        srv = self.serve("hello", "--ssl")
        self.assertEqual(self.curl("-k", "--http2", srv.url + "/")[:2], ("2", 200))
        self.assertEqual(self.curl("-k", "--http1.1", srv.url + "/")[:2], ("1.1", 200))
        r = tool(["openssl", "s_client", "-connect", "127.0.0.1:%d" % srv.port, "-alpn",
                  "h2,http/1.1"], input=b"", check=False)
        self.assertIn(b"ALPN protocol: h2", r.stdout)

    def test_our_client_against_our_server(self):
        for args, scheme_args in ((["--ssl"], ["-k"]), ([], ["--http2-prior-knowledge"])):
            srv = self.serve("hello", "--access-log", self.path("access.log"), *args)
            r = tool([NETIUS, "http", "get", "--json"] + scheme_args +
                     [srv.url + "/a", srv.url + "/b"], timeout=30)
            got = [json.loads(line) for line in r.stdout.decode().splitlines()]
            self.assertEqual([(g["code"], g["version"], g["data"]) for g in got],
                             [(200, "HTTP/2", "Hello World")] * 2, args)
            srv.stop()
            self.assertEqual(self.read("access.log").decode().count(" HTTP/2.0\" 200 11 "), 2)
            os.unlink(self.path("access.log"))

    def test_no_http2_and_safe(self):
        for args, env in ((["--no-http2"], None), ([], {"HTTP2": "0"}), ([], {"SAFE": "1"})):
            srv = self.serve("hello", "--ssl", *args, env=env)
            self.assertEqual(self.curl("-k", "--http2", srv.url + "/")[:2], ("1.1", 200), args)
            srv.stop()
            plain = self.serve("hello", *args, env=env)
            r = tool(["curl", "-sS", "--max-time", "10", "--http2-prior-knowledge",
                      plain.url + "/"], check=False)
            self.assertNotEqual(r.returncode, 0, (args, env))  # the preface is no request
            plain.stop()

    def test_settings_announced(self):
        srv = self.serve("hello", "--http2-max-concurrent-streams", "7",
                         env={"SETTINGS_INITIAL_WINDOW_SIZE": "70000"})
        r = tool(["nghttp", "-nv", srv.url + "/"], timeout=30)
        out = r.stdout.decode()
        self.assertIn("SETTINGS_MAX_CONCURRENT_STREAMS(0x03):7", out)
        self.assertIn("SETTINGS_INITIAL_WINDOW_SIZE(0x04):70000", out)
        self.assertIn("SETTINGS_HEADER_TABLE_SIZE(0x01):4096", out)
        self.assertIn("SETTINGS_MAX_HEADER_LIST_SIZE(0x06):16384", out)
        r = tool([shutil.which("netius") or os.environ.get("NETIUS_BIN", "build/netius"),
                  "serve", "hello", "--http2-max-frame-size", "100"], check=False)
        self.assertNotEqual(r.returncode, 0)
        self.assertIn(b"--http2-max-frame-size", r.stderr)

    def test_concurrent_streams_nghttp_and_h2load(self):
        srv = self.serve("hello")
        r = tool(["nghttp", "-n", "-s", "-m", "50", srv.url + "/"], timeout=30)
        self.assertIn(b"200", r.stdout)
        r = tool(["h2load", "-n", "5000", "-c", "10", "-m", "10", srv.url + "/"], timeout=60)
        out = r.stdout.decode()
        self.assertIn("5000 succeeded, 0 failed, 0 errored", out)
        self.assertIn("5000 2xx", out)

    def test_request_fields_and_limits(self):
        srv = self.serve("hello", "--max-target-bytes", "100")
        s, c = self.h2_socket(srv.port)
        base = [(":method", "GET"), (":scheme", "http"), (":authority", "example.com")]
        got, body, _ = self.h2_exchange(s, c, base + [(":path", "/" + "a" * 200)])
        self.assertEqual(got[":status"], "414")
        got, body, _ = self.h2_exchange(s, c, base + [(":path", "/")] +
                                        [("x-big", "v" * 1000)] * 20)
        self.assertEqual(got[":status"], "431")
        got, body, _ = self.h2_exchange(s, c, base + [(":path", "/ok")])
        self.assertEqual((got[":status"], body), ("200", b"Hello World"))

    def test_post_body_limit(self):
        srv = self.serve("hello", "--max-body-bytes", "1000")
        s, c = self.h2_socket(srv.port)
        req = [(":method", "POST"), (":scheme", "http"), (":authority", "x"), (":path", "/")]
        got, body, _ = self.h2_exchange(s, c, req, b"x" * 500)
        self.assertEqual(got[":status"], "200")
        got, body, _ = self.h2_exchange(s, c, req + [("content-length", "5000")], b"x" * 5000)
        self.assertEqual(got[":status"], "413")
        got, body, _ = self.h2_exchange(s, c, req, b"x" * 5000)  # no length: counted as it comes
        self.assertEqual(got[":status"], "413")
        got, body, _ = self.h2_exchange(s, c, req, b"y")
        self.assertEqual(got[":status"], "200")

    def test_proxy_protocol(self):
        srv = self.serve("hello", "--proxy-protocol", "--access-log", self.path("access.log"))
        s, c = self.h2_socket(srv.port, b"PROXY TCP4 203.0.113.9 127.0.0.1 5555 80\r\n")
        got, body, _ = self.h2_exchange(s, c, [(":method", "GET"), (":scheme", "http"),
                                               (":authority", "x"), (":path", "/p")])
        self.assertEqual(got[":status"], "200")
        srv.stop()
        self.assertRegex(self.read("access.log").decode(),
                         r'^203\.0\.113\.9 .*"GET /p HTTP/2.0" 200 11')

    def test_graceful_shutdown_sends_goaway(self):
        srv = self.serve("hello")
        s, c = self.h2_socket(srv.port)
        got, _, _ = self.h2_exchange(s, c, [(":method", "GET"), (":scheme", "http"),
                                            (":authority", "x"), (":path", "/")])
        self.assertEqual(got[":status"], "200")
        srv.proc.send_signal(signal.SIGTERM)
        events = []
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            chunk = s.recv(65536)
            if not chunk:
                break
            events += c.receive_data(chunk)
        goaways = [e for e in events if isinstance(e, h2.events.ConnectionTerminated)]
        self.assertTrue(goaways, events)
        self.assertEqual(goaways[0].error_code, 0)
        self.assertEqual(goaways[0].last_stream_id, 1)
        self.assertEqual(srv.proc.wait(15), 0)


class FileH2Test(H2Test):
    def setUp(self):
        super().setUp()
        self.www = self.path("www")
        os.makedirs(os.path.join(self.www, "d"))
        self.big = os.urandom(3 << 20) * 7  # 21 MiB
        self.write("www/big.bin", self.big)
        self.text = b"hello text " * 2000
        self.write("www/t.txt", self.text)
        self.write("www/p.css", b"body { color: red }\n" * 100)
        with gzip.open(os.path.join(self.www, "p.css.gz"), "wb") as f:
            f.write(b"body { color: red }\n" * 100)

    def test_files_ranges_conditional_listing(self):
        srv = self.serve("file", "--base-path", self.www)
        url = srv.url + "/"
        version, code, head, body = self.curl("--http2-prior-knowledge", url + "big.bin")
        self.assertEqual((version, code), ("2", 200))
        self.assertEqual(hashlib.sha256(body).hexdigest(), hashlib.sha256(self.big).hexdigest())
        version, code, head, body = self.curl("--http2-prior-knowledge", "-r", "10-19",
                                              url + "t.txt")
        self.assertEqual((code, body), (206, self.text[10:20]))
        self.assertEqual(self.field(head, "content-range"), "bytes 10-19/%d" % len(self.text))
        etag = self.field(self.curl("--http2-prior-knowledge", url + "t.txt")[2], "etag")
        self.assertTrue(etag)
        version, code, head, body = self.curl("--http2-prior-knowledge", "-H",
                                              "If-None-Match: " + etag, url + "t.txt")
        self.assertEqual((code, body), (304, b""))
        # curl -I writes the head where the content would go: nothing else may follow it.
        version, code, head, body = self.curl("--http2-prior-knowledge", "-I", url + "t.txt")
        self.assertEqual(code, 200)
        self.assertTrue(body.endswith(b"\r\n\r\n") and b"hello text" not in body, body)
        self.assertEqual(self.field(head, "content-length"), str(len(self.text)))
        version, code, head, body = self.curl("--http2-prior-knowledge", url)
        self.assertEqual(code, 200)
        self.assertIn(b'href="t.txt"', body)
        self.assertIn(b'href="d/"', body)
        self.assertEqual(self.curl("--http2-prior-knowledge", url + "nope")[1], 404)

    def test_codings(self):
        srv = self.serve("file", "--base-path", self.www, "--encoding", "gzip")
        url = srv.url + "/"
        version, code, head, body = self.curl("--http2-prior-knowledge", "-H",
                                              "Accept-Encoding: gzip", url + "p.css")
        self.assertEqual(self.field(head, "content-encoding"), "gzip")  # the .gz file
        self.assertEqual(gzip.decompress(body), b"body { color: red }\n" * 100)
        version, code, head, body = self.curl("--http2-prior-knowledge", "-H",
                                              "Accept-Encoding: gzip", url + "t.txt")
        self.assertEqual(self.field(head, "content-encoding"), "gzip")  # on the fly
        self.assertEqual(self.field(head, "vary"), "Accept-Encoding")
        self.assertIsNone(self.field(head, "content-length"))
        self.assertEqual(gzip.decompress(body), self.text)
        version, code, head, body = self.curl("--http2-prior-knowledge", url + "t.txt")
        self.assertIsNone(self.field(head, "content-encoding"))
        self.assertEqual(body, self.text)

    def test_slow_reader_holds_back_only_its_stream(self):
        srv = self.serve("file", "--base-path", self.www)
        s, c = self.h2_socket(srv.port)
        # Stream 1: the big file, whose window we never open past the first 64 KiB.
        c.send_headers(1, [(":method", "GET"), (":scheme", "http"), (":authority", "x"),
                           (":path", "/big.bin")], end_stream=True)
        s.sendall(c.data_to_send())
        got, body, _ = self.h2_exchange(s, c, [(":method", "GET"), (":scheme", "http"),
                                               (":authority", "x"), (":path", "/t.txt")])
        self.assertEqual((got[":status"], body), ("200", self.text))
        with open("/proc/%d/status" % srv.worker_pid(), "rb") as f:
            rss = int(re.search(rb"VmRSS:\s+(\d+)", f.read()).group(1))
        self.assertMemoryBelow(rss, 64 * 1024, "the worker holds the file in memory")

    def test_listing_in_headless_chromium_over_https(self):
        chromium = shutil.which("chromium")
        if not chromium:
            self.fail("chromium missing: run scripts/deps.sh")
        srv = self.serve("file", "--base-path", self.www, "--ssl", "--access-log",
                         self.path("access.log"))
        profile = tempfile.mkdtemp(prefix="netius-chromium-")
        self.addCleanup(shutil.rmtree, profile, True)
        r = tool([chromium, "--headless", "--no-sandbox", "--disable-gpu",
                  "--ignore-certificate-errors", "--user-data-dir=" + profile, "--dump-dom",
                  srv.url + "/"], timeout=90)
        self.assertIn("<title>Index of /</title>", r.stdout.decode())
        srv.stop()
        self.assertRegex(self.read("access.log").decode(), r'"GET / HTTP/2.0" 200 ')


class WsgiH2Test(H2Test):
    def wsgi(self, *args):
        return self.serve("wsgi", "--python-path", APPS, *args)

    def test_environ(self):
        srv = self.wsgi("h2_apps:application")
        version, code, head, body = self.curl("--http2-prior-knowledge", "-H",
                                              "Cookie: a=1", "-H", "Cookie: b=2",
                                              srv.url + "/environ/x?q=1")
        self.assertEqual((version, code), ("2", 200))
        env = json.loads(body)
        self.assertEqual(env["SERVER_PROTOCOL"], "HTTP/2")
        self.assertEqual(env["HTTP_HOST"], "127.0.0.1:%d" % srv.port)
        self.assertEqual(env["PATH_INFO"], "/environ/x")
        self.assertEqual(env["QUERY_STRING"], "q=1")
        self.assertEqual(env["HTTP_COOKIE"], "a=1; b=2")
        self.assertEqual(env["wsgi.url_scheme"], "http")

    def test_upload_streams_through_flow_control(self):
        srv = self.wsgi("h2_apps:application")
        data = os.urandom(1 << 20) * 9  # 9 MiB: many windows of 1 MiB
        self.write("up.bin", data)
        expect = "%d %s" % (len(data), hashlib.sha256(data).hexdigest())
        for extra in ([], ["-H", "Transfer-Encoding: chunked"]):  # with and without length
            version, code, head, body = self.curl("--http2-prior-knowledge", *extra,
                                                  "--data-binary", "@" + self.path("up.bin"),
                                                  srv.url + "/upload")
            self.assertEqual((version, code, body.decode()), ("2", 200, expect), extra)

    def test_streamed_and_threaded_answers(self):
        for args in ([], ["--threads", "4"]):
            srv = self.wsgi("h2_apps:application", *args)
            version, code, head, body = self.curl("--http2-prior-knowledge",
                                                  srv.url + "/stream")
            self.assertEqual((version, code, len(body)), ("2", 200, 100 * 1024), args)
            self.assertTrue(body.startswith(b"0000xxx") and b"0099" in body)
            r = tool(["h2load", "-n", "400", "-c", "4", "-m", "10", srv.url + "/environ"],
                     timeout=60)
            self.assertIn(b"400 succeeded, 0 failed, 0 errored", r.stdout, args)
            srv.stop()

    def test_pep3333_validator_apps(self):
        srv = self.wsgi("pep3333_apps:application", "--threads", "2")
        for path, expect in (("/gen", b"line"), ("/write", b""), ("/file", b"")):
            version, code, head, body = self.curl("--http2-prior-knowledge", srv.url + path)
            self.assertEqual((version, code), ("2", 200), path)
        version, code, head, body = self.curl("--http2-prior-knowledge", srv.url + "/raise")
        self.assertEqual(code, 500)
        # The other streams of that connection are not affected.
        self.assertEqual(self.curl("--http2-prior-knowledge", srv.url + "/")[1], 200)

    def test_shutdown_lets_open_streams_finish(self):
        # curl, not python h2: h2 treats any GOAWAY as the end of every stream.
        srv = self.serve("wsgi", "--python-path", APPS, "h2_apps:application", "--threads", "2",
                         env={"CLOSE_LOG": self.path("closes")})
        curl = subprocess.Popen(["curl", "-sS", "--max-time", "30", "--http2-prior-knowledge",
                                 "-o", self.path("slow"), "-w", "%{http_version}",
                                 srv.url + "/slow?n=8&delay=0.25"],
                                stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        self.addCleanup(curl.kill)
        wait_for(lambda: os.path.exists(self.path("slow")) and os.path.getsize(self.path("slow")),
                 what="the first piece")
        srv.proc.send_signal(signal.SIGTERM)  # the answer has started: stop the server now
        out, err = curl.communicate(timeout=30)
        self.assertEqual((curl.returncode, out), (0, b"2"), err)
        self.assertEqual(os.path.getsize(self.path("slow")), 8 * 1024)  # every piece
        self.assertEqual(srv.proc.wait(15), 0)
        self.assertIn("slow closed after 8", self.read("closes").decode())

    def test_reset_stream_closes_the_iterable(self):
        srv = self.serve("wsgi", "--python-path", APPS, "h2_apps:application", "--threads", "2",
                         env={"CLOSE_LOG": self.path("closes")})
        s, c = self.h2_socket(srv.port)
        c.send_headers(1, [(":method", "GET"), (":scheme", "http"), (":authority", "x"),
                           (":path", "/slow?n=100&delay=0.1")], end_stream=True)
        s.sendall(c.data_to_send())
        while not any(isinstance(e, h2.events.DataReceived) for e in c.receive_data(s.recv(65536))):
            pass
        c.reset_stream(1)
        s.sendall(c.data_to_send())
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline and not (
                os.path.exists(self.path("closes")) and "slow closed" in self.read("closes").decode()):
            time.sleep(0.05)
        closes = self.read("closes").decode()
        sent = int(re.search(r"slow closed after (\d+)", closes).group(1))
        self.assertLess(sent, 100)  # the app stopped when the client reset the stream
        # The connection still serves.
        got, body, _ = self.h2_exchange(s, c, [(":method", "GET"), (":scheme", "http"),
                                               (":authority", "x"), (":path", "/environ")])
        self.assertEqual(got[":status"], "200")

    def test_flask_over_h2(self):
        srv = self.wsgi("flask_app:app")
        version, code, head, body = self.curl("--http2-prior-knowledge", "-H",
                                              "Content-Type: application/json", "-d",
                                              '{"a": [1, 2]}', srv.url + "/json")
        self.assertEqual((version, code), ("2", 200))
        self.assertEqual(json.loads(body), {"got": {"a": [1, 2]}, "n": 1})
        self.write("f.txt", b"z" * 300000)
        version, code, head, body = self.curl("--http2-prior-knowledge", "-F",
                                              "file=@" + self.path("f.txt"), srv.url + "/upload")
        self.assertEqual((code, body), (200, b"f.txt 300000"))
        self.assertEqual(self.curl("--http2-prior-knowledge", srv.url + "/stream")[3],
                         b"part 0\npart 1\npart 2\n")


if __name__ == "__main__":
    unittest.main()
