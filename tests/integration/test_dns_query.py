"""`netius dns query` against dnsmasq on loopback: every record type (checked against
dnspython's reading of the same answers), the three output forms, -x, the exit statuses
(NXDOMAIN, NODATA, REFUSED, no answer), the bounded timeout and netius' DNS_* names.

dnsmasq is authoritative for example.test (and its reverse zones) on 127.0.0.1, which gives
SOA and NS records and REFUSED for names outside the zone; on ::1 it answers as an ordinary
server with `--local=/#/`, so that a name it does not know gets NXDOMAIN there too.
"""
import json
import os
import socket
import time
import unittest

import dns.message
import dns.query
import dns.rdatatype

from harness import TempDirTest, run
from peers import Dnsmasq

ZONE = [
    "--auth-server=ns1.example.test,127.0.0.1", "--auth-sec-servers=ns2.example.test",
    "--auth-zone=example.test,192.0.2.0/24,2001:db8::/64",
    "--auth-soa=2024010101,hostmaster.example.test,1200,120,604800", "--auth-ttl=600",
    "--local-ttl=300",
    "--srv-host=_sip._udp.example.test,sip.example.test,5060,1,5",
    "--cname=www.example.test,example.test",
    "--caa-record=example.test,0,issue,letsencrypt.org",
    "--ptr-record=99.2.0.192.in-addr.arpa,printer.example.test",
]
HOSTS = {"example.test": ["192.0.2.10", "2001:db8::10"], "mx1.example.test": ["192.0.2.25"]}
MX = [("example.test", "mx1.example.test", 10), ("example.test", "mx2.example.test", 20)]
TXT = {"example.test": ["v=spf1 -all", "second"]}


def oracle(server, name, rdtype):
    """dnspython's reading of dnsmasq's answer, as --json objects (sorted)."""
    host, port = server.rsplit(":", 1)
    answer = dns.query.udp(dns.message.make_query(name, rdtype), host.strip("[]"),
                           port=int(port), timeout=5)
    out = []
    for rrset in answer.answer:
        for rd in rrset:
            o = {"name": rrset.name.to_text(omit_final_dot=True),
                 "type": dns.rdatatype.to_text(rrset.rdtype), "ttl": rrset.ttl}
            text = lambda n: n.to_text(omit_final_dot=True)
            kind = o["type"]
            if kind in ("A", "AAAA"):
                o["address"] = rd.address
            elif kind in ("NS", "CNAME", "PTR"):
                o["target"] = text(rd.target)
            elif kind == "MX":
                o.update(preference=rd.preference, exchange=text(rd.exchange))
            elif kind == "TXT":
                strings = [s.decode() for s in rd.strings]
                o.update(strings=strings, text="".join(strings))
            elif kind == "SOA":
                o.update(mname=text(rd.mname), rname=text(rd.rname), serial=rd.serial,
                         refresh=rd.refresh, retry=rd.retry, expire=rd.expire,
                         minimum=rd.minimum)
            elif kind == "SRV":
                o.update(priority=rd.priority, weight=rd.weight, port=rd.port,
                         target=text(rd.target))
            elif kind == "CAA":
                o.update(flags=rd.flags, tag=rd.tag.decode(), value=rd.value.decode())
            out.append(o)
    return sorted(out, key=json.dumps)


class DnsQueryTest(TempDirTest):
    @classmethod
    def setUpClass(cls):
        cls.dns = Dnsmasq(TXT, hosts=HOSTS, mx=MX, extra=ZONE, ipv6=True).__enter__()

    @classmethod
    def tearDownClass(cls):
        cls.dns.__exit__(None, None, None)

    def query(self, *args, server=None, env=None):
        return run(["dns", "query"] + list(args) + ["--server", server or self.dns.address],
                   env=env)

    def ok(self, *args, **kw):
        r = self.query(*args, **kw)
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertEqual(r.stderr, b"")
        return r.stdout.decode()

    def assertFails(self, r, code, fragment):
        """Exit `code`, one `netius: dns query: ...` line naming `fragment`."""
        err = r.stderr.decode()
        self.assertEqual(r.returncode, code, err)
        self.assertEqual(len(err.splitlines()), 1, err)
        self.assertTrue(err.startswith("netius: dns query: "), err)
        self.assertIn(fragment, err)

    def test_every_type_as_dnspython_reads_it(self):
        cases = [("example.test", "A", "192.0.2.10"), ("example.test", "AAAA", "2001:db8::10"),
                 ("example.test", "MX", "mx2.example.test"), ("example.test", "TXT", "v=spf1"),
                 ("example.test", "NS", "ns2.example.test"), ("example.test", "SOA", "2024010101"),
                 ("www.example.test", "CNAME", "example.test"),
                 ("10.2.0.192.in-addr.arpa", "PTR", "example.test"),
                 ("_sip._udp.example.test", "SRV", "5060"),
                 ("example.test", "CAA", "letsencrypt.org")]
        for name, rdtype, fragment in cases:
            with self.subTest(rdtype=rdtype):
                records = json.loads(self.ok(name, rdtype, "--json"))
                self.assertIn(fragment, json.dumps(records))
                self.assertTrue(all(r["type"] == rdtype for r in records), records)
                self.assertEqual(sorted(records, key=json.dumps),
                                 oracle(self.dns.address, name, rdtype))

    def test_default_output_one_aligned_line_per_record(self):
        out = self.ok("example.test", "MX")
        # MX as netius prints it: "address => priority".
        self.assertEqual(sorted(out.splitlines()),
                         ["example.test  600  MX  mx1.example.test => 10",
                          "example.test  600  MX  mx2.example.test => 20"])
        self.assertEqual(self.ok("example.test"), "example.test  600  A  192.0.2.10\n")
        # A CNAME leads to the records, in answer order; names are padded to one column.
        self.assertEqual(self.ok("www.example.test", "a"),
                         "www.example.test  600  CNAME  example.test\n"
                         "example.test      600  A      192.0.2.10\n")
        self.assertEqual(self.ok("example.test", "txt"),
                         'example.test  600  TXT  "v=spf1 -all" "second"\n')

    def test_short_prints_the_data_only(self):
        out = self.ok("example.test", "a", "Mx", "TXT", "soa", "caa", "--short").splitlines()
        self.assertEqual(out[0], "192.0.2.10")
        self.assertEqual(sorted(out[1:3]), ["mx1.example.test => 10", "mx2.example.test => 20"])
        self.assertEqual(out[3:], ['"v=spf1 -all" "second"',
                                   "ns1.example.test hostmaster.example.test 2024010101 1200 "
                                   "120 604800 600",
                                   '0 issue "letsencrypt.org"'])
        self.assertEqual(self.ok("_sip._udp.example.test", "SRV", "--short"),
                         "1 5 5060 sip.example.test\n")

    def test_reverse_lookups(self):
        self.assertEqual(self.ok("-x", "192.0.2.10", "--short"), "example.test\n")
        self.assertEqual(self.ok("-x", "2001:db8::10"),
                         "0.1.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.8.b.d.0.1.0.0.2.ip6.arpa"
                         "  600  PTR  example.test\n")
        # --ptr-record is served by the ordinary (non-authoritative) side, on ::1.
        records = json.loads(self.ok("-x", "192.0.2.99", "--json", server=self.dns.address6))
        self.assertEqual(records, [{"name": "99.2.0.192.in-addr.arpa", "type": "PTR",
                                    "ttl": 300, "target": "printer.example.test"}])

    def test_json_is_an_array_even_when_nothing_was_found(self):
        r = self.query("nope.example.test", "--json")
        self.assertFails(r, 3, "'nope.example.test' does not exist (NXDOMAIN)")
        self.assertEqual(json.loads(r.stdout), [])

    def test_exit_statuses_tell_the_outcomes_apart(self):
        self.assertFails(self.query("nope.example.test"), 3, "(NXDOMAIN)")
        self.assertFails(self.query("nope.test", server=self.dns.address6), 3, "(NXDOMAIN)")
        r = self.query("example.test", "SRV")
        self.assertFails(r, 4, "'example.test' has no SRV record (NODATA)")
        self.assertEqual(r.stdout, b"")
        self.assertFails(self.query("outside.test"), 6,
                         "the server answered REFUSED to 'outside.test' (A)")
        # Several types: the records found are printed; the status is the last failure's.
        r = self.query("example.test", "A", "SRV", "--short")
        self.assertFails(r, 4, "no SRV record")
        self.assertEqual(r.stdout, b"192.0.2.10\n")

    def test_no_answer_is_bounded_by_timeout_and_retries(self):
        with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as silent:
            silent.bind(("127.0.0.1", 0))  # receives, never answers
            server = "127.0.0.1:%d" % silent.getsockname()[1]
            start = time.monotonic()
            r = self.query("example.test", "--timeout", "0.2", "--retries", "1", server=server)
            elapsed = time.monotonic() - start
        self.assertFails(r, 5, "timed out after 2 tries (200 ms, doubling)")
        self.assertLess(elapsed, 20)  # 0.2 s + 0.4 s; generous for a loaded machine
        with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s:
            s.bind(("127.0.0.1", 0))
            closed = "127.0.0.1:%d" % s.getsockname()[1]
        r = self.query("example.test", "--timeout", "0.2", "--retries", "0", server=closed)
        self.assertFails(r, 5, "no answer to 'example.test' (A) from " + closed)

    def test_netius_environment_names(self):
        env = {"DNS_NAME": "example.test", "DNS_TYPE": "mx", "DNS_NS": self.dns.address}
        r = run(["dns", "query", "--short"], env=env)
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertEqual(sorted(r.stdout.decode().splitlines()),
                         ["mx1.example.test => 10", "mx2.example.test => 20"])
        # Flags and arguments beat the environment; -x leaves DNS_NAME and DNS_TYPE unused.
        env_ipv6 = dict(env, DNS_NS=self.dns.address6)
        r = run(["dns", "query", "www.example.test", "CNAME", "--short"], env=env_ipv6)
        self.assertEqual((r.returncode, r.stdout), (0, b"example.test\n"), r.stderr)
        r = run(["dns", "query", "-x", "192.0.2.10", "--short"], env=env)
        self.assertEqual((r.returncode, r.stdout), (0, b"example.test\n"), r.stderr)
        r = run(["dns", "query", "--short", "--server", self.dns.address],
                env={"DNS_NAME": "example.test", "DNS_NS": "127.0.0.1:1"})
        self.assertEqual((r.returncode, r.stdout), (0, b"192.0.2.10\n"), r.stderr)

    def test_usage_errors(self):
        for args, fragment in [(["example.test", "ANY"], "unknown record type 'ANY'"),
                               (["-x", "192.0.2.10", "example.test"], "-x takes no NAME"),
                               (["-x", "192.0.2"], "not an IPv4 or IPv6 address"),
                               (["example.test", "--short", "--json"], "excludes"),
                               (["example.test", "--retries", "9"], "--retries"),
                               (["example.test", "--timeout", "0"], "--timeout"),
                               ([], "NAME is required")]:
            with self.subTest(args=args):
                r = self.query(*args)
                self.assertEqual(r.returncode, 2, r.stderr)
                self.assertIn(fragment, r.stderr.decode())
                self.assertEqual(r.stdout, b"")
        r = run(["dns", "query", "example.test", "--server", "not-an-ip"])
        self.assertEqual(r.returncode, 2, r.stderr)
        self.assertIn("bad nameserver 'not-an-ip'", r.stderr.decode())


if __name__ == "__main__":
    unittest.main()
