"""Shared helpers for integration tests: run the real netius binary, bounded waits, temp dirs.

Every test script is a plain unittest module run by ctest with Debian's /usr/bin/python3;
NETIUS_BIN, NETIUS_DOCGEN and NETIUS_SOURCE_DIR come from tests/CMakeLists.txt.
"""
import os
import re
import select
import shutil
import signal
import socket
import subprocess
import tempfile
import time
import unittest

NETIUS = os.environ.get("NETIUS_BIN", "build/netius")
DOCGEN = os.environ.get("NETIUS_DOCGEN", "build/netius-docgen")
SOURCE_DIR = os.environ.get("NETIUS_SOURCE_DIR", os.path.join(os.path.dirname(__file__), "..", ".."))
DATA_DIR = os.path.join(SOURCE_DIR, "tests", "data")
TIMEOUT = 60  # seconds; every subprocess wait is bounded
SANITIZED = os.environ.get("NETIUS_SANITIZE") == "1"  # `make test SANITIZE=1` built NETIUS


def run(args, input=None, env=None, timeout=TIMEOUT, check=False, binary=None, cwd=None):
    """Runs `netius ARGS` (or `binary ARGS`) in `cwd`; returns CompletedProcess with bytes
    stdout/stderr."""
    full_env = dict(os.environ)
    full_env.pop("LEVEL", None)
    if env:
        full_env.update(env)
    cmd = [binary or NETIUS] + list(args)
    if isinstance(input, str):
        input = input.encode()
    return subprocess.run(cmd, input=input, capture_output=True, env=full_env,
                          timeout=timeout, check=check, cwd=cwd)


def tool(args, input=None, timeout=TIMEOUT, check=True):
    """Runs a peer tool (openssl, dkimverify, groff...) and returns CompletedProcess."""
    if isinstance(input, str):
        input = input.encode()
    return subprocess.run(list(args), input=input, capture_output=True, timeout=timeout,
                          check=check)


def has_ipv6_loopback():
    """Whether ::1 can be bound here (IPv6 tests skip or change without it)."""
    try:
        with socket.socket(socket.AF_INET6) as s:
            s.bind(("::1", 0))
        return True
    except OSError:
        return False


def free_port(kind=socket.SOCK_STREAM):
    """A loopback port that was free a moment ago."""
    with socket.socket(socket.AF_INET, kind) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_for(predicate, timeout=30, what="condition"):
    """Polls `predicate` until it returns a true value (returned), for at most `timeout`
    seconds; then fails the calling test naming `what`."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(0.05)
    raise AssertionError("timed out waiting for " + what)


def stop_process(proc, sig=signal.SIGTERM, timeout=10):
    """Sends `sig` to a running `proc`, waits up to `timeout` s, then SIGKILLs it (bounded)."""
    if proc and proc.poll() is None:
        proc.send_signal(sig)
        try:
            proc.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(timeout=5)


class TempDirTest(unittest.TestCase):
    """A TestCase with a fresh temporary directory in self.dir, removed afterwards."""

    def setUp(self):
        self.dir = tempfile.mkdtemp(prefix="netius-test-")
        # Readable by all: started as root, serve file and serve hello run as nobody.
        os.chmod(self.dir, 0o755)
        self.addCleanup(shutil.rmtree, self.dir, True)

    def path(self, name):
        return os.path.join(self.dir, name)

    def write(self, name, data, mode=None):
        p = self.path(name)
        with open(p, "wb" if isinstance(data, bytes) else "w") as f:
            f.write(data)
        if mode is not None:
            os.chmod(p, mode)
        return p

    def read(self, name):
        with open(self.path(name), "rb") as f:
            return f.read()

    def assertMemoryBelow(self, value, bound, what):
        """value < bound, except for a sanitized binary: ASan's shadow memory and quarantine
        (freed memory held back, 256 MiB by default) make its footprint meaningless."""
        if not SANITIZED:
            self.assertLess(value, bound, what)

    def assertFailsWith(self, result, fragment, code=1):
        """Exit status `code`, nothing on stdout, one stderr line `netius: ...` with fragment."""
        err = result.stderr.decode(errors="replace")
        self.assertEqual(result.returncode, code, err)
        if code == 1:
            lines = err.strip().splitlines()
            self.assertEqual(len(lines), 1, err)
            self.assertTrue(lines[0].startswith("netius: "), err)
        self.assertIn(fragment, err)


class ServeProcess:
    """`netius serve ARGS --port 0` (ARGS starts with the server's name, e.g. ["smtp", ...]).

    `port`, `url` and `log` (stderr so far) come from its start-up line "serving NAME on URL";
    stop() sends a signal, waits (bounded) and returns the exit status.
    """

    def __init__(self, args, env=None, start_timeout=10, cwd=None):
        full_env = dict(os.environ)
        full_env.pop("LEVEL", None)
        full_env.update(env or {})
        self.proc = subprocess.Popen([NETIUS, "serve"] + list(args) + ["--port", "0"],
                                     stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                                     env=full_env, cwd=cwd)
        self.log = b""
        deadline = time.monotonic() + start_timeout
        while not re.search(rb"serving \S+ on \S+", self.log):
            left = deadline - time.monotonic()
            if left <= 0 or self.proc.poll() is not None:
                self.stop()
                raise RuntimeError("server did not start: %r" % self.log)
            if select.select([self.proc.stderr], [], [], left)[0]:
                self.log += os.read(self.proc.stderr.fileno(), 4096)
        self.url = re.search(rb"serving \S+ on (\S+)", self.log).group(1).decode()
        m = re.search(r":(\d+)$", self.url)
        self.port = int(m.group(1)) if m else None

    def worker_pid(self, timeout=10):
        """The pid of the server's one worker process (its master forks it; bounded wait)."""
        deadline = time.monotonic() + timeout
        while True:
            r = subprocess.run(["pgrep", "-P", str(self.proc.pid)], capture_output=True)
            pids = [int(p) for p in r.stdout.split()]
            if len(pids) == 1:
                return pids[0]
            if time.monotonic() > deadline:
                raise AssertionError("expected one worker, found %r" % pids)
            time.sleep(0.05)

    def wait_log(self, pattern, timeout=10):
        """Reads stderr into `log` until `pattern` (a bytes regex) appears in it, for at most
        `timeout` seconds; returns the match or fails the calling test with the log so far."""
        deadline = time.monotonic() + timeout
        while True:
            m = re.search(pattern, self.log)
            if m:
                return m
            left = deadline - time.monotonic()
            if left <= 0 or (self.proc.poll() is not None and not self.read_log(0)):
                raise AssertionError("%r never appeared in the log: %r" % (pattern, self.log))
            self.read_log(min(left, 0.2))

    def read_log(self, timeout=0):
        """Appends what stderr holds (waiting up to `timeout`) to `log`; False when it held
        nothing."""
        if self.proc.stderr.closed or not select.select([self.proc.stderr], [], [], timeout)[0]:
            return False
        data = os.read(self.proc.stderr.fileno(), 65536)
        self.log += data
        return bool(data)

    def stop(self, sig=signal.SIGTERM, timeout=15):
        if self.proc.stderr.closed:
            return self.proc.returncode
        stop_process(self.proc, sig, timeout)
        self.log += self.proc.stderr.read() or b""
        self.proc.stderr.close()
        return self.proc.returncode


class RawServer:
    """A TCP server on 127.0.0.1:<free port> for misbehaving-peer tests: for each accepted
    connection, a thread reads the request head and calls `handler(conn, head, n)` (n counts
    connections from 1); the handler writes what it wants and returns (the connection is then
    closed) or holds it open until stop(). Every socket operation is bounded by 10 s.
    """

    def __init__(self, handler):
        import threading
        self.handler = handler
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(16)
        self.sock.settimeout(0.1)
        self.port = self.sock.getsockname()[1]
        self.stopping = threading.Event()
        self.count = 0
        self.thread = threading.Thread(target=self._serve, daemon=True)

    def url(self, path="/"):
        return "http://127.0.0.1:%d%s" % (self.port, path)

    def __enter__(self):
        self.thread.start()
        return self

    def _serve(self):
        import threading
        while not self.stopping.is_set():
            try:
                conn, _ = self.sock.accept()
            except OSError:
                continue
            self.count += 1
            threading.Thread(target=self._handle, args=(conn, self.count), daemon=True).start()

    def _handle(self, conn, n):
        conn.settimeout(10)
        try:
            head = b""
            while b"\r\n\r\n" not in head:
                chunk = conn.recv(65536)
                if not chunk:
                    return
                head += chunk
            self.handler(conn, head, n)
        except OSError:
            pass
        finally:
            conn.close()

    def hold(self):
        """For a handler: keeps the connection open (answering nothing) until stop()."""
        self.stopping.wait(30)

    def __exit__(self, *exc):
        self.stopping.set()
        self.thread.join(timeout=5)
        self.sock.close()


def make_test_ca(path):
    """A test CA and a server certificate for localhost/127.0.0.1 it signed (openssl CLI), as
    (ca.pem, server.key, server.pem) made by path(NAME) (a TempDirTest's path)."""
    ca_key, ca_cer = path("ca.key"), path("ca.pem")
    key, csr, cer = path("server.key"), path("server.csr"), path("server.pem")
    with open(path("ext.cnf"), "w") as f:
        f.write("subjectAltName=DNS:localhost,IP:127.0.0.1\n")
    tool(["openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256",
          "-nodes", "-keyout", ca_key, "-out", ca_cer, "-days", "2", "-subj", "/CN=test CA"])
    tool(["openssl", "req", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes",
          "-keyout", key, "-out", csr, "-subj", "/CN=localhost"])
    tool(["openssl", "x509", "-req", "-in", csr, "-CA", ca_cer, "-CAkey", ca_key,
          "-CAcreateserial", "-out", cer, "-days", "2", "-extfile", path("ext.cnf")])
    return ca_cer, key, cer
