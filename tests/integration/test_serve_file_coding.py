"""`netius serve file --encoding gzip` over HTTP/1.1 and h2 (curl): a HEAD carries the fields
its GET does (RFC 9110 §9.3.2), a 304 repeats the Vary and ETag of its 200 (§15.4.5), and the
access log counts the content bytes actually sent, also for content compressed on the fly
(nginx's $body_bytes_sent)."""
import os
import re
import unittest

from harness import ServeProcess, TempDirTest, tool, wait_for

SMALL = b"Hello File, small enough to be read whole\n" * 4  # inlined by the handler
BIG = b"var x = 1;\n" * 2000  # streamed (over 16 KiB)
GZIP = "Accept-Encoding: gzip"


def fields(head):
    """{lower-case name: [values]} of the last response head in curl's -D/-I output, without
    Date (it may change between two requests)."""
    last = head.decode("latin-1").strip().split("\r\n\r\n")[-1]
    out = {}
    for line in last.split("\r\n")[1:]:
        name, _, value = line.partition(":")
        if name.lower() != "date":
            out.setdefault(name.strip().lower(), []).append(value.strip())
    return out


class CodingTest(TempDirTest):
    def setUp(self):
        super().setUp()
        os.makedirs(self.path("www"))
        self.write("www/small.txt", SMALL)
        self.write("www/app.js", BIG)
        self.data = os.urandom(50_000)
        self.write("www/data.bin", self.data)
        self.log = self.path("access.log")
        self.srv = ServeProcess(["file", "--base-path", self.path("www"), "--encoding", "gzip",
                                 "--access-log", self.log])
        self.addCleanup(self.srv.stop)

    def curl(self, h2, *args):
        """(status, fields, body): curl does not decode the content (no --compressed)."""
        if os.path.exists(self.path("body")):
            os.unlink(self.path("body"))  # curl writes no file for an empty body
        r = tool(["curl", "-sS", "--max-time", "30", "-D", "-", "-o", self.path("body"),
                  "--http2-prior-knowledge" if h2 else "--http1.1"] + list(args), check=False)
        self.assertEqual(r.returncode, 0, r.stderr)
        status = int(r.stdout.split(b"\r\n")[0].split()[1])
        body = self.read("body") if os.path.exists(self.path("body")) else b""
        return status, fields(r.stdout), body

    def head(self, h2, *args):
        r = tool(["curl", "-sS", "--max-time", "30", "-I",
                  "--http2-prior-knowledge" if h2 else "--http1.1"] + list(args))
        return fields(r.stdout)

    def test_head_has_the_fields_of_get(self):
        for h2 in (False, True):
            for path in ("/small.txt", "/app.js", "/data.bin"):
                for extra in ([], ["-H", GZIP]):
                    with self.subTest(h2=h2, path=path, gzip=bool(extra)):
                        _, got, body = self.curl(h2, *extra, self.srv.url + path)
                        self.assertEqual(self.head(h2, *extra, self.srv.url + path), got)
                        if extra and path != "/data.bin":
                            self.assertEqual(got["content-encoding"], ["gzip"])
                        if "content-length" in got:
                            self.assertEqual(got["content-length"], [str(len(body))])
        # The small text under gzip: a Content-Length on both (it is compressed whole).
        _, got, body = self.curl(False, "-H", GZIP, self.srv.url + "/small.txt")
        self.assertEqual(got["content-length"], [str(len(body))])
        self.assertNotIn("transfer-encoding", got)

    def test_not_modified_repeats_vary_and_etag(self):
        for h2 in (False, True):
            for path, coded in (("/small.txt", True), ("/app.js", True), ("/data.bin", False)):
                with self.subTest(h2=h2, path=path):
                    status, ok, _ = self.curl(h2, "-H", GZIP, self.srv.url + path)
                    self.assertEqual(status, 200)
                    etag = ok["etag"][0]
                    status, nm, body = self.curl(h2, "-H", GZIP, "-H", "If-None-Match: " + etag,
                                                 self.srv.url + path)
                    self.assertEqual((status, body), (304, b""))
                    for name in ("vary", "etag", "last-modified"):
                        self.assertEqual(nm.get(name), ok.get(name), name)
                    self.assertEqual("vary" in nm, coded)
                    self.assertEqual(etag.startswith("W/"), coded)

    def log_lines(self, count):
        def lines():
            if not os.path.exists(self.log):
                return None
            with open(self.log) as f:
                got = f.read().splitlines()
            return got if len(got) >= count else None
        return wait_for(lines, 10, "%d access log lines" % count)  # flushed every second

    def test_access_log_counts_the_bytes_sent(self):
        sent = []
        for h2 in (False, True):
            for args in (["-H", GZIP, self.srv.url + "/app.js"],  # compressed on the fly
                         ["-H", GZIP, self.srv.url + "/small.txt"],
                         [self.srv.url + "/data.bin"],  # sendfile
                         ["-r", "10-19", self.srv.url + "/data.bin"]):
                status, got, body = self.curl(h2, *args)
                if args[0] == "-H" and args[2].endswith(".js"):
                    self.assertEqual(got["content-encoding"], ["gzip"])
                    self.assertLess(len(body), len(BIG))
                sent.append((status, len(body)))
        lines = self.log_lines(len(sent))
        logged = []
        for line in lines:
            m = re.search(r'" (\d{3}) (\d+) "', line)
            self.assertIsNotNone(m, line)
            logged.append((int(m.group(1)), int(m.group(2))))
        self.assertEqual(logged, sent)
        self.assertIn("HTTP/2.0", lines[-1])


if __name__ == "__main__":
    unittest.main()
