"""TLS audit: testssl.sh (Debian's testssl.sh) against `netius serve hello --ssl` and the
STARTTLS of `netius serve smtp` on loopback.

Checked: protocols (-p), cipher categories (-s), forward secrecy (-f) and the known
vulnerabilities (-U). Every finding of those must be rated OK or INFO by testssl: TLS >= 1.2
only, no NULL/export/RC4/3DES/CBC suites, forward secrecy, and none of Heartbleed, CCS,
Ticketbleed, ROBOT, insecure renegotiation, CRIME, BREACH, POODLE, SWEET32, FREAK, DROWN,
LOGJAM, BEAST, LUCKY13, RC4. Certificate trust is not audited (the ephemeral certificate is
self-signed on purpose). The same audit of a server with an RSA certificate, and the full
testssl report, are bench/tls_audit.sh (each run takes about a minute; tls_context_test checks
that the RSA suites follow the same policy).
"""
# ctest-timeout: 900
# (two testssl runs, HTTPS and SMTP STARTTLS, of 1-4 minutes each)
import json
import os
import shutil
import subprocess
import unittest

from harness import ServeProcess, TempDirTest

TESTSSL = shutil.which("testssl") or shutil.which("testssl.sh")
AUDIT_TIMEOUT = 420  # seconds per run (ctest gives the script 900); a run takes 1-4 minutes


@unittest.skipUnless(TESTSSL, "testssl.sh not installed (make deps)")
class TlsAuditTest(TempDirTest):
    def serve(self, *args):
        srv = ServeProcess(["hello", "--ssl"] + list(args))
        self.addCleanup(srv.stop)
        return srv

    def audit(self, port, *extra):
        """Runs testssl on 127.0.0.1:port and asserts that every finding is OK or INFO."""
        report = self.path("report-%d.json" % port)
        r = subprocess.run(
            [TESTSSL, "--quiet", "--color", "0", "--warnings", "off", "--nodns", "none",
             "--connect-timeout", "10", "--openssl-timeout", "10", "--jsonfile", report,
             "--ip", "127.0.0.1", "-p", "-s", "-f", "-U"] + list(extra) +
            ["127.0.0.1:%d" % port],
            capture_output=True, timeout=AUDIT_TIMEOUT, cwd=self.dir,
            env=dict(os.environ, TERM="dumb"))
        self.assertTrue(os.path.exists(report), r.stdout.decode(errors="replace")[-2000:])
        with open(report) as f:
            items = json.load(f)
        ids = {i["id"] for i in items}
        # The run reached every part asked for (not a silent connection failure).
        for needed in ("TLS1_2", "TLS1_3", "cipherlist_3DES_IDEA", "PFS", "heartbleed",
                       "LUCKY13", "ROBOT"):
            self.assertIn(needed, ids, "testssl did not report %s" % needed)
        # engine_problem: the local openssl lacks GOST engines (testssl's own set-up).
        bad = ["%s %s: %s" % (i["id"], i["severity"], i["finding"]) for i in items
               if i["severity"] not in ("OK", "INFO") and i["id"] != "engine_problem"]
        self.assertEqual(bad, [])
        offered = {i["id"] for i in items if i["finding"].startswith("offered")}
        self.assertEqual(offered & {"SSLv2", "SSLv3", "TLS1", "TLS1_1"}, set())

    def test_testssl_finds_nothing(self):
        self.audit(self.serve().port)

    def test_smtp_starttls_finds_nothing(self):
        key, cert = self.path("key.pem"), self.path("cert.pem")
        subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1",
                        "-subj", "/CN=localhost", "-keyout", key, "-out", cert],
                       check=True, capture_output=True, timeout=60)
        srv = ServeProcess(["smtp", "--key-file", key, "--cer-file", cert,
                            "--maildir", self.path("mail")])
        self.addCleanup(srv.stop)
        self.audit(srv.port, "--starttls", "smtp")

if __name__ == "__main__":
    unittest.main()
