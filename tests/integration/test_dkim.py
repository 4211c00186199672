"""`netius dkim generate|sign|verify` against real peers: keys from `openssl genpkey`,
signatures checked by dkimpy (python3-dkim, with PyNaCl for Ed25519) and by our own verifier,
keys served by a real dnsmasq to both our c-ares lookup and dkimpy's dnspython lookup."""
import base64
import os
import random
import re
import stat
import unittest

import dkim
import dns.resolver

from harness import TempDirTest, run, tool
from peers import Dnsmasq

DOMAIN = "example.com"
CANONS = ["relaxed/relaxed", "relaxed/simple", "simple/relaxed", "simple/simple"]

CRLF_MESSAGE = (
    b"Received: from relay.example.net by mx.example.org\r\n"
    b"From: Alice <alice@example.com>\r\n"
    b"To: Bob <bob@example.org>\r\n"
    b"Subject: Lunch  tomorrow?\r\n"
    b"\tfolded part\r\n"
    b"Date: Mon, 01 Jan 2024 10:00:00 +0000\r\n"
    b"Message-ID: <20240101100000.1@example.com>\r\n"
    b"MIME-Version: 1.0\r\n"
    b"Content-Type: text/plain; charset=utf-8\r\n"
    b"\r\n"
    b"Hello Bob,\r\n"
    b"  indented line with trailing space \r\n"
    b"\r\n"
    b"-- \r\n"
    b"Alice\r\n"
    b"\r\n"
    b"\r\n")

MESSAGES = {
    "crlf": CRLF_MESSAGE,
    "lf": CRLF_MESSAGE.replace(b"\r\n", b"\n"),
    "duplicate_headers": (b"Received: one\r\nReceived: two\r\nFrom: a@example.com\r\n"
                          b"To: first@example.org\r\nTo: second@example.org\r\n"
                          b"Subject: one\r\nSubject: two\r\n\r\nbody\r\n"),
    "non_ascii_body": ("From: a@example.com\r\nSubject: =?utf-8?q?Ol=C3=A1?=\r\n"
                       "Content-Type: text/plain; charset=utf-8\r\n"
                       "Content-Transfer-Encoding: 8bit\r\n\r\n"
                       "Olá, coração — 1 € \r\n\r\n").encode(),
    "empty_body": b"From: a@example.com\r\nSubject: nothing\r\n\r\n",
    "no_body": b"From: a@example.com\r\nSubject: no separator\r\n",
}


def txt_strings(line):
    """The character-strings of a zone-file TXT line."""
    return re.findall(r'"([^"]*)"', line)


def spki_record(pem_path, key_type):
    """The key record of a key, computed with openssl (not with netius)."""
    der = tool(["openssl", "pkey", "-in", pem_path, "-pubout", "-outform", "DER"]).stdout
    if key_type == "ed25519":
        der = der[-32:]  # the raw key ends the SubjectPublicKeyInfo (RFC 8410)
    return "v=DKIM1; k=%s; p=%s" % (key_type, base64.b64encode(der).decode())


class DkimTest(TempDirTest):
    keys = {}

    @classmethod
    def setUpClass(cls):
        # Keys shared by every test (RSA generation is the slow part): two from openssl, two
        # from `netius dkim generate`. Each entry: (private key path, selector, TXT record).
        cls.keydir = __import__("tempfile").mkdtemp(prefix="netius-dkim-keys-")
        for name, args in [("rsa", ["-algorithm", "RSA", "-pkeyopt", "rsa_keygen_bits:2048"]),
                           ("ed25519", ["-algorithm", "ED25519"])]:
            path = os.path.join(cls.keydir, "openssl-%s.pem" % name)
            tool(["openssl", "genpkey"] + args + ["-out", path])
            cls.keys["openssl-" + name] = (path, "o" + name, spki_record(path, name))
        for name in ["rsa", "ed25519"]:
            path = os.path.join(cls.keydir, "netius-%s.pem" % name)
            r = run(["dkim", "generate", DOMAIN, "--selector", "n" + name, "--type", name,
                     "--key-out", path])
            assert r.returncode == 0, r.stderr
            cls.keys["netius-" + name] = (path, "n" + name, "".join(txt_strings(r.stdout.decode())))

    @classmethod
    def tearDownClass(cls):
        __import__("shutil").rmtree(cls.keydir, True)

    # -- helpers ------------------------------------------------------------------------------

    def dnsfunc(self, selector, record):
        """dkimpy's DNS hook, answering only the expected name (dkimpy asks with a final dot)."""
        def lookup(name, timeout=5):
            self.assertEqual(name, ("%s._domainkey.%s." % (selector, DOMAIN)).encode())
            return record.encode()
        return lookup

    def sign(self, message, key, *extra):
        path, selector, _ = self.keys[key]
        msg_path = self.write("msg.eml", message)
        r = run(["dkim", "sign", msg_path, path, selector, DOMAIN] + list(extra))
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertTrue(r.stdout.endswith(message), "the message bytes must be unchanged")
        return r.stdout

    def our_verify(self, signed, key_file, *extra):
        return run(["dkim", "verify", self.write("signed.eml", signed), "--key", key_file]
                   + list(extra))

    def record_file(self, key):
        return self.write("record-%s.txt" % key, self.keys[key][2] + "\n")

    def assertBothVerify(self, signed, key):
        _, selector, record = self.keys[key]
        self.assertTrue(dkim.verify(signed, dnsfunc=self.dnsfunc(selector, record)),
                        "dkimpy rejects:\n" + signed.decode(errors="replace"))
        r = self.our_verify(signed, self.record_file(key))
        self.assertEqual(r.returncode, 0, r.stdout + r.stderr)
        self.assertEqual(r.stdout, ("d=%s s=%s: pass\n" % (DOMAIN, selector)).encode())

    # -- our signatures, checked by dkimpy and by us ------------------------------------------

    def test_every_signature_verifies_with_dkimpy_and_ours(self):
        for key in sorted(self.keys):
            for canon in CANONS:
                for name, message in MESSAGES.items():
                    with self.subTest(key=key, canon=canon, message=name):
                        signed = self.sign(message, key, "--canonicalization", canon)
                        header = signed[:len(signed) - len(message)]
                        eol = b"\n" if name == "lf" else b"\r\n"
                        lines = header.split(eol)
                        self.assertEqual(lines[-1], b"")
                        self.assertTrue(all(len(l) <= 78 for l in lines), header)
                        if eol == b"\n":
                            self.assertNotIn(b"\r", header)
                        self.assertIn(b"c=" + canon.encode(), header)
                        self.assertIn(b"a=" + (b"ed25519" if "ed25519" in key else b"rsa") +
                                      b"-sha256", header)
                        self.assertBothVerify(signed, key)

    def test_default_signed_headers_and_options(self):
        signed = self.sign(MESSAGES["duplicate_headers"], "openssl-rsa")
        fields = dkim.util.parse_tag_value(signed.split(b"\r\nReceived")[0].split(b": ", 1)[1])
        names = [n.strip() for n in re.split(rb"\s*:\s*", fields[b"h"])]
        self.assertEqual(names, [b"From", b"To", b"To", b"Subject", b"Subject", b"From"])
        self.assertNotIn(b"l", fields)
        self.assertNotIn(b"i", fields)
        self.assertIn(b"t", fields)
        signed = self.sign(CRLF_MESSAGE, "openssl-rsa", "--identity", "alice@mail.example.com",
                           "--headers", "From:Subject:Date", "--body-length")
        self.assertBothVerify(signed, "openssl-rsa")
        fields = dkim.util.parse_tag_value(signed.split(b"\r\nReceived")[0].split(b": ", 1)[1])
        self.assertEqual(fields[b"i"], b"alice@mail.example.com")
        self.assertEqual(re.sub(rb"\s+", b"", fields[b"h"]), b"From:Subject:Date")
        self.assertIn(b"l", fields)

    def test_tampering_fails_both(self):
        for key in ["openssl-rsa", "netius-ed25519"]:
            _, selector, record = self.keys[key]
            signed = self.sign(CRLF_MESSAGE, key)
            for what, tampered, reason in [
                    ("header", signed.replace(b"Subject: Lunch", b"Subject: Dinner"),
                     "signature mismatch"),
                    ("body", signed.replace(b"Hello Bob", b"Hello Eve"), "body hash mismatch"),
                    ("added From", signed.replace(b"To: Bob", b"From: eve@example.net\r\nTo: Bob"),
                     "signature mismatch")]:
                with self.subTest(key=key, tampered=what):
                    self.assertNotEqual(tampered, signed)
                    self.assertFalse(dkim.verify(tampered, dnsfunc=self.dnsfunc(selector, record)))
                    r = self.our_verify(tampered, self.record_file(key))
                    self.assertEqual(r.returncode, 1)
                    self.assertEqual(r.stdout, ("d=%s s=%s: fail (%s)\n"
                                                % (DOMAIN, selector, reason)).encode())

    def test_key_file_forms(self):
        signed = self.sign(CRLF_MESSAGE, "openssl-rsa")
        path, _, record = self.keys["openssl-rsa"]
        public = self.write("pub.pem", tool(["openssl", "pkey", "-in", path, "-pubout"]).stdout)
        zone_line = self.write("zone.txt", 'sel._domainkey.example.com. IN TXT "%s" "%s"\n'
                               % (record[:200], record[200:]))
        for key_file in [path, public, zone_line, self.record_file("openssl-rsa")]:
            with self.subTest(key_file=os.path.basename(key_file)):
                r = self.our_verify(signed, key_file)
                self.assertEqual(r.returncode, 0, r.stdout + r.stderr)
        other = self.record_file("netius-rsa")
        r = self.our_verify(signed, other)
        self.assertEqual(r.returncode, 1)
        self.assertIn(b"fail (signature mismatch)", r.stdout)

    # -- dkimpy's signatures, checked by us ---------------------------------------------------

    def test_dkimpy_signatures_verify_with_ours(self):
        with open(self.keys["openssl-rsa"][0], "rb") as f:
            rsa_pem = f.read()
        seed = tool(["openssl", "pkey", "-in", self.keys["openssl-ed25519"][0],
                     "-outform", "DER"]).stdout[-32:]
        for key, privkey, algorithm in [("openssl-rsa", rsa_pem, b"rsa-sha256"),
                                        ("openssl-ed25519", base64.b64encode(seed),
                                         b"ed25519-sha256")]:
            selector = self.keys[key][1].encode()
            for canon in CANONS:
                for name in ["crlf", "lf", "duplicate_headers", "non_ascii_body", "empty_body"]:
                    with self.subTest(key=key, canon=canon, message=name):
                        message = MESSAGES[name]
                        sig = dkim.sign(message, selector, DOMAIN.encode(), privkey,
                                        canonicalize=tuple(canon.encode().split(b"/")),
                                        signature_algorithm=algorithm,
                                        include_headers=[b"from", b"to", b"subject"],
                                        length=(name == "crlf"))
                        r = self.our_verify(sig + message, self.record_file(key))
                        self.assertEqual(r.returncode, 0, r.stdout + r.stderr + sig)
                        r = self.our_verify(sig + message.replace(b"a@", b"b@").replace(
                            b"Alice <", b"Mallory <"), self.record_file(key))
                        self.assertEqual(r.returncode, 1, r.stdout)
                        self.assertIn(b"fail (signature mismatch)", r.stdout)

    def test_random_messages_interoperate_both_ways(self):
        # Seeded, so a failure reproduces: folded and repeated fields, runs of SP/HT, blank and
        # whitespace-only lines, UTF-8, both line-ending styles. Bodies end with a line ending,
        # as SMTP delivers them (see the report on bodies that do not).
        rnd = random.Random(6376)
        path, selector, record = self.keys["netius-rsa"]
        with open(path, "rb") as f:
            pem = f.read()
        for i in range(120):
            eol = rnd.choice(["\r\n", "\n"])
            fields = ["From: a@example.com"]
            for _ in range(rnd.randint(0, 6)):
                value = "".join(rnd.choice("ab  \t\tc,:;é") for _ in range(rnd.randint(0, 20)))
                if rnd.random() < 0.3:
                    value += eol + rnd.choice([" ", "\t"]) + "folded"
                fields.append(rnd.choice(["To", "Subject", "Cc", "X-A", "Date"]) + ":" + value)
            rnd.shuffle(fields)
            body = "".join(rnd.choice(["a", "b", " ", "\t", eol, eol, "é"])
                           for _ in range(rnd.randint(0, 40)))
            if body and not body.endswith(eol):
                body += eol
            message = (eol.join(fields) + eol + eol + body).encode()
            canon = rnd.choice(CANONS)
            with self.subTest(i=i, canon=canon, message=message):
                signed = self.sign(message, "netius-rsa", "--canonicalization", canon)
                self.assertTrue(dkim.verify(signed, dnsfunc=self.dnsfunc(selector, record)))
                theirs = dkim.sign(message, selector.encode(), DOMAIN.encode(), pem,
                                   canonicalize=tuple(canon.encode().split(b"/")))
                r = self.our_verify(theirs + message, self.record_file("netius-rsa"))
                self.assertEqual(r.returncode, 0, r.stdout + r.stderr)

    # -- DNS ----------------------------------------------------------------------------------

    def test_dns_lookups_through_dnsmasq(self):
        records = {}
        for key in ["netius-rsa", "netius-ed25519", "openssl-rsa"]:
            _, selector, record = self.keys[key]
            # 255-byte character-strings, as published (dnsmasq takes them comma-separated).
            records["%s._domainkey.%s" % (selector, DOMAIN)] = [
                record[i:i + 255] for i in range(0, len(record), 255)]
        rsa_signed = self.sign(CRLF_MESSAGE, "netius-rsa")
        ed_signed = self.sign(MESSAGES["lf"], "netius-ed25519", "--canonicalization", "simple")
        unknown = rsa_signed.replace(b"s=nrsa;", b"s=missing;")
        self.assertNotEqual(unknown, rsa_signed)
        with Dnsmasq(records) as dns_server:
            for signed, selector in [(rsa_signed, "nrsa"), (ed_signed, "ned25519")]:
                r = run(["dkim", "verify", self.write("s.eml", signed),
                         "--nameserver", dns_server.address, "--timeout", "5"])
                self.assertEqual(r.returncode, 0, r.stdout + r.stderr)
                self.assertEqual(r.stdout, ("d=%s s=%s: pass\n" % (DOMAIN, selector)).encode())
            # netius' environment name for the same setting.
            r = run(["dkim", "verify", self.write("s.eml", rsa_signed)],
                    env={"NAMESERVERS": dns_server.address})
            self.assertEqual(r.returncode, 0, r.stdout + r.stderr)
            r = run(["dkim", "verify", self.write("u.eml", unknown),
                     "--nameserver", dns_server.address])
            self.assertEqual(r.returncode, 1)
            self.assertEqual(r.stdout, b"d=example.com s=missing: fail (no key)\n")
            # dkimpy's own DNS path (dnspython), pointed at the same dnsmasq.
            resolver = dns.resolver.Resolver(configure=False)
            resolver.nameservers = ["127.0.0.1"]
            resolver.port = dns_server.port
            saved, dns.resolver.default_resolver = dns.resolver.default_resolver, resolver
            try:
                self.assertTrue(dkim.verify(rsa_signed))
                self.assertTrue(dkim.verify(ed_signed))
                self.assertFalse(dkim.verify(rsa_signed.replace(b"Hello Bob", b"Hello Eve")))
                self.assertFalse(dkim.verify(unknown))
            finally:
                dns.resolver.default_resolver = saved

    def test_several_signatures_one_line_each(self):
        once = self.sign(CRLF_MESSAGE, "openssl-rsa")
        twice = self.sign(once, "openssl-ed25519")
        both = self.write("both.txt", self.keys["openssl-rsa"][2] + "\n")
        r = self.our_verify(twice, both)
        # One key file serves every signature: the Ed25519 one cannot match an RSA record.
        self.assertEqual(r.returncode, 1)
        self.assertEqual(r.stdout, b"d=example.com s=oed25519: fail (key type does not match a=)\n"
                                   b"d=example.com s=orsa: pass\n")
        records = {"%s._domainkey.%s" % (self.keys[k][1], DOMAIN): [self.keys[k][2]]
                   for k in ["openssl-rsa", "openssl-ed25519"]}
        with Dnsmasq(records) as dns_server:
            r = run(["dkim", "verify", self.write("t.eml", twice), "--nameserver",
                     dns_server.address])
        self.assertEqual(r.returncode, 0, r.stdout + r.stderr)
        self.assertEqual(r.stdout, b"d=example.com s=oed25519: pass\nd=example.com s=orsa: pass\n")

    # -- in place, stdin, generate --------------------------------------------------------------

    def test_in_place_rewrites_atomically_and_only_on_success(self):
        work = os.path.join(self.dir, "inplace")  # nothing else in it, to spot temporaries
        os.mkdir(work)
        path = os.path.join(work, "m.eml")
        self.write(path, CRLF_MESSAGE, mode=0o640)
        key = self.keys["openssl-rsa"][0]
        r = run(["dkim", "sign", path, key, "orsa", DOMAIN, "--in-place"])
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertEqual(r.stdout, b"")
        content = self.read(path)
        self.assertTrue(content.startswith(b"DKIM-Signature: "))
        self.assertTrue(content.endswith(CRLF_MESSAGE))
        self.assertEqual(stat.S_IMODE(os.stat(path).st_mode), 0o640)
        self.assertEqual(os.listdir(work), ["m.eml"])  # no temporary left
        self.assertBothVerify(content, "openssl-rsa")

        not_key = self.write("not-a-key.pem", b"hello\n")
        target = os.path.join(work, "x.eml")
        for name, message, key_path, fragment in [
                ("bad key", CRLF_MESSAGE, not_key, "not-a-key.pem"),
                ("no From", b"To: b@example.org\r\n\r\nbody\r\n", key,
                 "the message has no From header field"),
                ("no colon", b"From: a@example.com\r\nthis is not a header\r\n\r\nbody\r\n", key,
                 "'%s' line 2: header line without a colon" % target)]:
            with self.subTest(name):
                self.write(target, message)
                r = run(["dkim", "sign", target, key_path, "sel", DOMAIN, "--in-place"])
                self.assertFailsWith(r, fragment)
                self.assertEqual(self.read(target), message)
                self.assertEqual(sorted(os.listdir(work)), ["m.eml", "x.eml"])

    def test_sign_from_stdin(self):
        key = self.keys["netius-rsa"][0]
        r = run(["dkim", "sign", "-", key, "nrsa", DOMAIN], input=MESSAGES["lf"])
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertTrue(r.stdout.endswith(MESSAGES["lf"]))
        self.assertBothVerify(r.stdout, "netius-rsa")
        r = run(["dkim", "verify", "-", "--key", key], input=r.stdout)
        self.assertEqual(r.returncode, 0, r.stderr)

    def test_generate_output(self):
        r = run(["dkim", "generate", DOMAIN])
        self.assertEqual(r.returncode, 0, r.stderr)
        out = r.stdout.decode()
        line, pem = out.split("\n", 1)
        self.assertRegex(line, r'^\d{14}\._domainkey\.example\.com\. IN TXT "v=DKIM1; k=rsa; p=')
        strings = txt_strings(line)
        self.assertEqual(len(strings), 2)  # a 2048-bit key's record needs two strings
        self.assertTrue(all(len(s) <= 255 for s in strings))
        self.assertEqual(line, line.split(' "')[0] + "".join(' "%s"' % s for s in strings))
        self.assertTrue(pem.startswith("-----BEGIN RSA PRIVATE KEY-----\n"), pem)
        self.assertTrue(pem.endswith("-----END RSA PRIVATE KEY-----\n"), pem)
        key = self.write("k.pem", pem)
        text = tool(["openssl", "pkey", "-in", key, "-noout", "-text"]).stdout
        self.assertIn(b"(2048 bit", text)
        self.assertEqual("".join(strings), spki_record(key, "rsa"))

        r = run(["dkim", "generate", DOMAIN, "--suffix", "mail", "--bits", "1024"])
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertRegex(r.stdout.decode(), r'^\d{14}\.mail\._domainkey\.example\.com\. IN TXT "')
        r = run(["dkim", "generate", DOMAIN, "--type", "ed25519", "--selector", "ed"])
        self.assertEqual(r.returncode, 0, r.stderr)
        line, pem = r.stdout.decode().split("\n", 1)
        self.assertTrue(pem.startswith("-----BEGIN PRIVATE KEY-----\n"))
        self.assertEqual(txt_strings(line), [spki_record(self.write("e.pem", pem), "ed25519")])
        self.assertTrue(line.startswith('ed._domainkey.example.com. IN TXT "v=DKIM1; k=ed25519; p='))

    def test_generate_key_out(self):
        out = self.path("k.pem")
        r = run(["dkim", "generate", DOMAIN, "--selector", "s", "--key-out", out, "--type",
                 "ed25519"])
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertEqual(r.stdout.count(b"\n"), 1)
        self.assertNotIn(b"PRIVATE", r.stdout)
        self.assertEqual(stat.S_IMODE(os.stat(out).st_mode), 0o600)
        self.assertEqual(txt_strings(r.stdout.decode()), [spki_record(out, "ed25519")])
        before = self.read("k.pem")
        r = run(["dkim", "generate", DOMAIN, "--selector", "s", "--key-out", out])
        self.assertFailsWith(r, "exists; use --force")
        self.assertEqual(self.read("k.pem"), before)
        os.chmod(out, 0o644)  # a replaced key file becomes private too
        r = run(["dkim", "generate", DOMAIN, "--selector", "s", "--key-out", out, "--force"])
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertNotEqual(self.read("k.pem"), before)
        self.assertEqual(stat.S_IMODE(os.stat(out).st_mode), 0o600)
        self.assertIn(b"BEGIN RSA PRIVATE KEY", self.read("k.pem"))

    # -- bad input ------------------------------------------------------------------------------

    def test_bad_input_is_one_clear_line(self):
        key = self.keys["openssl-rsa"][0]
        msg = self.write("m.eml", CRLF_MESSAGE)
        missing = self.path("missing.eml")
        not_key = self.write("notkey.txt", b"just text\n")
        cases = [
            (["dkim", "sign", missing, key, "s", DOMAIN], "missing.eml"),
            (["dkim", "sign", msg, self.path("missing.pem"), "s", DOMAIN], "missing.pem"),
            (["dkim", "sign", msg, not_key, "s", DOMAIN], "notkey.txt"),
            (["dkim", "sign", self.write("nf.eml", b"To: x\r\n\r\nb\r\n"), key, "s", DOMAIN],
             "the message has no From header field"),
            (["dkim", "sign", self.write("nc.eml", b"From: a\r\nnope\r\n\r\n"), key, "s", DOMAIN],
             "line 2: header line without a colon"),
            (["dkim", "sign", msg, key, "s", DOMAIN, "--identity", "a@example.org"],
             "not within domain"),
            (["dkim", "sign", msg, key, "s", DOMAIN, "--headers", "To:Subject"],
             "must include From"),
            (["dkim", "verify", missing, "--key", key], "missing.eml"),
            (["dkim", "verify", msg, "--key", key], "no DKIM-Signature header"),
            (["dkim", "verify", msg, "--key", not_key], "notkey.txt"),
            (["dkim", "verify", msg, "--key", self.write("r.txt", "v=DKIM1; k=rsa; p=!!\n")],
             "p= is not base64"),
            (["dkim", "generate", "bad domain"], "invalid domain"),
        ]
        for args, fragment in cases:
            with self.subTest(args=args[:2] + [os.path.basename(a) for a in args[2:]]):
                self.assertFailsWith(run(args), fragment)
        self.assertEqual(run(["dkim", "verify", msg, "--key", key]).stderr,
                         b"netius: dkim verify: no DKIM-Signature header\n")
        small = self.path("small.pem")
        tool(["openssl", "genpkey", "-algorithm", "RSA", "-pkeyopt", "rsa_keygen_bits:512",
              "-out", small])
        self.assertFailsWith(run(["dkim", "sign", msg, small, "s", DOMAIN]), "RFC 8301")

    def test_usage_errors_exit_2(self):
        msg = self.write("m.eml", CRLF_MESSAGE)
        key = self.keys["openssl-rsa"][0]
        for args in [["dkim", "sign", msg, key, "s", DOMAIN, "--canonicalization", "strict"],
                     ["dkim", "sign", msg, key, "s"],
                     ["dkim", "sign", "-", key, "s", DOMAIN, "--in-place"],
                     ["dkim", "generate", DOMAIN, "--selector", "a", "--suffix", "b"],
                     ["dkim", "generate", DOMAIN, "--bits", "512"],
                     ["dkim", "generate", DOMAIN, "--type", "dsa"],
                     ["dkim", "generate", DOMAIN, "--type", "ed25519", "--bits", "2048"],
                     ["dkim", "verify", msg, "--key", key, "--nameserver", "127.0.0.1"]]:
            with self.subTest(args=args[1:]):
                r = run(args)
                self.assertEqual(r.returncode, 2, r.stderr)
                self.assertIn(b"--help", r.stderr)
                self.assertEqual(r.stdout, b"")

    def test_help_has_examples(self):
        for command in ["generate", "sign", "verify"]:
            r = run(["dkim", command, "--help"])
            self.assertEqual(r.returncode, 0)
            self.assertIn(b"netius dkim " + command.encode(), r.stdout)


if __name__ == "__main__":
    unittest.main()
