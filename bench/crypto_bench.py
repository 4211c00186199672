"""Driver for bench/crypto.sh: times each signer/verifier per message and prints a table."""
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "tests", "integration"))
from peers import Dnsmasq  # noqa: E402

NETIUS = None  # a private copy of the binary, so a rebuild during the run cannot disturb it
SELECTOR, DOMAIN = "bench", "example.com"

# dkimverify with its DNS lookup pointed at the local dnsmasq (dkimverify itself always uses
# the system resolver); same library call, same process start-up as the dkimverify script.
DKIMPY_VERIFY = """
import sys, dkim, dns.resolver
r = dns.resolver.Resolver(configure=False); r.nameservers = ["127.0.0.1"]; r.port = %d
def dnsfunc(name, timeout=5):
    return b"".join(b"".join(a.strings) for a in r.resolve(name.decode().rstrip("."), "TXT"))
sys.exit(0 if dkim.verify(sys.stdin.buffer.read(), dnsfunc=dnsfunc) else 1)
"""


def message(i, size):
    """Message number `i` with a body of `size` bytes (also bench/startup_bench.py's)."""
    line = ("Lorem ipsum dolor sit amet, message %d, consectetur adipiscing elit.\r\n" % i)
    body = (line * (size // len(line) + 1))[:size]
    return ("From: Alice <alice@example.com>\r\nTo: bob@example.org\r\n"
            "Subject: bench %d\r\nDate: Tue, 24 Nov 2026 18:00:00 +0000\r\n"
            "Message-ID: <%d@example.com>\r\n\r\n" % (i, i) + body).encode()


def timed(cmd, data):
    start = time.perf_counter()
    r = subprocess.run(cmd, input=data, capture_output=True, timeout=60)
    elapsed = time.perf_counter() - start
    if r.returncode != 0:
        sys.exit("bench: %s failed: %s" % (cmd[0], r.stderr.decode(errors="replace")))
    return elapsed, r.stdout


def main():
    global NETIUS
    built, count, size = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
    work = tempfile.mkdtemp(prefix="netius-bench-")
    try:
        NETIUS = shutil.copy(built, os.path.join(work, "netius"))
        key = os.path.join(work, "key.pem")
        gen = subprocess.run([NETIUS, "dkim", "generate", DOMAIN, "--selector", SELECTOR,
                              "--bits", "2048", "--key-out", key],
                             capture_output=True, check=True, timeout=60)
        record = gen.stdout.decode().split(" IN TXT ", 1)[1].strip()
        strings = [s for s in record.split('"') if s.strip()]
        msgs = [message(i, size) for i in range(count)]
        rows = []
        with Dnsmasq({"%s._domainkey.%s" % (SELECTOR, DOMAIN): strings}) as dns:
            signers = {
                "netius": lambda m: timed([NETIUS, "dkim", "sign", "-", key, SELECTOR, DOMAIN], m),
                "dkimpy": lambda m: timed(["/usr/bin/dkimsign", SELECTOR, DOMAIN, key], m),
            }
            verifiers = {
                "netius": lambda m: timed([NETIUS, "dkim", "verify", "-", "--nameserver",
                                           dns.address], m),
                "dkimpy": lambda m: timed(["/usr/bin/python3", "-c", DKIMPY_VERIFY % dns.port],
                                          m),
            }
            for op, tools in (("sign", signers), ("verify", verifiers)):
                times = {name: [] for name in tools}
                signed = {}
                # Interleave the tools message by message so machine noise hits both alike.
                for i, m in enumerate(msgs):
                    for name, fn in tools.items():
                        t, out = fn(m if op == "sign" else signed_by[i])
                        times[name].append(t)
                        if op == "sign" and name == "dkimpy":
                            signed[i] = out
                if op == "sign":
                    signed_by = signed  # verify what dkimpy signed: both check the same bytes
                med = {name: statistics.median(v) * 1000 for name, v in times.items()}
                rows.append((op, med["netius"], med["dkimpy"], med["dkimpy"] / med["netius"]))
        print("DKIM, %d messages of %d bytes, RSA-2048, median per message (process included)"
              % (count, size))
        print("%-8s %12s %12s %10s" % ("op", "netius ms", "dkimpy ms", "speed-up"))
        for op, n, d, ratio in rows:
            print("%-8s %12.2f %12.2f %9.1fx" % (op, n, d, ratio))
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
