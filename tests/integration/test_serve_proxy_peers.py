"""`netius serve proxy` (issue 19) among the peers it lives with: nginx in front of it and
behind it, an upstream killed in the middle of a load, and a table of request-smuggling
attempts sent to it with a deliberately lenient recorder behind (nothing may reach it)."""
import hashlib
import http.client
import json
import os
import re
import signal
import socket
import threading
import time
import unittest

from harness import free_port, make_test_ca, tool, wait_for
from peers import Nginx
from test_serve_proxy import ProxyCase, curl


class ProxyPeersTest(ProxyCase):
    def nginx(self, root, locations):
        os.makedirs(self.path("nginx"), exist_ok=True)
        n = Nginx(root, locations, work=self.path("nginx")).__enter__()
        self.addCleanup(n.__exit__, None, None, None)
        return n

    def test_behind_nginx_the_chain_of_forwarding_fields_grows(self):
        up = self.recorder()
        proxy = self.serve("proxy", "--to", up.url(), "--trusted-proxy", "127.0.0.1")
        os.makedirs(self.path("www"))
        front = self.nginx(self.path("www"), """
            location / {
              proxy_pass http://127.0.0.1:%d;
              proxy_http_version 1.1;
              proxy_set_header Connection "";
              proxy_set_header Host $host;
              proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
            }""" % proxy.port)
        status, _, body = curl(front.url("/a?b=1"), "-H", "Host: app.test",
                               "-H", "X-Forwarded-For: 192.0.2.7")
        self.assertEqual((status, body), (200, b"recorded"))
        head, _ = up.requests[-1]
        self.assertTrue(head.startswith("GET /a?b=1 HTTP/1.1\r\n"), head)
        fields = dict(up.fields())
        self.assertEqual(fields["host"], "app.test")
        # the client's claim, nginx's peer (curl), then ours (nginx): trusted all the way
        self.assertEqual(fields["x-forwarded-for"], "192.0.2.7, 127.0.0.1, 127.0.0.1")
        self.assertEqual(fields["via"], "1.1 netius")

    def test_in_front_of_nginx_ranges_and_validators_pass_through(self):
        os.makedirs(self.path("www"))
        data = os.urandom(100000)
        self.write("www/f.bin", data)
        files = self.nginx(self.path("www"), "")
        proxy = self.serve("proxy", "--to", files.url())
        status, head, body = curl(proxy.url + "/f.bin", "-r", "10-19")
        self.assertEqual((status, body), (206, data[10:20]))
        self.assertIn("Content-Range: bytes 10-19/100000", head)
        etag = [l.split(": ", 1)[1] for l in head.split("\r\n") if l.lower().startswith("etag:")]
        self.assertEqual(len(etag), 1, head)
        status, _, body = curl(proxy.url + "/f.bin", "-H", "If-None-Match: " + etag[0])
        self.assertEqual((status, body), (304, b""))
        status, _, body = curl(proxy.url + "/missing")
        self.assertEqual(status, 404)

    def test_https_upstreams_are_verified_with_sni(self):
        ca, key, cer = make_test_ca(self.path)
        up = self.serve("hello", "--message", "over tls", "--ssl", "--key-file", key,
                        "--cer-file", cer)
        https = "https://localhost:%d" % up.port
        good = self.serve("proxy", "--to", https, "--upstream-cacert", ca)
        status, head, body = curl(good.url + "/")
        self.assertEqual((status, body), (200, b"over tls"))
        # the system store does not know our CA; an address the certificate does not name
        other = self.serve("hello", "--host", "127.0.0.2", "--ssl", "--key-file", key,
                           "--cer-file", cer)
        for args in (["--to", https], ["--to", "https://127.0.0.2:%d" % other.port,
                                       "--upstream-cacert", ca]):
            bad = self.serve("proxy", *args)
            status, _, _ = curl(bad.url + "/")
            self.assertEqual(status, 502, args)
            bad.stop()
            self.assertRegex(bad.log, rb"upstream https://\S+: .*certificate", args)

    def test_unix_socket_upstreams(self):
        sock = self.path("app.sock")
        self.serve("hello", "--unix", sock, "--message", "via unix")
        os.chmod(sock, 0o666)  # the proxy's workers run as nobody
        proxy = self.serve("proxy", "--to", "unix:" + sock)
        status, head, body = curl(proxy.url + "/x")
        self.assertEqual((status, body), (200, b"via unix"))
        closed = self.path("closed.sock")  # one the workers (nobody) may not use
        self.serve("hello", "--unix", closed)
        os.chmod(closed, 0o600)
        proxy = self.serve("proxy", "--to", "unix:" + closed)
        status, _, _ = curl(proxy.url + "/x")
        self.assertEqual(status, 502)
        proxy.stop()
        self.assertRegex(proxy.log, rb"upstream unix:\S+closed.sock: .*(denied|ermission)")

    def test_the_access_log_names_the_upstream_and_its_time(self):
        up = self.hello("logged")
        dead = "http://127.0.0.1:%d" % free_port()
        proxy = self.serve("proxy", "--to", up.url, "--route", "dead.test=" + dead,
                           "--redirect", "moved.test=https://elsewhere.test",
                           "--access-log", self.path("access.log"))
        curl(proxy.url + "/a")
        curl(proxy.url + "/b", "-H", "Host: dead.test")
        curl(proxy.url + "/c", "-H", "Host: moved.test")
        curl(proxy.url + "/d", "--http2-prior-knowledge")

        def lines():
            if not os.path.exists(self.path("access.log")):
                return None
            with open(self.path("access.log")) as f:
                got = f.read().splitlines()
            return got if len(got) == 4 else None
        a, b, c, d = sorted(wait_for(lines, what="four access log lines"),
                            key=lambda l: l.split('"')[1])
        took = r" upstream=%s upstream_time=\d+\.\d{3}$" % re.escape(up.url)
        self.assertRegex(a, r'"GET /a HTTP/1.1" 200 6 "-" "curl/[^"]*"' + took)
        self.assertRegex(b, r'"GET /b HTTP/1.1" 502 \d+ "-" "curl/[^"]*" upstream=%s '
                            r'upstream_time=-$' % re.escape(dead))
        self.assertRegex(c, r'"GET /c HTTP/1.1" 301 \d+ "-" "curl/[^"]*"$')  # no upstream
        self.assertRegex(d, r'"GET /d HTTP/2.0" 200 6 "-" "curl/[^"]*"' + took)

    def test_a_flask_site_behind_the_proxy(self):
        # serve wsgi --workers 2 with a real Flask site: pages, the session cookie, a JSON
        # round trip and a multipart upload of 20 MiB, streamed through both.
        apps = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "data", "wsgi")
        site = self.serve("wsgi", "flask_site:app", "--python-path", apps, "--workers", "2")
        proxy = self.serve("proxy", "--to", site.url)
        status, head, body = curl(proxy.url + "/")
        self.assertEqual(status, 200)
        self.assertIn(b"Parts catalogue", body)
        jar = self.path("cookies")
        for n in (1, 2):
            _, _, body = curl(proxy.url + "/counter", "-b", jar, "-c", jar)
            self.assertEqual(body, b"visits=%d" % n)
        _, _, body = curl(proxy.url + "/api/items", "-H", "Content-Type: application/json",
                          "--data", '{"items": [{"name": "a", "price": 1.5, "qty": 2}]}')
        self.assertEqual(json.loads(body)["total"], 3.0)
        data = os.urandom(20 << 20)
        self.write("big.bin", data)
        _, _, body = curl(proxy.url + "/upload", "-F", "file=@" + self.path("big.bin"),
                          "-F", "note=hi")
        self.assertEqual(json.loads(body), {"filename": "big.bin", "size": len(data),
                                            "sha256": hashlib.sha256(data).hexdigest(),
                                            "field": "hi"})

    def test_an_upstream_killed_under_load_costs_at_most_the_requests_in_flight(self):
        a, b = self.hello("a"), self.hello("b")
        proxy = self.serve("proxy", "--to", a.url + "," + b.url)
        threads, stop = 8, threading.Event()
        counts = {"ok": 0, "failed": 0, "after": 0}
        lock = threading.Lock()
        killed_at = []

        def load():
            conn = http.client.HTTPConnection("127.0.0.1", proxy.port, timeout=10)
            while not stop.is_set():
                try:
                    conn.request("GET", "/")
                    r = conn.getresponse()
                    ok = r.status == 200 and r.read() in (b"a", b"b")
                except (OSError, http.client.HTTPException):
                    ok = False
                    conn.close()
                    conn = http.client.HTTPConnection("127.0.0.1", proxy.port, timeout=10)
                with lock:
                    counts["ok" if ok else "failed"] += 1
                    if ok and killed_at:
                        counts["after"] += 1
            conn.close()
        workers = [threading.Thread(target=load) for _ in range(threads)]
        for w in workers:
            w.start()
        time.sleep(1.5)
        b.stop(signal.SIGKILL)
        killed_at.append(time.monotonic())
        time.sleep(2)
        stop.set()
        for w in workers:
            w.join(20)
        self.assertLessEqual(counts["failed"], threads, counts)
        self.assertGreater(counts["after"], 50, counts)  # the pool went on with `a`

    def test_smuggling_attempts_never_reach_the_upstream(self):
        up = self.recorder()
        proxy = self.serve("proxy", "--to", up.url())
        get = b"GET /x HTTP/1.1\r\nHost: a\r\n\r\n"
        attacks = [
            # two framings at once (RFC 9112 §6.1)
            b"POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 4\r\nTransfer-Encoding: chunked"
            b"\r\n\r\n0\r\n\r\n" + get,
            b"POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\nContent-Length: 4"
            b"\r\n\r\n0\r\n\r\n" + get,
            # lengths that disagree, or are not plain digits
            b"POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 4\r\nContent-Length: 5\r\n\r\n"
            b"abcde",
            b"POST / HTTP/1.1\r\nHost: a\r\nContent-Length: +5\r\n\r\nabcde",
            b"POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 0x5\r\n\r\nabcde",
            # transfer codings other than a final chunked
            b"POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: xchunked\r\n\r\n0\r\n\r\n",
            b"POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked, identity\r\n\r\n"
            b"0\r\n\r\n",
            # field syntax a lenient parser reads another way
            b"POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding : chunked\r\n\r\n0\r\n\r\n",
            b"POST / HTTP/1.1\r\nHost: a\r\n Transfer-Encoding: chunked\r\n\r\n0\r\n\r\n",
            b"POST / HTTP/1.1\r\nHost: a\r\nX: y\r\n\tTransfer-Encoding: chunked\r\n\r\n"
            b"0\r\n\r\n",
            b"GET / HTTP/1.1\r\nHost: a\r\nX: a\nb\r\n\r\n",
            b"GET / HTTP/1.1\r\nHost: a\r\nX: a\rb\r\n\r\n",
            b"GET / HTTP/1.1\r\nHost: a\r\nX: a\x00b\r\n\r\n",
            b"GET / HTTP/1.1\r\nHost: a\r\nX Y: z\r\n\r\n",
            b"GET / HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n",
            b"GET / HTTP/1.1\nHost: a\n\n",
            # chunk framing: a size that overflows, a bare LF, a missing CRLF after data
            b"POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n"
            b"10000000000000001\r\nx\r\n0\r\n\r\n",
            b"POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n3;x\nabc\r\n"
            b"0\r\n\r\n",
            b"POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabcX\r\n"
            b"0\r\n\r\n",
            # chunked in HTTP/1.0, which has no chunked (RFC 9112 §6.1)
            b"POST / HTTP/1.0\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n",
        ]
        for attack in attacks:
            with socket.create_connection(("127.0.0.1", proxy.port), timeout=10) as s:
                s.sendall(attack)
                reply = s.recv(4096)
                self.assertRegex(reply, rb"^HTTP/1.1 (400|413|501) ", attack)
            self.assertEqual(up.requests, [], attack)
        status, _, _ = curl(proxy.url + "/after")  # and it still serves
        self.assertEqual(status, 200)
        self.assertEqual(len(up.requests), 1)


if __name__ == "__main__":
    unittest.main()
