"""RSS growth of HTTP servers holding N idle keep-alive connections (each served once).

usage: http_idle.py [--one-by-one] N NAME:PORT:PID...
prints one line per server: bytes of RSS per connection. By default the N requests are all sent
before any answer is read, so the figure includes what the server's peak of N requests at once
left behind; --one-by-one waits for each answer before the next connection (idle cost alone).
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


def answered(s):
    data = b""
    while b"Hello World" not in data:
        chunk = s.recv(4096)
        if not chunk:
            raise RuntimeError("server closed an idle keep-alive connection")
        data += chunk


def hold(port, n, one_by_one=False):
    """n connections, each answered once and kept open: their requests all sent before any
    answer is read (the server holds n requests at once first), or one_by_one."""
    socks = []
    request = b"GET / HTTP/1.1\r\nHost: bench\r\n\r\n"
    for _ in range(n):
        s = socket.create_connection(("127.0.0.1", port), timeout=10)
        s.sendall(request)
        if one_by_one:
            answered(s)
        socks.append(s)
    if not one_by_one:
        for s in socks:
            answered(s)
    return socks


def main():
    args = sys.argv[1:]
    one_by_one = args[0] == "--one-by-one"
    if one_by_one:
        args = args[1:]
    n = int(args[0])
    title = "%d idle keep-alive%s" % (n, ", one by one" if one_by_one else "")
    print("%-30s %14s %14s" % (title, "RSS growth KiB", "bytes/conn"))
    for spec in args[1:]:
        name, port, pid = spec.split(":")
        before = rss_kib(int(pid))
        socks = hold(int(port), n, one_by_one)
        time.sleep(0.5)
        after = rss_kib(int(pid))
        print("%-30s %14d %14.0f" % (name, after - before, (after - before) * 1024 / n))
        for s in socks:
            s.close()


if __name__ == "__main__":
    main()
