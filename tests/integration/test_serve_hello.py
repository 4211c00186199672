"""`netius serve hello` against curl, ab and raw sockets: HTTP/1.1 semantics, rejections,
timeouts, workers, graceful shutdown."""
import fcntl
import os
import signal
import socket
import subprocess
import time
import unittest

from harness import NETIUS, ServeProcess, TempDirTest, make_test_ca, run, tool
from peers import Haproxy

START_TIMEOUT = 10


class Server(ServeProcess):
    """A `netius serve hello ARGS` process (harness.ServeProcess); `url` ends with "/"."""

    def __init__(self, args=(), env=None):
        super().__init__(["hello"] + list(args), env, START_TIMEOUT)
        self.url += "/"


class ServerTest(TempDirTest):
    def serve(self, *args, env=None):
        s = Server(args, env)
        self.addCleanup(s.stop)
        return s

    def connect(self, server, rcvbuf=None):
        s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        if rcvbuf:
            s.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, rcvbuf)
        s.settimeout(10)
        s.connect(("127.0.0.1", server.port))
        self.addCleanup(s.close)
        return s

    @staticmethod
    def read_until_close(s, limit=1 << 24):
        data = b""
        while len(data) < limit:
            chunk = s.recv(65536)
            if not chunk:
                return data
            data += chunk
        raise AssertionError("no close after %d bytes" % limit)


class HelloTest(ServerTest):
    def test_get_head_and_identity(self):
        srv = self.serve()
        r = tool(["curl", "-si", srv.url + "any/path?x=1"])
        head, body = r.stdout.split(b"\r\n\r\n", 1)
        self.assertTrue(head.startswith(b"HTTP/1.1 200 OK\r\n"), head)
        self.assertIn(b"\r\nServer: netius\r\n", head)
        self.assertIn(b"\r\nContent-Type: text/plain; charset=utf-8\r\n", head)
        self.assertIn(b"Content-Length: 11", head.split(b"\r\n"))
        self.assertRegex(head, rb"\r\nDate: \w{3}, \d\d \w{3} \d{4} \d\d:\d\d:\d\d GMT")
        self.assertEqual(body, b"Hello World")
        for method in ("POST", "PUT", "DELETE", "PATCH", "OPTIONS"):
            r = tool(["curl", "-s", "-X", method, "--data", "x", srv.url])
            self.assertEqual(r.stdout, b"Hello World", method)
        r = tool(["curl", "-sI", srv.url])  # HEAD: headers only
        self.assertIn(b"Content-Length: 11", r.stdout)
        self.assertTrue(r.stdout.endswith(b"\r\n\r\n"))

    def test_message_is_utf8(self):
        srv = self.serve("--message", "Olá €")
        self.assertEqual(tool(["curl", "-s", srv.url]).stdout, "Olá €".encode())
        srv2 = self.serve(env={"MESSAGE": "from env"})
        self.assertEqual(tool(["curl", "-s", srv2.url]).stdout, b"from env")

    def test_keep_alive_reuse_and_http10(self):
        srv = self.serve()
        r = tool(["curl", "-sv", srv.url, srv.url, srv.url])
        self.assertEqual(r.stdout, b"Hello World" * 3)
        self.assertEqual(r.stderr.count(b"Re-using existing connection"), 2, r.stderr)
        r = tool(["curl", "-sv", "-0", srv.url, srv.url])  # HTTP/1.0: closed after each
        self.assertEqual(r.stdout, b"Hello World" * 2)
        self.assertNotIn(b"Re-using", r.stderr)
        r = tool(["curl", "-sv", "-0", "-H", "Connection: keep-alive", srv.url, srv.url])
        self.assertIn(b"Re-using existing connection", r.stderr)
        self.assertIn(b"Connection: keep-alive", r.stderr)

    def test_no_keep_alive_option(self):
        srv = self.serve(env={"KEEP_ALIVE": "0"})
        r = tool(["curl", "-sv", srv.url, srv.url])
        self.assertNotIn(b"Re-using", r.stderr)
        self.assertIn(b"Connection: close", r.stderr)

    def test_ab_keep_alive_without_failures(self):
        srv = self.serve()
        r = tool(["ab", "-q", "-k", "-n", "2000", "-c", "5", srv.url], timeout=120)
        out = r.stdout.decode()
        self.assertIn("Complete requests:      2000", out)
        self.assertIn("Failed requests:        0", out)
        self.assertIn("Keep-Alive requests:    2000", out)

    def test_pipelining_in_order(self):
        srv = self.serve()
        s = self.connect(srv)
        s.sendall(b"GET /1 HTTP/1.1\r\nHost: a\r\n\r\n"
                  b"POST /2 HTTP/1.1\r\nHost: a\r\nContent-Length: 5\r\n\r\nhello"
                  b"GET /3 HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n"
                  b"3\r\nabc\r\n0\r\n\r\n"
                  b"HEAD /4 HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n")
        data = self.read_until_close(s)
        responses = data.split(b"HTTP/1.1 200 OK\r\n")[1:]
        self.assertEqual(len(responses), 4, data)
        self.assertTrue(all(r.endswith(b"Hello World") for r in responses[:3]))
        self.assertIn(b"Connection: close", responses[3])
        self.assertTrue(responses[3].endswith(b"\r\n\r\n"))  # HEAD: no body

    def test_expect_100_continue(self):
        srv = self.serve()
        s = self.connect(srv)
        s.sendall(b"PUT /x HTTP/1.1\r\nHost: a\r\nContent-Length: 4\r\n"
                  b"Expect: 100-continue\r\n\r\n")
        self.assertEqual(s.recv(4096), b"HTTP/1.1 100 Continue\r\n\r\n")
        s.sendall(b"data")
        self.assertIn(b"Hello World", s.recv(4096))

    def test_gzip_encoding(self):
        srv = self.serve("--encoding", "gzip")
        r = tool(["curl", "-si", "--compressed", srv.url])
        self.assertIn(b"Content-Encoding: gzip", r.stdout)
        self.assertTrue(r.stdout.endswith(b"Hello World"))
        r = tool(["curl", "-si", srv.url])  # did not ask: plain
        self.assertNotIn(b"Content-Encoding", r.stdout)
        srv2 = self.serve(env={"ENCODING": "chunked"})
        r = tool(["curl", "-si", srv2.url])
        self.assertIn(b"Transfer-Encoding: chunked", r.stdout)
        self.assertTrue(r.stdout.endswith(b"Hello World"))

    def test_unix_socket_and_ipv6(self):
        path = self.path("hello.sock")
        srv = self.serve("--unix", path)
        r = tool(["curl", "-s", "--unix-socket", path, "http://localhost/"])
        self.assertEqual(r.stdout, b"Hello World")
        srv6 = self.serve("--ipv6")
        self.assertIn("[::1]", srv6.url)
        self.assertEqual(tool(["curl", "-s", srv6.url]).stdout, b"Hello World")
        self.assertEqual(srv.stop(), 0)
        self.assertFalse(os.path.exists(path))  # our socket file is removed at exit

    def test_access_log_combined_format(self):
        log = self.path("access.log")
        with open(log, "w") as f:
            f.write("old line\n")  # appended to, never truncated
        srv = self.serve("--access-log", log)
        tool(["curl", "-s", "-A", 'agent "x"', "-e", "http://ref/", srv.url + "p?q=1"])
        self.assertEqual(srv.stop(), 0)
        with open(log) as f:
            lines = f.read().splitlines()
        self.assertEqual(lines[0], "old line")
        self.assertRegex(lines[1], r'^127\.0\.0\.1 - - \[\d\d/\w{3}/\d{4}:\d\d:\d\d:\d\d [+-]\d{4}\] '
                                   r'"GET /p\?q=1 HTTP/1\.1" 200 11 "http://ref/" '
                                   r'"agent \\x22x\\x22"$')

    def test_allowed_list(self):
        srv = self.serve("--allowed", "10.0.0.0/8")
        r = tool(["curl", "-s", srv.url], check=False)
        self.assertNotEqual(r.returncode, 0)  # closed without an answer
        srv2 = self.serve(env={"ALLOWED": "10.0.0.0/8;127.0.0.1"})
        self.assertEqual(tool(["curl", "-s", srv2.url]).stdout, b"Hello World")


class TlsTest(ServerTest):
    def make_ca_and_certificate(self):
        return make_test_ca(self.path)

    def test_curl_verifies_our_certificate_with_the_test_ca(self):
        ca, key, cer = self.make_ca_and_certificate()
        srv = self.serve("--ssl", "--key-file", key, "--cer-file", cer)
        self.assertTrue(srv.url.startswith("https://127.0.0.1:"), srv.url)
        r = tool(["curl", "-sv", "--cacert", ca, srv.url, srv.url])
        self.assertEqual(r.stdout, b"Hello World" * 2)
        self.assertIn(b"ALPN: server accepted h2", r.stderr)  # h2 first, as netius offers
        self.assertIn(b"Re-using existing connection", r.stderr)
        r = tool(["curl", "-sv", "--http1.1", "--cacert", ca, srv.url])
        self.assertIn(b"ALPN: server accepted http/1.1", r.stderr)
        r = tool(["curl", "-s", "--cacert", ca, "https://localhost:%d/" % srv.port])
        self.assertEqual(r.stdout, b"Hello World")

    def test_ephemeral_certificate_and_environment(self):
        srv = self.serve(env={"SSL": "1"})
        self.assertIn(b"ephemeral self-signed certificate", srv.log)
        r = tool(["curl", "-s", srv.url], check=False)
        self.assertNotEqual(r.returncode, 0)  # not trusted: curl refuses
        self.assertEqual(tool(["curl", "-sk", srv.url]).stdout, b"Hello World")
        s = self.connect(srv)  # plain HTTP on the TLS port: closed, server unharmed
        s.sendall(b"GET / HTTP/1.1\r\nHost: a\r\n\r\n")
        try:
            self.read_until_close(s)
        except ConnectionResetError:
            pass
        self.assertEqual(tool(["curl", "-sk", srv.url]).stdout, b"Hello World")

    def test_a_stalled_handshake_is_cut_at_the_header_timeout(self):
        srv = self.serve("--ssl", "--header-timeout", "1")
        s = self.connect(srv)  # connects, never says ClientHello
        started = time.monotonic()
        self.assertEqual(self.read_until_close(s), b"")
        self.assertLess(time.monotonic() - started, 5)
        self.assertEqual(tool(["curl", "-sk", srv.url]).stdout, b"Hello World")

    def test_bad_key_file_is_one_line(self):
        bad = self.write("bad.key", "not a key\n")
        r = run(["serve", "hello", "--port", "0", "--ssl", "--key-file", bad, "--cer-file", bad],
                timeout=10)
        self.assertFailsWith(r, "bad.key")


class ProxyProtocolTest(ServerTest):
    def haproxy(self, backend_port, send_proxy, mode="http"):
        haproxy = Haproxy("""
global
    log stderr format raw local0 err
defaults
    mode %s
    timeout connect 5s
    timeout client 10s
    timeout server 10s
frontend front
    bind 127.0.0.1:@PORT@
    default_backend back
backend back
    server netius 127.0.0.1:%d %s
""" % (mode, backend_port, send_proxy), self.dir).__enter__()
        self.addCleanup(haproxy.__exit__, None, None, None)
        return haproxy.port

    def test_haproxy_send_proxy_v2_and_v1(self):
        for send_proxy in ("send-proxy-v2", "send-proxy"):
            with self.subTest(send_proxy=send_proxy):
                log = self.path("access-%s.log" % send_proxy)
                srv = self.serve("--proxy-protocol", "--access-log", log)
                port = self.haproxy(srv.port, send_proxy)
                # The client speaks from 127.0.0.2; haproxy connects to us from 127.0.0.1.
                r = tool(["curl", "-s", "--retry", "20", "--retry-connrefused",
                          "--retry-delay", "0", "--interface", "127.0.0.2",
                          "http://127.0.0.1:%d/via-haproxy" % port])
                self.assertEqual(r.stdout, b"Hello World")
                self.assertEqual(srv.stop(), 0)
                with open(log) as f:
                    self.assertRegex(f.read(), r'^127\.0\.0\.2 - - .*"GET /via-haproxy ')

    def test_haproxy_tcp_passthrough_to_tls(self):
        # TLS passes through haproxy (mode tcp): its PROXY header comes before the ClientHello,
        # for both ALPN outcomes.
        for send_proxy in ("send-proxy-v2", "send-proxy"):
            for http in ("--http1.1", "--http2"):
                with self.subTest(send_proxy=send_proxy, http=http):
                    log = self.path("access-%s%s.log" % (send_proxy, http))
                    srv = self.serve("--ssl", "--proxy-protocol", "--access-log", log)
                    port = self.haproxy(srv.port, send_proxy, mode="tcp")
                    r = tool(["curl", "-sk", http, "--retry", "20", "--retry-connrefused",
                              "--retry-delay", "0", "--interface", "127.0.0.2",
                              "https://127.0.0.1:%d/tls-via-haproxy" % port])
                    self.assertEqual(r.stdout, b"Hello World")
                    self.assertEqual(srv.stop(), 0)
                    with open(log) as f:
                        self.assertRegex(f.read(),
                                         r'^127\.0\.0\.2 - - .*"GET /tls-via-haproxy HTTP/%s"'
                                         % ("1.1" if http == "--http1.1" else "2.0"))

    def test_proxy_header_before_tls_in_pieces_and_refused(self):
        import ssl
        srv = self.serve("--ssl", "--proxy-protocol", "--access-log", self.path("a.log"))
        ctx = ssl.create_default_context()
        ctx.check_hostname = False
        ctx.verify_mode = ssl.CERT_NONE
        s = self.connect(srv)
        for piece in (b"PROXY TCP4 203.0.1", b"13.7 127.0.0.1 5555 ", b"443\r\n"):
            s.sendall(piece)
            time.sleep(0.1)  # each piece arrives on its own
        t = ctx.wrap_socket(s)
        t.sendall(b"GET /pieces HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
        self.assertTrue(self.read_until_close(t).startswith(b"HTTP/1.1 200 OK"))
        bad = self.connect(srv)
        bad.sendall(b"GET / HTTP/1.1\r\n")  # no PROXY header: refused before any TLS
        try:
            self.assertEqual(self.read_until_close(bad), b"")
        except ConnectionResetError:
            pass  # closed with our unread bytes: a reset, as intended
        self.assertEqual(srv.stop(), 0)
        self.assertRegex(self.read("a.log").decode(), r'^203\.0\.113\.7 .*"GET /pieces ')

    def test_allowed_list_applies_to_the_real_client(self):
        srv = self.serve("--proxy-protocol", "--allowed", "127.0.0.2")
        s = self.connect(srv)
        s.sendall(b"PROXY TCP4 127.0.0.9 127.0.0.1 5000 80\r\nGET / HTTP/1.1\r\nHost: a\r\n\r\n")
        self.assertEqual(self.read_until_close(s), b"")
        s = self.connect(srv)
        s.sendall(b"PROXY TCP4 127.0.0.2 127.0.0.1 5000 80\r\nGET / HTTP/1.1\r\nHost: a\r\n\r\n")
        self.assertIn(b"Hello World", s.recv(4096))

    def test_a_client_without_the_header_is_closed(self):
        srv = self.serve("--proxy-protocol")
        s = self.connect(srv)
        s.sendall(b"GET / HTTP/1.1\r\nHost: a\r\n\r\n")
        self.assertEqual(self.read_until_close(s), b"")


class RejectionTest(ServerTest):
    CASES = [
        (b"GARBAGE\r\n\r\n", 400),
        (b"GET / HTTP/1.1\r\n\r\n", 400),  # no Host
        (b"GET / HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n", 400),
        (b"GET / HTTP/1.1\r\nHost: a\r\nX : y\r\n\r\n", 400),  # space before colon
        (b"GET / HTTP/1.1\r\nHost: a\r\nX: y\r\n z\r\n\r\n", 400),  # obs-fold
        (b"GET / HTTP/1.1\r\nHost: a\rX: y\r\n\r\n", 400),  # bare CR
        (b"GET / HTTP/1.1\r\nHost: a\r\nX: a\x00b\r\n\r\n", 400),  # NUL
        (b"GET / HTTP/1.1\r\nHo(st: a\r\n\r\n", 400),  # bad token
        (b"POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 3\r\n"
         b"Transfer-Encoding: chunked\r\n\r\n", 400),
        (b"POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 3\r\nContent-Length: 4\r\n\r\n", 400),
        (b"POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 1x\r\n\r\n", 400),
        (b"POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n", 400),
        (b"PUT / HTTP/1.1\r\nHost: a\r\n\r\n", 411),
        (b"POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 99999999999\r\n\r\n", 413),
        (b"GET /" + b"a" * 9000 + b" HTTP/1.1\r\nHost: a\r\n\r\n", 414),
        (b"GET / HTTP/1.1\r\nHost: a\r\n" + b"X: y\r\n" * 200 + b"\r\n", 431),
        (b"POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: gzip\r\n\r\n", 501),
        (b"GET / HTTP/2.0\r\nHost: a\r\n\r\n", 505),
    ]

    def test_each_rejection_has_its_status_then_close(self):
        srv = self.serve()
        for request, status in self.CASES:
            with self.subTest(request=request[:60], status=status):
                s = self.connect(srv)
                s.sendall(request)
                data = self.read_until_close(s)  # the server closes after answering
                self.assertTrue(data.startswith(b"HTTP/1.1 %d " % status), data[:200])
                self.assertIn(b"Connection: close", data)
                self.assertNotIn(b"Hello World", data)
        # LF-only requests are answered (400), never left hanging.
        s = self.connect(srv)
        s.sendall(b"GET / HTTP/1.1\nHost: a\n\n")
        self.assertTrue(self.read_until_close(s).startswith(b"HTTP/1.1 400 "))

    def test_slowloris_is_cut_while_others_are_served(self):
        srv = self.serve("--header-timeout", "1")
        slow = self.connect(srv)
        slow.sendall(b"GET / HTTP/1.1\r\nHost: a\r\n")
        started = time.monotonic()
        for _ in range(3):  # the server keeps serving others meanwhile
            self.assertEqual(tool(["curl", "-s", "-m", "5", srv.url]).stdout, b"Hello World")
        slow.sendall(b"X-a: b\r\n")
        data = self.read_until_close(slow)
        self.assertLess(time.monotonic() - started, 8)
        self.assertTrue(data == b"" or data.startswith(b"HTTP/1.1 408 "), data)

    def test_idle_keep_alive_is_closed(self):
        srv = self.serve("--idle-timeout", "1")
        s = self.connect(srv)
        s.sendall(b"GET / HTTP/1.1\r\nHost: a\r\n\r\n")
        data = self.read_until_close(s)
        self.assertTrue(data.startswith(b"HTTP/1.1 200 OK") and data.endswith(b"Hello World"))


class LifecycleTest(ServerTest):
    def workers(self, srv, n):
        """The pids of srv's worker processes, once there are n (they fork after the master
        listens, so the port answers first; bounded wait)."""
        deadline = time.monotonic() + 10
        while True:
            out = tool(["pgrep", "-P", str(srv.proc.pid)], check=False).stdout
            pids = [int(p) for p in out.split()]
            if len(pids) >= n or time.monotonic() > deadline:
                return pids
            time.sleep(0.05)

    def test_sigterm_finishes_a_slow_response_and_exits_0(self):
        message = "x" * 120000  # under the kernel's 128 KiB limit for one environment string
        srv = self.serve(env={"MESSAGE": message})
        s = self.connect(srv, rcvbuf=4096)
        s.sendall(b"GET / HTTP/1.1\r\nHost: a\r\n\r\n")
        first = s.recv(4096)
        self.assertTrue(first.startswith(b"HTTP/1.1 200 OK"))
        srv.proc.send_signal(signal.SIGTERM)
        time.sleep(0.3)
        self.assertIsNone(srv.proc.poll())  # still sending
        data = first + self.read_until_close(s)
        self.assertTrue(data.endswith(message.encode()), len(data))  # and then closed
        self.assertEqual(srv.stop(), 0)

    def test_workers_share_the_port(self):
        srv = self.serve("--workers", "2")
        self.assertIn(b"(2 workers)", srv.log)
        socks = [self.connect(srv) for _ in range(24)]
        for s in socks:
            s.sendall(b"GET / HTTP/1.1\r\nHost: a\r\n\r\n")
            self.assertIn(b"Hello World", s.recv(4096))
        children = self.workers(srv, 2)
        self.assertEqual(len(children), 2)
        held = [len([f for f in os.listdir("/proc/%d/fd" % c)
                     if os.readlink("/proc/%d/fd/%s" % (c, f)).startswith("socket:")])
                for c in children]
        self.assertTrue(all(h >= 2 for h in held), held)  # both accepted connections
        self.assertEqual(srv.stop(), 0)

    def test_workers_end_with_a_killed_master(self):
        def running(pid):  # a zombie has ended; it only waits for its reaper
            try:
                with open("/proc/%d/stat" % pid) as f:
                    return f.read().rsplit(")", 1)[1].split()[0] != "Z"
            except FileNotFoundError:
                return False

        srv = self.serve("--workers", "2")
        children = self.workers(srv, 2)
        self.assertEqual(len(children), 2)
        srv.proc.kill()  # SIGKILL: the master cannot stop its workers itself
        srv.proc.wait(timeout=10)
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline and any(running(c) for c in children):
            time.sleep(0.05)
        self.assertEqual([c for c in children if running(c)], [])

    def test_systemd_socket_activation(self):
        with socket.socket() as lsock:
            lsock.bind(("127.0.0.1", 0))
            lsock.listen()
            port = lsock.getsockname()[1]
            high = fcntl.fcntl(lsock.fileno(), fcntl.F_DUPFD, 4)  # never 3 itself
            self.assertLess(high, 10)  # sh redirections take one digit
            self.addCleanup(os.close, high)
            # As systemd does: the socket is fd 3, LISTEN_PID is the server's own pid.
            proc = subprocess.Popen(
                ["sh", "-c", 'exec 3<&%d %d<&-; LISTEN_PID=$$ LISTEN_FDS=1 exec "$0" serve hello'
                 ' --port 1' % (high, high), NETIUS],
                pass_fds=(high,), stdin=subprocess.DEVNULL,
                stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
            r = tool(["curl", "-s", "-m", "10", "http://127.0.0.1:%d/" % port], check=False)
            proc.terminate()
            _, err = proc.communicate(timeout=15)
            self.assertEqual(r.stdout, b"Hello World", err)
            self.assertEqual(proc.returncode, 0, err)

    def test_sigusr1_reopens_the_access_log(self):
        log = self.path("access.log")
        srv = self.serve("--access-log", log)
        tool(["curl", "-s", srv.url + "before"])
        time.sleep(1.5)  # flushed once a second
        os.rename(log, log + ".1")  # what logrotate does
        srv.proc.send_signal(signal.SIGUSR1)
        time.sleep(0.5)
        tool(["curl", "-s", srv.url + "after"])
        self.assertEqual(srv.stop(), 0)
        with open(log + ".1") as rotated, open(log) as current:
            self.assertIn("GET /before ", rotated.read())
            self.assertIn("GET /after ", current.read())

    def test_bind_error_is_one_line(self):
        with socket.socket() as busy:
            busy.bind(("127.0.0.1", 0))
            busy.listen()
            port = busy.getsockname()[1]
            r = run(["serve", "hello", "--port", str(port)], timeout=10)
        self.assertFailsWith(r, "Address already in use")

    def test_bad_environment_values_are_usage_errors(self):
        r = run(["serve", "hello"], env={"IPV6": "maybe"}, timeout=10)
        self.assertEqual(r.returncode, 2)
        self.assertIn(b"IPV6 must be", r.stderr)
        r = run(["serve", "hello", "--encoding", "br"], timeout=10)
        self.assertEqual(r.returncode, 2)
        r = run(["serve", "hello", "--host", "localhost"], timeout=10)
        self.assertEqual(r.returncode, 2)
        self.assertIn(b"localhost", r.stderr)


if __name__ == "__main__":
    unittest.main()
