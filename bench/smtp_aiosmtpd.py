"""aiosmtpd (Debian's python3-aiosmtpd) storing each message the way `netius serve smtp` does,
for bench/smtp.sh: Return-Path + Received prepended, written to the recipient's Maildir tmp/,
fsynced, renamed into new/, new/ fsynced — all before the 250.

    smtp_aiosmtpd.py PORT MAILDIR_ROOT
"""
import asyncio
import os
import socket
import sys
import time

from aiosmtpd.controller import Controller


class MaildirFsync:
    def __init__(self, root):
        self.root = root
        self.counter = 0
        self.host = socket.gethostname()

    def box(self, rcpt):
        path = os.path.join(self.root, rcpt)
        for sub in ("tmp", "new", "cur"):
            os.makedirs(os.path.join(path, sub), exist_ok=True)
        return path

    async def handle_DATA(self, server, session, envelope):
        self.counter += 1
        now = time.time()
        name = "%d.M%dP%dQ%d.%s" % (now, (now % 1) * 1e6, os.getpid(), self.counter, self.host)
        head = ("Return-Path: <%s>\r\nReceived: from %s ([%s])\r\n\tby %s (aiosmtpd) with ESMTP; "
                "%s\r\n" % (envelope.mail_from, session.host_name, session.peer[0], self.host,
                            time.strftime("%a, %d %b %Y %H:%M:%S +0000", time.gmtime(now))))
        data = head.encode() + envelope.original_content
        for rcpt in envelope.rcpt_tos:
            box = self.box(rcpt)
            tmp = os.path.join(box, "tmp", name)
            fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
            try:
                os.write(fd, data)
                os.fsync(fd)
            finally:
                os.close(fd)
            os.rename(tmp, os.path.join(box, "new", name))
            dfd = os.open(os.path.join(box, "new"), os.O_RDONLY | os.O_DIRECTORY)
            try:
                os.fsync(dfd)
            finally:
                os.close(dfd)
        return "250 OK"


def main():
    port, root = int(sys.argv[1]), sys.argv[2]
    controller = Controller(MaildirFsync(root), hostname="127.0.0.1", port=port,
                            data_size_limit=26214400)
    controller.start()
    print("ready", flush=True)
    try:
        asyncio.get_event_loop().run_forever()
    except KeyboardInterrupt:
        pass
    finally:
        controller.stop()


if __name__ == "__main__":
    main()
