"""`netius serve proxy` (issue 19) in front of real upstreams — `serve hello`, `serve file` —
and a raw recorder that shows exactly what an upstream receives: routing by host, wildcard
and path prefix, redirects, the forwarding fields (hop-by-hop removed, Via, X-Forwarded-*,
Forwarded), re-framed bodies, streaming with a bounded window, HEAD, 502/504 and the next
upstream on failure, HTTP/2 clients to HTTP/1.1 upstreams, and smuggling refused at the
front."""
import hashlib
import json
import os
import re
import signal
import socket
import threading
import time
import unittest

from harness import (SANITIZED, RawServer, ServeProcess, TempDirTest, free_port, tool,
                     wait_for)


def curl(url, *args):
    """(status, headers text, body bytes) of `curl -si URL ARGS`."""
    r = tool(["curl", "-s", "-i", "--max-time", "20"] + list(args) + [url])
    head, _, body = r.stdout.partition(b"\r\n\r\n")
    while head.startswith(b"HTTP/1.1 100"):
        head, _, body = body.partition(b"\r\n\r\n")
    status = int(head.split()[1])
    return status, head.decode("latin-1"), body


class Recorder(RawServer):
    """An upstream that records each request (head and body, as bytes) and answers 200 with
    `reply`, Connection: close."""

    def __init__(self, reply=b"recorded", extra=b""):
        self.requests = []
        self.lock = threading.Lock()

        def handle(conn, head, n):
            head, _, body = head.partition(b"\r\n\r\n")
            m = re.search(rb"\r\ncontent-length: *(\d+)", head, re.I)
            want = int(m.group(1)) if m else 0
            while len(body) < want:
                chunk = conn.recv(65536)
                if not chunk:
                    break
                body += chunk
            with self.lock:
                self.requests.append((head.decode("latin-1"), body))
            conn.sendall(b"HTTP/1.1 200 OK\r\nServer: up\r\nContent-Length: %d\r\n"
                         b"Keep-Alive: timeout=5\r\n"
                         b"Connection: close, X-Up\r\nX-Up: hop\r\nX-Kept: yes\r\n%s\r\n%s"
                         % (len(reply), extra, reply))
        super().__init__(handle)

    def fields(self, i=-1):
        """The i-th request's header fields as (lower-case name, value) pairs, in order."""
        lines = self.requests[i][0].split("\r\n")[1:]
        return [(l.split(":", 1)[0].lower(), l.split(":", 1)[1].strip()) for l in lines]


class BodyReader:
    """Reads one request's content from `conn` after its head (`rest`: bytes already read
    past the head), by Content-Length or chunked, feeding it to `sink(bytes)` piece by piece
    (no copy of the whole). Returns the framing. Bounded by the socket's timeout."""

    def __init__(self, conn, rest):
        self.conn, self.buf = conn, bytearray(rest)

    def fill(self, n):
        while len(self.buf) < n:
            chunk = self.conn.recv(1 << 20)
            if not chunk:
                raise EOFError("the connection closed inside the content")
            self.buf += chunk

    def take(self, n, sink):
        while n:
            if not self.buf:
                self.fill(1)
            k = min(n, len(self.buf))
            sink(bytes(self.buf[:k]))
            del self.buf[:k]
            n -= k

    def read(self, head, sink):
        if re.search(rb"\r\ntransfer-encoding: *chunked", head, re.I):
            while True:
                while b"\r\n" not in self.buf:
                    self.fill(len(self.buf) + 1)
                line, _, rest = bytes(self.buf).partition(b"\r\n")
                self.buf = bytearray(rest)
                size = int(line.split(b";")[0], 16)
                self.take(size, sink)
                self.fill(2)
                del self.buf[:2]
                if size == 0:
                    return "chunked"
        m = re.search(rb"\r\ncontent-length: *(\d+)", head, re.I)
        self.take(int(m.group(1)) if m else 0, sink)
        return "length" if m else "none"


class Sink(RawServer):
    """An upstream that reads each request's content (hashing, not keeping it) and answers
    with JSON: its framing, size and SHA-256."""

    def __init__(self):
        self.results = []

        def handle(conn, head, n):
            head, _, rest = head.partition(b"\r\n\r\n")
            h, size = hashlib.sha256(), [0]

            def sink(data):
                h.update(data)
                size[0] += len(data)
            framing = BodyReader(conn, rest).read(head, sink)
            reply = json.dumps({"framing": framing, "size": size[0],
                                "sha256": h.hexdigest()}).encode()
            self.results.append(json.loads(reply))
            conn.sendall(b"HTTP/1.1 200 OK\r\nContent-Length: %d\r\nConnection: close\r\n\r\n%s"
                         % (len(reply), reply))
        super().__init__(handle)


class ProxyCase(TempDirTest):
    """Starts what a test needs: proxies and upstreams, stopped by the cleanups."""

    def sink(self):
        r = Sink().__enter__()
        self.addCleanup(r.__exit__, None, None, None)
        return r

    def serve(self, *args):
        s = ServeProcess(list(args))
        self.addCleanup(s.stop)
        return s

    def hello(self, message):
        return self.serve("hello", "--message", message)

    def recorder(self, **kw):
        r = Recorder(**kw).__enter__()
        self.addCleanup(r.__exit__, None, None, None)
        return r



class ProxyTest(ProxyCase):
    def test_routes_by_host_wildcard_and_prefix(self):
        default, a, api, wild = (self.hello(m) for m in ("default", "a", "api", "wild"))
        proxy = self.serve("proxy", "--to", default.url, "--route", "a.test=" + a.url,
                           "--route", "a.test/api=" + api.url, "--route", "*.w.test=" + wild.url,
                           "--alias", "alias.test=a.test")
        for host, path, want in (("a.test", "/", b"a"), ("A.TEST:9090", "/x", b"a"),
                                 ("a.test", "/api", b"api"), ("a.test", "/api/v1", b"api"),
                                 ("a.test", "/apix", b"a"), ("x.w.test", "/", b"wild"),
                                 ("w.test", "/", b"default"), ("other.test", "/", b"default"),
                                 ("alias.test", "/api/", b"api")):
            status, _, body = curl(proxy.url + path, "-H", "Host: " + host)
            self.assertEqual((status, body), (200, want), (host, path))

    def test_no_route_is_404_and_the_target_never_chooses(self):
        up = self.recorder()
        proxy = self.serve("proxy", "--route", "a.test=" + up.url())
        self.assertEqual(curl(proxy.url + "/", "-H", "Host: b.test")[0], 404)
        # An absolute-form target naming another host than Host is refused, never followed;
        # CONNECT is not served; userinfo in the target changes nothing.
        for attack, status in ((b"GET http://a.test/ HTTP/1.1\r\nHost: b.test\r\n\r\n", 400),
                               (b"CONNECT a.test:80 HTTP/1.1\r\nHost: a.test:80\r\n\r\n", 405),
                               (b"GET http://a.test@b.test/ HTTP/1.1\r\nHost: b.test\r\n\r\n",
                                None)):
            with socket.create_connection(("127.0.0.1", proxy.port), timeout=10) as s:
                s.sendall(attack)
                line = s.recv(4096).split(b"\r\n")[0]
            self.assertNotIn(b" 200 ", line + b" ", attack)
            if status:
                self.assertIn(b" %d " % status, line + b" ", attack)
        self.assertEqual(up.requests, [])
        # The absolute form with the same host is routed like the origin form.
        with socket.create_connection(("127.0.0.1", proxy.port), timeout=10) as s:
            s.sendall(b"GET http://a.test/x/../y?q HTTP/1.1\r\nHost: a.test\r\n\r\n")
            self.assertIn(b" 200 ", s.recv(4096).split(b"\r\n")[0] + b" ")
        wait_for(lambda: up.requests, what="the routed request")
        self.assertEqual(up.requests[0][0].split("\r\n")[0], "GET /y?q HTTP/1.1")

    def test_redirects_keep_path_and_query(self):
        proxy = self.serve("proxy", "--to", "http://127.0.0.1:1",
                           "--redirect", "old.test=https://new.test/")
        status, head, _ = curl(proxy.url + "/p?q=1", "-H", "Host: old.test")
        self.assertEqual(status, 301)
        self.assertIn("Location: https://new.test/p?q=1\r\n", head + "\r\n")
        self.assertEqual(curl(proxy.url + "/p", "-H", "Host: old.test", "-d", "x")[0], 308)

    def test_forwarding_fields(self):
        up = self.recorder()
        proxy = self.serve("proxy", "--to", up.url())
        status, head, body = curl(
            proxy.url + "/path?q", "-H", "Host: front.test", "-H", "Connection: X-Foo",
            "-H", "X-Foo: secret", "-H", "Keep-Alive: 5", "-H", "TE: trailers",
            "-H", "Proxy-Authorization: x", "-H", "X-Forwarded-For: 6.6.6.6",
            "-H", "Forwarded: for=6.6.6.6", "-H", "X-Real-IP: 6.6.6.6", "-H", "X-Other: kept")
        self.assertEqual((status, body), (200, b"recorded"))
        request_line = up.requests[0][0].split("\r\n")[0]
        self.assertEqual(request_line, "GET /path?q HTTP/1.1")
        fields = dict(up.fields())
        for gone in ("x-foo", "keep-alive", "te", "proxy-authorization", "connection"):
            self.assertNotIn(gone, fields)
        self.assertEqual(fields["host"], "front.test")
        self.assertEqual(fields["x-other"], "kept")
        self.assertEqual(fields["x-forwarded-for"], "127.0.0.1")  # the forged one replaced
        self.assertEqual((fields["x-real-ip"], fields["x-client-ip"]), ("127.0.0.1", "127.0.0.1"))
        self.assertEqual(fields["x-forwarded-proto"], "http")
        self.assertEqual(fields["x-forwarded-host"], "front.test")
        self.assertIn("for=127.0.0.1", fields["forwarded"])
        self.assertNotIn("6.6.6.6", fields["forwarded"])
        self.assertRegex(fields["via"], r"^1\.1 netius$")
        # The response: the upstream's hop-by-hop fields removed, Via added.
        self.assertIn("X-Kept: yes", head)
        self.assertNotIn("X-Up:", head)
        self.assertNotIn("Keep-Alive", head)
        self.assertRegex(head, r"(?i)\r\nvia: 1\.1 netius")
        self.assertEqual(head.count("\r\nServer: "), 1)  # ours, not the upstream's too

    def test_trusted_proxy_appends(self):
        up = self.recorder()
        proxy = self.serve("proxy", "--to", up.url(), "--trusted-proxy", "127.0.0.1")
        curl(proxy.url + "/", "-H", "X-Forwarded-For: 6.6.6.6")
        self.assertEqual(dict(up.fields())["x-forwarded-for"], "6.6.6.6, 127.0.0.1")

    def test_bodies_are_framed_again(self):
        up = self.recorder()
        proxy = self.serve("proxy", "--to", up.url())
        # Whole with its head, chunked from the client: the upstream gets one Content-Length.
        with socket.create_connection(("127.0.0.1", proxy.port), timeout=10) as s:
            s.sendall(b"POST /up HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n"
                      b"3\r\nabc\r\n2;x=y\r\nde\r\n0\r\n\r\n")
            self.assertRegex(s.recv(4096), rb"^HTTP/1.1 200 ")
        fields = up.fields()
        self.assertEqual([v for n, v in fields if n == "content-length"], ["5"])
        self.assertNotIn("transfer-encoding", dict(fields))
        self.assertEqual(up.requests[0][1], b"abcde")
        # Still arriving: streamed on, chunked in our own framing (never both framings).
        sink = self.sink()
        proxy = self.serve("proxy", "--to", sink.url())
        data = os.urandom(3 << 20)
        self.write("body", data)
        status, _, body = curl(proxy.url + "/up", "-H", "Transfer-Encoding: chunked",
                               "--data-binary", "@" + self.path("body"))
        self.assertEqual(status, 200)
        self.assertEqual(json.loads(body), {"framing": "chunked", "size": len(data),
                                            "sha256": hashlib.sha256(data).hexdigest()})

    def test_large_uploads_stream_through_a_bounded_window(self):
        # 96 MiB with a Content-Length over HTTP/1.1, and chunked over HTTP/2 and HTTP/1.1:
        # the proxy passes each on as it arrives and grows by its windows, not the upload.
        sink = self.sink()
        proxy = self.serve("proxy", "--to", sink.url())  # no body limit by default
        with open(self.path("big"), "wb") as f:
            block = os.urandom(1 << 20)
            for _ in range(96):
                f.write(block)
        digest = hashlib.sha256(block * 96).hexdigest()
        before = vm_hwm(proxy.worker_pid())
        for args, framing in (([], "length"), (["--http2-prior-knowledge"], "chunked"),
                              (["-H", "Transfer-Encoding: chunked"], "chunked")):
            if framing == "chunked" and not args[0].startswith("-H"):
                args = args + ["-H", "Content-Length:"]  # h2 without a length
            r = tool(["curl", "-s", "--max-time", "120", "--data-binary", "@" + self.path("big")]
                     + args + [proxy.url + "/up"])
            self.assertEqual(json.loads(r.stdout),
                             {"framing": framing, "size": 96 << 20, "sha256": digest}, args)
        growth = vm_hwm(proxy.worker_pid()) - before
        if not SANITIZED:  # ASan's quarantine keeps freed pieces: RSS tells nothing there
            self.assertLess(growth, 16 << 20, "the proxy held %d bytes" % growth)

    def test_upload_waits_for_100_continue_and_a_stalled_one_gets_408(self):
        sink = self.sink()
        proxy = self.serve("proxy", "--to", sink.url(), "--body-timeout", "1")
        with socket.create_connection(("127.0.0.1", proxy.port), timeout=10) as s:
            s.sendall(b"PUT /f HTTP/1.1\r\nHost: a\r\nContent-Length: 10\r\n"
                      b"Expect: 100-continue\r\n\r\n")
            self.assertEqual(s.recv(4096), b"HTTP/1.1 100 Continue\r\n\r\n")
            s.sendall(b"0123456789")
            reply = b""
            while b"}" not in reply:
                reply += s.recv(4096)
            self.assertIn(b'"size": 10', reply)
        # 4 of 1000 bytes, then nothing: 408 after the body timeout, and the upstream never
        # sees a complete request.
        with socket.create_connection(("127.0.0.1", proxy.port), timeout=10) as s:
            s.sendall(b"PUT /f HTTP/1.1\r\nHost: a\r\nContent-Length: 1000\r\n\r\nabcd")
            started = time.monotonic()
            self.assertRegex(s.recv(4096), rb"^HTTP/1.1 408 ")
            self.assertLess(time.monotonic() - started, 8)
        self.assertEqual(len(sink.results), 1)

    def test_smuggling_is_refused_at_the_front(self):
        up = self.recorder()
        proxy = self.serve("proxy", "--to", up.url())
        for attack in (b"POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 4\r\n"
                       b"Transfer-Encoding: chunked\r\n\r\n0\r\n\r\nGET /x HTTP/1.1\r\n\r\n",
                       b"POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 4\r\nContent-Length: 5"
                       b"\r\n\r\nabcde",
                       b"GET / HTTP/1.1\r\nHost: a\r\nX: a\nb\r\n\r\n"):
            with socket.create_connection(("127.0.0.1", proxy.port), timeout=10) as s:
                s.sendall(attack)
                self.assertRegex(s.recv(4096), rb"^HTTP/1.1 400 ", attack)
        self.assertEqual(up.requests, [])

    def test_large_download_streams_through_a_bounded_window(self):
        os.makedirs(self.path("www"))
        self.write("www/big", os.urandom(64 << 20))
        files = self.serve("file", "--base-path", self.path("www"))
        proxy = self.serve("proxy", "--to", files.url)
        before = vm_hwm(proxy.worker_pid())
        r = tool(["curl", "-s", "--max-time", "60", proxy.url + "/big"])
        with open(self.path("www/big"), "rb") as f:
            self.assertEqual(hashlib.sha256(r.stdout).digest(), hashlib.sha256(f.read()).digest())
        growth = vm_hwm(proxy.worker_pid()) - before
        self.assertLess(growth, 16 << 20, "the proxy held %d bytes" % growth)
        status, head, body = curl(proxy.url + "/big", "-I")
        self.assertEqual(status, 200)
        self.assertIn("Content-Length: %d\r\n" % (64 << 20), head + "\r\n")

    def test_slow_reader_then_keep_alive(self):
        # A client with a small receive window that waits before reading: the proxy holds
        # back the upstream (its window), and the connections on both sides serve the next
        # requests whole. (HttpClientTest.APauseEndsWithItsExchange pins the bug wrk found.)
        os.makedirs(self.path("www"))
        data = os.urandom(1 << 20)
        self.write("www/m", data)
        files = self.serve("file", "--base-path", self.path("www"))
        proxy = self.serve("proxy", "--to", files.url, "--upstream-max-conns", "1")
        with socket.socket() as s:
            s.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)  # a small window: slow
            s.settimeout(10)
            s.connect(("127.0.0.1", proxy.port))
            for i in range(3):
                s.sendall(b"GET /m HTTP/1.1\r\nHost: x\r\n\r\n")
                if i == 0:
                    time.sleep(0.5)
                buf = b""
                while b"\r\n\r\n" not in buf:
                    buf += s.recv(65536)
                head, _, body = buf.partition(b"\r\n\r\n")
                while len(body) < len(data):
                    body += s.recv(1 << 20)
                self.assertEqual(body, data, i)

    def test_a_client_gone_before_the_answer_abandons_the_upstream(self):
        # The upstream answers late with more than the proxy's window; the client has left by
        # then. The proxy must drop that exchange (closing its connection), not hold it paused:
        # the answer's write fails and its stream abandons the upstream (and when the front
        # already knew, the dropped answer does: AbandonUnused in proxy_handler.cpp).
        outcome = []

        def late(conn, head, n):
            time.sleep(0.5)
            try:
                conn.sendall(b"HTTP/1.1 200 OK\r\nContent-Length: %d\r\n\r\n" % (8 << 20))
                for _ in range(128):
                    conn.sendall(b"x" * 65536)
                outcome.append("all sent")
            except OSError:
                outcome.append("dropped")
        up = RawServer(late).__enter__()
        self.addCleanup(up.__exit__, None, None, None)
        proxy = self.serve("proxy", "--to", up.url())
        with socket.create_connection(("127.0.0.1", proxy.port), timeout=10) as s:
            s.sendall(b"GET / HTTP/1.1\r\nHost: x\r\n\r\n")
        wait_for(lambda: outcome, timeout=15, what="the upstream's fate")
        self.assertEqual(outcome, ["dropped"])

    def test_failures_502_504_and_the_next_upstream(self):
        dead = "http://127.0.0.1:%d" % free_port()
        proxy = self.serve("proxy", "--to", dead)
        self.assertEqual(curl(proxy.url + "/")[0], 502)
        proxy.wait_log(rb"GET /: upstream http://127\.0\.0\.1:\d+/: connect\S*: Connection refused")
        live = self.hello("live")
        both = self.serve("proxy", "--to", dead + "," + live.url)
        for _ in range(4):  # round robin reaches the dead one: the request goes on
            self.assertEqual(curl(both.url + "/")[:3:2], (200, b"live"))
        silent = RawServer(lambda conn, head, n: silent.hold()).__enter__()
        self.addCleanup(silent.__exit__, None, None, None)
        slow = self.serve("proxy", "--to", silent.url(), "--upstream-timeout", "1")
        self.assertEqual(curl(slow.url + "/")[0], 504)

    def test_a_failed_upstream_is_passed_over_for_a_while(self):
        dead = "http://127.0.0.1:%d" % free_port()
        live = self.hello("live")
        proxy = self.serve("proxy", "--to", dead + "," + live.url, "--fail-timeout", "60")
        for _ in range(6):
            self.assertEqual(curl(proxy.url + "/")[:3:2], (200, b"live"))
        proxy.stop()
        # Refused once, then passed over (nginx's max_fails=1 fail_timeout): one retry logged.
        self.assertEqual(len(re.findall(rb"trying the next one", proxy.log)), 1, proxy.log)
        off = self.serve("proxy", "--to", dead + "," + live.url, "--max-fails", "0")
        for _ in range(6):
            self.assertEqual(curl(off.url + "/")[:3:2], (200, b"live"))
        off.stop()
        # Without it the dead one is tried first again and again (the retry moves the
        # rotation on to it).
        self.assertEqual(len(re.findall(rb"trying the next one", off.log)), 6, off.log)

    def test_netius_proxy_json_and_reload(self):
        a, b = self.hello("a"), self.hello("b")
        self.write("proxy.json", json.dumps({"hosts": {"a.test": a.url, "default": b.url},
                                             "alias": {"alias.test": "a.test"}}))
        proxy = ServeProcess(["proxy"], cwd=self.dir)
        self.addCleanup(proxy.stop)
        self.assertEqual(curl(proxy.url + "/", "-H", "Host: alias.test")[2], b"a")
        self.assertEqual(curl(proxy.url + "/", "-H", "Host: other.test")[2], b"b")
        # SIGHUP: new workers read the file again; requests then use the new table.
        self.write("proxy.json", json.dumps({"hosts": {"default": a.url}}))
        proxy.proc.send_signal(signal.SIGHUP)
        proxy.wait_log(rb"reloaded: serving proxy", timeout=30)
        wait_for(lambda: curl(proxy.url + "/", "-H", "Host: other.test")[2] == b"a",
                 what="the new routes")

    def test_http2_clients_reach_http11_upstreams(self):
        up = self.hello("over h2")
        proxy = self.serve("proxy", "--to", up.url)
        r = tool(["curl", "-s", "--http2-prior-knowledge", "-w", "%{http_version}",
                  proxy.url + "/"])
        self.assertEqual(r.stdout, b"over h22")


WS_ECHO = """
import asyncio, sys, websockets
async def echo(ws):
    async for m in ws:
        await ws.send(m)
async def main():
    async with websockets.serve(echo, "127.0.0.1", int(sys.argv[1]), max_size=None):
        print("ready", flush=True)
        await asyncio.sleep(120)
asyncio.run(main())
"""


class WebSocketTest(ProxyCase):
    """WebSocket (RFC 6455) through the proxy: the handshake's 101 turns both connections into
    a tunnel (Python websockets at both ends)."""

    def ws_upstream(self):
        import subprocess
        port = free_port()
        p = subprocess.Popen(["/usr/bin/python3", "-c", WS_ECHO, str(port)],
                             stdout=subprocess.PIPE, text=True)
        self.addCleanup(lambda: (p.kill(), p.wait(10), p.stdout.close()))
        self.assertEqual(p.stdout.readline().strip(), "ready")
        return "http://127.0.0.1:%d" % port

    def run_client(self, url, body):
        import asyncio
        import websockets

        async def main():
            async with websockets.connect(url, max_size=None, open_timeout=10,
                                          close_timeout=10) as ws:
                return await asyncio.wait_for(body(ws), 30)
        return asyncio.run(main())

    def test_messages_both_ways_through_the_tunnel(self):
        proxy = self.serve("proxy", "--to", self.ws_upstream(), "--access-log",
                           self.path("access.log"))
        big = os.urandom(3 << 20)

        async def body(ws):
            got = []
            for m in ("hello", big, "bye"):
                await ws.send(m)
                got.append(await ws.recv())
            return got
        self.assertEqual(self.run_client("ws://127.0.0.1:%d/chat" % proxy.port, body),
                         ["hello", big, "bye"])
        def logged():
            if not os.path.exists(self.path("access.log")):
                return False
            with open(self.path("access.log")) as f:
                return '"GET /chat HTTP/1.1" 101 ' in f.read()
        wait_for(logged, what="the 101 in the access log")

    def test_an_upstream_that_does_not_switch_is_answered_as_usual(self):
        proxy = self.serve("proxy", "--to", self.hello("no websocket here").url)
        with socket.create_connection(("127.0.0.1", proxy.port), timeout=10) as s:
            s.sendall(b"GET / HTTP/1.1\r\nHost: a\r\nConnection: Upgrade\r\n"
                      b"Upgrade: websocket\r\nSec-WebSocket-Version: 13\r\n"
                      b"Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n\r\n")
            reply = b""
            while b"no websocket here" not in reply:
                chunk = s.recv(4096)
                if not chunk:
                    break
                reply += chunk
            self.assertRegex(reply, rb"^HTTP/1.1 200 ")
            self.assertNotIn(b"upgrade", reply.lower())

    def test_an_idle_tunnel_closes_after_the_upstream_timeout(self):
        import websockets
        proxy = self.serve("proxy", "--to", self.ws_upstream(), "--upstream-timeout", "1")

        async def body(ws):
            await ws.send("ping")
            assert await ws.recv() == "ping"
            started = time.monotonic()
            try:
                await ws.recv()
            except websockets.ConnectionClosed:
                return time.monotonic() - started
        waited = self.run_client("ws://127.0.0.1:%d/" % proxy.port, body)
        self.assertIsNotNone(waited)
        self.assertLess(waited, 10)


def vm_hwm(pid):
    with open("/proc/%d/status" % pid) as f:
        return int(re.search(r"VmHWM:\s+(\d+) kB", f.read()).group(1)) * 1024


if __name__ == "__main__":
    unittest.main()
