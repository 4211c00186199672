"""Streamed request content of `netius http post|put|...` against `serve wsgi` running
tests/data/wsgi/echo_app.py: --data-binary @FILE sent with Content-Length in bounded memory,
standard input from a pipe chunked (from a file: sized), -F files streamed; RFC 9110's redirect
rules with streamed content (a 307 replays a file, and refuses a pipe: curl's exit 65); retries
only for idempotent methods once the request was sent; the same over h2c."""
import hashlib
import json
import os
import re
import subprocess
import tempfile
import time
import unittest

from harness import NETIUS, RawServer, TIMEOUT, run, stop_process
from test_http_methods import EchoTest

MIB = 1024 * 1024


def run_measured(args, stdin=None):
    """Runs `netius ARGS`; returns (exit status, stdout, stderr, its peak RSS in bytes). The
    peak is VmHWM as last seen before it exited (sampled every 20 ms): let the server wait a
    moment before answering (the echo app's ?delay=1) so that it is seen after the upload.
    (wait4's ru_maxrss would count the Python process it was forked from.)"""
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        proc = subprocess.Popen([NETIUS] + list(args), stdin=stdin or subprocess.DEVNULL,
                                stdout=out, stderr=err)
        peak, deadline = 0, time.monotonic() + TIMEOUT
        while proc.poll() is None and time.monotonic() < deadline:
            try:
                with open("/proc/%d/status" % proc.pid) as f:
                    peak = int(re.search(r"VmHWM:\s+(\d+) kB", f.read()).group(1)) * 1024
            except (OSError, AttributeError):
                pass  # exiting
            time.sleep(0.02)
        stop_process(proc)
        out.seek(0)
        err.seek(0)
        return proc.returncode, out.read(), err.read(), peak


class UploadTest(EchoTest):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.big_dir = tempfile.mkdtemp(prefix="netius-upload-")
        cls.big = os.path.join(cls.big_dir, "big.bin")
        digest, block = hashlib.sha256(), os.urandom(MIB)
        with open(cls.big, "wb") as f:
            for i in range(50):
                piece = i.to_bytes(8, "big") + block[8:]  # no two MiB alike
                f.write(piece)
                digest.update(piece)
        cls.big_sha256 = digest.hexdigest()

    @classmethod
    def tearDownClass(cls):
        import shutil
        shutil.rmtree(cls.big_dir, True)
        super().tearDownClass()

    def test_file_streamed_with_content_length_in_bounded_memory(self):
        code, out, err, peak = run_measured(["http", "put", "--data-binary", "@" + self.big,
                                             self.url("/?delay=1")])
        self.assertEqual(code, 0, err)
        got = json.loads(out)
        self.assertEqual((got["method"], got["length"]), ("PUT", 50 * MIB))
        self.assertEqual(got["sha256"], self.big_sha256)
        self.assertEqual(got["headers"]["Content-Length"], str(50 * MIB))
        self.assertNotIn("Transfer-Encoding", got["headers"])
        self.assertMemoryBelow(peak, 20 * MIB, "the client's peak RSS for a 50 MiB upload")

    def test_form_file_streamed_in_bounded_memory(self):
        code, out, err, peak = run_measured(["http", "post", "-F", "kind=backup", "-F",
                                             "archive=@" + self.big, self.url("/form?delay=1")])
        self.assertEqual(code, 0, err)
        got = json.loads(out)
        self.assertEqual(got["form"], {"kind": "backup"})
        self.assertEqual(got["files"]["archive"]["length"], 50 * MIB)
        self.assertEqual(got["files"]["archive"]["sha256"], self.big_sha256)
        self.assertEqual(got["files"]["archive"]["content_type"], "application/octet-stream")
        self.assertMemoryBelow(peak, 20 * MIB, "the client's peak RSS for a 50 MiB form")

    def test_standard_input_chunked_from_a_pipe_sized_from_a_file(self):
        data = os.urandom(3 * MIB + 17)
        got = self.echo("post", "--data-binary", "@-", input=data)
        self.assertEqual(got["headers"].get("Transfer-Encoding"), "chunked")
        self.assertEqual((got["length"], got["sha256"]),
                         (len(data), hashlib.sha256(data).hexdigest()))
        with open(self.big, "rb") as f:
            f.seek(MIB)  # standard input counts from where it stands
            code, out, err, _ = run_measured(["http", "post", "--data-binary", "@-", self.url()],
                                             stdin=f)
        self.assertEqual(code, 0, err)
        got = json.loads(out)
        self.assertEqual(got["headers"]["Content-Length"], str(49 * MIB))
        self.assertNotIn("Transfer-Encoding", got["headers"])
        # Text around a streamed piece, joined by '&' as curl joins data options.
        got = self.echo("post", "-d", "a=1", "--data-binary", "@-", "-d", "z", input=b"mid")
        self.assertEqual(got["body"], "a=1&mid&z")

    def test_redirects_with_streamed_content(self):
        # 303 (any method) and 302 (POST) become GET without content.
        for command, status in (("post", 303), ("put", 303), ("post", 302)):
            with self.subTest(command=command, status=status):
                got = self.echo(command, "--data-binary", "@" + self.big,
                                path="/redirect/%d" % status)
                self.assertEqual((got["method"], got["length"]), ("GET", 0))
                self.assertNotIn("Content-Type", got["headers"])
        got = self.echo("put", "-d", "v=1", path="/redirect/302")
        self.assertEqual((got["method"], got["body"]), ("PUT", "v=1"))
        # 307 and 308 keep method and content: a file is read again from its start.
        for status in (307, 308):
            got = self.echo("post", "--data-binary", "@" + self.big,
                            path="/redirect/%d" % status)
            self.assertEqual((got["method"], got["sha256"]), ("POST", self.big_sha256))
        # ... but what came from a pipe is gone: a clear error, not a wrong request.
        r = run(["http", "post", "--data-binary", "@-", self.url("/redirect/307")],
                input=b"x" * 100000)
        self.assertFailsWith(r, "necessary data rewind wasn't possible", code=65)
        self.assertEqual(r.stdout, b"")
        got = self.echo("post", "--data-binary", "@-", "--no-follow", input=b"x",
                        path="/redirect/307")
        self.assertEqual(got, {})  # not followed: the 307's own content

    def hits(self, key):
        r = run(["http", "get", self.url("/hits?key=" + key)])
        return json.loads(r.stdout)["hits"]

    def test_retries_only_for_idempotent_methods(self):
        for command, content, tries in (("get", [], 3), ("head", [], 3), ("delete", [], 3),
                                        ("put", ["-d", "x=1"], 3), ("post", ["-d", "x=1"], 1),
                                        ("patch", ["-d", "x=1"], 1), ("post", [], 1)):
            with self.subTest(command=command, content=content):
                key = "k-%s-%d" % (command, len(content))
                r = run(["http", command, "--retry", "2", "--retry-delay", "0.05", *content,
                         self.url("/busy?key=" + key)])
                self.assertEqual(r.returncode, 0, r.stderr)  # a 503 without --fail
                self.assertEqual(self.hits(key), tries)
        # A streamed file can be sent again (rewound) for a retry of PUT.
        r = run(["http", "put", "--fail", "--retry", "1", "--retry-delay", "0.05",
                 "--data-binary", "@" + self.big, self.url("/busy?key=big")])
        self.assertEqual(r.returncode, 22, r.stderr)
        self.assertEqual(self.hits("big"), 2)

    def test_post_not_retried_once_sent_but_before_connecting(self):
        with RawServer(lambda conn, head, n: None) as srv:  # closes without an answer
            r = run(["http", "post", "--retry", "2", "--retry-delay", "0.05", "-d", "a",
                     srv.url()])
            self.assertFailsWith(r, "closed before the response", code=52)
            self.assertEqual(srv.count, 1)
            r = run(["http", "put", "--retry", "2", "--retry-delay", "0.05", "-d", "a",
                     srv.url()])
            self.assertEqual(r.returncode, 52, r.stderr)
            self.assertEqual(srv.count, 4)
        # Refused: nothing was sent, so even POST tries again.
        import socket
        s = socket.socket()
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
        s.close()
        r = run(["http", "post", "--retry", "2", "--retry-delay", "0.05", "-d", "a",
                 "http://127.0.0.1:%d/" % port])
        self.assertEqual(r.returncode, 7, r.stderr)
        self.assertEqual(r.stderr.count(b"retrying"), 2, r.stderr)

    def test_http2_prior_knowledge(self):
        h2 = ["--http2-prior-knowledge"]
        code, out, err, _ = run_measured(["http", "put", *h2, "-v", "--data-binary",
                                          "@" + self.big, self.url()])
        self.assertEqual(code, 0, err)
        self.assertIn(b"> PUT / HTTP/2", err)
        self.assertEqual(json.loads(out)["sha256"], self.big_sha256)
        data = os.urandom(MIB + 5)
        got = self.echo("post", *h2, "--data-binary", "@-", input=data)  # DATA, no length
        self.assertEqual(got["sha256"], hashlib.sha256(data).hexdigest())
        got = self.echo("post", *h2, "-F", "a=1", "-F", "f=@" + self.big, path="/form")
        self.assertEqual(got["files"]["f"]["sha256"], self.big_sha256)
        got = self.echo("patch", *h2, "--json", '{"a": 1}')
        self.assertEqual((got["method"], got["body"]), ("PATCH", '{"a": 1}'))
        got = self.echo("post", *h2, "--data-binary", "@" + self.big, path="/redirect/307")
        self.assertEqual(got["sha256"], self.big_sha256)


if __name__ == "__main__":
    unittest.main()
