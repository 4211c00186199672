"""The scale-out recipe (docs/scaling.md) as shipped in dist/haproxy/haproxy.cfg: haproxy on
loopback in front of two `netius serve hello --workers 2 --proxy-protocol` instances, PROXY
protocol v2 and HTTP health checks; one instance is killed and traffic carries on."""
import os
import re
import signal
import socket
import subprocess
import time

from harness import SOURCE_DIR, ServeProcess, TempDirTest
from peers import Haproxy

EXAMPLE = os.path.join(SOURCE_DIR, "dist", "haproxy", "haproxy.cfg")


def process_tree(pid):
    """pid and its descendants (the instance's workers), from /proc."""
    pids, todo = [], [pid]
    while todo:
        p = todo.pop()
        pids.append(p)
        try:
            with open("/proc/%d/task/%d/children" % (p, p)) as f:
                todo += [int(c) for c in f.read().split()]
        except FileNotFoundError:
            pass
    return pids


class ScalingTest(TempDirTest):
    def start_haproxy(self, backends):
        """haproxy from the shipped example, with loopback ports and a scratch stats socket."""
        self.stats = self.path("haproxy.sock")
        with open(EXAMPLE) as f:
            cfg = f.read()
        cfg = cfg.replace("bind 0.0.0.0:8080", "bind 127.0.0.1:@PORT@")
        cfg = cfg.replace("/run/haproxy/netius.sock", self.stats)
        cfg = cfg.replace("inter 2s", "inter 300ms")  # quicker checks, same logic
        for name, port in backends.items():
            cfg, n = re.subn(r"server %s 127\.0\.0\.1:\d+" % name,
                             "server %s 127.0.0.1:%d" % (name, port), cfg)
            self.assertEqual(n, 1, name)
        haproxy = Haproxy(cfg, self.dir).__enter__()
        self.addCleanup(haproxy.__exit__, None, None, None)
        self.port = haproxy.port

    def admin(self, command):
        """The runtime API's answer to `command` ("" when the socket is not there)."""
        try:
            with socket.socket(socket.AF_UNIX) as s:
                s.settimeout(5)
                s.connect(self.stats)
                s.sendall(command.encode() + b"\n")
                data = b""
                while chunk := s.recv(65536):
                    data += chunk
        except OSError:
            return ""
        return data.decode()

    def stat(self, column=17):
        """{server: `show stat` column} of backend "netius" (17: status, 4: current sessions)."""
        rows = [line.split(",") for line in self.admin("show stat").splitlines()[1:] if line]
        return {r[1]: r[column] for r in rows if r[0] == "netius" and r[1] in ("n1", "n2")}

    def wait_for(self, want, timeout=30, column=17):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            got = self.stat(column)
            if all(got.get(k, "").startswith(v) for k, v in want.items()):
                return
            time.sleep(0.05)
        self.fail("haproxy servers never reached %s: %s" % (want, self.stat(column)))

    def curl(self, *args):
        """curl through haproxy from 127.0.0.2, started: its Popen."""
        return subprocess.Popen(["curl", "-s", "--max-time", "10", "--interface", "127.0.0.2",
                                 "-w", "\n%{http_code}", *args, "http://127.0.0.1:%d/" % self.port],
                                stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)

    @staticmethod
    def answer(curl):
        """(status, body) of a curl started by curl()."""
        out, _ = curl.communicate(timeout=20)
        body, _, code = out.decode().rpartition("\n")
        return code, body

    def get(self):
        """One GET through haproxy: (status, body)."""
        return self.answer(self.curl())

    def start_cluster(self):
        """Instances n1 and n2 behind haproxy, both UP; their ServeProcess and access logs."""
        logs = {name: self.path("%s.log" % name) for name in ("n1", "n2")}
        servers = {}
        for name in ("n1", "n2"):
            servers[name] = ServeProcess(["hello", "--workers", "2", "--proxy-protocol",
                                          "--message", name, "--access-log", logs[name]])
            self.addCleanup(servers[name].stop)
        self.start_haproxy({name: srv.port for name, srv in servers.items()})
        self.wait_for({"n1": "UP", "n2": "UP"})
        return servers, logs

    def signal_instance(self, server, sig):
        for pid in process_tree(server.proc.pid):  # the instance and its workers
            os.kill(pid, sig)

    def test_traffic_survives_a_killed_instance(self):
        servers, logs = self.start_cluster()

        answers = [self.get() for _ in range(20)]
        self.assertEqual({code for code, _ in answers}, {"200"}, answers)
        self.assertEqual({body for _, body in answers}, {"n1", "n2"}, answers)
        # PROXY v2 carried the client's address. The worker writes its access log line after
        # the response, so the line may lag the answer a moment: wait up to 5 s for it.
        line = r"(?m)^127\.0\.0\.2 - - .*\"GET / HTTP/1\.1\" 200 "
        deadline = time.monotonic() + 5
        while True:
            with open(logs["n1"]) as f:
                text = f.read()
            if re.search(line, text) or time.monotonic() > deadline:
                break
            time.sleep(0.05)
        self.assertRegex(text, line)

        self.signal_instance(servers["n1"], signal.SIGKILL)  # the instance crashes, workers too
        servers["n1"].proc.wait(timeout=10)
        # Before the health checks notice, haproxy retries refused requests on n2 (and, while
        # the workers are still dying, requests their socket accepted: see the next test).
        answers = [self.get() for _ in range(20)]
        self.assertEqual(answers, [("200", "n2")] * 20)
        self.wait_for({"n1": "DOWN", "n2": "UP"})
        answers = [self.get() for _ in range(10)]
        self.assertEqual(answers, [("200", "n2")] * 10)

    def test_idempotent_requests_accepted_by_a_dying_instance_go_to_another(self):
        servers, _ = self.start_cluster()
        # Four requests reach n1 and wait there unanswered: n2 is out of rotation for the
        # moment and n1's processes are stopped, so the kernel accepts and nothing reads.
        self.admin("set server netius/n2 state maint")
        self.signal_instance(servers["n1"], signal.SIGSTOP)
        gets = [self.curl() for _ in range(3)]
        post = self.curl("--data", "order=1")
        self.wait_for({"n1": "4"}, timeout=10, column=4)
        self.admin("set server netius/n2 state ready")
        # The crash resets the four connections with nothing answered: haproxy sends the
        # idempotent GETs again, to n2; the POST, which n1 might have acted on, gets its 502.
        self.signal_instance(servers["n1"], signal.SIGKILL)
        self.assertEqual([self.answer(c) for c in gets], [("200", "n2")] * 3)
        self.assertEqual(self.answer(post)[0], "502")


if __name__ == "__main__":
    import unittest
    unittest.main()
