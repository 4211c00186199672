"""`netius serve wsgi`: wsgi.input streamed while the content arrives (bounded memory for a
100 MB upload), 100 Continue only when the app reads, answers made before the content was
read, a client leaving mid-upload, custom reason phrases and write() data sent at once; in
loop mode and with --threads. Apps are wrapped in wsgiref.validate (tests/data/wsgi)."""
import hashlib
import socket
import time
import unittest

from test_serve_wsgi import WsgiTest

MIB = 1024 * 1024


def recv_until(s, until=None):
    """Reads until `until` has arrived or the server closes (the socket's timeout bounds it)."""
    out = b""
    while until is None or until not in out:
        chunk = s.recv(65536)
        if not chunk:
            break
        out += chunk
    return out


class StreamedInputLoopTest(WsgiTest):
    ARGS = []

    def setUp(self):
        super().setUp()
        self.closes = self.path("closes")
        self.srv = self.serve("pep3333_apps", "--max-body-bytes", str(200 * MIB), *self.ARGS,
                              env={"CLOSE_LOG": self.closes})

    def connect(self):
        s = socket.create_connection(("127.0.0.1", self.srv.port), timeout=20)
        self.addCleanup(s.close)
        return s

    def peak_rss(self):
        with open("/proc/%d/status" % self.srv.worker_pid()) as f:
            for line in f:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) * 1024
        self.fail("no VmHWM")

    def test_chunked_100mb_upload_in_bounded_memory(self):
        size = 100 * MIB
        block = hashlib.sha256(b"y").digest() * 2048  # 64 KiB
        h = hashlib.sha256()
        for _ in range(size // len(block)):
            h.update(block)
        s = self.connect()
        s.sendall(b"POST /pieces HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n")
        frame = b"%x\r\n%s\r\n" % (len(block), block)
        for _ in range(size // len(block)):
            s.sendall(frame)
        s.sendall(b"0\r\n\r\n")
        expected = b"%d %s" % (size, h.hexdigest().encode())
        self.assertIn(expected, recv_until(s, expected))
        # The app read it in 8 KiB pieces while it arrived: the server never held it all.
        self.assertMemoryBelow(self.peak_rss(), size // 2, "server peak RSS")

    def test_continue_only_when_the_app_reads(self):
        s = self.connect()
        s.sendall(b"POST /reject HTTP/1.1\r\nHost: x\r\nContent-Length: 100000\r\n"
                  b"Expect: 100-continue\r\n\r\n")
        out = recv_until(s)  # to the close
        self.assertTrue(out.startswith(b"HTTP/1.1 413 "), out)
        self.assertNotIn(b"100 Continue", out)
        self.assertIn(b"Connection: close", out)
        self.assertIn(b"too large", out)

        s = self.connect()
        s.sendall(b"POST /pieces HTTP/1.1\r\nHost: x\r\nContent-Length: 11\r\n"
                  b"Expect: 100-continue\r\n\r\n")
        self.assertEqual(recv_until(s, b"\r\n\r\n"), b"HTTP/1.1 100 Continue\r\n\r\n")
        s.sendall(b"hello\nworld")
        expected = b"11 " + hashlib.sha256(b"hello\nworld").hexdigest().encode()
        out = recv_until(s, expected)
        self.assertTrue(out.startswith(b"HTTP/1.1 200 "), out)
        self.assertIn(expected, out)

    def test_curl_upload_refused_before_it_is_sent(self):
        # curl sends `Expect: 100-continue` for large bodies and waits for the 100 (up to 1 s
        # by default; 30 s here, so only a final answer can stop it from uploading).
        p = self.write("big", b"b" * (8 * MIB))
        out = self.curl("-o", "/dev/null", "-w", "%{http_code} %{size_upload}",
                        "--expect100-timeout", "30", "--data-binary", "@" + p,
                        self.srv.url + "/reject")
        self.assertEqual(out, b"413 0")
        out = self.curl("--expect100-timeout", "30", "--data-binary", "@" + p,
                        self.srv.url + "/pieces")
        h = hashlib.sha256(b"b" * (8 * MIB)).hexdigest().encode()
        self.assertEqual(out, b"%d %s" % (8 * MIB, h))

    def test_pipelined_request_after_an_unread_body(self):
        s = self.connect()
        s.sendall(b"POST /reject HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\n\r\nhello"
                  b"GET /plain HTTP/1.1\r\nHost: x\r\n\r\n")
        out = recv_until(s, b"|http|")
        self.assertTrue(out.startswith(b"HTTP/1.1 413 "), out)
        self.assertIn(b"GET |/plain||http|", out)

    def test_client_leaving_mid_upload_fails_the_read(self):
        s = self.connect()
        s.sendall(b"POST /upload HTTP/1.1\r\nHost: x\r\nContent-Length: 10000000\r\n\r\n" +
                  b"z" * 100000)
        time.sleep(0.2)  # not needed for correctness: lets the app start reading first
        s.close()
        self.wait_for_record("upload failed: OSError")
        self.wait_for_record("closed upload")
        self.assertIn(b"/plain", self.curl(self.srv.url + "/plain"))  # and serves on

    def test_custom_reason_phrase(self):
        head, body = self.curl_head(self.srv.url + "/reason")
        self.assertTrue(head.startswith("HTTP/1.1 299 Whatever It Is\r\n"), head)
        self.assertEqual(body, b"custom")


class StreamedInputThreadsTest(StreamedInputLoopTest):
    ARGS = ["--threads", "2"]

    def test_write_data_goes_out_before_the_app_returns(self):
        s = self.connect()
        s.settimeout(5)  # less than the app's own 10 s wait: buffered data would fail this
        s.sendall(b"GET /write_wait HTTP/1.1\r\nHost: x\r\n\r\n")
        out = recv_until(s, b"first;")
        self.assertIn(b"first;", out)
        self.assertTrue(out.startswith(b"HTTP/1.1 200 OK"), out)
        self.assertEqual(self.curl(self.srv.url + "/release"), b"ok")
        s.settimeout(20)
        out += recv_until(s, b"\r\n0\r\n\r\n")
        self.assertIn(b"released", out)


if __name__ == "__main__":
    unittest.main()
