"""`netius serve proxy --auth HOST=FILE`: HTTP Basic (RFC 7617) in front of an upstream,
against a users file of `netius auth generate` hashes, with curl as the client and a recorder
as the upstream (which must never see the credentials)."""
import os
import signal
import socket
import unittest

from harness import run, tool, wait_for
from test_serve_proxy import ProxyCase, curl


def hashed(password, *args):
    return run(["auth", "generate", password] + list(args), check=True).stdout.decode().strip()


class ProxyAuthTest(ProxyCase):
    def users(self, name="users", **passwords):
        """A users file, readable by root only (the master reads it before the workers,
        which run as nobody, start)."""
        text = "".join("%s:%s\n" % (u, p) for u, p in passwords.items())
        return self.write(name, "# proxy users\n" + text, mode=0o600)

    def test_basic_auth_guards_one_host(self):
        up, other = self.recorder(), self.hello("open")
        users = self.users(alice=hashed("s3cret"), bob=hashed("pw2", "sha256", "salt"))
        proxy = self.serve("proxy", "--route", "a.test=" + up.url(),
                           "--route", "b.test=" + other.url, "--auth", "a.test=" + users)
        status, head, body = curl(proxy.url + "/x", "-H", "Host: a.test")
        self.assertEqual(status, 401)
        self.assertIn('\r\nWWW-Authenticate: Basic realm="a.test", charset="UTF-8"\r\n',
                      head + "\r\n")
        self.assertIn(b"a.test", body)
        for user in ("alice:wrong", "mallory:s3cret", "alice:", ":"):
            self.assertEqual(curl(proxy.url + "/x", "-H", "Host: a.test", "-u", user)[0], 401,
                             user)
        bad = ("Bearer abc", "Basic !!!", "Basic YWxpY2U=")  # the last: "alice", no ':'
        for value in bad:
            self.assertEqual(curl(proxy.url + "/", "-H", "Host: a.test",
                                  "-H", "Authorization: " + value)[0], 401, value)
        self.assertEqual(up.requests, [])  # nothing refused reached the upstream
        proxy.wait_log(rb"a\.test: credentials of user 'alice' refused")

        # argon2id (checked off the loop) and a netius digest; twice on one keep-alive
        # connection (the second from the worker's cache); the upstream sees no credentials.
        r = tool(["curl", "-s", "-o", "/dev/null", "-o", "/dev/null",
                  "-w", "%{http_code} %{num_connects}\n",
                  "--max-time", "20", "-H", "Host: a.test", "-u", "alice:s3cret",
                  proxy.url + "/x", proxy.url + "/y"])
        self.assertEqual(r.stdout.split(b"\n")[:2], [b"200 1", b"200 0"])
        self.assertEqual(curl(proxy.url + "/z", "-H", "Host: A.TEST:80", "-u", "bob:pw2")[:3:2],
                         (200, b"recorded"))
        wait_for(lambda: len(up.requests) == 3, what="three requests upstream")
        for i in range(3):
            names = [n for n, _ in up.fields(i)]
            self.assertNotIn("authorization", names)
            self.assertIn("x-forwarded-for", names)
        # Another host is not guarded, and a 401 keeps the connection open.
        self.assertEqual(curl(proxy.url + "/", "-H", "Host: b.test")[:3:2], (200, b"open"))
        with socket.create_connection(("127.0.0.1", proxy.port), timeout=10) as s:
            s.sendall(b"GET / HTTP/1.1\r\nHost: a.test\r\n\r\n"
                      b"GET / HTTP/1.1\r\nHost: b.test\r\n\r\n")
            seen = b""
            while seen.count(b"HTTP/1.1 ") < 2 or not seen.endswith(b"open"):
                chunk = s.recv(65536)
                if not chunk:
                    break
                seen += chunk
        self.assertRegex(seen, rb"(?s)^HTTP/1.1 401 .*HTTP/1.1 200 OK.*open$")

    def test_uploads_without_credentials_get_401(self):
        up = self.recorder()
        users = self.users(alice=hashed("pw", "sha256", "s"))
        proxy = self.serve("proxy", "--to", up.url(), "--auth", "*.w.test=" + users)
        big = self.write("big", os.urandom(3 << 20))
        status, _, _ = curl(proxy.url + "/up", "-H", "Host: x.w.test", "--data-binary", "@" + big)
        self.assertEqual(status, 401)
        status, _, body = curl(proxy.url + "/up", "-H", "Host: x.w.test", "-u", "alice:pw",
                               "--data-binary", "@" + big)
        self.assertEqual((status, body), (200, b"recorded"))
        self.assertEqual(len(up.requests), 1)
        self.assertEqual(len(up.requests[0][1]), 3 << 20)
        self.assertEqual(curl(proxy.url + "/", "-H", "Host: w.test")[0], 200)  # not a subdomain

    def test_the_file_is_read_at_start_and_at_reload(self):
        up = self.recorder()
        missing = self.path("nope")
        r = run(["serve", "proxy", "--port", "0", "--to", up.url(), "--auth", "a.test=" + missing])
        self.assertFailsWith(r, missing)
        users = self.users(alice=hashed("old", "sha256", "s"))
        proxy = self.serve("proxy", "--to", up.url(), "--auth", "a.test=" + users)
        self.assertEqual(curl(proxy.url + "/", "-H", "Host: a.test", "-u", "alice:old")[0], 200)
        self.users(alice=hashed("new", "sha256", "s"))
        proxy.proc.send_signal(signal.SIGHUP)
        proxy.wait_log(rb"reloaded: serving proxy", timeout=30)
        wait_for(lambda: curl(proxy.url + "/", "-H", "Host: a.test",
                              "-u", "alice:new")[0] == 200, what="the new password")
        self.assertEqual(curl(proxy.url + "/", "-H", "Host: a.test", "-u", "alice:old")[0], 401)


if __name__ == "__main__":
    unittest.main()
