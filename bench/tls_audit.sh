#!/bin/bash
# TLS audit of `netius serve hello` with testssl.sh (docs/reliability.md): the ephemeral
# self-signed EC certificate (`--ssl`) and an RSA-2048 certificate (`--key-file/--cer-file`),
# audited in parallel on loopback: protocols, cipher categories, forward secrecy, server
# preferences and every vulnerability check. Prints one table; exits 1 if any protocol,
# cipher or vulnerability finding is rated above INFO (certificate trust is not judged: the
# certificates are self-signed on purpose). tests/integration/test_tls_audit.py runs the
# same checks on the ephemeral server in CI.
#   bench/tls_audit.sh            (about 2-4 minutes)
set -euo pipefail
cd "$(dirname "$0")/.."
TESTSSL=$(command -v testssl || command -v testssl.sh) ||
  { echo "tls_audit: testssl.sh missing; run make deps" >&2; exit 1; }
. bench/lib.sh openssl

openssl req -x509 -newkey rsa:2048 -nodes -keyout "$work/rsa.key" -out "$work/rsa.pem" -days 2 \
  -subj /CN=localhost -addext subjectAltName=IP:127.0.0.1 2>/dev/null
EC_PORT=$(free_port) RSA_PORT=$(free_port)
"$NETIUS" serve hello --ssl --port "$EC_PORT" --log-level ERROR & pids+=($!)
"$NETIUS" serve hello --ssl --port "$RSA_PORT" --key-file "$work/rsa.key" \
  --cer-file "$work/rsa.pem" --log-level ERROR & pids+=($!)
for port in "$EC_PORT" "$RSA_PORT"; do
  for _ in $(seq 100); do curl -sk -o /dev/null "https://127.0.0.1:$port/" && break; sleep 0.1; done
done

printf -- '--ip 127.0.0.1 -p -s -f -P -U 127.0.0.1:%s\n' "$EC_PORT" "$RSA_PORT" >"$work/targets"
(cd "$work" && TERM=dumb timeout 900 "$TESTSSL" --quiet --color 0 --warnings off --nodns none \
  --connect-timeout 10 --openssl-timeout 10 --mode parallel --jsonfile "$work/report.json" \
  --file "$work/targets" >"$work/testssl.txt" 2>&1) || true

/usr/bin/python3 - "$work/report.json" "$EC_PORT" "$RSA_PORT" <<'PY'
import json, sys
VULNS = {"heartbleed", "CCS", "ticketbleed", "ROBOT", "secure_renego", "secure_client_renego",
         "CRIME_TLS", "BREACH", "POODLE_SSL", "fallback_SCSV", "SWEET32", "FREAK", "DROWN",
         "LOGJAM", "BEAST", "LUCKY13", "RC4"}
items = json.load(open(sys.argv[1]))
servers = [("EC (ephemeral)", sys.argv[2]), ("RSA-2048", sys.argv[3])]
by = {port: {i["id"]: i for i in items if i["port"] == port} for _, port in servers}

def finding(port, key):
    i = by[port].get(key)
    return "-" if i is None else i["finding"].split(" (")[0][:32]

def tls12_suites(port):
    suites = finding(port, "cipherorder_TLSv1_2").split()
    fs_aead = all(c.startswith("ECDHE-") and ("GCM" in c or "CHACHA" in c) for c in suites)
    return "%d, %s" % (len(suites), "all ECDHE + AEAD" if fs_aead else "NOT all ECDHE + AEAD")

def vulns(port):
    run = [i for i in by[port].values() if i["id"] in VULNS]
    return "%d run, %d flagged" % (len(run), sum(i["severity"] not in ("OK", "INFO") for i in run))

rows = [("SSLv3 / TLS 1.0 / 1.1", lambda p: " / ".join(finding(p, k) for k in ("SSLv3", "TLS1", "TLS1_1"))),
        ("TLS 1.2 / 1.3", lambda p: finding(p, "TLS1_2") + " / " + finding(p, "TLS1_3")),
        ("obsolete CBC suites", lambda p: finding(p, "cipherlist_AVERAGE")),
        ("3DES / IDEA suites", lambda p: finding(p, "cipherlist_3DES_IDEA")),
        ("forward secrecy", lambda p: finding(p, "PFS")),
        ("TLS 1.2 suites", tls12_suites),
        ("vulnerability checks", vulns)]
print("%-24s %-36s %-36s" % ("check", servers[0][0], servers[1][0]))
for name, f in rows:
    print("%-24s %-36s %-36s" % (name, f(servers[0][1]), f(servers[1][1])))
# Certificate findings (self-signed, short-lived, no OCSP/CRL) are not the server's policy.
bad = ["%s %s %s: %s" % (i["port"], i["id"], i["severity"], i["finding"]) for i in items
       if i["severity"] not in ("OK", "INFO")
       and not i["id"].startswith(("cert", "DNS_CAA", "OCSP", "scanTime", "engine_problem"))]
for b in bad:
    print("FLAGGED " + b)
missing = [name for name, port in servers if "LUCKY13" not in by[port]]
for m in missing:
    print("INCOMPLETE: testssl did not finish the checks of " + m)
print("tls_audit: %d flagged" % len(bad))
sys.exit(1 if bad or missing else 0)
PY
