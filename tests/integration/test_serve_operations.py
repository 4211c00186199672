"""The master's worker operations, as gunicorn and nginx users run them: --timeout kills a
worker stuck in the app, --max-requests recycles workers, SIGHUP reloads (the app imported
afresh, the configuration read again, zero failed requests under wrk; a broken app or
configuration leaves the old workers serving), --reload follows edits, SIGUSR1 reopens logs."""
import os
import re
import signal
import subprocess
import time
import unittest

from harness import ServeProcess, TempDirTest, tool, wait_for

APP = '''
import os, time
VERSION = "%s"

def application(environ, start_response):
    path = environ["PATH_INFO"]
    if path == "/sleep":
        time.sleep(60)  # stuck in the app: the loop does not come back
    body = ("%%s %%d" %% (VERSION, os.getpid())).encode()
    start_response("200 OK", [("Content-Type", "text/plain"),
                              ("Content-Length", str(len(body)))])
    return [body]
'''


def children(pid):
    """The pids of pid's child processes (the master's workers)."""
    out = tool(["pgrep", "-P", str(pid)], check=False).stdout
    return sorted(int(p) for p in out.split())


class OperationsTest(TempDirTest):
    def write_app(self, version, text=None):
        # A new mtime and size each time, as an editor's save.
        self.write("opsapp.py", (text or APP % version).encode())

    def serve(self, *args, env=None):
        s = ServeProcess(["wsgi", "opsapp", "--chdir", self.dir] + list(args), env, 30)
        self.addCleanup(s.stop)
        return s

    def get(self, srv, path="/", timeout=10):
        r = tool(["curl", "-sS", "--max-time", str(timeout), srv.url + path], check=False)
        return r.stdout.decode(), r.returncode

    def answer(self, srv):
        """(version, worker pid) of a fresh request."""
        body, rc = self.get(srv)
        self.assertEqual(rc, 0, srv.log)
        version, pid = body.split()
        return version, int(pid)


class TimeoutTest(OperationsTest):
    def test_a_stuck_worker_is_killed_and_replaced(self):
        self.write_app("v1")
        srv = self.serve("--timeout", "1")
        _, first = self.answer(srv)
        body, rc = self.get(srv, "/sleep", timeout=20)
        self.assertNotEqual(rc, 0)  # the connection died with the worker, long before 60 s
        srv.wait_log(rb'worker 0 \(pid %d\) timed out serving "GET /sleep"' % first)
        _, second = wait_for(lambda: self.answer(srv), what="a new worker")
        self.assertNotEqual(first, second)
        self.assertEqual(children(srv.proc.pid), [second])
        self.assertEqual(srv.stop(), 0)

    def test_no_timeout_by_default_for_a_slow_but_live_loop(self):
        # --threads: the app blocks a pool thread, the loop keeps beating.
        self.write_app("v1")
        # --timeout 2, watched for 3 s: a loaded (sanitized) machine may stall a beat or two.
        srv = self.serve("--timeout", "2", "--threads", "2")
        proc = subprocess.Popen(["curl", "-s", "--max-time", "4", srv.url + "/sleep"])
        self.addCleanup(proc.wait)
        time.sleep(3)
        srv.read_log(0)
        self.assertNotIn(b"timed out", srv.log)
        self.assertEqual(len(children(srv.proc.pid)), 1)
        proc.kill()


class MaxRequestsTest(OperationsTest):
    def test_workers_are_recycled_without_a_failed_request(self):
        self.write_app("v1")
        srv = self.serve("--max-requests", "5", "--workers", "2")
        pids = set()
        for _ in range(40):
            _, pid = self.answer(srv)  # every one answered 200
            pids.add(pid)
        # 5 per worker, and a few more each while its replacement starts.
        self.assertGreaterEqual(len(pids), 3, pids)
        srv.wait_log(rb"served its 5 requests \(--max-requests\): replacing it")
        wait_for(lambda: len(children(srv.proc.pid)) == 2, what="two workers again")
        self.assertEqual(srv.stop(), 0)

    def test_jitter_spreads_the_limits(self):
        self.write_app("v1")
        srv = self.serve("--max-requests", "3", "--max-requests-jitter", "20")
        for _ in range(120):
            self.answer(srv)
        srv.read_log(0.5)
        served = [int(n) for n in re.findall(rb"served its (\d+) requests", srv.log)]
        self.assertGreaterEqual(len(served), 3, srv.log)
        self.assertTrue(all(3 <= n <= 23 for n in served), served)
        self.assertGreater(max(served), 3, served)  # all 3: no jitter (odds 21**-3)
        self.assertEqual(srv.stop(), 0)


class ReloadTest(OperationsTest):
    def test_sighup_imports_the_app_afresh(self):
        self.write_app("v1")
        srv = self.serve("--workers", "2")
        self.assertEqual(self.answer(srv)[0], "v1")
        old = children(srv.proc.pid)
        self.write_app("v2")
        srv.proc.send_signal(signal.SIGHUP)
        wait_for(lambda: self.answer(srv)[0] == "v2", what="the new code")
        srv.wait_log(rb"reloaded: serving wsgi")
        wait_for(lambda: not set(old) & set(children(srv.proc.pid)),
                 what="the old workers to exit")
        self.assertIsNone(srv.proc.poll())  # the master stayed (same pid)
        self.assertEqual(len(children(srv.proc.pid)), 2)
        self.assertEqual(srv.stop(), 0)

    def test_an_app_that_no_longer_imports_leaves_the_old_workers(self):
        self.write_app("v1")
        srv = self.serve()
        _, old = self.answer(srv)
        self.write_app("v2", "def application(:\n")  # a syntax error
        srv.proc.send_signal(signal.SIGHUP)
        srv.wait_log(rb"SyntaxError")
        srv.wait_log(rb"reload failed")
        self.assertEqual(self.answer(srv), ("v1", old))
        self.write_app("v3")  # fixed: the next reload takes it
        srv.proc.send_signal(signal.SIGHUP)
        wait_for(lambda: self.answer(srv)[0] == "v3", what="the fixed code")
        self.assertEqual(srv.stop(), 0)

    def test_zero_failed_requests_across_reloads_under_wrk(self):
        self.write_app("v1")
        srv = self.serve("--workers", "2")
        wrk = subprocess.Popen(["wrk", "-t1", "-c16", "-d6s", srv.url + "/"],
                               stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
        self.addCleanup(wrk.kill)
        for _ in range(3):
            time.sleep(1.2)
            srv.proc.send_signal(signal.SIGHUP)
            srv.read_log(0)
        out = wrk.communicate(timeout=30)[0].decode()
        srv.wait_log(rb"reloaded: serving wsgi")
        requests = int(re.search(r"(\d+) requests in", out).group(1))
        self.assertGreater(requests, 100, out)
        self.assertNotIn("Socket errors", out)
        self.assertNotIn("Non-2xx", out)
        self.assertEqual(srv.stop(), 0)

    def test_reload_rereads_the_configuration(self):
        conf = self.path("netius.toml")
        with open(conf, "w") as f:
            f.write('[serve.hello]\nmessage = "first"\n')
        # --config is a global option: it goes before the command.
        srv = RawServe(["--config", conf, "serve", "hello", "--port", "0"])
        self.addCleanup(srv.stop)
        self.assertEqual(self.get(srv)[0], "first")
        with open(conf, "w") as f:
            f.write('[serve.hello]\nmessage = "second"\n')
        srv.proc.send_signal(signal.SIGHUP)
        wait_for(lambda: self.get(srv)[0] == "second", what="the new message")
        with open(conf, "w") as f:
            f.write('[serve.hello]\nno_such_option = 1\n')
        srv.proc.send_signal(signal.SIGHUP)
        srv.wait_log(rb"reload refused")
        self.assertEqual(self.get(srv)[0], "second")
        self.assertEqual(srv.stop(), 0)


    def test_reload_runs_a_binary_upgraded_in_place(self):
        import harness
        import shutil
        binary = self.path("netius")
        shutil.copy(harness.NETIUS, binary)
        srv = RawServe(["serve", "hello", "--port", "0"], binary)
        self.addCleanup(srv.stop)
        shutil.copy(harness.NETIUS, binary + ".new")
        os.rename(binary + ".new", binary)  # as a package upgrade installs it
        srv.proc.send_signal(signal.SIGHUP)
        srv.wait_log(rb"reload: running the new " + binary.encode())
        srv.wait_log(rb"reloaded: serving hello")
        self.assertEqual(self.get(srv)[0], "Hello World")
        exe = os.readlink("/proc/%d/exe" % srv.proc.pid)
        self.assertEqual(exe, binary)  # not "... (deleted)": the new file runs
        self.assertEqual(srv.stop(), 0)


class RawServe(ServeProcess):
    """ServeProcess for a command line that puts global options before `serve`."""

    def __init__(self, args, binary=None):
        import harness
        self.proc = subprocess.Popen([binary or harness.NETIUS] + args,
                                     stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        self.log = b""
        m = self.wait_log(rb"serving \S+ on (\S+)", 20)
        self.url = m.group(1).decode()
        self.port = int(self.url.rsplit(":", 1)[1])


class DevReloadTest(OperationsTest):
    def test_an_edit_is_served_without_a_signal(self):
        self.write_app("v1")
        extra = self.path("settings.cfg")
        with open(extra, "w") as f:
            f.write("a")
        srv = self.serve("--reload", "--reload-extra-file", extra)
        srv.wait_log(rb"--reload: watching \d+ files")
        self.assertEqual(self.answer(srv)[0], "v1")
        self.write_app("v2")
        wait_for(lambda: self.answer(srv)[0] == "v2", what="the edited code")
        srv.wait_log(rb"opsapp.py changed: reloading")
        srv.wait_log(rb"reloaded: serving wsgi")
        _, pid = self.answer(srv)
        with open(extra, "w") as f:  # an extra file counts too
            f.write("b")
        wait_for(lambda: self.answer(srv)[1] != pid, what="a reload for the extra file")
        self.assertEqual(srv.stop(), 0)


class SignalsTest(OperationsTest):
    def test_sigusr1_reopens_the_access_log_of_every_worker(self):
        self.write_app("v1")
        log = self.path("access.log")
        srv = self.serve("--workers", "2", "--access-log", log)
        self.get(srv, "/before")
        time.sleep(1.5)  # flushed once a second
        os.rename(log, log + ".1")
        srv.proc.send_signal(signal.SIGUSR1)
        time.sleep(0.5)
        for _ in range(4):
            self.get(srv, "/after")
        self.assertEqual(srv.stop(), 0)
        with open(log + ".1") as rotated, open(log) as current:
            self.assertIn("GET /before ", rotated.read())
            self.assertIn("GET /after ", current.read())

    def test_a_stopping_worker_finalizes_python(self):
        marker = self.path("atexit-ran")
        self.write_app("v1", APP % "v1" + "import atexit\natexit.register(lambda: open(%r, 'w')"
                       ".write('bye'))\n" % marker)
        srv = self.serve()
        self.answer(srv)
        self.assertFalse(os.path.exists(marker))
        self.assertEqual(srv.stop(), 0)
        with open(marker) as f:  # the app's atexit handler ran in the worker
            self.assertEqual(f.read(), "bye")

    def test_bad_operation_values_are_usage_errors(self):
        import harness
        for args in (["--timeout", "-1"], ["--timeout", "86401"], ["--timeout", "soon"],
                     ["--max-requests", "-3"], ["--max-requests", "many"],
                     ["--max-requests-jitter", "x"], ["--reload", "--reload-extra-file"]):
            r = subprocess.run([harness.NETIUS, "serve", "wsgi", "--port", "0"] + args,
                               capture_output=True, timeout=30)
            self.assertEqual(r.returncode, 2, (args, r.stderr))
            self.assertNotIn(b"serving", r.stderr)

    def test_a_worker_that_cannot_start_stops_the_server(self):
        self.write_app("v1", "raise RuntimeError('no database')\n")
        import harness
        r = subprocess.run([harness.NETIUS, "serve", "wsgi", "opsapp", "--chdir", self.dir,
                            "--port", "0", "--workers", "2"], capture_output=True, timeout=60)
        self.assertEqual(r.returncode, 1, r.stderr)
        self.assertIn(b"RuntimeError: no database", r.stderr)
        self.assertNotIn(b"serving wsgi", r.stderr)


if __name__ == "__main__":
    unittest.main()
