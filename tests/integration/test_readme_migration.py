"""README.md's "Migrating from Python netius" section runs as written, so that it cannot drift:
every `netius` command in it (a code span of its tables, or a line of its sh block, starting
with `netius` or with environment assignments before it) is run through bash exactly as
printed, environment names included, with netius on PATH.

The servers (`netius serve ...`) start first, in the background, each probed on the address its
options and environment give (HTTP GET or the SMTP greeting, over TCP, TLS or a unix socket);
then the clients run in the README's order against them and against a dnsmasq started on the
DNS port they name; then the servers are stopped and must exit 0. The files the commands name
(site/, mail.eml, key.pem, server.key, server.crt) are made here first, in an empty directory.

The test fails when a command fails, when the section holds a command it does not know how to
run (another subcommand, a server without an explicit port), when an environment name of the
section's table is used by no command, or when a server's `config show` does not name each
variable its line sets as the source of a value (a name netius does not read).
"""
import os
import re
import shlex
import signal
import socket
import ssl
import subprocess
import time
import unittest

from harness import (NETIUS, SANITIZED, SOURCE_DIR, TIMEOUT, TempDirTest, has_ipv6_loopback,
                     tool)
from peers import Dnsmasq

HEADING = "## Migrating from Python netius"
START_TIMEOUT = 60 if SANITIZED else 20
HTTP_SERVERS = {"hello", "file", "wsgi"}
SMTP_SERVERS = {"smtp", "relay"}
RSA = {"read", "read_private", "read_public", "convert", "private_to_public"}


def section():
    with open(os.path.join(SOURCE_DIR, "README.md")) as f:
        text = f.read()
    start = text.index(HEADING)
    end = text.find("\n## ", start + len(HEADING))
    return text[start:end if end >= 0 else len(text)]


def split(command):
    """(environment assignments, argv) of a shell command line; None if it is not netius'."""
    words = shlex.split(command)
    env = {}
    while words and re.match(r"[A-Z_][A-Z0-9_]*=", words[0]):
        name, value = words.pop(0).split("=", 1)
        env[name] = value
    return (env, words) if words and words[0] == "netius" else None


def commands(text):
    """Every netius command of `text`, in order: code spans outside fenced blocks, and the
    non-comment lines of its sh blocks."""
    found, fenced = [], False
    for line in text.splitlines():
        if line.startswith("```"):
            fenced = not fenced
            continue
        candidates = [line.strip()] if fenced else re.findall(r"`([^`]+)`", line)
        for c in candidates:
            if c and not c.startswith("#") and split(c):
                found.append(c)
    return found


def table_environment_names(text):
    """The names in the first column of the section's environment table."""
    names, in_table = [], False
    for line in text.splitlines():
        if line.startswith("| environment"):
            in_table = True
        elif in_table and not line.startswith("|"):
            break
        elif in_table:
            first = line.split("|")[1]
            names += [n for n in re.findall(r"`([^`]+)`", first) if re.fullmatch(r"[A-Z_]+", n)]
    return names


def option(env, argv, flag, name):
    """A value the way netius reads it: the flag (`--flag V` or `--flag=V`), else the
    environment variable."""
    for i, word in enumerate(argv):
        if word == flag and i + 1 < len(argv):
            return argv[i + 1]
        if word.startswith(flag + "="):
            return word.split("=", 1)[1]
    return env.get(name)


def truthy(value):
    return value is not None and value.lower() in ("1", "true", "yes", "on")


class ServerCommand:
    """A `netius serve KIND` line: where it listens, how to probe it."""

    def __init__(self, command, env, argv, cwd):
        self.command, self.kind, self.cwd = command, argv[2], cwd
        self.assigned, self.argv = env, argv
        host = option(env, argv, "--host", "HOST")
        self.unix = option(env, argv, "--unix", "UNIX_PATH")
        if host == "unix" and not self.unix:
            raise AssertionError("HOST=unix without UNIX_PATH: " + command)
        self.ipv6 = truthy(option(env, argv, "--ipv6", "IPV6")) or "--ipv6" in argv
        self.host = host or ("::1" if self.ipv6 else "127.0.0.1")
        port = option(env, argv, "--port", "PORT")
        if not self.unix and port is None:
            raise AssertionError("a README server needs an explicit port: " + command)
        self.port = int(port) if port else None
        self.tls = truthy(option(env, argv, "--ssl", "SSL")) or "--ssl" in argv
        if self.kind not in HTTP_SERVERS | SMTP_SERVERS:
            raise AssertionError("the test cannot probe `serve %s`: %s" % (self.kind, command))

    def connect(self):
        if self.unix:
            s = socket.socket(socket.AF_UNIX)
            try:
                s.settimeout(5)
                s.connect(os.path.join(self.cwd, self.unix))
            except OSError:
                s.close()
                raise
        else:
            s = socket.create_connection((self.host, self.port), timeout=5)
        if self.tls:
            ctx = ssl.create_default_context()
            ctx.check_hostname, ctx.verify_mode = False, ssl.CERT_NONE
            try:
                s = ctx.wrap_socket(s)
            except OSError:
                s.close()
                raise
        return s

    def answer(self):
        """The first bytes it answers with (HTTP: to GET /), or None while it is not up."""
        try:
            with self.connect() as s:
                if self.kind in HTTP_SERVERS:
                    s.sendall(b"GET / HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n")
                return s.recv(64)
        except OSError:
            return None

    def expected(self):
        return b"HTTP/1.1 200 " if self.kind in HTTP_SERVERS else b"220 "


class ReadmeMigrationTest(TempDirTest):
    def setUp(self):
        super().setUp()
        self.env = dict(os.environ)
        self.env["PATH"] = os.path.dirname(os.path.abspath(NETIUS)) + ":" + self.env["PATH"]
        for name in ("LEVEL", "PORT", "HOST", "NAMESERVERS", "HTTP_URL"):
            self.env.pop(name, None)

    def make_files(self):
        os.makedirs(self.path("site/docs"))
        self.write("site/index.html", "<p>Hello netius</p>\n")
        self.write("site/docs/hello.txt", "Hello\n")
        self.write("mail.eml", "From: alice@example.com\nTo: joe@example.com\n"
                               "Subject: Hello\n\nHello from the migration guide\n")
        tool(["openssl", "genpkey", "-algorithm", "RSA", "-pkeyopt", "rsa_keygen_bits:2048",
              "-out", self.path("key.pem")])
        tool(["openssl", "req", "-x509", "-config", "/dev/null", "-newkey", "ec", "-pkeyopt",
              "ec_paramgen_curve:P-256", "-nodes", "-keyout", self.path("server.key"), "-out",
              self.path("server.crt"), "-subj", "/CN=localhost", "-days", "2"])
        for name in ("key.pem", "server.key"):  # the workers may run as nobody
            os.chmod(self.path(name), 0o644)

    def start(self, server):
        log = open(self.path("server-%d.log" % len(self.servers)), "wb")
        self.addCleanup(log.close)
        proc = subprocess.Popen(["bash", "-c", server.command], cwd=self.dir, env=self.env,
                                stdout=subprocess.DEVNULL, stderr=log, start_new_session=True)
        self.servers.append((server, proc, log.name))
        self.addCleanup(self.stop, proc)

    def stop(self, proc):
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGTERM)
            try:
                proc.wait(timeout=15)
            except subprocess.TimeoutExpired:
                os.killpg(proc.pid, signal.SIGKILL)
                proc.wait(timeout=5)
        return proc.returncode

    def wait_up(self, server, proc, log):
        deadline = time.monotonic() + START_TIMEOUT
        while time.monotonic() < deadline:
            if proc.poll() is not None:
                break
            answer = server.answer()
            if answer is not None:
                self.assertTrue(answer.startswith(server.expected()),
                                "%s answered %r" % (server.command, answer))
                return
            time.sleep(0.1)
        with open(log, "rb") as f:
            self.fail("%s did not come up: %s" % (server.command, f.read().decode()))

    def check_reads_environment(self, server):
        """`config show` with the server's own environment and flags names each variable the
        line sets as the source of a value: netius reads every name it uses."""
        env = dict(self.env, **server.assigned)
        r = subprocess.run(["netius", "config", "show"] + server.argv[1:], cwd=self.dir, env=env,
                           capture_output=True, timeout=TIMEOUT)
        out = r.stdout.decode()
        self.assertEqual(r.returncode, 0, r.stderr.decode())
        for name in server.assigned:
            self.assertTrue("# env (%s)" % name in out,
                            "%s: netius reads no %s\n%s" % (server.command, name, out))

    def dns_port(self, env, argv):
        value = option(env, argv, "--server", "DNS_NS") or ""
        m = re.fullmatch(r"127\.0\.0\.1:(\d+)", value)
        self.assertTrue(m, "dns query needs a 127.0.0.1:PORT server: %s" % " ".join(argv))
        return int(m.group(1))

    def check_client(self, command, env, argv, r):
        out, err = r.stdout.decode(errors="replace"), r.stderr.decode(errors="replace")
        self.assertEqual(r.returncode, 0, "%s\n%s" % (command, err))
        what = tuple(argv[1:3])
        if what == ("http", "get"):
            self.assertEqual(out, "Hello netius", command)
        elif what == ("smtp", "send"):
            pass  # counted in the Maildir at the end
        elif what == ("dns", "query"):
            self.assertIn("mx1.example.test => 10", out, command)
        elif what[:1] == ("rsa",) and what[1:2] and what[1] in RSA:
            pass  # exit 0 is the check (the aliases are tested in test_rsa)
        elif what == ("dkim", "generate"):
            self.assertIn('"v=DKIM1; k=rsa; p=', out, command)
        elif what == ("dkim", "sign"):
            self.assertTrue(out.startswith("DKIM-Signature: v=1; a=rsa-sha256;"), out)
        elif what == ("auth", "generate"):
            self.assertEqual(out.strip(), "sha256:6e6574697573:14087ce0b8645c30c5a2abcb3f709a1"
                                          "8a65f2903591290053846a73cedc4ee39", command)
        else:
            self.fail("the test cannot run this README command: " + command)

    def test_every_command_runs_as_written(self):
        text = section()
        found = commands(text)
        self.assertGreaterEqual(len(found), 20, "the migration section lost its commands")
        # Every environment name of the table is exercised by some command.
        used = set()
        for c in found:
            used |= set(split(c)[0])
        names = table_environment_names(text)
        self.assertGreaterEqual(len(names), 20, "the environment table lost its names")
        self.assertEqual([n for n in names if n not in used], [],
                         "environment names of the table that no command uses")

        self.make_files()
        servers, clients = [], []
        for c in found:
            env, argv = split(c)
            if argv[1:2] == ["serve"]:
                servers.append(ServerCommand(c, env, argv, self.dir))
            else:
                clients.append((c, env, argv))
        dns_ports = {self.dns_port(env, argv) for c, env, argv in clients
                     if argv[1:3] == ["dns", "query"]}
        for port in dns_ports:
            dns = FixedPortDnsmasq(port)
            dns.__enter__()
            self.addCleanup(dns.__exit__, None, None, None)

        self.servers = []
        skipped = []
        for server in servers:
            self.check_reads_environment(server)
            if server.ipv6 and not has_ipv6_loopback():
                skipped.append(server.command)
                continue
            self.start(server)
        for server, proc, log in self.servers:
            self.wait_up(server, proc, log)
        for command, env, argv in clients:
            with self.subTest(command=command):
                r = subprocess.run(["bash", "-c", command], cwd=self.dir, env=self.env,
                                   input=b"", capture_output=True, timeout=TIMEOUT)
                self.check_client(command, env, argv, r)
        for server, proc, log in self.servers:
            with self.subTest(server=server.command):
                with open(log, "rb") as f:
                    self.assertEqual(self.stop(proc), 0, f.read().decode())
        # What the clients sent arrived: one message per `smtp send`.
        sends = sum(1 for c, env, argv in clients if argv[1:3] == ["smtp", "send"])
        stored = [f for d, _, files in os.walk(self.dir) if d.endswith("/new") for f in files]
        self.assertEqual(len(stored), sends, stored)
        if skipped:
            self.skipTest("no IPv6 loopback: not run: " + "; ".join(skipped))


class FixedPortDnsmasq(Dnsmasq):
    """dnsmasq on the port a README command names, answering for example.test."""

    def __init__(self, port):
        super().__init__({"example.test": ["v=spf1 -all"]},
                         hosts={"example.test": ["192.0.2.10"]},
                         mx=[("example.test", "mx1.example.test", 10)])
        self.fixed_port = port

    def _pick_ports(self):
        self.port = self.fixed_port
        self.address = "127.0.0.1:%d" % self.port
        self.address6 = "[::1]:%d" % self.port


if __name__ == "__main__":
    unittest.main()
