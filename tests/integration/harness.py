"""Shared helpers for integration tests: run the real netius binary, bounded waits, temp dirs.

Every test script is a plain unittest module run by ctest with Debian's /usr/bin/python3;
NETIUS_BIN, NETIUS_DOCGEN and NETIUS_SOURCE_DIR come from tests/CMakeLists.txt.
"""
import os
import shutil
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


def run(args, input=None, env=None, timeout=TIMEOUT, check=False, binary=None):
    """Runs `netius ARGS` (or `binary ARGS`); returns CompletedProcess with bytes stdout/stderr."""
    full_env = dict(os.environ)
    full_env.pop("LEVEL", None)
    if env:
        full_env.update(env)
    cmd = [binary or NETIUS] + list(args)
    if isinstance(input, str):
        input = input.encode()
    return subprocess.run(cmd, input=input, capture_output=True, env=full_env,
                          timeout=timeout, check=check)


def tool(args, input=None, timeout=TIMEOUT, check=True):
    """Runs a peer tool (openssl, dkimverify, groff...) and returns CompletedProcess."""
    if isinstance(input, str):
        input = input.encode()
    return subprocess.run(list(args), input=input, capture_output=True, timeout=timeout,
                          check=check)


def free_port(kind=socket.SOCK_STREAM):
    """A loopback port that was free a moment ago."""
    with socket.socket(socket.AF_INET, kind) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class TempDirTest(unittest.TestCase):
    """A TestCase with a fresh temporary directory in self.dir, removed afterwards."""

    def setUp(self):
        self.dir = tempfile.mkdtemp(prefix="netius-test-")
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

    def assertFailsWith(self, result, fragment, code=1):
        """Exit status `code`, nothing on stdout, one stderr line `netius: ...` with fragment."""
        err = result.stderr.decode(errors="replace")
        self.assertEqual(result.returncode, code, err)
        if code == 1:
            lines = err.strip().splitlines()
            self.assertEqual(len(lines), 1, err)
            self.assertTrue(lines[0].startswith("netius: "), err)
        self.assertIn(fragment, err)


class Dnsmasq:
    """dnsmasq on 127.0.0.1:<free port> serving only the given TXT records (name -> [strings]).

    Use as a context manager; `address` is "127.0.0.1:PORT" for `--nameserver`.
    """

    def __init__(self, records):
        self.records = records
        self.port = free_port(socket.SOCK_DGRAM)
        self.address = "127.0.0.1:%d" % self.port
        self.proc = None

    def __enter__(self):
        args = [shutil.which("dnsmasq") or "/usr/sbin/dnsmasq", "--keep-in-foreground",
                "--no-resolv", "--no-hosts", "--no-daemon", "--conf-file=/dev/null",
                "--listen-address=127.0.0.1", "--bind-interfaces", "--port=%d" % self.port,
                "--user=root", "--pid-file=", "--log-facility=-",
                "--local=/#/"]  # authoritative for everything: unknown names get NXDOMAIN
        for name, strings in self.records.items():
            # dnsmasq splits the value on commas into character-strings (and splits any
            # string over 255 bytes itself); on argv, quotes would be kept literally.
            if any("," in s for s in strings):
                raise ValueError("dnsmasq TXT strings cannot contain commas")
            args.append("--txt-record=%s,%s" % (name, ",".join(strings)))
        self.proc = subprocess.Popen(args, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:  # bounded wait until it answers
            if self.proc.poll() is not None:
                raise RuntimeError("dnsmasq exited: %s" % self.proc.stderr.read().decode())
            if self._answers():
                return self
            time.sleep(0.05)
        self.__exit__(None, None, None)
        raise RuntimeError("dnsmasq did not start within 10 s")

    def _answers(self):
        import dns.message
        import dns.query
        name = next(iter(self.records), "probe.invalid")
        try:
            dns.query.udp(dns.message.make_query(name, "TXT"), "127.0.0.1", port=self.port,
                          timeout=0.2)
            return True
        except Exception:
            return False

    def __exit__(self, *exc):
        if self.proc and self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=5)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(timeout=5)
        if self.proc and self.proc.stderr:
            self.proc.stderr.close()
