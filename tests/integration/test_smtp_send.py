"""`netius smtp send` against our own `netius serve smtp` (mail read back with mailbox.Maildir)
and Python's aiosmtpd: files, stdin and composed messages, netius' positional form, the exit
statuses (5xx, 4xx, no server), STARTTLS required, implicit TLS, AUTH with a password file over
STARTTLS (masked in the -v transcript), DKIM checked by dkimpy, and MX delivery through dnsmasq.
"""
import base64
import email
import email.policy
import os
import re
import select
import subprocess
import termios
import time
import unittest

import dkim
from aiosmtpd.controller import Controller

from harness import NETIUS, ServeProcess, TempDirTest, free_port, run, tool
from peers import Dnsmasq
from test_serve_smtp import maildir_bytes, split_trace

MESSAGE = (b"From: alice@example.com\r\nTo: bob@x.example\r\nSubject: hi\r\n"
           b"Message-ID: <m1@example.com>\r\n\r\nHello Bob\r\n.leading dot\r\n")


class Recorder:
    """aiosmtpd handler: refuses RCPT TO addresses starting with "perm" (550) or "temp" (451)."""

    def __init__(self):
        self.messages = []

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if address.startswith("perm"):
            return "550 5.1.1 no such user"
        if address.startswith("temp"):
            return "451 4.3.0 try again later"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        self.messages.append((envelope.mail_from, list(envelope.rcpt_tos), envelope.content))
        return "250 OK queued"


class SendTest(TempDirTest):
    def serve(self, *args, maildir="mail"):
        self.maildir = self.path(maildir)
        s = ServeProcess(["smtp", "--maildir", self.maildir] + list(args))
        self.addCleanup(s.stop)
        return s

    def box(self, address):
        path = os.path.join(self.maildir, address)
        return maildir_bytes(path) if os.path.isdir(path) else {}

    def aiosmtpd(self):
        handler = Recorder()
        controller = Controller(handler, hostname="127.0.0.1", port=free_port(),
                                ready_timeout=10)
        controller.start()
        self.addCleanup(controller.stop)
        return handler, "127.0.0.1:%d" % controller.port

    def send(self, *args, input=None, env=None):
        return run(["smtp", "send", "--timeout", "10"] + list(args), input=input, env=env)

    def assertSent(self, r):
        self.assertEqual(r.returncode, 0, r.stderr.decode(errors="replace"))

    def tls_files(self):
        key, cer = self.path("key.pem"), self.path("cer.pem")
        tool(["openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256",
              "-nodes", "-keyout", key, "-out", cer, "-days", "2", "-subj", "/CN=localhost",
              "-addext", "subjectAltName=DNS:localhost,IP:127.0.0.1"])
        return key, cer


class ToServeSmtpTest(SendTest):
    def test_message_file_is_stored_byte_exact(self):
        srv = self.serve()
        msg = self.write("m.eml", MESSAGE)
        r = self.send(msg, "--from", "alice@example.com", "--to", "bob@x.example",
                      "--to", "carol@x.example", "--server", "127.0.0.1:%d" % srv.port,
                      "--helo", "client.example")
        self.assertSent(r)
        self.assertEqual(r.stdout, b"")
        for who in ("bob@x.example", "carol@x.example"):
            [stored] = self.box(who).values()
            rp, received, content = split_trace(stored)
            self.assertEqual(rp, b"Return-Path: <alice@example.com>")
            self.assertIn(b"from client.example ", received)
            self.assertEqual(content, MESSAGE)

    def test_stdin_with_lf_lines_goes_out_with_crlf(self):
        srv = self.serve()
        r = self.send("-", "-f", "alice@example.com", "-t", "bob@x.example", "-s",
                      "127.0.0.1:%d" % srv.port, input=MESSAGE.replace(b"\r\n", b"\n"))
        self.assertSent(r)
        [stored] = self.box("bob@x.example").values()
        self.assertEqual(split_trace(stored)[2], MESSAGE)

    def test_netius_positional_form(self):
        srv = self.serve()
        msg = self.write("m.eml", MESSAGE)
        r = self.send(msg, "alice@example.com", "bob@x.example,carol@x.example", "127.0.0.1",
                      str(srv.port))
        self.assertSent(r)
        self.assertEqual(len(self.box("bob@x.example")), 1)
        self.assertEqual(len(self.box("carol@x.example")), 1)
        r = self.send(msg, "alice@example.com", "bob@x.example", "127.0.0.1", str(srv.port),
                      "joe", "secret")
        self.assertEqual(r.returncode, 2, r.stderr)
        self.assertIn(b"PASS must be '-'", r.stderr)

    def test_composed_message(self):
        srv = self.serve()
        self.write("body.txt", "first line\nsecond line \u20ac\n")
        r = self.send("--from", "alice@example.com", "--to", "bob@x.example", "--server",
                      "127.0.0.1:%d" % srv.port, "--subject", "caf\u00e9 news", "--body",
                      "@" + self.path("body.txt"), "--header", "X-Tag: 42", "-H",
                      "Reply-To: r@example.com")
        self.assertSent(r)
        [stored] = self.box("bob@x.example").values()
        content = split_trace(stored)[2]
        msg = email.message_from_bytes(content, policy=email.policy.default)
        self.assertEqual(msg["From"], "alice@example.com")
        self.assertEqual(msg["To"], "bob@x.example")
        self.assertEqual(msg["Subject"], "caf\u00e9 news")
        self.assertEqual(msg["X-Tag"], "42")
        self.assertEqual(msg["Reply-To"], "r@example.com")
        self.assertIsNotNone(msg["Date"].datetime)  # parses as an RFC 5322 date
        self.assertRegex(msg["Message-ID"], r"^<[0-9a-f]{16}\.\d+@example\.com>$")
        self.assertEqual(msg.get_content().replace("\r\n", "\n"), "first line\nsecond line \u20ac\n")
        self.assertIn(b"\r\n\r\nfirst line\r\nsecond line \xe2\x82\xac\r\n", content)
        r = self.send("--from", "a@example.com", "--to", "b@x.example", "--server",
                      "127.0.0.1:%d" % srv.port, "--header", "Bad header")
        self.assertEqual(r.returncode, 2, r.stderr)

    def test_auth_with_a_password_file_over_required_starttls(self):
        key, cer = self.tls_files()
        plain = run(["auth", "generate", "pw3", "plain"], check=True).stdout.decode().strip()
        users = self.write("users", "bob:%s\n" % plain)
        srv = self.serve("--key-file", key, "--cer-file", cer, "--auth-file", users,
                         "--require-auth")
        pw = self.write("pw", "pw3\n")
        args = ["--from", "bob@example.com", "--to", "joe@x.example", "--server",
                "localhost:%d" % srv.port, "--starttls", "--cacert", cer, "--auth-user", "bob",
                "--subject", "s", "--body", "authenticated"]
        r = self.send(*args, "--auth-password-file", pw, "-v")
        self.assertSent(r)
        err = r.stderr.decode()
        self.assertIn(" -> STARTTLS\n", err)
        self.assertIn("=== TLS started\n", err)
        self.assertIn(" -> AUTH PLAIN ****\n", err)
        self.assertIn("<-  235 2.7.0", err)
        self.assertNotIn(base64.b64encode(b"\0bob\0pw3").decode(), err)
        self.assertNotIn("pw3", err)
        [stored] = self.box("joe@x.example").values()
        self.assertIn(b" with ESMTPSA id ", split_trace(stored)[1])
        # The environment variable, and a wrong password: the 535 is a permanent refusal.
        r = self.send(*args, env={"NETIUS_SMTP_PASSWORD": "pw3"})
        self.assertSent(r)
        self.assertEqual(len(self.box("joe@x.example")), 2)
        r = self.send(*args, env={"NETIUS_SMTP_PASSWORD": "wrong"})
        self.assertEqual(r.returncode, 3, r.stderr)
        self.assertIn(b"netius: smtp send: joe@x.example: authentication failed: 535", r.stderr)
        # Without a password source (stdin not a terminal): usage.
        r = self.send(*args, input=b"")
        self.assertEqual(r.returncode, 2, r.stderr)
        # The certificate is checked with --starttls: the system store does not know it.
        r = self.send(*[a for a in args if a not in ("--cacert", cer)],
                      "--auth-password-file", pw)
        self.assertEqual(r.returncode, 5, r.stderr)
        self.assertIn(b"TLS handshake", r.stderr)
        self.assertEqual(len(self.box("joe@x.example")), 2)

    def test_password_prompt_on_a_terminal(self):
        """Without a file or NETIUS_SMTP_PASSWORD the password is asked on the terminal (the
        process' stdin a pty), with echo off: the typed password never shows on it."""
        plain = run(["auth", "generate", "pw4", "plain"], check=True).stdout.decode().strip()
        key, cer = self.tls_files()
        srv = self.serve("--key-file", key, "--cer-file", cer, "--require-auth",
                         "--auth-file", self.write("users", "bob:%s\n" % plain))
        master, slave = os.openpty()
        env = dict(os.environ)
        env.pop("NETIUS_SMTP_PASSWORD", None)
        proc = subprocess.Popen(
            [NETIUS, "smtp", "send", "--timeout", "10", "--from", "bob@example.com", "--to",
             "joe@x.example", "--server", "localhost:%d" % srv.port, "--starttls", "--cacert", cer,
             "--auth-user", "bob",
             "--subject", "s", "--body", "prompted"],
            stdin=slave, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env)
        self.addCleanup(os.close, master)
        self.addCleanup(os.close, slave)
        self.addCleanup(proc.kill)
        prompt = b""
        deadline = time.monotonic() + 10
        while b"Password for bob: " not in prompt and time.monotonic() < deadline:
            ready, _, _ = select.select([proc.stderr], [], [], 0.2)
            if ready:
                chunk = os.read(proc.stderr.fileno(), 256)
                if not chunk:
                    break
                prompt += chunk
        self.assertIn(b"Password for bob: ", prompt)
        # Echo goes off right after the prompt (the terminal's settings, seen from our end).
        while termios.tcgetattr(slave)[3] & termios.ECHO and time.monotonic() < deadline:
            time.sleep(0.02)
        self.assertFalse(termios.tcgetattr(slave)[3] & termios.ECHO)
        os.write(master, b"pw4\n")
        out, err = proc.communicate(timeout=20)
        self.assertEqual(proc.returncode, 0, prompt + err)
        self.assertNotIn(b"pw4", prompt + err + out)
        echoed = b""
        while select.select([master], [], [], 0.2)[0]:
            try:
                echoed += os.read(master, 1024)
            except OSError:  # the slave side is closed: nothing more to read
                break
        self.assertNotIn(b"pw4", echoed)
        [stored] = self.box("joe@x.example").values()
        self.assertIn(b"prompted", stored)

    def test_implicit_tls(self):
        key, cer = self.tls_files()
        srv = self.serve("--ssl", "--key-file", key, "--cer-file", cer)
        args = ["--from", "a@example.com", "--to", "joe@x.example", "--tls", "--body", "x"]
        r = self.send(*args, "--server", "localhost:%d" % srv.port, "--cacert", cer, "-v")
        self.assertSent(r)
        self.assertIn("=== TLS started\n<-  220 ", r.stderr.decode())
        r = self.send(*args, "--server", "127.0.0.1:%d" % srv.port, "-k")
        self.assertSent(r)
        for stored in self.box("joe@x.example").values():
            self.assertIn(b" with ESMTPS id ", split_trace(stored)[1])
        self.assertEqual(len(self.box("joe@x.example")), 2)

    def test_dkim_signature_verifies_with_dkimpy(self):
        srv = self.serve()
        key = self.path("mail.key")
        g = run(["dkim", "generate", "example.com", "--selector", "mail", "--key-out", key])
        self.assertEqual(g.returncode, 0, g.stderr)
        record = "".join(re.findall(r'"([^"]*)"', g.stdout.decode()))  # the TXT strings
        r = self.send("--from", "alice@example.com", "--to", "bob@x.example", "--server",
                      "127.0.0.1:%d" % srv.port, "--subject", "signed", "--body", "dkim body",
                      "--dkim", "example.com:mail:" + key)
        self.assertSent(r)
        [stored] = self.box("bob@x.example").values()
        content = split_trace(stored)[2]
        self.assertTrue(content.startswith(b"DKIM-Signature: "), content[:80])

        def lookup(name, timeout=5):
            self.assertEqual(name, b"mail._domainkey.example.com.")
            return record.encode()
        self.assertTrue(dkim.verify(content, dnsfunc=lookup), record)
        self.assertFalse(dkim.verify(content.replace(b"dkim body", b"dkim evil"), dnsfunc=lookup))
        r = self.send("--from", "alice@example.org", "--to", "bob@x.example", "--server",
                      "127.0.0.1:%d" % srv.port, "--dkim", "example.com:mail:" + key)
        self.assertEqual(r.returncode, 2, r.stderr)  # From domain is not the signing domain

    def test_mx_delivery_through_dnsmasq(self):
        srv = self.serve()
        with Dnsmasq({}, hosts={"mx1.x.example": ["127.0.0.1"]},
                     mx=[("x.example", "mx1.x.example", 10)]) as dns_server:
            r = self.send("--from", "alice@example.com", "--to", "bob@x.example", "--to",
                          "nobody@nx.example", "--nameserver", dns_server.address,
                          "--mx-port", str(srv.port), "--body", "via MX")
        self.assertEqual(r.returncode, 3, r.stderr)  # nx.example does not exist
        self.assertIn(b"netius: smtp send: nobody@nx.example: no such domain", r.stderr)
        self.assertNotIn(b"bob@x.example", r.stderr)
        [stored] = self.box("bob@x.example").values()
        self.assertTrue(split_trace(stored)[2].endswith(b"\r\n\r\nvia MX\r\n"))


class ToAiosmtpdTest(SendTest):
    def test_delivered_and_refused_recipients(self):
        handler, address = self.aiosmtpd()
        msg = self.write("m.eml", MESSAGE)
        r = self.send(msg, "--from", "alice@example.com", "--to", "bob@x.example", "--server",
                      address)
        self.assertSent(r)
        self.assertEqual(handler.messages, [("alice@example.com", ["bob@x.example"], MESSAGE)])
        r = self.send(msg, "--from", "a@example.com", "--to", "perm@x.example,ok@x.example",
                      "--server", address)
        self.assertEqual(r.returncode, 3, r.stderr)
        self.assertEqual(r.stderr, b"netius: smtp send: perm@x.example: 550 5.1.1 no such user\n")
        self.assertEqual(handler.messages[-1][1], ["ok@x.example"])
        r = self.send(msg, "--from", "a@example.com", "--to", "temp@x.example", "--server",
                      address)
        self.assertEqual(r.returncode, 4, r.stderr)
        self.assertIn(b"temp@x.example: 451 4.3.0 try again later", r.stderr)
        r = self.send(msg, "--from", "a@example.com", "--to", "temp@x.example",
                      "--to", "perm@x.example", "--server", address)
        self.assertEqual(r.returncode, 3, r.stderr)  # permanent wins
        self.assertEqual(len(r.stderr.splitlines()), 2, r.stderr)
        self.assertEqual(len(handler.messages), 2)

    def test_starttls_required_but_not_offered(self):
        handler, address = self.aiosmtpd()
        r = self.send("--from", "a@example.com", "--to", "b@x.example", "--server", address,
                      "--starttls", "-k", "--body", "x")
        self.assertEqual(r.returncode, 5, r.stderr)
        self.assertIn(b"does not offer STARTTLS, which is required", r.stderr)
        self.assertEqual(handler.messages, [])
        r = self.send("--from", "a@example.com", "--to", "b@x.example", "--server", address,
                      "--body", "x")  # opportunistic: sent in clear
        self.assertSent(r)
        self.assertEqual(len(handler.messages), 1)

    def test_no_server_and_usage(self):
        port = free_port()  # nothing listens there
        r = self.send("--from", "a@example.com", "--to", "b@x.example", "--server",
                      "127.0.0.1:%d" % port, "--body", "x")
        self.assertEqual(r.returncode, 5, r.stderr)
        self.assertIn(b"netius: smtp send: b@x.example: cannot connect to 127.0.0.1", r.stderr)
        for args in (["--to", "b@x.example"], ["--from", "a@example.com"],
                     ["--from", "a@x", "--to", "b@y", "--tls"],
                     ["--from", "a@x", "--to", "nobody", "--server", "h"],
                     ["--from", "a@x", "--to", "b@y", "--server", "h:0"]):
            r = self.send(*args)
            self.assertEqual(r.returncode, 2, (args, r.stderr))


if __name__ == "__main__":
    unittest.main()
