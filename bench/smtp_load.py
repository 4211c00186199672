"""SMTP load client for bench/smtp.sh: SESSIONS parallel sessions send MESSAGES messages of SIZE
bytes in total (pipelined MAIL/RCPT/DATA, one connection per session), then print
"<messages/s> <messages>". Fails (exit 1) on any reply other than the expected ones.

    smtp_load.py PORT MESSAGES SESSIONS SIZE
"""
import asyncio
import sys
import time


async def read_reply(reader):
    while True:
        line = await reader.readline()
        if not line:
            raise RuntimeError("connection closed")
        if line[3:4] != b"-":
            return line


async def session(port, count, body, stats):
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    assert (await read_reply(reader)).startswith(b"220"), "no greeting"
    writer.write(b"EHLO bench.example\r\n")
    assert (await read_reply(reader)).startswith(b"250")
    for i in range(count):
        writer.write(b"MAIL FROM:<bench@example.org>\r\nRCPT TO:<sink@example.com>\r\nDATA\r\n")
        for want in (b"250", b"250", b"354"):
            reply = await read_reply(reader)
            if not reply.startswith(want):
                raise RuntimeError("expected %s, got %r" % (want, reply))
        writer.write(body + b".\r\n")
        reply = await read_reply(reader)
        if not reply.startswith(b"250"):
            raise RuntimeError("message refused: %r" % reply)
        stats[0] += 1
    writer.write(b"QUIT\r\n")
    await read_reply(reader)
    writer.close()


async def main():
    port, messages, sessions, size = (int(a) for a in sys.argv[1:5])
    line = b"x" * 76 + b"\r\n"
    head = b"From: bench@example.org\r\nTo: sink@example.com\r\nSubject: bench\r\n\r\n"
    body = head + line * max(1, (size - len(head)) // len(line))
    stats = [0]
    per = [messages // sessions + (1 if i < messages % sessions else 0) for i in range(sessions)]
    started = time.monotonic()
    await asyncio.wait_for(asyncio.gather(*(session(port, n, body, stats) for n in per)), 600)
    elapsed = time.monotonic() - started
    print("%.1f %d" % (stats[0] / elapsed, stats[0]))


if __name__ == "__main__":
    asyncio.run(main())
