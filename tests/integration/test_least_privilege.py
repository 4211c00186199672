"""Giving root up (issue 18): `--user USER[:GROUP]` (netius' SETUID) on the servers. Started as
root, the master binds, reads keys and opens logs, and the workers run as the user: a file
server on / serves /etc/hostname but not /etc/shadow, /proc shows the dropped ids, a reload
keeps them, and a user that does not exist fails before anything listens."""
import os
import re
import signal
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
        os.makedirs(logs)
        os.chmod(self.dir, 0o755)
        os.chmod(logs, 0o777)  # the reopen after rotation creates the file as the user
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

    def test_hello_touches_no_files_and_no_sandbox(self):
        srv = self.serve("hello")
        srv.wait_log(rb"hello: (Landlock \(ABI \d+\) confines file access to nothing|"
                     rb"this kernel has no Landlock)")
        off = self.serve("hello", "--no-sandbox")
        off.wait_log(rb"hello: sandbox off \(--no-sandbox\)")
        self.assertEqual(tool(["curl", "-s", off.url + "/"]).stdout, b"Hello World")


if __name__ == "__main__":
    unittest.main()
