"""`netius serve relay` against real peers: dnsmasq (MX, A and null MX records) as DNS, sink MX
servers on loopback (`netius serve smtp` on 127.0.0.1 and an aiosmtpd on 127.0.0.2, both on
one port, which --mx-port selects), smtplib as the submitting client, dkimpy and Python's
email package to check what comes out.

Covers: byte-correct delivery with a DKIM signature dkimpy verifies; MX preference and
fallback; implicit MX; null MX → bounce; 451 then 250 → delivered on retry; 550 → an RFC 3464
bounce in the sender's Maildir; kill -9 during delivery then restart → delivered; open-relay
probes and disallowed senders refused; --list-queue and SIGUSR2; a message for local and
remote recipients accepted atomically (a failed queue write stores nothing, so the client's
retry duplicates nothing); --smarthost with --smarthost-auth-file (AUTH over STARTTLS to a
`netius serve smtp` smarthost); --tls-verify refusing an untrusted certificate (the message
stays queued) and delivering with --tls-ca-file.
"""
import asyncio
import email
import email.policy
import mailbox
import os
import re
import signal
import smtplib
import threading
import time
import unittest

import dkim
from aiosmtpd.controller import Controller

from harness import ServeProcess, TempDirTest, run, tool, wait_for
from peers import Dnsmasq

WAIT = 30  # seconds: bound of every wait for a delivery


def maildir_messages(path):
    """The bytes of every message in new/ of the Maildir at `path` ([] when it is missing)."""
    if not os.path.isdir(os.path.join(path, "new")):
        return []
    box = mailbox.Maildir(path, factory=None, create=False)
    return [box.get_bytes(key) for key in box.keys()]


class Scripted:
    """aiosmtpd handler: reject@ gets 550 at RCPT, flaky@ 451 on its first DATA, slow@ a first
    DATA answer held until `release` is set; everything else is accepted and recorded."""

    def __init__(self):
        self.ehlos = 0  # sessions opened: each starts with one EHLO
        self.messages = []  # (mail_from, rcpt_tos, content bytes)
        self.data_calls = {}
        self.holding = threading.Event()
        self.release = threading.Event()

    async def handle_EHLO(self, server, session, envelope, hostname, responses):
        self.ehlos += 1
        session.host_name = hostname
        return responses

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if address.startswith("reject@"):
            return "550 5.1.1 no such user here"
        envelope.rcpt_tos.append(address)
        return "250 2.1.5 OK"

    async def handle_DATA(self, server, session, envelope):
        rcpt = envelope.rcpt_tos[0]
        n = self.data_calls[rcpt] = self.data_calls.get(rcpt, 0) + 1
        if rcpt.startswith("flaky@") and n == 1:
            return "451 4.3.0 try again later"
        if rcpt.startswith("slow@") and n == 1:
            self.holding.set()
            await asyncio.get_running_loop().run_in_executor(None, self.release.wait, WAIT)
            return "451 4.3.0 too late"
        self.messages.append((envelope.mail_from, list(envelope.rcpt_tos),
                              envelope.original_content))
        return "250 2.0.0 OK"


class RelayTest(TempDirTest):
    @classmethod
    def setUpClass(cls):
        cls.tmp = __import__("tempfile").mkdtemp(prefix="netius-relay-")
        cls.key = os.path.join(cls.tmp, "dkim.pem")
        r = run(["dkim", "generate", "local.test", "--selector", "s1", "--key-out", cls.key])
        assert r.returncode == 0, r.stderr
        cls.record = "".join(re.findall(r'"([^"]*)"', r.stdout.decode()))
        cls.sink_dir = os.path.join(cls.tmp, "sink")
        cls.sink = ServeProcess(["smtp", "--maildir", cls.sink_dir])
        cls.mx_port = cls.sink.port
        cls.scripted = Scripted()
        cls.aiosmtpd = Controller(cls.scripted, hostname="127.0.0.2", port=cls.mx_port)
        cls.aiosmtpd.start()
        cls.dns = Dnsmasq({}, hosts={"mx1.sink.test": ["127.0.0.1"],
                                     "mx2.sink.test": ["127.0.0.2"],
                                     "dead.sink.test": ["127.0.0.3"],
                                     "implicit.test": ["127.0.0.1"]},
                          mx=[("example.org", "mx1.sink.test", 10),
                              ("example.org", "mx2.sink.test", 20),
                              ("fallback.test", "dead.sink.test", 10),
                              ("fallback.test", "mx1.sink.test", 20),
                              ("scripted.test", "mx2.sink.test", 10),
                              ("deadonly.test", "dead.sink.test", 10),
                              ("nullmx.test", ".", 0)])
        cls.dns.__enter__()

    @classmethod
    def tearDownClass(cls):
        cls.dns.__exit__(None, None, None)
        cls.aiosmtpd.stop()
        cls.sink.stop()
        __import__("shutil").rmtree(cls.tmp, True)

    def relay(self, *extra, networks="127.0.0.0/8", retry_min="1"):
        args = ["relay", "--domain", "local.test", "--maildir", self.path("local"),
                "--queue-dir", self.path("queue"), "--mx-port", str(self.mx_port),
                "--nameserver", self.dns.address, "--retry-min", retry_min, "--smtp-host",
                "relay.test", "--dkim", "local.test:s1:" + self.key]
        if networks:
            args += ["--relay-networks", networks]
        srv = ServeProcess(args + list(extra))
        self.addCleanup(srv.stop)
        return srv

    def send(self, srv, to, sender="joe@local.test", subject="hi"):
        body = ("From: Joe <%s>\r\nTo: <%s>\r\nSubject: %s\r\n\r\nHello,\r\n.dot line\r\n"
                % (sender, to, subject))
        with smtplib.SMTP("127.0.0.1", srv.port, timeout=WAIT) as c:
            c.sendmail(sender, [to], body.encode())
        return body.encode()

    def sink_messages(self, rcpt):
        return maildir_messages(os.path.join(self.sink_dir, rcpt))

    def list_queue(self):
        """What `serve relay --list-queue` prints for this test's queue."""
        return run(["serve", "relay", "--list-queue", "--queue-dir", self.path("queue")]).stdout

    def queue_empty(self):
        return not [n for n in os.listdir(self.path("queue")) if not n.startswith(".")]

    def bounce_for(self, sender="joe@local.test"):
        raw = wait_for(lambda: maildir_messages(self.path("local/" + sender)), what="a bounce")
        self.assertEqual(len(raw), 1)
        self.assertNotIn(b"\n", raw[0].replace(b"\r\n", b""), "bare LF in the bounce")
        return raw[0], email.message_from_bytes(raw[0], policy=email.policy.default)

    # -- delivery ----------------------------------------------------------------------------

    def test_delivered_byte_correct_with_dkim_dkimpy_verifies(self):
        srv = self.relay()
        body = self.send(srv, "ann@example.org", subject="bytes")
        got = wait_for(lambda: self.sink_messages("ann@example.org"), what="delivery")
        self.assertEqual(len(got), 1)
        data = got[0]
        self.assertTrue(data.endswith(body), data)  # our bytes, unchanged, dot line included
        head = data[:-len(body)]
        self.assertIn(b"DKIM-Signature:", head)
        self.assertIn(b"by relay.test (netius)", head)
        self.assertIn(b"\r\nDate: ", head)
        self.assertIn(b"\r\nMessage-ID: <", head)
        # The sink's own Return-Path and Received come before what the relay sent.
        signed = data[data.index(b"DKIM-Signature:"):]
        self.assertTrue(dkim.verify(signed, dnsfunc=lambda name, timeout=5: self.record.encode()))
        wait_for(self.queue_empty, what="the queue to empty")

    def test_mx_preference_fallback_and_implicit_mx(self):
        srv = self.relay()
        self.send(srv, "pref@example.org")       # mx1 (10) before mx2 (20)
        self.send(srv, "fb@fallback.test")       # dead.sink.test refuses, mx1 takes it
        self.send(srv, "imp@implicit.test")      # no MX: the A record
        for rcpt in ["pref@example.org", "fb@fallback.test", "imp@implicit.test"]:
            wait_for(lambda: self.sink_messages(rcpt), what="delivery to " + rcpt)
        self.assertFalse([m for m in self.scripted.messages if "pref@example.org" in m[1]])

    def test_connection_kept_for_the_next_message_unless_cache_time_is_0(self):
        for cache_time, sessions in (("5", 1), ("0", 2)):
            with self.subTest(cache_time=cache_time):
                srv = self.relay("--connection-cache-time", cache_time)
                before = self.scripted.ehlos
                for n in range(2):  # one after the other: the second finds the first's connection
                    rcpt = "cache%s-%d@scripted.test" % (cache_time, n)
                    self.send(srv, rcpt)
                    wait_for(lambda: [m for m in self.scripted.messages if rcpt in m[1]],
                             what="delivery to " + rcpt)
                self.assertEqual(self.scripted.ehlos - before, sessions)
                srv.stop()

    def test_null_mx_bounces_to_the_local_sender(self):
        srv = self.relay()
        self.send(srv, "x@nullmx.test", subject="to nowhere")
        raw, msg = self.bounce_for()
        self.assertEqual(msg.get_content_type(), "multipart/report")
        self.assertEqual(msg.get_param("report-type"), "delivery-status")
        self.assertEqual(msg["From"].addresses[0].addr_spec, "postmaster@local.test")
        self.assertIn(b"Return-Path: <>", raw)
        parts = list(msg.iter_parts())
        self.assertEqual([p.get_content_type() for p in parts],
                         ["text/plain", "message/delivery-status", "text/rfc822-headers"])
        status = parts[1].get_payload()
        fields = {k: v for block in status for k, v in block.items()}
        self.assertEqual(fields["Final-Recipient"], "rfc822; x@nullmx.test")
        self.assertEqual(fields["Action"], "failed")
        self.assertTrue(fields["Status"].startswith("5."), fields["Status"])
        self.assertIn(b"Subject: to nowhere", raw)
        # Signed like any mail from local.test.
        signed = raw[raw.index(b"DKIM-Signature:"):]
        self.assertTrue(dkim.verify(signed, dnsfunc=lambda name, timeout=5: self.record.encode()))
        wait_for(self.queue_empty, what="the queue to empty")

    def test_451_then_250_is_delivered_on_retry(self):
        srv = self.relay()
        self.send(srv, "flaky@scripted.test", subject="retry me")
        wait_for(lambda: [m for m in self.scripted.messages if "flaky@scripted.test" in m[1]],
                 what="delivery on retry")
        self.assertEqual(self.scripted.data_calls["flaky@scripted.test"], 2)
        wait_for(self.queue_empty, what="the queue to empty")
        self.assertEqual(maildir_messages(self.path("local/joe@local.test")), [])

    def test_550_bounces_with_the_remote_diagnostic(self):
        srv = self.relay()
        self.send(srv, "reject@scripted.test")
        raw, msg = self.bounce_for()
        status = list(msg.iter_parts())[1].get_payload()
        fields = {k: v for block in status for k, v in block.items()}
        self.assertEqual(fields["Status"], "5.1.1")
        self.assertIn("550", fields["Diagnostic-Code"])
        self.assertIn("no such user here", fields["Diagnostic-Code"])

    def test_kill_9_during_delivery_then_restart_delivers(self):
        srv = self.relay()
        self.send(srv, "slow@scripted.test", subject="survive")
        wait_for(self.scripted.holding.is_set, what="the delivery to start")
        srv.proc.send_signal(signal.SIGKILL)
        srv.stop()
        self.scripted.release.set()
        self.assertTrue([n for n in os.listdir(self.path("queue")) if n.endswith(".env")])
        self.relay()  # same queue directory
        wait_for(lambda: [m for m in self.scripted.messages if "slow@scripted.test" in m[1]],
                 what="delivery after the restart")
        wait_for(self.queue_empty, what="the queue to empty")

    def test_mixed_local_and_remote_recipients_are_accepted_atomically(self):
        # The queue directory is replaced below: Landlock's rule names the old one (the
        # confinement has its own test in test_least_privilege).
        srv = self.relay("--no-sandbox")
        with smtplib.SMTP("127.0.0.1", srv.port, timeout=WAIT) as c:
            c.noop()  # up, and its queue loaded
        os.rmdir(self.path("queue"))  # the queue write fails: ENOENT
        body = "From: <joe@local.test>\r\nSubject: both\r\n\r\nHello\r\n"
        rcpts = ["bob@local.test", "mixed@example.org"]
        with smtplib.SMTP("127.0.0.1", srv.port, timeout=WAIT) as c:
            with self.assertRaises(smtplib.SMTPDataError) as refused:
                c.sendmail("joe@local.test", rcpts, body.encode())
            self.assertEqual(refused.exception.smtp_code, 451)
        # Nothing was stored for the local recipient either: the retry is the only copy.
        self.assertEqual(maildir_messages(self.path("local/bob@local.test")), [])
        os.mkdir(self.path("queue"), 0o700)
        with smtplib.SMTP("127.0.0.1", srv.port, timeout=WAIT) as c:
            c.sendmail("joe@local.test", rcpts, body.encode())
        wait_for(lambda: self.sink_messages("mixed@example.org"), what="the remote copy")
        local = wait_for(lambda: maildir_messages(self.path("local/bob@local.test")),
                         what="the local copy")
        wait_for(self.queue_empty, what="the queue to empty")
        self.assertEqual(len(maildir_messages(self.path("local/bob@local.test"))), 1)
        self.assertTrue(local[0].startswith(b"Return-Path: <joe@local.test>\r\n"), local[0])
        self.assertTrue(local[0].endswith(body.encode()))

    # -- outbound TLS and the smarthost ------------------------------------------------------

    def certificate(self):
        key, cer = self.path("key.pem"), self.path("cer.pem")
        tool(["openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256",
              "-nodes", "-keyout", key, "-out", cer, "-days", "2", "-subj", "/CN=localhost",
              "-addext", "subjectAltName=DNS:localhost,IP:127.0.0.1"])
        return key, cer

    def smarthost(self, *extra):
        """A `netius serve smtp` offering STARTTLS with a self-signed certificate."""
        key, cer = self.certificate()
        srv = ServeProcess(["smtp", "--maildir", self.path("smarthost"), "--key-file", key,
                            "--cer-file", cer] + list(extra))
        self.addCleanup(srv.stop)
        return srv, cer

    def smarthost_requiring_auth(self):
        """A smarthost (see smarthost()) where only relayuser:s3cret may send."""
        plain = run(["auth", "generate", "s3cret", "plain"], check=True).stdout.decode().strip()
        self.write("users", "relayuser:%s\n" % plain)
        return self.smarthost("--auth-file", self.path("users"), "--require-auth")

    def test_smarthost_auth_file_logs_in_over_starttls(self):
        host, cer = self.smarthost_requiring_auth()
        self.write("provider.auth", "# the provider's login\nrelayuser:s3cret\n")
        srv = self.relay("--smarthost", "127.0.0.1:%d" % host.port, "--smarthost-auth-file",
                         self.path("provider.auth"), "--tls-verify", "--tls-ca-file", cer)
        body = self.send(srv, "ann@elsewhere.test", subject="via the provider")
        box = self.path("smarthost/ann@elsewhere.test")
        [got] = wait_for(lambda: maildir_messages(box), what="delivery through the smarthost")
        self.assertTrue(got.endswith(body))
        self.assertIn(b" with ESMTPSA id ", got)  # authenticated, over TLS
        wait_for(self.queue_empty, what="the queue to empty")

    def test_smarthost_auth_file_with_a_wrong_password_keeps_the_message(self):
        host, _ = self.smarthost_requiring_auth()
        self.write("provider.auth", "relayuser:wrong\n")
        srv = self.relay("--smarthost", "127.0.0.1:%d" % host.port, "--smarthost-auth-file",
                         self.path("provider.auth"), retry_min="3600")
        self.send(srv, "ann@elsewhere.test")
        listing = wait_for(lambda: re.search(rb"attempts 1.*", self.list_queue()),
                           what="a failed attempt in the listing")
        self.assertIn(b"authentication failed", listing.group(0))
        self.assertIn(b"pending", self.list_queue())
        self.assertEqual(maildir_messages(self.path("smarthost/ann@elsewhere.test")), [])

    def test_tls_verify_refuses_an_untrusted_certificate_and_trusts_the_ca_file(self):
        host, cer = self.smarthost()
        target = "127.0.0.1:%d" % host.port
        srv = self.relay("--smarthost", target, "--tls-verify", retry_min="3600")
        self.send(srv, "ann@elsewhere.test", subject="verified")
        listing = wait_for(lambda: re.search(rb"attempts 1.*", self.list_queue()),
                           what="a failed attempt in the listing")
        self.assertIn(b"TLS", listing.group(0))
        box = self.path("smarthost/ann@elsewhere.test")
        self.assertEqual(maildir_messages(box), [])  # not sent in clear instead
        srv.stop()
        # The same queue, now with the certificate as a trust anchor: delivered.
        srv = self.relay("--smarthost", target, "--tls-verify", "--tls-ca-file", cer)
        # The retry is an hour away. Sent at once, while the relay may still be starting: the
        # signal waits for its handler instead of ending the process.
        srv.proc.send_signal(signal.SIGUSR2)
        [got] = wait_for(lambda: maildir_messages(box), what="delivery with the CA file")
        self.assertIn(b"Subject: verified", got)
        wait_for(self.queue_empty, what="the queue to empty")

    # -- policy ------------------------------------------------------------------------------

    def test_open_relay_probes_are_refused(self):
        srv = self.relay(networks="10.0.0.0/8")
        with smtplib.SMTP("127.0.0.1", srv.port, timeout=WAIT) as c:
            c.ehlo("probe.example")
            self.assertEqual(c.mail("spammer@example.net")[0], 250)
            for target in ["victim@example.org", "victim@EXAMPLE.ORG", "victim@local.test.evil"]:
                code, text = c.rcpt(target)
                self.assertEqual((code, text[:5]), (550, b"5.7.1"), target)
            # A source route through us (RFC 5321 §3.6.1) is no way around it either.
            self.assertGreaterEqual(c.rcpt("@local.test:victim@example.org")[0], 500)
            self.assertEqual(c.rcpt("joe@local.test")[0], 250)  # local mail is fine
        self.assertTrue(self.queue_empty())

    def test_disallowed_sender_is_refused(self):
        self.write("users", "joe:secret allowed_from=joe@local.test\n")
        srv = self.relay("--auth-file", self.path("users"), networks=None)
        with smtplib.SMTP("127.0.0.1", srv.port, timeout=WAIT) as c:
            c.login("joe", "secret")
            code, text = c.mail("boss@local.test")
            self.assertEqual((code, text[:5]), (550, b"5.7.1"))
            self.assertEqual(c.mail("joe@local.test")[0], 250)
            self.assertEqual(c.rcpt("ann@example.org")[0], 250)  # authenticated: may relay

    def test_list_queue_and_sigusr1(self):
        srv = self.relay(retry_min="3600")
        self.send(srv, "nobody@deadonly.test")
        out = wait_for(lambda: re.search(rb"attempts 1", self.list_queue()),
                       what="a failed attempt in the listing")
        listing = run(["serve", "relay", "--list-queue", "--queue-dir", self.path("queue")])
        self.assertEqual(listing.returncode, 0)
        self.assertIn(b"from <joe@local.test>", listing.stdout)
        self.assertIn(b"<nobody@deadonly.test>  pending  attempts 1  next: in ", listing.stdout)
        srv.proc.send_signal(signal.SIGUSR2)
        wait_for(lambda: b"attempts 2" in self.list_queue(), what="the retry SIGUSR2 asked for")
        self.assertTrue(out)

    def test_bad_options_are_one_line(self):
        r = run(["serve", "relay", "--dkim", "nocolons", "--queue-dir", self.path("q")])
        self.assertFailsWith(r, "--dkim", code=2)
        r = run(["serve", "relay", "--workers", "2", "--queue-dir", self.path("q")])
        self.assertFailsWith(r, "one worker", code=2)
        for bad in ("-1", "3601", "soon"):
            r = run(["serve", "relay", "--connection-cache-time", bad, "--queue-dir",
                     self.path("q")])
            self.assertFailsWith(r, "--connection-cache-time", code=2)


if __name__ == "__main__":
    unittest.main()
