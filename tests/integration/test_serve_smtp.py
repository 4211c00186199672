"""`netius serve smtp` against swaks, smtplib and raw sockets; mail read back with mailbox.Maildir.

Covers the ESMTP dialogue and its error replies, STARTTLS and AUTH, pipelining, SMTP
smuggling attempts, limits and timeouts, 500 concurrent sessions, and durability (kill -9 right
after a 250; an unwritable or full Maildir gives 451/452, never 250).
"""
import base64
import mailbox
import os
import select
import signal
import smtplib
import socket
import ssl
import subprocess
import time
import unittest

from harness import ServeProcess, TempDirTest, run, tool

# A session's replies are read until this much silence (only where a reply may be absent).
QUIET = 0.3


def maildir_bytes(path):
    """{key: bytes} of the messages in new/ of the Maildir at `path`, read with mailbox."""
    box = mailbox.Maildir(path, factory=None, create=False)
    return {key: box.get_bytes(key) for key in box.keys()}


def split_trace(data):
    """(Return-Path line, Received field, content) of a stored message."""
    assert data.startswith(b"Return-Path: <"), data[:80]
    rp, rest = data.split(b"\r\n", 1)
    received, content = rest.split(b"\r\n", 1)
    while content.startswith(b"\t"):  # the folded Received field
        line, content = content.split(b"\r\n", 1)
        received += b"\r\n" + line
    return rp, received, content


class Client:
    """A raw SMTP client: send bytes, read replies (complete lines only), bounded waits."""

    def __init__(self, port, host="127.0.0.1", timeout=10):
        self.sock = socket.create_connection((host, port), timeout=timeout)
        self.buf = b""

    def send(self, data):
        self.sock.sendall(data)

    def replies(self, count):
        """The next `count` complete replies (multi-line replies count once)."""
        out = []
        continued = False  # the last line read was "NNN-...": the reply goes on
        while len(out) < count or continued:
            try:
                line = self._line()
            except socket.timeout:
                break
            if line is None:
                break
            if continued:
                out[-1] += line
            else:
                out.append(line)
            continued = line[3:4] == b"-"
        return out

    def reply(self):
        r = self.replies(1)
        return r[0] if r else b""

    def _line(self):
        while b"\r\n" not in self.buf:
            chunk = self.sock.recv(65536)
            if not chunk:
                return None
            self.buf += chunk
        line, self.buf = self.buf.split(b"\r\n", 1)
        return line + b"\r\n"

    def closed(self):
        """True when the server closed (after what is buffered)."""
        try:
            while True:
                chunk = self.sock.recv(65536)
                if not chunk:
                    return True
                self.buf += chunk
        except (ConnectionResetError, socket.timeout):
            return False

    def close(self):
        self.sock.close()


class SmtpTest(TempDirTest):
    def serve(self, *args, env=None, maildir="mail"):
        self.maildir = self.path(maildir)
        full = ["smtp", "--maildir", self.maildir] + list(args)
        s = ServeProcess(full, env)
        self.addCleanup(s.stop)
        return s

    def client(self, server, greet=True):
        c = Client(server.port)
        self.addCleanup(c.close)
        if greet:
            self.assertTrue(c.reply().startswith(b"220 "))
        return c

    def swaks(self, server, *args, check=True):
        r = tool(["swaks", "--server", "127.0.0.1:%d" % server.port, "--helo", "client.example",
                  "--timeout", "20"] + list(args), check=False)
        if check:
            self.assertEqual(r.returncode, 0, r.stdout.decode(errors="replace"))
        return r.stdout.decode(errors="replace")

    def box(self, address):
        return maildir_bytes(os.path.join(self.maildir, address))


class DialogueTest(SmtpTest):
    def test_greeting_and_ehlo_extensions(self):
        srv = self.serve("--smtp-host", "mx.example.net")
        out = self.swaks(srv, "--quit-after", "EHLO")
        self.assertIn("<-  220 mx.example.net ESMTP netius", out)
        for ext in ("PIPELINING", "SIZE 26214400", "8BITMIME", "SMTPUTF8", "ENHANCEDSTATUSCODES"):
            self.assertIn("<-  250-%s\n" % ext, out)
        self.assertNotIn("STARTTLS", out)  # no certificate
        self.assertNotIn("AUTH", out)      # no --auth-file
        srv2 = self.serve(env={"SMTP_HOST": "env.example"}, maildir="mail2")
        self.assertIn("220 env.example ESMTP netius", self.swaks(srv2, "--quit-after", "CONNECT"))

    def test_swaks_message_is_stored_byte_exact(self):
        srv = self.serve()
        data = (b"From: a@example.org\r\nTo: joe@example.com\r\nSubject: hi\r\n\r\n"
                b".leading dot\r\n..two dots\r\nbody \xc3\xa9 8-bit\r\n")
        self.write("msg.eml", data[:-2])  # swaks ends the data with CRLF . CRLF itself
        out = self.swaks(srv, "--from", "a@example.org", "--to", "joe@example.com",
                         "--data", "@" + self.path("msg.eml"))
        self.assertRegex(out, r"<-  250 2\.0\.0 Ok: queued as [0-9A-F]{16}")
        [stored] = self.box("joe@example.com").values()
        rp, received, content = split_trace(stored)
        self.assertEqual(rp, b"Return-Path: <a@example.org>")
        self.assertRegex(received, rb"^Received: from client\.example \(\[127\.0\.0\.1\]\)\r\n\tby \S+ "
                                   rb"\(netius\) with ESMTP id [0-9A-F]{16}\r\n\tfor <joe@example\.com>; "
                                   rb"\w{3}, \d\d \w{3} \d{4} \d\d:\d\d:\d\d \+0000$")
        self.assertEqual(content, data)

    def test_pipelining_with_swaks(self):
        srv = self.serve()
        out = self.swaks(srv, "--pipeline", "--to", "a@x.example,b@x.example", "--body", "pipelined")
        self.assertIn("250 2.0.0 Ok: queued as", out)
        self.assertEqual(len(self.box("a@x.example")), 1)
        self.assertEqual(len(self.box("b@x.example")), 1)

    def test_size_limit(self):
        srv = self.serve("--max-size", "1000")
        out = self.swaks(srv, "--quit-after", "EHLO")
        self.assertIn("250-SIZE 1000", out)
        out = self.swaks(srv, "--to", "joe@example.com", "--body", "x" * 2000, check=False)
        self.assertIn("552 5.3.4", out)
        self.assertFalse(os.path.exists(os.path.join(self.maildir, "joe@example.com")))
        c = self.client(srv)  # declared size over the limit: refused at MAIL
        c.send(b"EHLO c\r\nMAIL FROM:<a@b> SIZE=1001\r\nMAIL FROM:<a@b> SIZE=1000\r\n")
        r = c.replies(3)
        self.assertTrue(r[1].startswith(b"552 5.3.4 "), r)
        self.assertTrue(r[2].startswith(b"250 2.1.0 "), r)

    def test_smtplib_session_and_8bit_and_smtputf8(self):
        srv = self.serve()
        with smtplib.SMTP("127.0.0.1", srv.port, timeout=20) as s:
            code, text = s.ehlo("client.example")
            self.assertEqual(code, 250)
            self.assertTrue(s.has_extn("smtputf8") and s.has_extn("8bitmime"))
            self.assertEqual(s.noop()[0], 250)
            self.assertEqual(s.verify("joe")[0], 252)
            self.assertEqual(s.help()[:5], b"2.0.0")
            s.rset()
            msg = b"Subject: caf\xc3\xa9\r\n\r\n\xe2\x82\xac 8-bit\r\n"
            refused = s.sendmail("a@example.org", ["joe@example.com", "ann@example.com"], msg,
                                 mail_options=["BODY=8BITMIME"])
            self.assertEqual(refused, {})
            umsg = "Subject: ünïcode\r\n\r\nhi\r\n".encode()
            s.sendmail("jörg@bücher.example", ["用户@例子.example"], umsg, mail_options=["SMTPUTF8"])
        for who in ("joe@example.com", "ann@example.com"):
            [stored] = self.box(who).values()
            self.assertEqual(split_trace(stored)[2], msg)
            self.assertNotIn(b"\tfor <", stored)  # two recipients: no "for" clause
        [stored] = self.box("用户@例子.example").values()
        rp, received, content = split_trace(stored)
        self.assertEqual(rp, "Return-Path: <jörg@bücher.example>".encode())
        self.assertIn(b" with UTF8SMTP id ", received)
        self.assertEqual(content, umsg)

    def test_error_replies(self):
        srv = self.serve("--domain", "example.com;example.org")
        cases = [
            (b"DATA\r\n", b"503 5.5.1"),
            (b"MAIL FROM:<a@b>\r\n", b"503 5.5.1"),   # before HELO
            (b"EHLO\r\n", b"501 5.5.4"),
            (b"XYZZY\r\n", b"500 5.5.2"),
            (b"EXPN list\r\n", b"502 5.5.1"),
            (b"BDAT 10 LAST\r\n", b"502 5.5.1"),
            (b"EHLO c\r\nRCPT TO:<joe@example.com>\r\n", b"503 5.5.1"),
            (b"EHLO c\r\nMAIL FROM:<a@b>\r\nDATA\r\n", b"503 5.5.1"),
            (b"EHLO c\r\nMAIL FROM:<a@b>\r\nMAIL FROM:<a@b>\r\n", b"503 5.5.1"),
            (b"EHLO c\r\nMAIL FROM:a@b\r\n", b"501 5.1.7"),
            (b"EHLO c\r\nMAIL TO:<a@b>\r\n", b"501 5.5.4"),
            (b"EHLO c\r\nMAIL FROM:<a@b> FOO=BAR\r\n", b"555 5.5.4"),
            (b"EHLO c\r\nMAIL FROM:<j\xc3\xb6rg@b>\r\n", b"553 5.6.7"),
            (b"EHLO c\r\nMAIL FROM:<a@b>\r\nRCPT TO:<joe@other.net>\r\n", b"550 5.1.1"),
            (b"EHLO c\r\nMAIL FROM:<a@b>\r\nRCPT TO:<a/b@example.com>\r\n", b"553 5.1.3"),
            (b"EHLO c\r\nMAIL FROM:<a@b>\r\nRCPT TO:<\"a/b\"@example.com>\r\n", b"553 5.1.3"),
            (b"EHLO c\r\nMAIL FROM:<a@b>\r\nRCPT TO:joe@example.com\r\n", b"501 5.1.3"),
            (b"EHLO c\r\nMAIL FROM:<a@b>\r\nRCPT TO:<Postmaster>\r\n", b"250 2.1.5"),
            (b"EHLO c\r\nSTARTTLS\r\n", b"454 4.7.0"),  # no certificate
            (b"EHLO c\r\nAUTH PLAIN\r\n", b"502 5.5.1"),  # no --auth-file
            (b"RSET x\r\n", b"501 5.5.4"),
            (b"QUIT now\r\n", b"501 5.5.4"),
        ]
        for commands, want in cases:
            with self.subTest(commands=commands):
                c = self.client(srv)
                c.send(commands)
                n = commands.count(b"\r\n")
                got = c.replies(n)
                self.assertEqual(len(got), n, got)
                self.assertTrue(got[-1].startswith(want + b" "), got)
                c.send(b"QUIT\r\n")
                self.assertEqual(c.reply(), b"221 2.0.0 Bye\r\n")
                self.assertTrue(c.closed())

    def test_too_many_recipients_and_errors(self):
        srv = self.serve("--max-recipients", "2", "--max-errors", "3")
        c = self.client(srv)
        c.send(b"EHLO c\r\nMAIL FROM:<a@b>\r\n" +
               b"".join(b"RCPT TO:<u%d@x>\r\n" % i for i in range(3)))
        r = c.replies(5)
        self.assertEqual([x[:9] for x in r[2:]], [b"250 2.1.5", b"250 2.1.5", b"452 4.5.3"])
        c.send(b"BAD1\r\nBAD2\r\nBAD3\r\nNOOP\r\n")
        r = c.replies(4)
        self.assertEqual([x[:9] for x in r], [b"500 5.5.2", b"500 5.5.2", b"500 5.5.2", b"421 4.7.0"])
        self.assertTrue(c.closed())  # the NOOP after the 421 is not answered

    def test_pipelined_commands_after_the_terminator_in_one_write(self):
        srv = self.serve()
        c = self.client(srv)
        c.send(b"EHLO c\r\nMAIL FROM:<a@b>\r\nRCPT TO:<joe@x.example>\r\nDATA\r\n")
        self.assertEqual([r[:3] for r in c.replies(4)], [b"250", b"250", b"250", b"354"])
        c.send(b"one\r\n.\r\nMAIL FROM:<a@b>\r\nRCPT TO:<joe@x.example>\r\nDATA\r\n"
               b"two\r\n.\r\nQUIT\r\n")
        r = c.replies(6)
        self.assertEqual([x[:3] for x in r], [b"250", b"250", b"250", b"354", b"250", b"221"], r)
        self.assertTrue(c.closed())
        contents = sorted(split_trace(m)[2] for m in self.box("joe@x.example").values())
        self.assertEqual(contents, [b"one\r\n", b"two\r\n"])

    def test_smuggling_attempts_stay_inside_the_message(self):
        srv = self.serve()
        for i, trick in enumerate((b"\n.\n", b"\r.\r", b"\n.\r\n", b"\r\n.\n", b"\r.\r\n")):
            with self.subTest(trick=trick):
                c = self.client(srv)
                rcpt = b"victim%d@x.example" % i
                c.send(b"EHLO c\r\nMAIL FROM:<a@b>\r\nRCPT TO:<" + rcpt + b">\r\nDATA\r\n")
                self.assertEqual(c.replies(4)[-1][:3], b"354")
                smuggled = (b"Subject: real\r\n\r\nbody" + trick + b"MAIL FROM:<evil@x>\r\n"
                            b"RCPT TO:<" + rcpt + b">\r\nDATA\r\nSubject: smuggled\r\n")
                c.send(smuggled + b"\r\n.\r\n")
                r = c.replies(1)
                self.assertTrue(r[0].startswith(b"250 2.0.0 Ok: queued"), r)
                c.sock.settimeout(QUIET)
                self.assertEqual(c.replies(1), [])  # nothing else was taken as a command
                [stored] = self.box(rcpt.decode()).values()
                # Content as sent, but for RFC 5321 4.5.2: a dot starting a CRLF line goes.
                self.assertEqual(split_trace(stored)[2], smuggled.replace(b"\r\n.", b"\r\n") + b"\r\n")

    def test_line_over_the_limit(self):
        srv = self.serve("--max-line", "100")
        c = self.client(srv)
        c.send(b"NOOP " + b"x" * 5000 + b"\r\nNOOP\r\n")
        r = c.replies(2)
        self.assertTrue(r[0].startswith(b"500 5.5.0 Line too long"), r)
        self.assertTrue(r[1].startswith(b"250 2.0.0"), r)

    def test_a_stalled_client_gets_421_and_is_closed(self):
        srv = self.serve("--command-timeout", "1", "--data-timeout", "1")
        c = self.client(srv)
        started = time.monotonic()
        self.assertTrue(c.reply().startswith(b"421 4.4.2 "))
        self.assertTrue(c.closed())
        self.assertLess(time.monotonic() - started, 8)
        c = self.client(srv)  # stalled in the middle of a message
        c.send(b"EHLO c\r\nMAIL FROM:<a@b>\r\nRCPT TO:<joe@x.example>\r\nDATA\r\npartial")
        r = c.replies(5)
        self.assertTrue(r[-1].startswith(b"421 4.4.2 "), r)
        self.assertFalse(os.path.exists(os.path.join(self.maildir, "joe@x.example")))

    def test_500_sessions_at_once(self):
        srv = self.serve()
        clients = [Client(srv.port, timeout=30) for _ in range(500)]
        try:
            for c in clients:
                self.assertTrue(c.reply().startswith(b"220 "))
            for i, c in enumerate(clients):
                c.send(b"EHLO c\r\nMAIL FROM:<a@b>\r\nRCPT TO:<many@x.example>\r\nDATA\r\n"
                       b"message %d\r\n.\r\nQUIT\r\n" % i)
            for c in clients:
                r = c.replies(6)
                self.assertTrue(r[4].startswith(b"250 2.0.0 Ok: queued"), r)
                self.assertEqual(r[5][:3], b"221")
        finally:
            for c in clients:
                c.close()
        contents = sorted(split_trace(m)[2] for m in self.box("many@x.example").values())
        self.assertEqual(contents, sorted(b"message %d\r\n" % i for i in range(500)))


class TlsAuthTest(SmtpTest):
    def setUp(self):
        super().setUp()
        self.key, self.cer = self.path("key.pem"), self.path("cer.pem")
        tool(["openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256",
              "-nodes", "-keyout", self.key, "-out", self.cer, "-days", "2", "-subj", "/CN=localhost",
              "-addext", "subjectAltName=DNS:localhost,IP:127.0.0.1"])
        argon = run(["auth", "generate", "secret"], check=True).stdout.decode().strip()
        sha = run(["auth", "generate", "pw2", "sha256", "netius"], check=True).stdout.decode().strip()
        plain = run(["auth", "generate", "pw3", "plain"], check=True).stdout.decode().strip()
        self.users = self.write("users", "# test users\njoe:%s\nann:%s\nbob:%s\n" % (argon, sha, plain))

    def test_starttls_then_auth_plain_and_login(self):
        srv = self.serve("--key-file", self.key, "--cer-file", self.cer, "--auth-file", self.users,
                         "--require-auth")
        out = self.swaks(srv, "--quit-after", "EHLO")
        self.assertIn("250-STARTTLS", out)
        for user, password, mech in (("joe", "secret", "PLAIN"), ("ann", "pw2", "LOGIN"),
                                     ("bob", "pw3", "PLAIN")):
            with self.subTest(user=user, mech=mech):
                out = self.swaks(srv, "-tls", "--auth", mech, "--auth-user", user,
                                 "--auth-password", password, "--to", "%s@x.example" % user,
                                 "--body", "hello " + user)
                self.assertIn("TLS started", out)
                self.assertIn("235 2.7.0 Authentication successful", out)
                [stored] = self.box("%s@x.example" % user).values()
                self.assertIn(b" with ESMTPSA id ", split_trace(stored)[1])
        out = self.swaks(srv, "-tls", "--auth", "PLAIN", "--auth-user", "joe",
                         "--auth-password", "wrong", "--to", "joe@x.example", check=False)
        self.assertIn("535 5.7.8", out)
        out = self.swaks(srv, "-tls", "--auth", "LOGIN", "--auth-user", "nobody",
                         "--auth-password", "x", "--to", "joe@x.example", check=False)
        self.assertIn("535 5.7.8", out)
        out = self.swaks(srv, "-tls", "--to", "joe@x.example", check=False)  # no AUTH
        self.assertIn("530 5.7.0", out)
        self.assertEqual(len(self.box("joe@x.example")), 1)

    def test_implicit_tls_behind_a_proxy_header(self):
        # A TCP balancer sends the PROXY header before the ClientHello.
        srv = self.serve("--ssl", "--key-file", self.key, "--cer-file", self.cer,
                         "--proxy-protocol", "--access-log", self.path("smtp.log"))
        ctx = ssl.create_default_context(cafile=self.cer)
        raw = socket.create_connection(("127.0.0.1", srv.port), timeout=20)
        raw.sendall(b"PROXY TCP4 192.0.2.7 127.0.0.1 5000 465\r\n")
        with smtplib.SMTP_SSL(context=ctx, timeout=20) as s:
            s.sock = ctx.wrap_socket(raw, server_hostname="127.0.0.1")
            s.file = None
            self.assertEqual(s.getreply()[0], 220)
            s.ehlo()
            s.sendmail("a@b.example", ["tls@x.example"], b"Subject: p\r\n\r\nbehind\r\n")
        self.assertEqual(len(self.box("tls@x.example")), 1)
        srv.stop()
        self.assertIn("192.0.2.7", self.read("smtp.log").decode())

    def test_implicit_tls_with_smtplib(self):
        srv = self.serve("--ssl", "--key-file", self.key, "--cer-file", self.cer)
        self.assertIn(b"smtps://127.0.0.1:", srv.log)
        ctx = ssl.create_default_context(cafile=self.cer)
        with smtplib.SMTP_SSL("127.0.0.1", srv.port, context=ctx, timeout=20) as s:
            self.assertNotIn("starttls", s.ehlo()[1].decode().lower())
            s.sendmail("a@b.example", ["tls@x.example"], b"Subject: s\r\n\r\nsecret\r\n")
        [stored] = self.box("tls@x.example").values()
        self.assertIn(b" with ESMTPS id ", split_trace(stored)[1])

    def test_auth_needs_tls_except_on_loopback_or_when_allowed(self):
        # A PROXY header makes the client look remote (192.0.2.1).
        srv = self.serve("--auth-file", self.users, "--proxy-protocol", "--key-file", self.key,
                         "--cer-file", self.cer)
        c = Client(srv.port)
        self.addCleanup(c.close)
        c.send(b"PROXY TCP4 192.0.2.1 127.0.0.1 5000 25\r\n")
        self.assertTrue(c.reply().startswith(b"220 "))
        c.send(b"EHLO c\r\nAUTH PLAIN " + base64.b64encode(b"\0bob\0pw3") + b"\r\n")
        ehlo, auth = c.replies(2)
        self.assertNotIn(b"AUTH", ehlo)
        self.assertIn(b"STARTTLS", ehlo)
        self.assertTrue(auth.startswith(b"538 5.7.11 "), auth)
        srv2 = self.serve("--auth-file", self.users, "--proxy-protocol", "--allow-plain-auth",
                          maildir="mail2")
        c = Client(srv2.port)
        self.addCleanup(c.close)
        c.send(b"PROXY TCP4 192.0.2.1 127.0.0.1 5000 25\r\n")
        self.assertTrue(c.reply().startswith(b"220 "))
        c.send(b"EHLO c\r\nAUTH PLAIN " + base64.b64encode(b"\0bob\0pw3") + b"\r\n")
        ehlo, auth = c.replies(2)
        self.assertIn(b"250-AUTH PLAIN LOGIN", ehlo)
        self.assertTrue(auth.startswith(b"235 2.7.0 "), auth)

    def test_argon2_checks_do_not_block_other_sessions(self):
        srv = self.serve("--auth-file", self.users)
        slow = self.client(srv)
        # Two argon2 checks (about a second each) queued on the worker...
        slow.send(b"EHLO c\r\nAUTH PLAIN " + base64.b64encode(b"\0joe\0wrong") + b"\r\n")
        slow.replies(1)
        other = self.client(srv)
        other.send(b"EHLO c\r\nAUTH PLAIN " + base64.b64encode(b"\0joe\0secret") + b"\r\n")
        other.replies(1)
        # ...while a third session is answered meanwhile: its reply comes before either result.
        quick = self.client(srv)
        quick.send(b"NOOP\r\n")
        self.assertTrue(quick.reply().startswith(b"250 "))
        self.assertEqual(select.select([slow.sock, other.sock], [], [], 0)[0], [])
        self.assertTrue(other.reply().startswith(b"235 "))
        self.assertTrue(slow.reply().startswith(b"535 5.7.8 "))

    def test_starttls_discards_plaintext_pipelined_after_it(self):
        srv = self.serve("--key-file", self.key, "--cer-file", self.cer)
        c = self.client(srv)
        c.send(b"EHLO c\r\nSTARTTLS\r\nRSET\r\n")  # CVE-2011-0411: RSET must not be answered
        self.assertEqual([r[:3] for r in c.replies(2)], [b"250", b"220"])
        ctx = ssl.create_default_context(cafile=self.cer)
        tls = ctx.wrap_socket(c.sock, server_hostname="localhost")
        tls.settimeout(10)
        tls.sendall(b"NOOP\r\n")
        self.assertTrue(tls.recv(4096).startswith(b"250 2.0.0"))
        tls.sendall(b"MAIL FROM:<a@b>\r\n")  # the pre-TLS EHLO is forgotten (RFC 3207 4.2)
        self.assertTrue(tls.recv(4096).startswith(b"503 5.5.1"))
        tls.sendall(b"EHLO c\r\n")
        ehlo = tls.recv(4096)
        self.assertNotIn(b"STARTTLS", ehlo)
        tls.close()


class DurabilityTest(SmtpTest):
    def test_kill_9_right_after_250_keeps_the_message(self):
        for i in range(5):
            with self.subTest(round=i):
                srv = self.serve(maildir="mail%d" % i)
                body = b"".join(b"line %d of message %d\r\n" % (n, i) for n in range(3000))
                c = self.client(srv)
                c.send(b"EHLO c\r\nMAIL FROM:<a@b>\r\nRCPT TO:<k@x.example>\r\nDATA\r\n")
                c.replies(4)
                c.send(body + b".\r\n")
                self.assertTrue(c.reply().startswith(b"250 2.0.0 Ok: queued"))
                srv.proc.send_signal(signal.SIGKILL)
                srv.proc.wait(timeout=10)
                [stored] = self.box("k@x.example").values()
                self.assertEqual(split_trace(stored)[2], body)

    def test_an_unwritable_maildir_gets_451(self):
        srv = self.serve()
        os.makedirs(self.maildir, exist_ok=True)
        self.write(os.path.join(self.maildir, "blocked@x.example"), b"a file, not a Maildir")
        c = self.client(srv)
        c.send(b"EHLO c\r\nMAIL FROM:<a@b>\r\nRCPT TO:<ok@x.example>\r\n"
               b"RCPT TO:<blocked@x.example>\r\nDATA\r\n")
        c.replies(5)
        c.send(b"hello\r\n.\r\n")
        self.assertTrue(c.reply().startswith(b"451 4.3.0 "))
        self.assertEqual(self.box("ok@x.example"), {})  # nothing half-stored
        srv.stop()
        self.assertIn(b"not stored", srv.log)

    def test_a_full_disk_gets_452(self):
        full = self.path("full")
        os.mkdir(full)
        r = tool(["mount", "-t", "tmpfs", "-o", "size=64k", "tmpfs", full], check=False)
        if r.returncode != 0:
            self.skipTest("cannot mount a tmpfs here: %s" % r.stderr.decode().strip())
        self.addCleanup(tool, ["umount", full])
        srv = self.serve("--single", maildir="full/box")
        c = self.client(srv)
        c.send(b"EHLO c\r\nMAIL FROM:<a@b>\r\nRCPT TO:<x@x.example>\r\nDATA\r\n")
        c.replies(4)
        c.send(b"x" * 200000 + b"\r\n.\r\n")
        self.assertTrue(c.reply().startswith(b"452 4.3.1 "))
        self.assertEqual(maildir_bytes(self.maildir), {})
        self.assertEqual(os.listdir(os.path.join(self.maildir, "tmp")), [])


class CommandLineTest(SmtpTest):
    def test_sigterm_lets_a_message_finish_and_exits_0(self):
        srv = self.serve()
        idle = self.client(srv)
        busy = self.client(srv)
        busy.send(b"EHLO c\r\nMAIL FROM:<a@b>\r\nRCPT TO:<late@x.example>\r\nDATA\r\npart one\r\n")
        busy.replies(4)
        srv.proc.send_signal(signal.SIGTERM)
        self.assertTrue(idle.reply().startswith(b"421 4.3.2 "))
        busy.send(b"part two\r\n.\r\n")
        self.assertTrue(busy.reply().startswith(b"250 2.0.0 "))
        self.assertTrue(busy.reply().startswith(b"421 4.3.2 "))
        self.assertEqual(srv.stop(), 0)
        [stored] = self.box("late@x.example").values()
        self.assertEqual(split_trace(stored)[2], b"part one\r\npart two\r\n")

    def test_access_log_line_per_message(self):
        log = self.path("smtp.log")
        srv = self.serve("--access-log", log, "--max-size", "100")
        c = self.client(srv)
        c.send(b"EHLO client.example\r\nMAIL FROM:<a@b.example>\r\nRCPT TO:<x@y.example>\r\n"
               b"RCPT TO:<\"z q\"@y.example>\r\nDATA\r\n")
        c.replies(5)
        c.send(b"hello\r\n.\r\nMAIL FROM:<>\r\nRCPT TO:<x@y.example>\r\nDATA\r\n")
        c.replies(4)
        c.send(b"x" * 200 + b"\r\n.\r\nQUIT\r\n")
        c.replies(2)
        self.assertEqual(srv.stop(), 0)
        with open(log) as f:
            lines = f.read().splitlines()
        self.assertEqual(len(lines), 2, lines)
        self.assertRegex(lines[0], r'^127\.0\.0\.1 - - \[\d\d/\w{3}/\d{4}:\d\d:\d\d:\d\d [+-]\d{4}\] '
                                   r'"DATA <a@b\.example> <x@y\.example>,<\\x22z q\\x22@y\.example>" 250 7 '
                                   r'"[0-9A-F]{16}" "client\.example"$')
        self.assertRegex(lines[1], r'"DATA <> <x@y\.example>" 552 202 "-" "client\.example"$')

    def test_workers(self):
        srv = self.serve("--workers", "2")
        self.assertIn(b"(2 workers)", srv.log)
        for i in range(6):
            self.swaks(srv, "--to", "w@x.example", "--body", "n%d" % i)
        self.assertEqual(len(self.box("w@x.example")), 6)
        self.assertEqual(srv.stop(), 0)

    def test_usage_and_setup_errors(self):
        r = run(["serve", "smtp", "--port", "0", "--require-auth"], timeout=10)
        self.assertEqual(r.returncode, 2)
        self.assertIn(b"--require-auth needs --auth-file", r.stderr)
        bad = self.write("users", "no colon here\n")
        r = run(["serve", "smtp", "--port", "0", "--auth-file", bad], timeout=10)
        self.assertFailsWith(r, "users:1:")
        afile = self.write("afile", "x")
        r = run(["serve", "smtp", "--port", "0", "--maildir", afile], timeout=10)
        self.assertFailsWith(r, "afile")


if __name__ == "__main__":
    unittest.main()
