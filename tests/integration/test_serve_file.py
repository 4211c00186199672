"""`netius serve file` against curl, raw sockets and headless Chromium: files, validators,
ranges checked byte for byte, directories and listings, compression, and the traversal suite
proving that nothing outside the base directory is ever served."""
import email.utils
import gzip
import hashlib
import json
import os
import re
import shutil
import socket
import subprocess
import tempfile
import time
import unittest

from harness import ServeProcess, TempDirTest, tool

SECRET = b"secret-outside-the-base"


def rss_kib(pid):
    with open("/proc/%d/status" % pid) as f:
        return int(re.search(r"VmRSS:\s+(\d+) kB", f.read()).group(1))


def split_response(data):
    """(status, {lower-case name: [values]}, body) of one raw response."""
    head, _, body = data.partition(b"\r\n\r\n")
    lines = head.decode("latin-1").split("\r\n")
    headers = {}
    for line in lines[1:]:
        name, _, value = line.partition(":")
        headers.setdefault(name.strip().lower(), []).append(value.strip())
    return int(lines[0].split()[1]), headers, body


def parse_multipart(body, boundary):
    """[(Content-Range, bytes)] of a multipart/byteranges body (RFC 9110 §14.6)."""
    delimiter = b"--" + boundary.encode()
    assert body.startswith(delimiter + b"\r\n"), body[:80]
    parts, rest = [], body[len(delimiter) + 2:]
    while True:
        head, _, rest = rest.partition(b"\r\n\r\n")
        fields = dict(line.split(": ", 1) for line in head.decode().split("\r\n"))
        data, _, rest = rest.partition(b"\r\n" + delimiter)
        parts.append((fields["Content-Range"], data))
        if rest == b"--\r\n":
            return parts
        assert rest.startswith(b"\r\n"), rest[:20]
        rest = rest[2:]


class FileServerTest(TempDirTest):
    """A tree like netius' fixture (www/ served, www2/ beside it) plus files for each feature."""

    def setUp(self):
        super().setUp()
        self.base = self.path("www")
        for d in ("www/sub", "www/d1/d2", "www/.git", "www2"):
            os.makedirs(self.path(d))
        self.write("www/a.txt", "Hello File\n")
        self.write("www/sp ace.css", "x")
        self.write("www/sub/index.html", "<h1>x</h1>")
        self.write("www/d1/d2/f.bin", b"abc")
        self.write("www/.env", b"HIDDEN=1")
        self.write("www/.git/config", b"[core]")
        self.write("www/<img src=x onerror=alert(1)>.txt", b"xss")
        self.data = os.urandom(100_000)
        self.write("www/data.bin", self.data)
        self.write("www/app.js", "var x = 1;\n" * 2000)
        self.write("www/app.js.gz", gzip.compress(b"precompressed gzip"))
        self.write("www/app.js.br", b"precompressed br")
        self.write("www2/s.txt", SECRET)
        os.symlink("a.txt", self.path("www/link-in"))
        os.symlink("../www2/s.txt", self.path("www/link-out"))
        os.symlink(self.path("www2/s.txt"), self.path("www/link-abs"))
        os.symlink("../www2", self.path("www/dir-out"))
        os.mkfifo(self.path("www/fifo"))
        os.utime(self.path("www/a.txt"), (1577934245, 1577934245))

    def serve(self, *args, env=None):
        s = ServeProcess(["file", "--base-path", self.base] + list(args), env=env)
        self.addCleanup(s.stop)
        return s

    def curl(self, srv, path, *args, check=True):
        return tool(["curl", "-s", "-i", "--path-as-is"] + list(args) + [srv.url + path],
                    check=check)

    def get(self, srv, path, *args):
        """(status, headers, body) through curl."""
        out = self.curl(srv, path, *args).stdout
        while out.startswith(b"HTTP/1.1 100"):
            out = out.split(b"\r\n\r\n", 1)[1]
        return split_response(out)

    def raw(self, srv, request):
        """Sends `request` (bytes) on a new connection and returns all it gets until close."""
        with socket.create_connection(("127.0.0.1", srv.port), timeout=10) as s:
            s.sendall(request)
            data = b""
            while True:
                chunk = s.recv(65536)
                if not chunk:
                    return data
                data += chunk


class FilesTest(FileServerTest):
    def test_get_head_and_validators(self):
        srv = self.serve()
        status, h, body = self.get(srv, "/a.txt")
        self.assertEqual(status, 200)
        self.assertEqual(body, b"Hello File\n")
        self.assertEqual(h["content-type"], ["text/plain; charset=utf-8"])
        self.assertEqual(h["content-length"], ["11"])
        self.assertEqual(h["accept-ranges"], ["bytes"])
        self.assertEqual(h["last-modified"], ["Thu, 02 Jan 2020 03:04:05 GMT"])
        etag = h["etag"][0]
        self.assertRegex(etag, r'^"[0-9a-f]+\.[0-9a-f]+-b"$')  # strong and quoted
        # HEAD: the same head, never a body (a pipelined request right after proves it).
        data = self.raw(srv, b"HEAD /a.txt HTTP/1.1\r\nHost: a\r\n\r\n"
                             b"GET /sp%20ace.css HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n")
        first, second = data.split(b"HTTP/1.1 ")[1:]
        self.assertTrue(first.endswith(b"\r\n\r\n"), first)
        self.assertIn(b"Content-Length: 11", first)
        self.assertTrue(second.endswith(b"\r\n\r\nx"), second)

        for value in (etag, '"x", ' + etag, "*", "W/" + etag):
            self.assertEqual(self.get(srv, "/a.txt", "-H", "If-None-Match: " + value)[0], 304,
                             value)
        status, h304, body = self.get(srv, "/a.txt", "-H", "If-None-Match: " + etag)
        self.assertEqual((h304["etag"], body), ([etag], b""))
        self.assertNotIn("content-length", h304)
        self.assertEqual(self.get(srv, "/a.txt", "-H", 'If-None-Match: "other"')[0], 200)
        self.assertEqual(self.get(srv, "/a.txt", "-H",
                                  "If-Modified-Since: Thu, 02 Jan 2020 03:04:05 GMT")[0], 304)
        self.assertEqual(self.get(srv, "/a.txt", "-H",
                                  "If-Modified-Since: Thu, 02 Jan 2020 03:04:04 GMT")[0], 200)
        self.assertEqual(self.get(srv, "/a.txt", "-H", 'If-Match: "other"')[0], 412)
        self.assertEqual(self.get(srv, "/a.txt", "-H", "If-Match: " + etag)[0], 200)
        # curl's own conditional download: -z sends If-Modified-Since.
        r = tool(["curl", "-s", "-o", "/dev/null", "-w", "%{http_code}", "-z",
                  "Thu, 02 Jan 2020 03:04:05 GMT", srv.url + "/a.txt"])
        self.assertEqual(r.stdout, b"304")

    def test_other_methods_get_405_with_allow(self):
        srv = self.serve()
        for method in ("POST", "PUT", "DELETE", "OPTIONS", "PATCH"):
            status, h, _ = self.get(srv, "/a.txt", "-X", method, "--data", "x")
            self.assertEqual(status, 405, method)
            self.assertEqual(h["allow"], ["GET, HEAD"])

    def test_content_types(self):
        srv = self.serve()
        for path, want in (("/sp%20ace.css", "text/css; charset=utf-8"),
                           ("/d1/d2/f.bin", "application/octet-stream"),
                           ("/app.js", "application/javascript; charset=utf-8"),
                           ("/sub/index.html", "text/html; charset=utf-8")):
            self.assertEqual(self.get(srv, path)[1]["content-type"], [want], path)

    def test_ranges_are_byte_exact(self):
        srv = self.serve()
        size, d = len(self.data), self.data
        singles = {"0-0": (0, 0), "10-19": (10, 19), "99990-": (99990, size - 1),
                   "-100": (size - 100, size - 1), "-200000": (0, size - 1),
                   "50000-999999": (50000, size - 1)}
        for spec, (first, last) in singles.items():
            status, h, body = self.get(srv, "/data.bin", "-H", "Range: bytes=" + spec)
            self.assertEqual(status, 206, spec)
            self.assertEqual(h["content-range"], ["bytes %d-%d/%d" % (first, last, size)], spec)
            self.assertEqual(body, d[first:last + 1], spec)
        # curl -r, the way users ask.
        r = tool(["curl", "-s", "-r", "1000-1999", srv.url + "/data.bin"])
        self.assertEqual(r.stdout, d[1000:2000])
        # Several ranges: multipart/byteranges, overlapping ones coalesced.
        status, h, body = self.get(srv, "/data.bin", "-H", "Range: bytes=0-9,500-599,-5,3-12")
        self.assertEqual(status, 206)
        ctype = h["content-type"][0]
        self.assertTrue(ctype.startswith("multipart/byteranges; boundary="), ctype)
        self.assertEqual(int(h["content-length"][0]), len(body))
        parts = parse_multipart(body, ctype.split("boundary=")[1])
        self.assertEqual(parts, [("bytes 0-12/%d" % size, d[0:13]),
                                 ("bytes 500-599/%d" % size, d[500:600]),
                                 ("bytes %d-%d/%d" % (size - 5, size - 1, size), d[-5:])])
        # Unsatisfiable: 416 with the size; bad syntax or another unit: the whole file.
        status, h, _ = self.get(srv, "/data.bin", "-H", "Range: bytes=100000-")
        self.assertEqual((status, h["content-range"]), (416, ["bytes */100000"]))
        for value in ("bytes=5-2", "items=0-1", "bytes=x"):
            status, _, body = self.get(srv, "/data.bin", "-H", "Range: " + value)
            self.assertEqual((status, body), (200, d), value)
        # If-Range: the current ETag gets the range, an old one the whole file.
        etag = self.get(srv, "/data.bin")[1]["etag"][0]
        self.assertEqual(self.get(srv, "/data.bin", "-H", "Range: bytes=0-1", "-H",
                                  "If-Range: " + etag)[2], d[:2])
        self.assertEqual(self.get(srv, "/data.bin", "-H", "Range: bytes=0-1", "-H",
                                  'If-Range: "old"')[2], d)
        # HEAD ignores Range (RFC 9110 §14.2).
        self.assertEqual(self.get(srv, "/data.bin", "-I", "-H", "Range: bytes=0-1")[0], 200)

    def test_cors_and_cache(self):
        srv = self.serve("--cors", "--cache", "60")
        status, h, _ = self.get(srv, "/a.txt")
        self.assertEqual(h["access-control-allow-origin"], ["*"])
        self.assertEqual(h["cache-control"], ["public, max-age=60"])
        expires = email.utils.parsedate_to_datetime(h["expires"][0]).timestamp()
        date = email.utils.parsedate_to_datetime(h["date"][0]).timestamp()
        self.assertAlmostEqual(expires - date, 60, delta=2)
        srv2 = self.serve(env={"CORS": "0", "CACHE": "0"})
        _, h, _ = self.get(srv2, "/a.txt")
        self.assertNotIn("access-control-allow-origin", h)
        self.assertNotIn("cache-control", h)

    def test_precompressed_siblings(self):
        srv = self.serve("--precompressed")
        status, h, body = self.get(srv, "/app.js", "-H", "Accept-Encoding: gzip, br")
        self.assertEqual((h["content-encoding"], body), (["br"], b"precompressed br"))
        self.assertEqual(h["content-type"], ["application/javascript; charset=utf-8"])
        self.assertEqual(h["vary"], ["Accept-Encoding"])
        r = tool(["curl", "-s", "--compressed", srv.url + "/app.js", "-H",
                  "Accept-Encoding: gzip"])
        self.assertEqual(r.stdout, b"precompressed gzip")
        status, h, body = self.get(srv, "/app.js")
        self.assertNotIn("content-encoding", h)
        self.assertEqual(body, b"var x = 1;\n" * 2000)
        self.assertEqual(h["vary"], ["Accept-Encoding"])
        _, h, _ = self.get(srv, "/a.txt", "-H", "Accept-Encoding: br")  # no sibling: as is
        self.assertNotIn("content-encoding", h)

    def test_text_is_compressed_on_the_fly(self):
        srv = self.serve("--encoding", "gzip")
        original = b"var x = 1;\n" * 2000
        r = tool(["curl", "-s", "-D", "-", "--compressed", srv.url + "/app.js"])
        head, body = r.stdout.split(b"\r\n\r\n", 1)
        self.assertIn(b"Content-Encoding: gzip", head)
        self.assertIn(b"Vary: Accept-Encoding", head)
        self.assertNotIn(b"Accept-Ranges", head)
        self.assertRegex(head, rb'ETag: W/"')  # another representation: a weak validator
        self.assertEqual(body, original)
        _, h, body = self.get(srv, "/data.bin", "--compressed")  # binary: as is, with ranges
        self.assertNotIn("content-encoding", h)
        self.assertEqual(body, self.data)
        status, h, body = self.get(srv, "/app.js", "--compressed", "-H", "Range: bytes=0-3")
        self.assertEqual((status, body), (206, b"var "))
        self.assertNotIn("content-encoding", h)
        _, h, body = self.get(srv, "/app.js")  # did not ask: plain, sendfile
        self.assertEqual((h["content-length"], body), ([str(len(original))], original))

    def test_access_log_workers_unix_socket_and_tls(self):
        log = self.path("access.log")
        srv = self.serve("--workers", "2", "--access-log", log)
        for _ in range(4):
            self.assertEqual(self.get(srv, "/a.txt")[2], b"Hello File\n")
        self.assertEqual(srv.stop(), 0)
        with open(log) as f:
            self.assertIn('"GET /a.txt HTTP/1.1" 200 11 ', f.read())
        sock = self.path("file.sock")
        self.serve("--unix", sock)
        r = tool(["curl", "-s", "--unix-socket", sock, "http://localhost/a.txt"])
        self.assertEqual(r.stdout, b"Hello File\n")
        tls = self.serve("--ssl")
        r = tool(["curl", "-sk", "-r", "5-9", tls.url + "/data.bin"])
        self.assertEqual(r.stdout, self.data[5:10])
        r = tool(["curl", "-sk", tls.url + "/data.bin"])
        self.assertEqual(r.stdout, self.data)

    def test_bad_base_path_is_one_line(self):
        from harness import run
        self.assertFailsWith(run(["serve", "file", "--base-path", self.path("missing"),
                                  "--port", "0"]), "missing")


class DirectoryTest(FileServerTest):
    def test_redirect_index_and_listing_switch(self):
        srv = self.serve()
        status, h, _ = self.get(srv, "/sub?x=1")
        self.assertEqual((status, h["location"]), (301, ["/sub/?x=1"]))
        status, h, _ = self.get(srv, "/sp%20ace.css/")  # a file asked as a directory
        self.assertEqual(status, 404)
        self.assertEqual(self.get(srv, "/sub/")[2], b"<h1>x</h1>")  # index.html
        r = tool(["curl", "-sL", srv.url + "/sub"])  # following the redirect
        self.assertEqual(r.stdout, b"<h1>x</h1>")
        # A path that starts like "//host" after the redirect must not become one.
        status, h, _ = self.get(srv, "//sub")
        self.assertEqual(h["location"], ["/sub/"])
        srv2 = self.serve("--index-files", "missing.html;a.txt")
        self.assertEqual(self.get(srv2, "/")[2], b"Hello File\n")
        srv3 = self.serve("--index-files", "", env={"LIST_DIRS": "0"})
        self.assertEqual(self.get(srv3, "/d1/")[0], 404)
        self.assertEqual(self.get(srv3, "/sub/")[0], 404)

    def test_listing_html_and_json(self):
        srv = self.serve()
        status, h, page = self.get(srv, "/")
        self.assertEqual(h["content-type"], ["text/html; charset=utf-8"])
        self.assertIn("default-src 'none'", h["content-security-policy"][0])
        page = page.decode()
        self.assertIn('<a href="d1/">', page)
        self.assertIn('<a href="sp%20ace.css">', page)
        self.assertIn("&lt;img src=x onerror=alert(1)&gt;.txt", page)
        self.assertNotIn("<img", page)
        for hidden in (".env", ".git", "link-out", "link-in", "fifo"):
            self.assertNotIn(">" + hidden, page)
        _, _, body = self.get(srv, "/?format=json&sort=size&direction=desc")
        listing = json.loads(body)
        self.assertEqual(listing["path"], "/")
        names = [e["name"] for e in listing["entries"]]
        self.assertEqual(names[0], "data.bin")  # the biggest first
        self.assertEqual(names[-2:], ["sub", "d1"])  # directories count as 0, reversed
        self.assertIn("<img src=x onerror=alert(1)>.txt", names)
        a = next(e for e in listing["entries"] if e["name"] == "a.txt")
        self.assertEqual(a, {"name": "a.txt", "href": "a.txt", "kind": "file", "size": 11,
                             "modified": "2020-01-02T03:04:05Z", "type": "text/plain"})
        _, _, body = self.get(srv, "/d1/d2/?format=json")
        self.assertEqual(json.loads(body)["entries"][0]["href"], "f.bin")

    def test_hidden_files(self):
        srv = self.serve()
        for path in ("/.env", "/.git/config", "/.git/", "/%2eenv"):
            self.assertEqual(self.get(srv, path)[0], 404, path)
        srv2 = self.serve("--hidden")
        self.assertEqual(self.get(srv2, "/.env")[2], b"HIDDEN=1")
        self.assertIn('href=".env"', self.get(srv2, "/")[2].decode())

    def test_listing_in_headless_chromium(self):
        chromium = shutil.which("chromium")
        if not chromium:
            self.fail("chromium missing: run scripts/deps.sh")
        srv = self.serve()
        profile = tempfile.mkdtemp(prefix="netius-chromium-")
        self.addCleanup(shutil.rmtree, profile, True)
        r = tool([chromium, "--headless", "--no-sandbox", "--disable-gpu",
                  "--user-data-dir=" + profile, "--dump-dom", srv.url + "/"], timeout=90)
        dom = r.stdout.decode()
        self.assertIn("<title>Index of /</title>", dom)
        links = re.findall(r'<a href="([^"]+)"><svg[^>]*><use[^>]*></use></svg>([^<]+)</a>', dom)
        self.assertIn(("a.txt", "a.txt"), links)
        self.assertIn(("d1/", "d1/"), links)
        self.assertIn(("sp%20ace.css", "sp ace.css"), links)
        # The hostile name is text in a link, not an element: no <img> in the rendered DOM.
        self.assertIn(("%3Cimg%20src%3Dx%20onerror%3Dalert%281%29%3E.txt",
                       "&lt;img src=x onerror=alert(1)&gt;.txt"), links)
        self.assertNotIn("<img", dom)


class TraversalTest(FileServerTest):
    # Raw request targets (no client normalises them): each must be refused, none may show
    # a byte from outside the base, a file-system path, or a 500.
    TARGETS = [
        "/../www2/s.txt", "/..", "/../", "/./../www2/s.txt", "//../www2/s.txt",
        "/sub/../../www2/s.txt", "/%2e%2e/www2/s.txt", "/%2E%2E/www2/s.txt",
        "/.%2e/www2/s.txt", "/%2e%2e%2fwww2%2fs.txt", "/..%2fwww2%2fs.txt",
        "/%252e%252e/www2/s.txt", "/%252e%252e%252fwww2%252fs.txt",
        "/..%5cwww2%5cs.txt", "/%5c..%5cwww2%5cs.txt", "/..%255cwww2%255cs.txt",
        "/%c0%ae%c0%ae/www2/s.txt", "/%c0%ae%c0%ae%c0%afwww2%c0%afs.txt",
        "/%e0%80%ae%e0%80%ae/www2/s.txt", "/a.txt%00.html", "/%00", "/..%00/www2/s.txt",
        "/link-out", "/link-abs", "/dir-out/s.txt", "/fifo", "/..;/www2/s.txt",
        "http://localhost/../www2/s.txt", "http://localhost/%2e%2e/www2/s.txt",
        "http://localhost/link-out",
    ]
    # Malformed targets the parser itself rejects with 400.
    BAD = ["../www2/s.txt", "..\\www2\\s.txt", "/..\\www2\\s.txt", "www2/s.txt",
           "/%zz", "/%2"]

    def check_refused(self, srv, target, statuses=(404,)):
        data = self.raw(srv, b"GET " + target.encode() + b" HTTP/1.1\r\nHost: localhost\r\n"
                        b"Connection: close\r\n\r\n")
        status, _, body = split_response(data)
        self.assertIn(status, statuses, target)
        self.assertNotIn(SECRET, data, target)
        self.assertNotIn(self.dir.encode(), data, target)
        self.assertNotIn(b"root:", data, target)

    def test_nothing_outside_the_base_is_served(self):
        for follow in ((), ("--follow-symlinks",)):
            srv = self.serve(*follow)
            for target in self.TARGETS:
                with self.subTest(target=target, follow=bool(follow)):
                    self.check_refused(srv, target)
            for target in self.BAD:
                with self.subTest(target=target, follow=bool(follow)):
                    self.check_refused(srv, target, (400,))
            # Still serving afterwards, and what is inside is reachable.
            self.assertEqual(self.get(srv, "/a.txt")[2], b"Hello File\n")

    def test_symlinks_are_followed_only_inside_when_asked(self):
        srv = self.serve()
        self.assertEqual(self.get(srv, "/link-in")[0], 404)
        srv2 = self.serve(env={"FOLLOW_SYMLINKS": "1"})
        self.assertEqual(self.get(srv2, "/link-in")[2], b"Hello File\n")
        self.assertEqual(self.get(srv2, "/link-out")[0], 404)

    def test_sibling_prefix_of_the_base(self):
        # netius' string-prefix check served /srv/www2 for a base /srv/www.
        srv = self.serve()
        self.check_refused(srv, "/../www2/s.txt")
        with socket.create_connection(("127.0.0.1", srv.port), timeout=10) as s:
            s.sendall(b"GET /../www2/s.txt HTTP/1.1\r\nHost: a\r\n\r\n"
                      b"GET /a.txt HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n")
            data = b""
            while chunk := s.recv(65536):
                data += chunk
        self.assertIn(b"404 Not Found", data)
        self.assertTrue(data.endswith(b"Hello File\n"), data)  # and the connection lived on


class BigFileTest(FileServerTest):
    def download(self, srv, path, *curl_args):
        """(sha256, size, peak RSS growth in KiB of the server) of a curl download."""
        pid = srv.worker_pid()  # the master only supervises
        before = rss_kib(pid)
        peak = before
        curl = subprocess.Popen(["curl", "-sS", "--fail"] + list(curl_args) + [srv.url + path],
                                stdout=subprocess.PIPE)
        h, n = hashlib.sha256(), 0
        try:
            while chunk := curl.stdout.read(1 << 20):
                h.update(chunk)
                n += len(chunk)
                if n % (32 << 20) < (1 << 20):
                    peak = max(peak, rss_kib(pid))
            self.assertEqual(curl.wait(timeout=120), 0)
        finally:
            if curl.poll() is None:
                curl.kill()
                curl.wait()
            curl.stdout.close()
        return h.hexdigest(), n, max(peak, rss_kib(pid)) - before

    def sparse_file(self, name, size):
        path = self.path("www/" + name)
        with open(path, "wb") as f:
            f.truncate(size)
            for offset in (0, size // 3, size - 4096):  # some data among the holes
                f.seek(offset)
                f.write(os.urandom(4096))
        h = hashlib.sha256()
        with open(path, "rb") as f:
            while chunk := f.read(8 << 20):
                h.update(chunk)
        return h.hexdigest()

    def test_2gib_sparse_file_with_flat_memory(self):
        size = 2 << 30
        want = self.sparse_file("big.bin", size)
        srv = self.serve()
        digest, n, growth = self.download(srv, "/big.bin")
        self.assertEqual((n, digest), (size, want))
        self.assertMemoryBelow(growth, 16 << 10, "server RSS grew by %d KiB" % growth)

    def test_tls_and_a_slow_reader_keep_memory_flat(self):
        # The loop waits for readiness without any timeout: a missed wake-up would hang the
        # download (netius' edge-trigger test, with a reader slower than the server).
        size = 256 << 20
        want = self.sparse_file("mid.bin", size)
        srv = self.serve("--ssl")
        digest, n, growth = self.download(srv, "/mid.bin", "-k", "--limit-rate", "100M")
        self.assertEqual((n, digest), (size, want))
        self.assertMemoryBelow(growth, 16 << 10, "server RSS grew by %d KiB" % growth)


if __name__ == "__main__":
    unittest.main()
