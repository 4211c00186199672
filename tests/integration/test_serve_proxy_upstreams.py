"""`netius serve proxy`'s upstream pool and health: idle connections kept per upstream
(--upstream-keepalive), the bounded wait for a connection (--upstream-max-conns,
--upstream-queue, --connect-timeout: 503 past them), and active health checks
(--health-path, --health-interval) that pass a failing upstream over and bring it back."""
import http.client
import re
import socket
import threading
import unittest

from harness import RawServer, ServeProcess, TempDirTest, free_port, wait_for
from test_serve_proxy import curl


class KeepAliveUpstream:
    """An HTTP/1.1 upstream that keeps its connections open, answers 200 "up", and counts the
    connections it accepted and those still open. With `gate` set, each answer waits until
    `gate` requests are in flight at once (so the proxy must open that many connections) or
    until release() (bounded); the gate then stays open."""

    def __init__(self, gate=0):
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(64)
        self.sock.settimeout(0.1)
        self.url = "http://127.0.0.1:%d" % self.sock.getsockname()[1]
        self.lock = threading.Condition()
        self.accepted = self.open = self.in_flight = 0
        self.gate, self.released = gate, gate == 0
        self.stopping = threading.Event()
        threading.Thread(target=self._accept, daemon=True).start()

    def stop(self):
        self.stopping.set()
        self.release()

    def release(self):
        with self.lock:
            self.released = True
            self.lock.notify_all()

    def _accept(self):
        while not self.stopping.is_set():
            try:
                conn, _ = self.sock.accept()
            except OSError:
                continue
            with self.lock:
                self.accepted += 1
                self.open += 1
            threading.Thread(target=self._serve, args=(conn,), daemon=True).start()
        self.sock.close()

    def _serve(self, conn):
        conn.settimeout(30)
        buf = b""
        try:
            while not self.stopping.is_set():
                while b"\r\n\r\n" not in buf:
                    chunk = conn.recv(65536)
                    if not chunk:
                        return
                    buf += chunk
                _, _, buf = buf.partition(b"\r\n\r\n")
                with self.lock:
                    self.in_flight += 1
                    if self.gate and self.in_flight >= self.gate:
                        self.released = True  # the gate stays open
                    self.lock.notify_all()
                    self.lock.wait_for(lambda: self.released, timeout=20)
                conn.sendall(b"HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nup")
                with self.lock:
                    self.in_flight -= 1
        except OSError:
            pass
        finally:
            conn.close()
            with self.lock:
                self.open -= 1


def get(port, path="/"):
    """(status, body) of one GET through the proxy on a connection of its own."""
    c = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    try:
        c.request("GET", path)
        r = c.getresponse()
        return r.status, r.read()
    finally:
        c.close()


def concurrently(n, f):
    results = [None] * n

    def run(i):
        results[i] = f()
    threads = [threading.Thread(target=run, args=(i,)) for i in range(n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    return results


class UpstreamPoolTest(TempDirTest):
    def serve(self, *args):
        s = ServeProcess(list(args))
        self.addCleanup(s.stop)
        return s

    def upstream(self, **kw):
        u = KeepAliveUpstream(**kw)
        self.addCleanup(u.stop)
        return u

    def test_idle_connections_kept_per_upstream_are_bounded(self):
        for keep in (2, 0):
            with self.subTest(keep=keep):
                up = self.upstream(gate=6)
                proxy = self.serve("proxy", "--to", up.url, "--upstream-keepalive", str(keep),
                                   "--upstream-max-conns", "6")
                got = concurrently(6, lambda: get(proxy.port))
                self.assertEqual(got, [(200, b"up")] * 6)
                self.assertEqual(up.accepted, 6)  # six at once ...
                wait_for(lambda: up.open == keep, what="%d kept open" % keep)  # ... `keep` kept
                self.assertEqual(get(proxy.port), (200, b"up"))
                # The next request reuses a kept connection (or opens one when none is kept).
                self.assertEqual(up.accepted, 6 if keep else 7)

    def test_the_wait_for_a_connection_is_bounded(self):
        up = self.upstream(gate=99)  # answers only once released
        proxy = self.serve("proxy", "--to", up.url, "--upstream-max-conns", "1",
                           "--upstream-queue", "1", "--connect-timeout", "1")
        held = []
        first = threading.Thread(target=lambda: held.append(get(proxy.port)))
        first.start()
        wait_for(lambda: up.in_flight == 1, what="the first request upstream")
        # Its one connection is taken: of two more, one may wait (and gives up after
        # --connect-timeout), the other finds the queue full; both get 503.
        busy = (503, b"The upstream server is busy; try again.\n")
        self.assertEqual(concurrently(2, lambda: get(proxy.port)), [busy, busy])
        proxy.wait_log(rb"too many requests waiting for a connection to http://127")
        proxy.wait_log(rb"no connection to http://127\S+ came free within 1000 ms")
        up.release()
        first.join(30)
        self.assertEqual(held, [(200, b"up")])
        self.assertEqual(up.accepted, 1)
        self.assertEqual(get(proxy.port), (200, b"up"))  # the queue is free again


class HealthCheckTest(TempDirTest):
    def serve(self, *args):
        s = ServeProcess(list(args))
        self.addCleanup(s.stop)
        return s

    def test_a_failing_upstream_is_passed_over_until_it_recovers(self):
        state = {"health": 500, "served": 0}

        def handle(conn, head, n):
            if head.startswith(b"GET /health "):
                code = state["health"]
                conn.sendall(b"HTTP/1.1 %d X\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"
                             % code)
                return
            state["served"] += 1
            conn.sendall(b"HTTP/1.1 200 OK\r\nContent-Length: 3\r\nConnection: close\r\n\r\none")
        flaky = RawServer(handle).__enter__()
        self.addCleanup(flaky.__exit__, None, None, None)
        two = self.serve("hello", "--message", "two")
        proxy = self.serve("proxy", "--to", flaky.url() + "," + two.url,
                           "--health-path", "/health", "--health-interval", "0.3")
        down = rb"proxy: upstream http://127\.0\.0\.1:%d/ is down: GET /health answered 500" \
            % flaky.port
        proxy.wait_log(down)
        bodies = [curl(proxy.url + "/")[2] for _ in range(6)]
        self.assertEqual(bodies, [b"two"] * 6)
        self.assertEqual(state["served"], 0)
        state["health"] = 204
        proxy.wait_log(rb"proxy: upstream http://127\.0\.0\.1:%d/ is up again" % flaky.port)
        bodies = [curl(proxy.url + "/")[2] for _ in range(6)]
        self.assertEqual(sorted(bodies), [b"one"] * 3 + [b"two"] * 3)
        # Logged once per change, not per check.
        proxy.read_log(1)
        self.assertEqual(len(re.findall(down, proxy.log)), 1)

    def test_an_unreachable_upstream_is_found_before_any_request(self):
        dead = "http://127.0.0.1:%d" % free_port()
        live = self.serve("hello", "--message", "live")
        proxy = self.serve("proxy", "--to", dead + "," + live.url, "--health-path", "/",
                           "--max-fails", "0")
        proxy.wait_log(rb"upstream http://127\.0\.0\.1:\d+/ is down: connect\S*: Connection "
                       rb"refused")
        for _ in range(4):
            self.assertEqual(curl(proxy.url + "/")[:3:2], (200, b"live"))
        proxy.stop()
        # Passed over by the health check: never tried (--max-fails 0 would try it each time).
        self.assertNotIn(b"trying the next one", proxy.log)


if __name__ == "__main__":
    unittest.main()
