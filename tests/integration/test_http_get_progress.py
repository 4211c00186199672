"""`netius http get -v --progress`: the progress bar and the -v lines share stderr without
sharing a line. A Python server trickles each body over a second (so the bar is drawn), and a
second URL on the same connection prints its -v lines while the bar is up."""
import re
import socket
import threading
import time
import unittest

from harness import TempDirTest, run

BODY = b"x" * 200_000
PIECES = 8


def render(line):
    """What a terminal shows for one line written with carriage returns in it."""
    cells, col = [], 0
    for ch in line:
        if ch == "\r":
            col = 0
            continue
        if col < len(cells):
            cells[col] = ch
        else:
            cells.append(ch)
        col += 1
    return "".join(cells).rstrip()


class TrickleServer:
    """HTTP/1.1 on 127.0.0.1, keep-alive: each response's body in PIECES pieces, 0.15 s
    apart. Every socket wait is bounded (10 s)."""

    def __init__(self):
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(4)
        self.sock.settimeout(10)
        self.url = "http://127.0.0.1:%d" % self.sock.getsockname()[1]
        self.thread = threading.Thread(target=self.serve, daemon=True)
        self.thread.start()

    def serve(self):
        try:
            conn, _ = self.sock.accept()
        except OSError:
            return
        with conn:
            conn.settimeout(10)
            data = b""
            try:
                while True:
                    while b"\r\n\r\n" not in data:
                        chunk = conn.recv(4096)
                        if not chunk:
                            return
                        data += chunk
                    _, _, data = data.partition(b"\r\n\r\n")
                    conn.sendall(b"HTTP/1.1 200 OK\r\nContent-Length: %d\r\n\r\n" % len(BODY))
                    step = len(BODY) // PIECES
                    for i in range(PIECES):
                        conn.sendall(BODY[i * step:(i + 1) * step])
                        time.sleep(0.15)
            except OSError:
                return

    def stop(self):
        self.sock.close()
        self.thread.join(timeout=15)


class ProgressAndVerboseTest(TempDirTest):
    def test_verbose_lines_never_share_the_bar_line(self):
        srv = TrickleServer()
        self.addCleanup(srv.stop)
        r = run(["http", "get", "-v", "--progress", "--max-connections", "1",
                 srv.url + "/a", srv.url + "/b", "-o", self.path("a"), "-o", self.path("b")],
                timeout=60)
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertEqual(self.read("a"), BODY)
        self.assertEqual(self.read("b"), BODY)
        err = r.stderr.decode()
        self.assertIn("\r", err, "no progress bar was drawn")
        shown = [render(line) for line in err.split("\n")]
        verbose = [line for line in shown if re.search(r"(^|\s)[*<>] ", line)]
        # The second request's head goes out while the bar is up (one connection, in turn).
        self.assertTrue(any(re.match(r"\[2\] > GET /b ", line) for line in verbose), shown)
        for line in verbose:
            self.assertRegex(line, r"^\[[12]\] [*<>] ", "glued to the progress bar")
        self.assertRegex(shown[-2], r"\[2/2\] 100% ", shown)  # the bar's last state stays


if __name__ == "__main__":
    unittest.main()
