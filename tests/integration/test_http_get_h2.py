"""`netius http get` over HTTP/2 against real servers: nginx with `http2` (h2 by ALPN over TLS,
and a cleartext prior-knowledge listener), an nginx that offers only http/1.1 (the fallback),
and a scripted HTTP/2 server (Python's h2) for streams that never answer, are reset or refused.
Every existing feature is checked over h2: redirects, gzip, -o, -i, --fail, --json, a large
download, and several URLs sharing one connection as concurrent streams."""
import hashlib
import json
import os
import resource
import shutil
import socket
import tempfile
import unittest

from harness import RawServer, TempDirTest, run
from peers import Nginx
from test_http_get import make_pki

LOCATIONS = """
    gzip on; gzip_types text/plain; gzip_min_length 1;
    location = /old { return 301 /small.txt; }
    location = /loop { return 302 /loop; }
    location = /r303 { return 303 /method; }
    location = /r307 { return 307 /method; }
    location = /method { return 200 "$request_method $server_protocol\\n"; }
"""

BIG = 20 << 20


class NginxH2Test(TempDirTest):
    """One nginx with http2 and one without (same files, same test CA) for the class."""

    @classmethod
    def setUpClass(cls):
        cls.www = tempfile.mkdtemp(prefix="netius-www-")
        os.chmod(cls.www, 0o755)
        cls.small = b"small file\n"
        cls.text = b"".join(b"line %06d of a text that compresses well\n" % i
                            for i in range(20000))
        files = {"small.txt": cls.small, "text.txt": cls.text}
        files.update({"f%d.txt" % i: (b"file %d\n" % i) * (i * 500 + 1) for i in range(6)})
        for name, data in files.items():
            with open(os.path.join(cls.www, name), "wb") as f:
                f.write(data)
        # Two 20 MiB files of random bytes (incompressible), digests kept. Written a block at
        # a time: a child forked from a big test process would count its pages in its RSS.
        cls.digests = {}
        for name in ("big1.bin", "big2.bin"):
            digest = hashlib.sha256()
            with open(os.path.join(cls.www, name), "wb") as f:
                for _ in range(BIG >> 20):
                    block = os.urandom(1 << 20)
                    f.write(block)
                    digest.update(block)
            cls.digests[name] = digest.hexdigest()
        cls.pki = tempfile.mkdtemp(prefix="netius-pki-")
        make_pki(cls.pki)
        cls.ca = os.path.join(cls.pki, "root.pem")
        tls = (os.path.join(cls.pki, "server.pem"), os.path.join(cls.pki, "server.key"))
        cls.nginx = Nginx(cls.www, LOCATIONS, tls=tls, http2=True).__enter__()
        cls.h1only = Nginx(cls.www, LOCATIONS, tls=tls).__enter__()

    @classmethod
    def tearDownClass(cls):
        cls.nginx.__exit__(None, None, None)
        cls.h1only.__exit__(None, None, None)
        shutil.rmtree(cls.www, True)
        shutil.rmtree(cls.pki, True)

    def get(self, *args, **kw):
        return run(["http", "get", "--cacert", self.ca, "--timeout", "20"] + list(args), **kw)

    def log_since(self, before, count=1):
        return [l.split() for l in self.nginx.access_log_since(before, count)]

    def test_alpn_chooses_h2(self):
        before = len(self.nginx.access_log())
        r = self.get("-v", self.nginx.https_url("/small.txt"))
        self.assertEqual((r.returncode, r.stdout), (0, self.small), r.stderr)
        self.assertIn(b"* ALPN: the server accepted h2", r.stderr)
        self.assertIn(b"> GET /small.txt HTTP/2", r.stderr)
        self.assertIn(b"< HTTP/2 200", r.stderr)
        self.assertEqual([l[-1] for l in self.log_since(before)], ["HTTP/2.0"])
        result = json.loads(self.get("--json", self.nginx.https_url("/small.txt")).stdout)
        self.assertEqual((result["code"], result["status"], result["version"], result["data"]),
                         (200, "OK", "HTTP/2", "small file\n"))
        self.assertEqual(result["headers"]["Content-Type"], "text/plain")

    def test_http11_forced(self):
        before = len(self.nginx.access_log())
        r = self.get("-v", "--http1.1", self.nginx.https_url("/small.txt"))
        self.assertEqual((r.returncode, r.stdout), (0, self.small), r.stderr)
        self.assertIn(b"* ALPN: the server accepted http/1.1", r.stderr)
        self.assertIn(b"< HTTP/1.1 200 OK", r.stderr)
        self.assertEqual([l[-1] for l in self.log_since(before)], ["HTTP/1.1"])
        r = self.get("--http1.1", "--http2", self.nginx.https_url("/small.txt"))
        self.assertEqual(r.returncode, 2, r.stderr)  # they exclude each other

    def test_fallback_to_http11_when_the_server_offers_only_it(self):
        r = self.get("-v", "--json", self.h1only.https_url("/small.txt"))
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertIn(b"* ALPN: the server accepted http/1.1", r.stderr)
        self.assertEqual(json.loads(r.stdout)["version"], "HTTP/1.1")
        self.assertEqual(json.loads(r.stdout)["data"], "small file\n")

    def test_prior_knowledge_on_cleartext(self):
        before = len(self.nginx.access_log())
        r = self.get("-v", "--http2-prior-knowledge", self.nginx.h2c_url("/small.txt"))
        self.assertEqual((r.returncode, r.stdout), (0, self.small), r.stderr)
        self.assertIn(b"* Using HTTP/2", r.stderr)
        self.assertEqual([l[-1] for l in self.log_since(before)], ["HTTP/2.0"])
        # Plain http:// without the flag stays HTTP/1.1 (no Upgrade: h2c is ever sent).
        r = self.get("-v", self.nginx.url("/small.txt"))
        self.assertEqual((r.returncode, r.stdout), (0, self.small), r.stderr)
        self.assertIn(b"< HTTP/1.1 200 OK", r.stderr)
        # HTTP/2 to a server that speaks only HTTP/1.1 there: a protocol error, one line.
        r = self.get("--http2-prior-knowledge", self.h1only.url("/small.txt"))
        self.assertFailsWith(r, "HTTP/2", code=8)

    def test_urls_of_one_origin_share_one_connection(self):
        for url in (self.nginx.https_url, self.nginx.h2c_url):
            before = len(self.nginx.access_log())
            urls = [url("/f%d.txt" % i) for i in range(6)]
            r = self.get("--http2-prior-knowledge", *urls)
            self.assertEqual(r.returncode, 0, r.stderr)
            want = b"".join((b"file %d\n" % i) * (i * 500 + 1) for i in range(6))
            self.assertEqual(r.stdout, want)  # in URL order, whatever order they finished in
            log = self.log_since(before, 6)
            self.assertEqual(len(log), 6, log)
            self.assertEqual(len({l[3] for l in log}), 1, log)  # one $connection
            self.assertEqual({l[-1] for l in log}, {"HTTP/2.0"})

    def test_redirects(self):
        self.assertEqual(self.get(self.nginx.https_url("/old")).stdout, self.small)
        r = self.get(self.nginx.https_url("/loop"))
        self.assertFailsWith(r, "too many redirects (more than 10)", code=47)
        r = self.get("-d", "x=1", self.nginx.https_url("/r303"))
        self.assertEqual(r.stdout, b"GET HTTP/2.0\n")
        r = self.get("-d", "x=1", self.nginx.https_url("/r307"))
        self.assertEqual(r.stdout, b"POST HTTP/2.0\n")  # the content went along as DATA
        r = self.get("--json", "--no-follow", self.nginx.https_url("/old"))
        result = json.loads(r.stdout)
        self.assertEqual((result["code"], result["version"]), (301, "HTTP/2"))

    def test_gzip_is_decoded(self):
        r = self.get("-v", self.nginx.https_url("/text.txt"))
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertEqual(r.stdout, self.text)
        self.assertIn(b"> accept-encoding: gzip, deflate", r.stderr)
        self.assertIn(b"< content-encoding: gzip", r.stderr)
        result = json.loads(self.get("--json", self.nginx.https_url("/text.txt")).stdout)
        self.assertLess(result["received"], len(self.text) // 4)  # as transferred: compressed
        raw = self.get("--no-decode", "-v", self.nginx.https_url("/text.txt"))
        self.assertNotIn(b"accept-encoding", raw.stderr)
        self.assertEqual(raw.stdout, self.text)

    def test_output_include_head_and_fail(self):
        out = self.path("text.out")
        r = self.get("-o", out, self.nginx.https_url("/text.txt"))
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertEqual(self.read("text.out"), self.text)
        r = self.get("-i", self.nginx.https_url("/small.txt"))
        head, body = r.stdout.split(b"\r\n\r\n", 1)
        self.assertTrue(head.startswith(b"HTTP/2 200\r\n"), head)
        self.assertEqual(body, self.small)
        r = self.get("-I", self.nginx.https_url("/small.txt"))
        self.assertEqual((r.returncode, r.stdout), (0, b""), r.stderr)
        missing = self.path("missing.out")
        r = self.get("--fail", "-o", missing, self.nginx.https_url("/missing"))
        self.assertFailsWith(r, "the server answered 404 Not Found", code=22)
        self.assertFalse(os.path.exists(missing))
        self.assertEqual(os.listdir(self.dir), ["text.out"])  # no temporary file left
        self.assertEqual(self.get(self.nginx.https_url("/missing")).returncode, 0)

    def test_large_downloads_stream_with_flow_control(self):
        out = self.path("big1.bin")
        r = self.get("-o", out, self.nginx.https_url("/big1.bin"))
        self.assertEqual(r.returncode, 0, r.stderr)
        with open(out, "rb") as f:
            self.assertEqual(hashlib.sha256(f.read()).hexdigest(), self.digests["big1.bin"])
        # Two at once to stdout: the second stream is held (its window stays shut) while the
        # first is written, then resumes; the output is both, whole and in order.
        before = len(self.nginx.access_log())
        r = self.get(self.nginx.h2c_url("/big1.bin"), self.nginx.h2c_url("/big2.bin"),
                     "--http2-prior-knowledge", timeout=120)
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertEqual(len(r.stdout), 2 * BIG)
        self.assertEqual(hashlib.sha256(r.stdout[:BIG]).hexdigest(), self.digests["big1.bin"])
        self.assertEqual(hashlib.sha256(r.stdout[BIG:]).hexdigest(), self.digests["big2.bin"])
        log = self.log_since(before, 2)
        self.assertEqual(len({l[3] for l in log}), 1, log)
        peak_kib = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
        self.assertMemoryBelow(peak_kib, 64 * 1024, "peak RSS of a child: %d KiB" % peak_kib)


class ScriptedH2Server(RawServer):
    """A cleartext HTTP/2 server (Python's h2, prior knowledge) on 127.0.0.1 (harness.RawServer's
    listener): `respond(conn, stream_id, path, n)` acts for each request (n counts connections
    from 1) with the h2 connection object; what it leaves unanswered stays so until stop().
    """

    def __init__(self, respond):
        super().__init__(None)
        self.respond = respond
        self.__enter__()

    @property
    def connections(self):
        return self.count

    def _handle(self, sock, n):
        import h2.config
        import h2.connection
        import h2.events
        sock.settimeout(0.2)
        conn = h2.connection.H2Connection(h2.config.H2Configuration(client_side=False))
        conn.initiate_connection()
        sock.sendall(conn.data_to_send())
        try:
            while not self.stopping.is_set():
                try:
                    data = sock.recv(65536)
                except socket.timeout:
                    continue
                if not data:
                    return
                for event in conn.receive_data(data):
                    if isinstance(event, h2.events.RequestReceived):
                        path = dict(event.headers)[b":path"].decode()
                        self.respond(conn, event.stream_id, path, n)
                out = conn.data_to_send()
                if out:
                    sock.sendall(out)
                if conn.state_machine.state == h2.connection.ConnectionState.CLOSED:
                    # After GOAWAY: FIN, and read on until the client closes, so that no
                    # reset (unread input at close) destroys the GOAWAY before it is read.
                    sock.shutdown(socket.SHUT_WR)
                    sock.settimeout(5)
                    while sock.recv(65536):
                        pass
                    return
        except OSError:
            pass
        finally:
            sock.close()

    def stop(self):
        self.__exit__(None, None, None)


class MisbehavingH2ServerTest(TempDirTest):
    def serve(self, respond):
        s = ScriptedH2Server(respond)
        self.addCleanup(s.stop)
        return s

    @staticmethod
    def ok(conn, stream_id, body=b"ok"):
        conn.send_headers(stream_id, [(":status", "200"), ("content-length", str(len(body)))])
        conn.send_data(stream_id, body, end_stream=True)

    def get(self, *args):
        return run(["http", "get", "--http2-prior-knowledge"] + list(args))

    def test_a_stream_that_never_answers_times_out_alone(self):
        def respond(conn, stream_id, path, n):
            if path == "/fine":
                self.ok(conn, stream_id)
        srv = self.serve(respond)
        r = self.get("--timeout", "1", "--json", srv.url("/fine"), srv.url("/silent"))
        self.assertEqual(r.returncode, 28, r.stderr)
        lines = [json.loads(l) for l in r.stdout.decode().splitlines()]
        self.assertEqual((lines[0]["code"], lines[0]["data"]), (200, "ok"))
        self.assertEqual(lines[1]["error"], "timeout")
        self.assertIn("Timeout on receive", lines[1]["message"])
        self.assertEqual(srv.connections, 1)

    def test_reset_streams_and_truncated_content(self):
        import h2.errors

        def respond(conn, stream_id, path, n):
            if path == "/reset":
                conn.reset_stream(stream_id, h2.errors.ErrorCodes.INTERNAL_ERROR)
            elif path == "/half":
                conn.send_headers(stream_id, [(":status", "200"), ("content-length", "10")])
                conn.send_data(stream_id, b"half")
                conn.reset_stream(stream_id, h2.errors.ErrorCodes.CANCEL)
            else:
                self.ok(conn, stream_id)
        srv = self.serve(respond)
        r = self.get(srv.url("/reset"))
        self.assertFailsWith(r, "the server reset the stream (INTERNAL_ERROR)", code=52)
        out = self.path("half.out")
        r = self.get("-o", out, srv.url("/half"))
        self.assertFailsWith(r, "the server reset the stream (CANCEL)", code=18)
        self.assertEqual(os.listdir(self.dir), [])
        r = self.get(srv.url("/reset"), srv.url("/fine"))  # one stream's reset spares the other
        self.assertEqual((r.returncode, r.stdout), (52, b"ok"), r.stderr)

    def test_refused_streams_are_sent_again(self):
        import h2.errors

        def respond(conn, stream_id, path, n):
            if path == "/refused" and stream_id == 1:
                conn.reset_stream(stream_id, h2.errors.ErrorCodes.REFUSED_STREAM)
            elif path == "/goaway" and n == 2:  # going away before it processed the stream
                conn.close_connection(last_stream_id=0)
            else:
                self.ok(conn, stream_id, b"%s on %d" % (path.encode(), n))
        srv = self.serve(respond)
        r = self.get(srv.url("/refused"))  # RST_STREAM REFUSED_STREAM: not processed
        self.assertEqual((r.returncode, r.stdout), (0, b"/refused on 1"), r.stderr)
        r = self.get(srv.url("/goaway"))  # above GOAWAY's last stream id: a new connection
        self.assertEqual((r.returncode, r.stdout), (0, b"/goaway on 3"), r.stderr)
        self.assertEqual(srv.connections, 3)

    def test_response_heads_are_bounded(self):
        def respond(conn, stream_id, path, n):
            count, size = (600, 1) if path == "/many" else (80, 4000)
            fields = [("x-field-%d" % i, "v" * size) for i in range(count)]
            conn.send_headers(stream_id, [(":status", "200")] + fields, end_stream=True)
        srv = self.serve(respond)
        r = self.get(srv.url("/many"))  # client_limits(): 500 fields, as over HTTP/1.1
        self.assertFailsWith(r, "malformed response: more than 500 response header fields",
                             code=8)
        r = self.get(srv.url("/large"))  # 320 KB > 256 KiB: nghttp2 or our bound refuses it
        self.assertFailsWith(r, "HTTP/2", code=8)


if __name__ == "__main__":
    unittest.main()
