"""`netius http get` against real servers: nginx (gzip, redirects, Basic auth, TLS with a test
CA, IPv6), `netius serve hello`, dnsmasq for names, and raw sockets for servers that misbehave
(never answer, close mid-body, fail then recover). The 2 GiB download is in
test_http_get_large.py."""
import glob
import json
import os
import socket
import unittest

from harness import RawServer, ServeProcess, TempDirTest, run, tool
from peers import Dnsmasq, Nginx

HELLO_BR = b"\x0b\x05\x80Hello World\x03"  # RFC 7932 stream of "Hello World" (libbrotlienc)


def make_pki(d):
    """A test root CA and a server certificate for DNS:localhost only (not 127.0.0.1)."""
    def ossl(*args):
        tool(["openssl"] + list(args))
    p = lambda n: os.path.join(d, n)
    ossl("req", "-x509", "-config", "/dev/null", "-newkey", "ec", "-pkeyopt",
         "ec_paramgen_curve:P-256", "-nodes", "-keyout", p("root.key"), "-out", p("root.pem"),
         "-subj", "/CN=netius test root", "-days", "2",
         "-addext", "basicConstraints=critical,CA:TRUE", "-addext", "keyUsage=critical,keyCertSign")
    ossl("req", "-new", "-config", "/dev/null", "-newkey", "ec", "-pkeyopt",
         "ec_paramgen_curve:P-256", "-nodes", "-keyout", p("server.key"), "-out", p("server.csr"),
         "-subj", "/CN=localhost")
    with open(p("server.ext"), "w") as f:
        f.write("basicConstraints=CA:FALSE\nextendedKeyUsage=serverAuth\n"
                "subjectAltName=DNS:localhost\n")
    ossl("x509", "-req", "-in", p("server.csr"), "-CA", p("root.pem"), "-CAkey", p("root.key"),
         "-set_serial", "7", "-days", "2", "-extfile", p("server.ext"), "-out", p("server.pem"))


LOCATIONS = """
    gzip on; gzip_types text/plain; gzip_min_length 1; gzip_http_version 1.1;
    location = /old { return 301 /small.txt; }
    location = /old-abs { return 302 http://127.0.0.1:$server_port/small.txt; }
    location = /loop { return 302 /loop; }
    location = /r301 { return 301 /method; }
    location = /r303 { return 303 /method; }
    location = /r307 { return 307 /method; }
    location = /method { return 200 "$request_method\\n"; }
    location /private/ { auth_basic "netius"; auth_basic_user_file %s/htpasswd; }
    location = /same { return 302 /private/a.txt; }
    location = /cross { return 302 http://localhost:$server_port/private/a.txt; }
    location = /to-https { return 302 https://localhost:@TLS_PORT@/small.txt; }
"""


class NginxTest(TempDirTest):
    """One nginx for the class: static files, gzip, redirects, Basic auth, TLS."""

    @classmethod
    def setUpClass(cls):
        import tempfile
        cls.www = tempfile.mkdtemp(prefix="netius-www-")
        os.chmod(cls.www, 0o755)
        cls.small = b"small file\n"
        cls.big = b"".join(b"line %06d of a text that compresses well\n" % i
                           for i in range(5000))
        files = {"small.txt": cls.small, "big.txt": cls.big, "private/a.txt": b"secret\n",
                 "bin.dat": bytes(range(256)) * 64}
        files.update({"f%d.txt" % i: (b"file %d\n" % i) * (i * 300 + 1) for i in range(10)})
        for name, data in files.items():
            path = os.path.join(cls.www, name)
            os.makedirs(os.path.dirname(path), exist_ok=True)
            with open(path, "wb") as f:
                f.write(data)
        cls.work = tempfile.mkdtemp(prefix="netius-nginx-")
        make_pki(cls.work)
        hashed = tool(["openssl", "passwd", "-apr1", "secret"]).stdout.decode().strip()
        with open(os.path.join(cls.work, "htpasswd"), "w") as f:
            f.write("user:%s\n" % hashed)
        cls.nginx = Nginx(cls.www, LOCATIONS % cls.work, work=cls.work,
                          tls=(os.path.join(cls.work, "server.pem"),
                               os.path.join(cls.work, "server.key")))
        cls.nginx.__enter__()

    @classmethod
    def tearDownClass(cls):
        import shutil
        cls.nginx.__exit__(None, None, None)
        shutil.rmtree(cls.www, True)

    def get(self, *args, **kw):
        return run(["http", "get"] + list(args), **kw)

    def log_since(self, before, count):
        return self.nginx.access_log_since(before, count)

    def test_get_head_and_include(self):
        r = self.get(self.nginx.url("/small.txt"))
        self.assertEqual((r.returncode, r.stdout), (0, self.small), r.stderr)
        r = self.get("-I", self.nginx.url("/small.txt"))
        self.assertEqual((r.returncode, r.stdout), (0, b""), r.stderr)
        r = self.get("-i", self.nginx.url("/small.txt"))
        head, body = r.stdout.split(b"\r\n\r\n", 1)
        self.assertTrue(head.startswith(b"HTTP/1.1 200 OK\r\n"), head)
        self.assertEqual(body, self.small)
        self.assertEqual(self.get(self.nginx.url("/bin.dat")).stdout, bytes(range(256)) * 64)

    def test_gzip_chunked_content_is_decoded(self):
        r = self.get("-v", self.nginx.url("/big.txt"))
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertEqual(r.stdout, self.big)
        self.assertIn(b"> Accept-Encoding: gzip, deflate", r.stderr)
        self.assertIn(b"< Content-Encoding: gzip", r.stderr)
        self.assertIn(b"< Transfer-Encoding: chunked", r.stderr)
        raw = self.get("--no-decode", "-v", self.nginx.url("/big.txt"))
        self.assertNotIn(b"Accept-Encoding", raw.stderr)
        self.assertEqual(raw.stdout, self.big)  # nginx sends it plain then
        curl = tool(["curl", "-s", "--compressed", self.nginx.url("/big.txt")])
        self.assertEqual(curl.stdout, r.stdout)

    def test_redirects_and_their_limits(self):
        self.assertEqual(self.get(self.nginx.url("/old")).stdout, self.small)
        self.assertEqual(self.get(self.nginx.url("/old-abs")).stdout, self.small)
        r = self.get("--json", "--no-follow", self.nginx.url("/old"))
        self.assertEqual(r.returncode, 0)
        result = json.loads(r.stdout)
        self.assertEqual(result["code"], 301)
        self.assertTrue(result["headers"]["Location"].endswith("/small.txt"))
        r = self.get(self.nginx.url("/loop"))
        self.assertFailsWith(r, "too many redirects (more than 10)", code=47)
        r = self.get("--max-redirs", "0", self.nginx.url("/old"))
        self.assertFailsWith(r, "too many redirects (more than 0)", code=47)

    def test_redirect_method_rules(self):
        # RFC 9110 §15.4: 303 and (for POST) 301/302 become GET; 307/308 keep the method.
        self.assertEqual(self.get("-d", "x=1", self.nginx.url("/r303")).stdout, b"GET\n")
        self.assertEqual(self.get("-d", "x=1", self.nginx.url("/r301")).stdout, b"GET\n")
        self.assertEqual(self.get("-d", "x=1", self.nginx.url("/r307")).stdout, b"POST\n")
        self.assertEqual(self.get("-X", "DELETE", self.nginx.url("/r301")).stdout, b"DELETE\n")
        self.assertEqual(self.get("-I", self.nginx.url("/r303")).stdout, b"")

    def test_basic_auth_stays_on_its_origin(self):
        url = self.nginx.url("/private/a.txt").replace("http://", "http://user:secret@")
        self.assertEqual(self.get(url).stdout, b"secret\n")
        r = self.get("--fail", self.nginx.url("/private/a.txt"))
        self.assertFailsWith(r, "the server answered 401", code=22)
        before = len(self.nginx.access_log())
        same = self.get(self.nginx.url("/same").replace("http://", "http://user:secret@"))
        self.assertEqual(same.stdout, b"secret\n")  # same origin: the credentials go along
        cross = self.get(self.nginx.url("/cross").replace("http://", "http://user:secret@"))
        self.assertEqual(cross.returncode, 0)  # localhost is another origin: 401, no password
        log = self.log_since(before, 4)
        self.assertEqual(len(log), 4, log)
        self.assertRegex(log[1], r"^GET /private/a.txt 200 .*\[Basic dXNlcjpzZWNyZXQ=\]")
        self.assertRegex(log[2], r"^GET /cross 302 .*\[Basic ")
        self.assertRegex(log[3], r"^GET /private/a.txt 401 \d+ \d+ \[-\]")

    def test_not_modified_and_fail(self):
        r = self.get("-v", self.nginx.url("/small.txt"))
        etag = [l for l in r.stderr.decode().splitlines() if l.startswith("< ETag:")][0][8:]
        r = self.get("--json", "-H", "If-None-Match: " + etag, self.nginx.url("/small.txt"))
        result = json.loads(r.stdout)
        self.assertEqual((result["code"], result["data"]), (304, ""))
        out = self.path("missing.txt")
        r = self.get("--fail", "-o", out, self.nginx.url("/missing"))
        self.assertFailsWith(r, "the server answered 404 Not Found", code=22)
        self.assertFalse(os.path.exists(out))
        self.assertEqual(self.get(self.nginx.url("/missing")).returncode, 0)  # 404 is an answer

    def test_keep_alive_reuses_one_connection(self):
        before = len(self.nginx.access_log())
        urls = [self.nginx.url("/f%d.txt" % i) for i in range(3)]
        r = self.get("--max-connections", "1", *urls)
        self.assertEqual(r.returncode, 0, r.stderr)
        log = [l.split() for l in self.log_since(before, 3)]
        self.assertEqual(len({l[3] for l in log}), 1, log)  # one $connection
        self.assertEqual([l[4] for l in log], ["1", "2", "3"])  # $connection_requests

    def test_several_urls_concurrently_in_order(self):
        urls = [self.nginx.url("/f%d.txt" % i) for i in range(10)]
        r = self.get(*urls)
        self.assertEqual(r.returncode, 0, r.stderr)
        want = b"".join((b"file %d\n" % i) * (i * 300 + 1) for i in range(10))
        self.assertEqual(r.stdout, want)

    def test_output_files_atomic_and_remote_name(self):
        out = self.path("big.out")
        r = self.get("-o", out, self.nginx.url("/big.txt"))
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertEqual(self.read("big.out"), self.big)
        r = run(["http", "get", "-O", self.nginx.url("/small.txt"), self.nginx.url("/f1.txt")],
                cwd=self.dir)
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertEqual(self.read("small.txt"), self.small)
        self.assertEqual(self.read("f1.txt"), b"file 1\n" * 301)
        self.assertEqual(glob.glob(os.path.join(self.dir, ".netius-*")), [])
        r = self.get("-O", self.nginx.url("/"))
        self.assertFailsWith(r, "names no file", code=2)

    def test_json_results(self):
        r = self.get("--json", self.nginx.url("/small.txt"), self.nginx.url("/bin.dat"),
                     "http://127.0.0.1:1/")
        self.assertEqual(r.returncode, 7)
        lines = [json.loads(l) for l in r.stdout.decode().splitlines()]
        self.assertEqual(len(lines), 3)
        ok = lines[0]
        self.assertEqual((ok["code"], ok["status"], ok["data"]), (200, "OK", "small file\n"))
        self.assertEqual(ok["headers"]["Content-Type"], "text/plain")
        self.assertEqual(ok["headers"]["Content-Encoding"], "gzip")
        self.assertLess(ok["received"], 40)  # netius' "received": the bytes as transferred
        import base64
        self.assertEqual(base64.b64decode(lines[1]["data_base64"]), bytes(range(256)) * 64)
        self.assertEqual(lines[1]["received"], 256 * 64)
        self.assertEqual((lines[2]["code"], lines[2]["data"], lines[2]["error"]),
                         (None, None, "closed"))
        self.assertIn("Connection refused", lines[2]["message"])

    def test_request_fields(self):
        before = len(self.nginx.access_log())
        self.get(self.nginx.url("/small.txt"))
        self.get("-A", "agent/1.0", "-H", "X-Test: hello", self.nginx.url("/small.txt"))
        log = self.log_since(before, 2)
        self.assertTrue(log[0].endswith("[-] [netius] [-]"), log)
        self.assertTrue(log[1].endswith("[-] [agent/1.0] [hello]"), log)
        r = self.get("-H", "Bad Header", self.nginx.url("/"))
        self.assertFailsWith(r, "is not 'Name: value'", code=2)

    def test_ipv6_and_address_families(self):
        self.assertEqual(self.get(self.nginx.url6("/small.txt")).stdout, self.small)
        self.assertEqual(self.get("-6", self.nginx.url6("/small.txt")).stdout, self.small)
        r = self.get("-4", self.nginx.url6("/small.txt"))
        self.assertFailsWith(r, "'::1' is not an IPv4 address", code=6)

    def test_progress_bar_when_asked(self):
        r = self.get("--progress", "-o", self.path("p.out"), self.nginx.url("/big.txt"))
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertIn(b"\r", r.stderr)
        self.assertIn(b"/s", r.stderr)
        quiet = self.get("-o", self.path("q.out"), self.nginx.url("/big.txt"))
        self.assertEqual(quiet.stderr, b"")  # stderr is not a terminal here

    def test_tls_verification(self):
        ca = os.path.join(self.work, "root.pem")
        good = self.get("--cacert", ca, self.nginx.https_url("/small.txt"))
        self.assertEqual((good.returncode, good.stdout), (0, self.small), good.stderr)
        self.assertEqual(self.get(self.nginx.https_url("/small.txt"),
                                  env={"CA_FILE": ca}).stdout, self.small)
        wrong_host = self.get("--cacert", ca, self.nginx.https_url("/small.txt", "127.0.0.1"))
        self.assertFailsWith(wrong_host, "certificate verify failed", code=60)
        untrusted = self.get(self.nginx.https_url("/small.txt"))
        self.assertFailsWith(untrusted, "certificate verify failed", code=60)
        insecure = self.get("-k", self.nginx.https_url("/small.txt", "127.0.0.1"))
        self.assertEqual(insecure.stdout, self.small)
        # A redirect from http to https (the TLS context is made only then).
        self.assertEqual(self.get("-k", self.nginx.url("/to-https")).stdout, self.small)
        r = self.get(self.nginx.url("/to-https"))
        self.assertFailsWith(r, "certificate verify failed", code=60)


class HelloTest(TempDirTest):
    """Against `netius serve hello`: many URLs at once, every response coding, TLS."""

    def serve(self, *args):
        s = ServeProcess(["hello"] + list(args))
        self.addCleanup(s.stop)
        return s

    def test_many_urls_at_once(self):
        srv = self.serve()
        urls = ["%s/%d" % (srv.url, i) for i in range(40)]
        r = run(["http", "get"] + urls)
        self.assertEqual((r.returncode, r.stdout), (0, b"Hello World" * 40), r.stderr)

    def test_response_codings(self):
        for encoding in ("plain", "chunked", "gzip", "deflate"):
            srv = self.serve("--encoding", encoding)
            r = run(["http", "get", "-v", srv.url + "/"])
            self.assertEqual(r.stdout, b"Hello World", (encoding, r.stderr))
            if encoding in ("gzip", "deflate"):
                self.assertIn(b"< Content-Encoding: " + encoding.encode(), r.stderr)

    def test_self_signed_fails_unless_insecure(self):
        srv = self.serve("--ssl")
        url = srv.url + "/"
        self.assertTrue(url.startswith("https://"), url)
        self.assertFailsWith(run(["http", "get", url]), "certificate verify failed", code=60)
        r = run(["http", "get", "-k", url])
        self.assertEqual((r.returncode, r.stdout), (0, b"Hello World"), r.stderr)


class MisbehavingServerTest(TempDirTest):
    """Servers that never answer, close mid-body, send odd bytes, or fail before recovering."""

    def raw(self, handler):
        s = RawServer(handler).__enter__()
        self.addCleanup(s.__exit__, None, None, None)
        return s

    def test_server_that_never_answers_times_out(self):
        srv = self.raw(lambda conn, head, n: srv.hold())
        r = run(["http", "get", "--timeout", "1", srv.url()])
        self.assertFailsWith(r, "Timeout on receive", code=28)

    def test_close_mid_body_leaves_no_file(self):
        def handler(conn, head, n):
            conn.sendall(b"HTTP/1.1 200 OK\r\nContent-Length: 1000\r\n\r\n" + b"x" * 100)
        srv = self.raw(handler)
        out = self.path("out.bin")
        r = run(["http", "get", "-o", out, srv.url()])
        self.assertFailsWith(r, "closed after 100 of 1000 content bytes", code=18)
        self.assertEqual(os.listdir(self.dir), [])  # neither the file nor a temporary one

    def test_content_codings(self):
        def handler(conn, head, n):
            coding, body = (b"br", HELLO_BR) if b"/br" in head else (b"zstd", b"x")
            conn.sendall(b"HTTP/1.1 200 OK\r\nContent-Encoding: " + coding +
                         b"\r\nContent-Length: %d\r\n\r\n" % len(body) + body)
        srv = self.raw(handler)
        r = run(["http", "get", srv.url("/br")])
        self.assertEqual((r.returncode, r.stdout), (0, b"Hello World"), r.stderr)
        r = run(["http", "get", srv.url("/zstd")])
        self.assertFailsWith(r, "unsupported Content-Encoding 'zstd'", code=61)

    def test_malformed_and_empty_replies(self):
        srv = self.raw(lambda conn, head, n: conn.sendall(
            b"SSH-2.0-OpenSSH\r\n\r\n" if b"/ssh" in head else b""))
        self.assertFailsWith(run(["http", "get", srv.url("/ssh")]), "malformed response", code=8)
        self.assertFailsWith(run(["http", "get", srv.url("/")]),
                             "closed before the response", code=52)

    def test_retry_with_back_off_until_it_works(self):
        def handler(conn, head, n):
            if n == 1:
                return  # closed without an answer
            if n == 2:
                conn.sendall(b"HTTP/1.1 503 Busy\r\nContent-Length: 4\r\n\r\nbusy")
                return
            conn.sendall(b"HTTP/1.1 200 OK\r\nContent-Length: 2\r\nConnection: close\r\n\r\nok")
        srv = self.raw(handler)
        r = run(["http", "get", "--retry", "3", "--retry-delay", "0.1", srv.url()])
        self.assertEqual((r.returncode, r.stdout), (0, b"ok"), r.stderr)
        self.assertEqual(srv.count, 3)
        self.assertEqual(r.stderr.count(b"retrying"), 2, r.stderr)

    def test_refused_and_connect_timeout(self):
        s = socket.socket()
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
        s.close()
        r = run(["http", "get", "http://127.0.0.1:%d/" % port])
        self.assertFailsWith(r, "Connection refused", code=7)
        # A listener whose accept queue is full drops new SYNs: connect() never completes.
        hole = socket.socket()
        hole.bind(("127.0.0.1", 0))
        hole.listen(0)
        self.addCleanup(hole.close)
        filler = socket.create_connection(hole.getsockname(), timeout=5)
        self.addCleanup(filler.close)
        r = run(["http", "get", "--connect-timeout", "0.5", "http://%s:%d/" % hole.getsockname()])
        self.assertFailsWith(r, "Timeout on connect", code=28)


class DnsTest(TempDirTest):
    """Names through c-ares on the loop (dnsmasq on loopback), every address tried."""

    def test_every_address_is_tried(self):
        srv = ServeProcess(["hello"])  # 127.0.0.1 only: ::1 refuses
        self.addCleanup(srv.stop)
        hosts = {"both.test": ["127.0.0.1", "::1"]}
        with Dnsmasq({}, hosts=hosts) as dns:
            url = "http://both.test:%d/" % srv.port
            base = ["http", "get", "--nameserver", dns.address]
            r = run(base + ["-v", "--log-level", "DEBUG", url])
            self.assertEqual((r.returncode, r.stdout), (0, b"Hello World"), r.stderr)
            self.assertIn(b"connect([::1]:%d): Connection refused" % srv.port, r.stderr)
            self.assertIn(b"Connected to both.test (127.0.0.1:", r.stderr)
            self.assertEqual(run(base + ["-4", url]).stdout, b"Hello World")
            self.assertFailsWith(run(base + ["-6", url]), "Connection refused", code=7)
            r = run(["http", "get", "http://nowhere.test/"], env={"NAMESERVERS": dns.address})
            self.assertFailsWith(r, "DNS lookup of 'nowhere.test' found nothing", code=6)


class UsageTest(TempDirTest):
    def test_usage_errors_and_bad_urls(self):
        self.assertFailsWith(run(["http", "get", "ftp://a/"]), "unsupported scheme 'ftp'", code=3)
        self.assertFailsWith(run(["http", "get", "-4", "-6", "http://a/"]), "exclude", code=2)
        self.assertEqual(run(["http", "get"]).returncode, 2)
        r = run(["http", "get", "--help"])
        self.assertIn(b"Exit status", r.stdout)
        self.assertIn(b"28 timeout", r.stdout)


if __name__ == "__main__":
    unittest.main()
