"""`netius http get|post -d @FILE` and `--data-binary @FILE` (streamed) uploading to a server that reads slowly: the receive timeout
counts from the end of the upload (each part the server takes restarts it), so a big upload
to a slow reader is not cut off; a server that takes nothing still times out. HTTP/1.1 against
a Python socket server, h2 against `serve wsgi` with an app reading wsgi.input slowly."""
import hashlib
import os
import socket
import threading
import time
import unittest

from harness import ServeProcess, TempDirTest, run

MIB = 1024 * 1024
SLOW_APP = '''
import time

def application(environ, start_response):
    inp, total = environ["wsgi.input"], 0
    while True:
        chunk = inp.read(64 * 1024)
        if not chunk:
            break
        total += len(chunk)
        time.sleep(0.05)
    start_response("200 OK", [("Content-Type", "text/plain")])
    return [b"got %d" % total]
'''


class SlowReader:
    """One connection on 127.0.0.1: reads the request head, then its Content-Length of
    content `piece` bytes every `pause` seconds (a small receive buffer, so the client's
    upload waits for it), then answers `got N`; `pause` None reads nothing until stop()."""

    def __init__(self, piece=64 * 1024, pause=0.05):
        self.piece, self.pause = piece, pause
        self.sock = socket.socket()
        self.sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 64 * 1024)
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(1)
        self.sock.settimeout(30)
        self.url = "http://127.0.0.1:%d/upload" % self.sock.getsockname()[1]
        self.stopping = threading.Event()
        self.received = 0
        self.thread = threading.Thread(target=self.serve, daemon=True)
        self.thread.start()

    def serve(self):
        try:
            conn, _ = self.sock.accept()
        except OSError:
            return
        with conn:
            conn.settimeout(30)
            data = b""
            while b"\r\n\r\n" not in data:
                data += conn.recv(4096)
            head, _, data = data.partition(b"\r\n\r\n")
            length = int([line.split(b":")[1] for line in head.split(b"\r\n")
                          if line.lower().startswith(b"content-length:")][0])
            if self.pause is None:
                self.stopping.wait(30)
                return
            self.received = len(data)
            while self.received < length and not self.stopping.is_set():
                chunk = conn.recv(min(self.piece, length - self.received))
                if not chunk:
                    return
                self.received += len(chunk)
                time.sleep(self.pause)
            body = b"got %d" % self.received
            conn.sendall(b"HTTP/1.1 200 OK\r\nContent-Length: %d\r\nConnection: close\r\n\r\n%s"
                         % (len(body), body))

    def stop(self):
        self.stopping.set()
        self.sock.close()
        self.thread.join(timeout=35)


class UploadTimeoutTest(TempDirTest):
    def setUp(self):
        super().setUp()
        self.upload = self.write("upload", hashlib.sha256(b"z").digest() * (8 * MIB // 32))

    def test_slow_reader_gets_the_whole_upload(self):
        # 8 MiB read 64 KiB every 50 ms: the upload takes seconds, more than --timeout. -d
        # reads the file whole (it has no CR or LF to drop); --data-binary streams it.
        for option in ("-d", "--data-binary"):
            with self.subTest(option=option):
                srv = SlowReader()
                self.addCleanup(srv.stop)
                start = time.monotonic()
                r = run(["http", "post", "--timeout", "1", option, "@" + self.upload, srv.url],
                        timeout=60)
                self.assertEqual(r.returncode, 0, r.stderr)
                self.assertEqual(r.stdout, b"got %d" % (8 * MIB))
                self.assertGreater(time.monotonic() - start, 1,
                                   "the upload was not slower than --timeout")

    def test_a_server_that_takes_nothing_still_times_out(self):
        srv = SlowReader(pause=None)
        self.addCleanup(srv.stop)
        r = run(["http", "put", "--timeout", "1", "--data-binary", "@" + self.upload, srv.url],
                timeout=30)
        self.assertEqual(r.returncode, 28, r.stderr)
        self.assertIn(b"Timeout on send", r.stderr)

    def test_h2_upload_to_a_slow_app(self):
        self.write("slow_reader.py", SLOW_APP)
        # A small window: the part still unread when the client has sent it all stays far
        # below --timeout, however slow this machine makes the app.
        srv = ServeProcess(["wsgi", "slow_reader", "--python-path", self.dir, "--threads", "2",
                            "--http2-initial-window-size", "65536"], None, 20)
        self.addCleanup(srv.stop)
        for option in ("-d", "--data-binary"):
            with self.subTest(option=option):
                start = time.monotonic()
                r = run(["http", "post", "--http2-prior-knowledge", "--timeout", "2", option,
                         "@" + self.upload, srv.url + "/"], timeout=60)
                self.assertEqual(r.returncode, 0, r.stderr)
                self.assertEqual(r.stdout, b"got %d" % (8 * MIB))
                self.assertGreater(time.monotonic() - start, 2,
                                   "the upload was not slower than --timeout")


if __name__ == "__main__":
    unittest.main()
