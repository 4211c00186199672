"""TLS audit: testssl.sh (Debian's testssl.sh) against `netius serve hello --ssl` on loopback.

Two servers, audited in one parallel testssl run: the ephemeral self-signed EC certificate
(`--ssl` alone) and an RSA certificate (`--key-file/--cer-file`), since the TLS 1.2 suites a
server can pick depend on its key type. Checked: protocols (-p), cipher categories (-s),
forward secrecy (-f) and the known vulnerabilities (-U). Every finding of those must be rated
OK or INFO by testssl: TLS >= 1.2 only, no NULL/export/RC4/3DES/CBC suites, forward secrecy,
and none of Heartbleed, CCS, ROBOT, CRIME, BREACH, POODLE, SWEET32, FREAK, DROWN, LOGJAM,
BEAST, LUCKY13, RC4, Ticketbleed, insecure renegotiation. Certificate trust is not audited
(an ephemeral certificate is self-signed on purpose).
"""
import json
import os
import shutil
import subprocess
import unittest

from harness import TempDirTest, tool
from test_serve_hello import Server

TESTSSL = shutil.which("testssl") or shutil.which("testssl.sh")
AUDIT_TIMEOUT = 600  # seconds; a run takes about a minute on an idle machine


@unittest.skipUnless(TESTSSL, "testssl.sh not installed (make deps)")
class TlsAuditTest(TempDirTest):
    def serve(self, *args):
        srv = Server(["--ssl", "--log-level", "WARNING"] + list(args))
        self.addCleanup(srv.stop)
        return srv

    def test_testssl_finds_nothing(self):
        key, cer = self.path("rsa.key"), self.path("rsa.pem")
        tool(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", key,
              "-out", cer, "-days", "2", "-subj", "/CN=localhost",
              "-addext", "subjectAltName=IP:127.0.0.1"])
        servers = {"ephemeral EC": self.serve(), "RSA": self.serve("--key-file", key,
                                                                   "--cer-file", cer)}
        targets = self.write("targets", "".join(
            "--ip 127.0.0.1 -p -s -f -U 127.0.0.1:%d\n" % s.port for s in servers.values()))
        report = self.path("report.json")
        r = subprocess.run(
            [TESTSSL, "--quiet", "--color", "0", "--warnings", "off", "--nodns", "none",
             "--connect-timeout", "10", "--openssl-timeout", "10", "--mode", "parallel",
             "--jsonfile", report, "--file", targets],
            capture_output=True, timeout=AUDIT_TIMEOUT, cwd=self.dir,
            env=dict(os.environ, TERM="dumb"))
        self.assertTrue(os.path.exists(report), r.stdout.decode(errors="replace")[-2000:])
        with open(report) as f:
            findings = json.load(f)
        by_port = {}
        for item in findings:
            by_port.setdefault(int(item.get("port", 0)), []).append(item)
        for name, srv in servers.items():
            with self.subTest(server=name):
                items = by_port.get(srv.port, [])
                ids = {i["id"] for i in items}
                # The run reached every part we ask for (not a silent connection failure).
                for needed in ("TLS1_2", "TLS1_3", "cipherlist_3DES_IDEA", "PFS",
                               "heartbleed", "LUCKY13", "ROBOT"):
                    self.assertIn(needed, ids, "%s: testssl did not report %s" % (name, needed))
                bad = ["%s %s: %s" % (i["id"], i["severity"], i["finding"]) for i in items
                       if i["severity"] not in ("OK", "INFO")]
                self.assertEqual(bad, [], name)
                offered = {i["id"] for i in items if i["finding"].startswith("offered")}
                self.assertEqual(offered & {"SSLv2", "SSLv3", "TLS1", "TLS1_1"}, set(), name)


if __name__ == "__main__":
    unittest.main()
