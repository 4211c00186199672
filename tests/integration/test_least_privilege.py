"""Giving root up (issue 18): `--user USER[:GROUP]` (netius' SETUID) on the servers. Started as
root, the master binds, reads keys and opens logs, and the workers run as the user: a file
server on / serves /etc/hostname but not /etc/shadow, /proc shows the dropped ids, a reload
keeps them, and a user that does not exist fails before anything listens."""
import os
import re
import signal
import smtplib
import subprocess
import unittest

from harness import ServeProcess, TempDirTest, free_port, run, tool, wait_for


def ids(pid):
    """(uid line, gid line, groups line) of /proc/PID/status, values only."""
    with open("/proc/%d/status" % pid) as f:
        status = f.read()
    return tuple(re.search(r"^%s:[ \t]*(.*)$" % k, status, re.M).group(1).split()
                 for k in ("Uid", "Gid", "Groups"))


@unittest.skipUnless(os.geteuid() == 0, "needs root")
class UserTest(TempDirTest):
    def serve(self, *args, env=None):
        s = ServeProcess(list(args), env)
        self.addCleanup(s.stop)
        return s

    def get(self, srv, path):
        r = tool(["curl", "-s", "-o", "/dev/null", "-w", "%{http_code}", srv.url + path])
        return int(r.stdout)

    def test_file_server_on_root_as_nobody(self):
        srv = self.serve("file", "--base-path", "/", "--user", "nobody")
        self.assertEqual(self.get(srv, "/etc/hostname"), 200)
        self.assertEqual(self.get(srv, "/etc/shadow"), 403)  # root's file: refused, not served
        uid, gid, groups = ids(srv.worker_pid())
        self.assertEqual((uid, gid, groups), (["65534"] * 4, ["65534"] * 4, []))
        self.assertEqual(ids(srv.proc.pid)[0], ["0"] * 4)  # the master keeps root to reload
        self.assertIn(b"running as nobody (uid 65534, gid 65534)", srv.log)

    def test_numbers_names_and_environment(self):
        for args, env, want in ((["--user", "65534"], None, "65534"),
                                (["--user", "nobody:nogroup"], None, "65534"),
                                ([], {"SETUID": "daemon"}, "1"),
                                (["--user", "2:3"], None, "2")):
            srv = self.serve("hello", *args, env=env)
            self.assertEqual(self.get(srv, "/"), 200)
            uid, gid, _ = ids(srv.worker_pid())
            self.assertEqual(uid, [want] * 4, (args, env))
            if args == ["--user", "2:3"]:
                self.assertEqual(gid, ["3"] * 4)
            srv.stop()

    def test_unknown_user_fails_before_listening(self):
        port = free_port()
        for spec, what in (("no-such-user", "no user 'no-such-user'"),
                           ("nobody:no-such-group", "no group 'no-such-group'"),
                           ("nobody:", "expected USER[:GROUP]")):
            r = run(["serve", "hello", "--port", str(port), "--user", spec], timeout=20)
            self.assertNotEqual(r.returncode, 0, spec)
            self.assertIn(what.encode(), r.stderr)
            self.assertNotIn(b"serving", r.stderr)

    def test_reload_keeps_the_user(self):
        srv = self.serve("hello", "--user", "nobody")
        first = srv.worker_pid()
        srv.proc.send_signal(signal.SIGHUP)
        srv.wait_log(rb"reloaded: serving", timeout=30)
        def workers():
            r = subprocess.run(["pgrep", "-P", str(srv.proc.pid)], capture_output=True)
            return [int(p) for p in r.stdout.split()]
        # The old worker drains and exits (slowly under the sanitizers): one new one stays.
        wait_for(lambda: len(workers()) == 1 and workers()[0] != first, timeout=60,
                 what="the old worker gone, a new one serving")
        self.assertEqual(ids(workers()[0])[0], ["65534"] * 4)
        self.assertEqual(self.get(srv, "/"), 200)


@unittest.skipUnless(os.geteuid() == 0, "needs root")
class DefaultsTest(TempDirTest):
    """Started as root without --user: the servers that only read run as nobody; smtp, relay
    and wsgi keep root and say so; --user root keeps root on purpose, with a warning."""

    def serve(self, *args):
        s = ServeProcess(list(args))
        self.addCleanup(s.stop)
        return s

    def test_readers_run_as_nobody(self):
        for name in ("hello", "file"):
            srv = self.serve(name, *(["--base-path", self.dir] if name == "file" else []))
            self.assertEqual(ids(srv.worker_pid())[0], ["65534"] * 4, name)
            srv.wait_log(rb"running as nobody")
            srv.stop()

    def test_user_root_is_on_purpose(self):
        srv = self.serve("hello", "--user", "root")
        self.assertEqual(ids(srv.worker_pid())[0], ["0"] * 4)
        srv.wait_log(rb"hello: --user root: the workers keep root, on purpose")

    def test_smtp_and_wsgi_keep_root_and_say_so(self):
        for args in (["smtp", "--maildir", self.path("mail")], ["wsgi"]):
            srv = self.serve(*args)
            srv.wait_log(rb"%s: the workers keep root: pass --user USER" % args[0].encode())
            self.assertEqual(ids(srv.worker_pid())[0], ["0"] * 4, args)
            srv.stop()


def send(port, to, subject):
    body = "From: <joe@example.org>\r\nTo: <%s>\r\nSubject: %s\r\n\r\nHello\r\n" % (to, subject)
    with smtplib.SMTP("127.0.0.1", port, timeout=20) as c:
        c.sendmail("joe@example.org", [to], body.encode())


def messages(maildir):
    """Every message file under `maildir` (any recipient's new/)."""
    return [os.path.join(d, f) for d, _, files in os.walk(maildir) if d.endswith("/new")
            for f in files]


@unittest.skipUnless(os.geteuid() == 0, "needs root")
class MailTest(TempDirTest):
    """serve smtp and serve relay under --user and Landlock: the Maildir and queue roots they
    create are handed to the user, mail is stored and delivered, an existing root that the
    user cannot write stops the start-up with the fix."""

    def serve(self, *args):
        s = ServeProcess(list(args))
        self.addCleanup(s.stop)
        return s

    def test_smtp_stores_as_the_user_confined_to_its_maildir(self):
        mail = self.path("mail")
        srv = self.serve("smtp", "--maildir", mail, "--user", "nobody")
        m = srv.wait_log(rb"smtp: Landlock \(ABI \d+\) confines file access to (.*)\n|"
                         rb"smtp: this kernel has no Landlock")
        if m.group(1):
            self.assertEqual(m.group(1).decode(), "/, %s (write)" % mail)
        send(srv.port, "bob@example.com", "stored")
        files = wait_for(lambda: messages(mail), what="the stored message")
        with open(files[0], "rb") as f:
            self.assertIn(b"Subject: stored", f.read())
        self.assertEqual(os.stat(files[0]).st_uid, 65534)
        self.assertEqual(os.stat(mail).st_uid, 65534)  # created by the server: handed over

    def test_existing_maildir_the_user_cannot_write_fails_at_start(self):
        mail = self.path("mail")
        os.makedirs(mail)  # root's, 0755
        r = run(["serve", "smtp", "--port", "0", "--maildir", mail, "--user", "nobody"],
                timeout=20)
        self.assertEqual(r.returncode, 1)
        self.assertIn(b"%s is not writable by nobody (uid 65534): chown -R 65534 %s"
                      % (mail.encode(), mail.encode()), r.stderr)
        self.assertNotIn(b"serving", r.stderr)

    def test_relay_stores_and_delivers_as_the_user(self):
        remote = self.serve("smtp", "--maildir", self.path("remote"), "--user", "nobody")
        relay = self.serve("relay", "--domain", "local.test", "--maildir", self.path("local"),
                           "--queue-dir", self.path("queue"), "--relay-networks",
                           "127.0.0.0/8", "--smarthost", "127.0.0.1:%d" % remote.port,
                           "--user", "nobody")
        m = relay.wait_log(rb"relay: Landlock \(ABI \d+\) confines file access to (.*)\n|"
                           rb"relay: this kernel has no Landlock")
        if m.group(1):
            self.assertEqual(m.group(1).decode(), "/, %s (write), %s (write)"
                             % (self.path("local"), self.path("queue")))
        send(relay.port, "bob@local.test", "local")
        send(relay.port, "ann@example.com", "remote")
        local = wait_for(lambda: messages(self.path("local")), what="the local copy")
        self.assertEqual(os.stat(local[0]).st_uid, 65534)
        wait_for(lambda: messages(self.path("remote")), timeout=30, what="the relayed copy")
        wait_for(lambda: not [n for n in os.listdir(self.path("queue")) if n.endswith(".env")],
                 what="the queue to empty")
        self.assertEqual(os.stat(self.path("queue")).st_uid, 65534)


class SandboxTest(TempDirTest):
    """Landlock: serve file reads beneath --base-path only, serve hello touches no files (its
    access log's directory aside, for the SIGUSR1 reopen); --no-sandbox turns it off."""

    def serve(self, *args):
        s = ServeProcess(list(args))
        self.addCleanup(s.stop)
        return s

    def test_confinement_is_logged_and_serving_and_log_reopen_work(self):
        www = self.path("www")
        os.makedirs(www)
        self.write("www/a.txt", b"aaa")
        logs = self.path("logs")
        os.makedirs(logs)  # 0755, root's when run as root: the master hands the new file over
        args = ["file", "--base-path", www, "--access-log", os.path.join(logs, "access.log")]
        if os.geteuid() == 0:
            args += ["--user", "nobody"]
        srv = self.serve(*args)
        m = srv.wait_log(rb"file: Landlock \(ABI (\d+)\) confines file access to (.*)\n|"
                         rb"file: this kernel has no Landlock")
        if m.group(1):
            self.assertEqual(m.group(2).decode(), "%s, %s (write)" % (www, logs))
        r = tool(["curl", "-s", srv.url + "/a.txt"])
        self.assertEqual(r.stdout, b"aaa")
        os.rename(os.path.join(logs, "access.log"), os.path.join(logs, "access.log.1"))
        srv.proc.send_signal(signal.SIGUSR1)
        wait_for(lambda: os.path.exists(os.path.join(logs, "access.log")), what="the reopen")
        tool(["curl", "-s", srv.url + "/a.txt?again"])
        srv.stop()
        self.assertIn(b"/a.txt?again", self.read("logs/access.log"))
        if os.geteuid() == 0:
            self.assertEqual(os.stat(os.path.join(logs, "access.log")).st_uid, 65534)

    def test_wsgi_confine_writes(self):
        allowed = self.path("data")
        os.makedirs(allowed)
        self.write("app.py", b"""
import os
def application(environ, start_response):
    out = []
    for path in environ["QUERY_STRING"].split(","):
        try:
            with open(path, "w") as f:
                f.write("x")
            out.append("wrote")
        except PermissionError:
            out.append("denied")
    start_response("200 OK", [("Content-Type", "text/plain")])
    return [" ".join(out).encode()]
""")
        srv = self.serve("wsgi", "app:application", "--chdir", self.dir, "--confine-writes",
                         allowed)
        m = srv.wait_log(rb"wsgi: Landlock \(ABI \d+\)|wsgi: this kernel has no Landlock")
        inside, outside = os.path.join(allowed, "a"), self.path("b")
        r = tool(["curl", "-s", "%s/?%s,%s" % (srv.url, inside, outside)])
        self.assertEqual(r.stdout, b"wrote denied" if b"ABI" in m.group(0) else b"wrote wrote")
        self.assertTrue(os.path.exists(inside))

    def test_hello_touches_no_files_and_no_sandbox(self):
        srv = self.serve("hello")
        srv.wait_log(rb"hello: (Landlock \(ABI \d+\) confines file access to nothing|"
                     rb"this kernel has no Landlock)")
        off = self.serve("hello", "--no-sandbox")
        off.wait_log(rb"hello: sandbox off \(--no-sandbox\)")
        self.assertEqual(tool(["curl", "-s", off.url + "/"]).stdout, b"Hello World")


if __name__ == "__main__":
    unittest.main()
