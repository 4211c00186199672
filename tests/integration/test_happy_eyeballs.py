"""Happy Eyeballs (RFC 8305) end to end: `netius http get` of a name that resolves to an
address where connecting hangs and to one where `netius serve hello` answers.

"Hangs" is a loopback listener whose accept queue is full (backlog 0, one connection never
accepted): the kernel drops further SYNs, as a dead path does. The RFC's case is a dead IPv6
path, on ::1, beside 127.0.0.1; on a machine without IPv6 that case is skipped, and the
IPv4-only one still shows the staggering: a hung 127.0.0.2 answered before 127.0.0.1. The
names come from a small DNS responder here that keeps the order of the addresses it is given
(dnsmasq and dnspython's default shuffle them); c-ares puts ::1 before 127.0.0.1 (RFC 6724
rule 6) and keeps the order of two IPv4 answers (rule 10); the test checks the order tried in
the log. Either way the answer must come well before the connect timeout: trying the addresses
one after another would give the hung one half of it.
"""
import re
import socket
import threading
import time
import unittest

import dns.flags
import dns.message
import dns.rdatatype
import dns.rrset

from harness import ServeProcess, TempDirTest, has_ipv6_loopback, run

CONNECT_TIMEOUT = 20  # seconds; sequential tries would give the hung address 10 of them


class FixedDns:
    """A UDP DNS responder on 127.0.0.1 answering A and AAAA queries from `records`
    ({(name, "A"): [address, ...]}) in the order given, nothing for anything else."""

    def __init__(self, records):
        self.records = records
        self.sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        self.sock.bind(("127.0.0.1", 0))
        self.sock.settimeout(0.1)
        self.address = "127.0.0.1:%d" % self.sock.getsockname()[1]
        self.stopping = threading.Event()
        self.thread = threading.Thread(target=self._serve, daemon=True)
        self.thread.start()

    def _serve(self):
        while not self.stopping.is_set():
            try:
                data, peer = self.sock.recvfrom(4096)
            except socket.timeout:
                continue
            query = dns.message.from_wire(data)
            answer = dns.message.make_response(query)
            answer.flags |= dns.flags.AA
            for q in query.question:
                kind = dns.rdatatype.to_text(q.rdtype)
                addresses = self.records.get((q.name.to_text(omit_final_dot=True), kind))
                if addresses:
                    answer.answer.append(dns.rrset.from_text_list(q.name, 60, "IN", kind,
                                                                  addresses))
            self.sock.sendto(answer.to_wire(want_shuffle=False), peer)

    def stop(self):
        self.stopping.set()
        self.thread.join(timeout=5)
        self.sock.close()


class HappyEyeballsTest(TempDirTest):
    def blackhole(self, host):
        """A listener on HOST:<the server's port> whose accept queue is full."""
        family = socket.AF_INET6 if ":" in host else socket.AF_INET
        hole = socket.socket(family)
        self.addCleanup(hole.close)
        hole.bind((host, self.srv.port))
        hole.listen(0)
        filler = socket.create_connection((host, self.srv.port), timeout=5)
        self.addCleanup(filler.close)
        # The check the test rests on: one more connection to it hangs.
        probe = socket.socket(family)
        self.addCleanup(probe.close)
        probe.settimeout(0.3)
        with self.assertRaises(socket.timeout):
            probe.connect((host, self.srv.port))

    def fetch(self, nameserver, dead, live):
        """`http get` of both.test (DEAD and LIVE) with the server on LIVE, DEAD hung."""
        self.srv = ServeProcess(["hello", "--host", live])
        self.addCleanup(self.srv.stop)
        self.blackhole(dead)
        url = "http://both.test:%d/" % self.srv.port
        started = time.monotonic()
        r = run(["http", "get", "--nameserver", nameserver.address, "--connect-timeout",
                 str(CONNECT_TIMEOUT), "-v", "--log-level", "DEBUG", url])
        elapsed = time.monotonic() - started
        err = r.stderr.decode()
        self.assertEqual((r.returncode, r.stdout), (0, b"Hello World"), err)
        live_text = "%s:%d" % (live, self.srv.port)
        self.assertIn("Connected to both.test (%s)" % live_text, err)
        dead_text = ("[%s]:%d" if ":" in dead else "%s:%d") % (dead, self.srv.port)
        tries = re.findall(r"connect\((\S+)\): trying", err)
        # The hung address first, then the live one beside it; the loser closed, not timed out.
        self.assertEqual(tries, [dead_text, live_text], err)
        self.assertNotIn("timed out", err)
        self.assertLess(elapsed, CONNECT_TIMEOUT / 2 - 2, err)

    def resolver(self, records):
        server = FixedDns(records)
        self.addCleanup(server.stop)
        return server

    def test_dead_ipv6_and_live_ipv4(self):
        if not has_ipv6_loopback():
            self.skipTest("no IPv6 loopback (::1) on this machine")
        server = self.resolver({("both.test", "A"): ["127.0.0.1"],
                                ("both.test", "AAAA"): ["::1"]})
        self.fetch(server, "::1", "127.0.0.1")

    def test_dead_and_live_ipv4(self):
        server = self.resolver({("both.test", "A"): ["127.0.0.2", "127.0.0.1"]})
        self.fetch(server, "127.0.0.2", "127.0.0.1")


if __name__ == "__main__":
    unittest.main()
