"""RSS growth of HTTP servers holding N idle keep-alive connections (each served once).

usage: http_idle.py N NAME:PORT:PID...   prints one line per server: bytes of RSS per connection.
"""
import socket
import sys
import time


def rss_kib(pid):
    with open("/proc/%d/status" % pid) as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    raise RuntimeError("no VmRSS for %d" % pid)


def hold(port, n):
    socks = []
    request = b"GET / HTTP/1.1\r\nHost: bench\r\n\r\n"
    for _ in range(n):
        s = socket.create_connection(("127.0.0.1", port), timeout=10)
        s.sendall(request)
        socks.append(s)
    for s in socks:  # each answered once, connection kept open
        data = b""
        while b"Hello World" not in data:
            chunk = s.recv(4096)
            if not chunk:
                raise RuntimeError("server closed an idle keep-alive connection")
            data += chunk
    return socks


def main():
    n = int(sys.argv[1])
    print("%-22s %14s %14s" % ("%d idle keep-alive" % n, "RSS growth KiB", "bytes/conn"))
    for spec in sys.argv[2:]:
        name, port, pid = spec.split(":")
        before = rss_kib(int(pid))
        socks = hold(int(port), n)
        time.sleep(0.5)
        after = rss_kib(int(pid))
        print("%-22s %14d %14.0f" % (name, after - before, (after - before) * 1024 / n))
        for s in socks:
            s.close()


if __name__ == "__main__":
    main()
