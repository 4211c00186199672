"""Client side of bench/soak.sh: crowds of loopback connections that misbehave on purpose.

    soak_clients.py hold PORT N              N keep-alive connections, one request each; prints
                                             "ready OK FAILED", waits for a line on stdin, sends
                                             one more request on each, prints "answered OK LOST"
    soak_clients.py slowloris PORT N SECONDS N connections sending a head one byte a second,
                                             reopened when the server drops them; prints
                                             "slowloris OPENED DROPPED REPLIES_408"
    soak_clients.py reset PORT N             N clients of each kind reset (RST) mid-request,
                                             mid-body and mid-response; prints "reset N N N"
    soak_clients.py exhaust PORT N           N connections held open, each sending one request;
                                             prints "exhaust SERVED REFUSED_503 CLOSED WAITING",
                                             waits for a line on stdin, closes them all, then
                                             prints "recovered OK" (or "recovered FAILED")
    soak_clients.py smtp PORT N MAILDIR      N parallel SMTP sessions, a seeded fifth each of:
                                             complete, gone after RCPT, closed mid-DATA, reset
                                             (RST) mid-DATA, gone right after the final dot;
                                             then reads the Maildir and prints "smtp ACKED
                                             STORED MISSING PARTIAL DUPLICATES" (MISSING: a 250
                                             whose message is not there)

Every wait is bounded; only 127.0.0.1 is ever contacted.
"""
import asyncio
import socket
import struct
import sys

HOST = "127.0.0.1"
REQUEST = b"GET / HTTP/1.1\r\nHost: soak\r\n\r\n"
TIMEOUT = 30  # seconds, any single wait


async def read_response(reader):
    """Reads one response with a Content-Length body; returns the status code."""
    head = await asyncio.wait_for(reader.readuntil(b"\r\n\r\n"), TIMEOUT)
    status = int(head.split(b" ", 2)[1])
    length = 0
    for line in head.split(b"\r\n"):
        if line.lower().startswith(b"content-length:"):
            length = int(line.split(b":", 1)[1])
    if length:
        await asyncio.wait_for(reader.readexactly(length), TIMEOUT)
    return status


async def request(reader, writer):
    writer.write(REQUEST)
    await writer.drain()
    return await read_response(reader)


async def open_many(port, n, batch=500):
    """Opens n connections, `batch` at a time (the listen backlog is finite); failures are None."""
    conns = []
    for start in range(0, n, batch):
        tasks = [asyncio.wait_for(asyncio.open_connection(HOST, port), TIMEOUT)
                 for _ in range(min(batch, n - start))]
        for r in await asyncio.gather(*tasks, return_exceptions=True):
            conns.append(None if isinstance(r, BaseException) else r)
    return conns


async def request_all(conns):
    async def one(c):
        if c is None:
            return False
        try:
            return await request(*c) == 200
        except (OSError, asyncio.IncompleteReadError, asyncio.TimeoutError, ValueError,
                IndexError):
            return False
    return await asyncio.gather(*(one(c) for c in conns))


def close_all(conns):
    for c in conns:
        if c is not None:
            c[1].close()


async def stdin_line():
    return await asyncio.get_running_loop().run_in_executor(None, sys.stdin.readline)


async def hold(port, n):
    conns = await open_many(port, n)
    ok = sum(await request_all(conns))
    print("ready %d %d" % (ok, n - ok), flush=True)
    await stdin_line()
    ok = sum(await request_all(conns))
    print("answered %d %d" % (ok, n - ok), flush=True)
    close_all(conns)


async def slowloris(port, n, seconds):
    head = b"GET / HTTP/1.1\r\nHost: soak\r\nX-Slow: " + b"a" * 4096
    loop = asyncio.get_running_loop()
    end = loop.time() + seconds
    stats = {"opened": 0, "dropped": 0, "408": 0}

    async def one():
        while loop.time() < end:
            try:
                reader, writer = await asyncio.wait_for(asyncio.open_connection(HOST, port),
                                                        TIMEOUT)
            except (OSError, asyncio.TimeoutError):
                await asyncio.sleep(1)
                continue
            stats["opened"] += 1
            try:
                for byte in head:
                    if loop.time() >= end:
                        break
                    writer.write(bytes([byte]))
                    await writer.drain()
                    try:  # one byte a second; the server may answer (408) and close meanwhile
                        data = await asyncio.wait_for(reader.read(4096), 1)
                    except asyncio.TimeoutError:
                        continue
                    if data.startswith(b"HTTP/1.1 408"):
                        stats["408"] += 1
                    stats["dropped"] += 1
                    break
            except OSError:
                stats["dropped"] += 1
            finally:
                writer.close()

    await asyncio.gather(*(one() for _ in range(n)))
    print("slowloris %d %d %d" % (stats["opened"], stats["dropped"], stats["408"]), flush=True)


def rst(sock):
    """Closes with SO_LINGER 0: the kernel sends RST instead of FIN."""
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
    sock.close()


async def reset(port, n):
    loop = asyncio.get_running_loop()
    big = REQUEST * 200  # pipelined: the server has output queued when the reset arrives

    async def one(kind):
        s = socket.socket()
        s.setblocking(False)
        if kind == "response":
            s.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
        try:
            await asyncio.wait_for(loop.sock_connect(s, (HOST, port)), TIMEOUT)
            if kind == "request":
                await loop.sock_sendall(s, b"GET / HTTP/1.1\r\nHost: soak\r\nX-Half: ")
            elif kind == "body":
                await loop.sock_sendall(s, b"POST / HTTP/1.1\r\nHost: soak\r\n"
                                           b"Content-Length: 100000\r\n\r\n" + b"x" * 1000)
            else:
                await loop.sock_sendall(s, big)
                await asyncio.wait_for(loop.sock_recv(s, 1024), TIMEOUT)
            await asyncio.sleep(0.01)
            return True
        except (OSError, asyncio.TimeoutError):
            return False
        finally:
            rst(s)

    counts = []
    for kind in ("request", "body", "response"):
        done = 0
        for start in range(0, n, 200):
            done += sum(await asyncio.gather(*(one(kind) for _ in range(min(200, n - start)))))
        counts.append(done)
    print("reset %d %d %d" % tuple(counts), flush=True)


async def exhaust(port, n):
    conns = await open_many(port, n, batch=50)
    outcome = {"served": 0, "503": 0, "closed": 0, "waiting": 0}

    async def one(c):
        if c is None:
            outcome["closed"] += 1
            return
        reader, writer = c
        try:
            writer.write(REQUEST)
            await writer.drain()
            head = await asyncio.wait_for(reader.readuntil(b"\r\n\r\n"), 5)
            status = head.split(b" ", 2)[1]
            outcome["served" if status == b"200" else "503" if status == b"503" else "closed"] += 1
        except asyncio.TimeoutError:
            outcome["waiting"] += 1
        except (OSError, asyncio.IncompleteReadError):
            outcome["closed"] += 1

    await asyncio.gather(*(one(c) for c in conns))
    print("exhaust %(served)d %(503)d %(closed)d %(waiting)d" % outcome, flush=True)
    await stdin_line()
    close_all(conns)
    ok = False
    for _ in range(50):  # up to 5 s for the server to notice the closes and accept again
        await asyncio.sleep(0.1)
        try:
            c = await asyncio.wait_for(asyncio.open_connection(HOST, port), 2)
            ok = await request(*c) == 200
            c[1].close()
        except (OSError, asyncio.TimeoutError, asyncio.IncompleteReadError, ValueError):
            ok = False
        if ok:
            break
    print("recovered %s" % ("OK" if ok else "FAILED"), flush=True)


async def smtp_session(port, i, kind):
    """One SMTP client; returns True when the server acknowledged its message with 250."""
    reader, writer = await asyncio.wait_for(asyncio.open_connection(HOST, port), TIMEOUT)

    async def reply():
        while True:
            line = await asyncio.wait_for(reader.readline(), TIMEOUT)
            if not line or line[3:4] != b"-":
                return line[:3]

    try:
        await reply()
        for command in (b"EHLO soak", b"MAIL FROM:<soak@example.org>", b"RCPT TO:<u@example.org>"):
            writer.write(command + b"\r\n")
            if await reply() not in (b"250",):
                return False
        if kind == "after-rcpt":
            return False
        writer.write(b"DATA\r\n")
        if await reply() != b"354":
            return False
        body = b"".join(b"line %d of soak message %d\r\n" % (n, i) for n in range(200))
        message = b"X-Soak-Id: %d\r\nSubject: soak\r\n\r\n%send %d\r\n" % (i, body, i)
        if kind in ("mid-data", "reset"):
            writer.write(message[: len(message) // 2])
            await writer.drain()
            if kind == "reset":
                rst(writer.get_extra_info("socket"))
            return False
        writer.write(message + b".\r\n")
        await writer.drain()
        if kind == "after-dot":
            return False
        acked = await reply() == b"250"
        writer.write(b"QUIT\r\n")
        await reply()
        return acked
    finally:
        writer.close()


async def smtp(port, n, maildir):
    import email
    import mailbox
    import random

    rng = random.Random(9)
    kinds = ["complete", "after-rcpt", "mid-data", "reset", "after-dot"]
    plan = [rng.choice(kinds) for _ in range(n)]
    results = await asyncio.gather(*(smtp_session(port, i, k) for i, k in enumerate(plan)),
                                   return_exceptions=True)
    acked = {i for i, r in enumerate(results) if r is True}
    await asyncio.sleep(1)  # sessions cut mid-DATA are gone; nothing more will be stored
    stored, partial = [], 0
    for msg in mailbox.Maildir(maildir, factory=None, create=False):
        i = int(msg["X-Soak-Id"])
        stored.append(i)
        if not msg.get_payload().endswith("end %d\n" % i) or plan[i] not in ("complete", "after-dot"):
            partial += 1
    print("smtp %d %d %d %d %d" % (len(acked), len(stored), len(acked - set(stored)), partial,
                                   len(stored) - len(set(stored))), flush=True)


def main():
    mode, port = sys.argv[1], int(sys.argv[2])
    if mode == "smtp":
        asyncio.run(smtp(port, int(sys.argv[3]), sys.argv[4]))
        return
    args = [int(a) for a in sys.argv[3:]]
    asyncio.run({"hold": hold, "slowloris": slowloris, "reset": reset,
                 "exhaust": exhaust}[mode](port, *args))


if __name__ == "__main__":
    main()
