"""Start-up table of bench/crypto.sh: short netius commands against `openssl version`, and
`dkim sign` against dkimpy's dkim.sign in a fresh python3, process start included on both sides,
and against `openssl dgst -sha256 -sign` of the same file: OpenSSL's own signer, the floor for a
tool that loads the key and signs through OpenSSL 3.

Each row is timed by `perf stat -r REPS -e duration_time` (wall time per run, mean of REPS), in
ROUNDS rounds that run every row in turn, so that machine noise hits the rows alike; a row's
figure is the median over the rounds, with their min-max. Without perf, the driver times REPS
runs itself (the mean of their wall times).
  startup_bench.py NETIUS SIZE [ROUNDS] [REPS]      (defaults: 5 rounds of 10 runs)
"""
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

from crypto_bench import message

SELECTOR, DOMAIN = "bench", "example.com"
DKIMPY_SIGN = ("import sys, dkim; m = open(sys.argv[1], 'rb').read(); "
               "k = open(sys.argv[2], 'rb').read(); "
               "sys.stdout.buffer.write(dkim.sign(m, b'%s', b'%s', k) + m)" % (SELECTOR, DOMAIN))


def mean_run_ms(cmd, reps):
    """Mean wall time of `cmd` over `reps` runs, in ms (perf stat, else timed here)."""
    if shutil.which("perf"):
        r = subprocess.run(["perf", "stat", "-x", ",", "-r", str(reps), "-e", "duration_time",
                            "--"] + cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                           timeout=600)
        for line in r.stderr.decode().splitlines():
            fields = line.split(",")
            if len(fields) > 2 and fields[2] == "duration_time" and r.returncode == 0:
                return float(fields[0]) / 1e6
        sys.exit("bench: perf stat %s failed: %s" % (cmd[0], r.stderr.decode()))
    total = 0.0
    for _ in range(reps):
        start = time.perf_counter()
        subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=True,
                       timeout=60)
        total += time.perf_counter() - start
    return total / reps * 1000


def main():
    built, size = sys.argv[1], int(sys.argv[2])
    rounds = int(sys.argv[3]) if len(sys.argv) > 3 else 5
    reps = int(sys.argv[4]) if len(sys.argv) > 4 else 10
    work = tempfile.mkdtemp(prefix="netius-bench-")
    try:
        netius = shutil.copy(built, os.path.join(work, "netius"))
        key = os.path.join(work, "key.pem")
        subprocess.run([netius, "dkim", "generate", DOMAIN, "--selector", SELECTOR, "--bits",
                        "2048", "--key-out", key], capture_output=True, check=True, timeout=60)
        msg = os.path.join(work, "message.eml")
        with open(msg, "wb") as f:
            f.write(message(0, size))
        password_hash = subprocess.run([netius, "auth", "generate", "secret", "sha256"],
                                       capture_output=True, check=True,
                                       timeout=60).stdout.decode().strip()
        kb = "%d KB" % (size // 1024)
        rows = [
            ("openssl version", ["openssl", "version"]),
            ("netius --version", [netius, "--version"]),
            ("netius auth verify (sha256)", [netius, "auth", "verify", password_hash, "secret"]),
            ("netius dkim sign (%s)" % kb, [netius, "dkim", "sign", msg, key, SELECTOR, DOMAIN]),
            # OpenSSL's own tool making the same RSA-SHA256 signature of the same file: what a
            # signer built on OpenSSL 3's key loading and EVP signing costs, start-up included.
            ("openssl dgst -sign (%s)" % kb,
             ["openssl", "dgst", "-sha256", "-sign", key, "-out", os.devnull, msg]),
            ("dkimpy dkim.sign (%s, python3)" % kb,
             ["/usr/bin/python3", "-c", DKIMPY_SIGN, msg, key]),
        ]
        for _, cmd in rows:  # each must work before it is timed
            subprocess.run(cmd, capture_output=True, check=True, timeout=60)
        load_before = open("/proc/loadavg").read().split()[:3]
        times = {label: [] for label, _ in rows}
        for _ in range(rounds):
            for label, cmd in rows:
                times[label].append(mean_run_ms(cmd, reps))
        load_after = open("/proc/loadavg").read().split()[:3]
        med = {label: statistics.median(v) for label, v in times.items()}
        openssl = med["openssl version"]
        print("start-up: wall ms per run, median of %d rounds of %s %d runs; load average %s -> %s"
              % (rounds, "perf stat -r" if shutil.which("perf") else "timed", reps,
                 " ".join(load_before), " ".join(load_after)))
        print("%-34s %8s %15s %12s %7s" % ("command", "ms", "min-max", "vs openssl", "target"))
        for label, _ in rows:
            v = times[label]
            target = "1.0x" if label == "netius --version" else ""
            print("%-34s %8.2f %15s %11.2fx %7s" % (
                label, med[label], "%.2f-%.2f" % (min(v), max(v)), openssl / med[label], target))
        sign, dkimpy = med["netius dkim sign (%s)" % kb], med["dkimpy dkim.sign (%s, python3)" % kb]
        print("%-34s %8s %15s %11.1fx %7s" % ("dkim sign: dkimpy ms / netius ms", "", "",
                                              dkimpy / sign, "25x"))
        dgst = med["openssl dgst -sign (%s)" % kb]
        print("%-34s %8s %15s %11.1fx %7s" % ("dkimpy ms / openssl dgst -sign ms", "", "",
                                              dkimpy / dgst, ""))
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
