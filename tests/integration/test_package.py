"""`make package`: the Debian package CPack builds (cmake/Packaging.cmake) holds the binary,
its busybox links, man pages, completions and hardened systemd units, depends on the right
libraries, and runs from a scratch root (`dpkg -x`)."""
import configparser
import glob
import os
import re
import shutil
import subprocess
import tempfile
import unittest

from harness import NETIUS, TempDirTest, run, tool

BUILD_DIR = os.path.dirname(os.path.abspath(NETIUS))
SERVERS = ("hello", "file", "wsgi", "smtp", "relay")
UNITS = "usr/lib/systemd/system"


def unit(path):
    """A unit file's sections as {section: {key: value}} (systemd syntax is INI-like)."""
    parser = configparser.ConfigParser(strict=False, interpolation=None, delimiters=("=",))
    parser.optionxform = str
    parser.read(path)
    return {s: dict(parser[s]) for s in parser.sections()}


class PackageTest(TempDirTest):
    @classmethod
    def setUpClass(cls):
        # One package for every test, built into a scratch directory from the test build.
        cls.out = tempfile.mkdtemp(prefix="netius-package-")
        r = subprocess.run(["cpack", "-G", "DEB", "--config",
                            os.path.join(BUILD_DIR, "CPackConfig.cmake"), "-B", cls.out],
                           capture_output=True, timeout=300)
        if r.returncode != 0:
            shutil.rmtree(cls.out, True)
            raise AssertionError("cpack failed: %s%s" % (r.stdout.decode(), r.stderr.decode()))
        cls.deb = glob.glob(os.path.join(cls.out, "netius_*.deb"))[0]

    @classmethod
    def tearDownClass(cls):
        shutil.rmtree(cls.out, True)

    def extract(self):
        root = self.path("root")
        tool(["dpkg", "-x", self.deb, root])
        return root

    def control(self):
        info = tool(["dpkg-deb", "-I", self.deb]).stdout.decode()
        return dict(re.findall(r"(?m)^ ([A-Z][A-Za-z-]*): (.*)$", info))

    def needed(self):
        """The sonames in the packaged binary's NEEDED."""
        binary = os.path.join(self.extract(), "usr/bin/netius")
        dynamic = tool(["readelf", "-d", binary]).stdout.decode()
        return re.findall(r"\(NEEDED\)\s+Shared library: \[(.*)\]", dynamic)

    def test_control_fields_and_dependencies(self):
        fields = self.control()
        self.assertEqual(fields["Package"], "netius")
        self.assertRegex(fields["Version"], r"^\d+\.\d+\.\d+$")
        depends = fields["Depends"]
        self.assertRegex(depends, r"libc6\b")
        # Every library the binary loads comes from a package it depends on (dpkg-shlibdeps);
        # which they are depends on NETIUS_STATIC_LIBS (cmake/StaticLibs.cmake).
        cache = tool(["/sbin/ldconfig", "-p"]).stdout.decode()
        for soname in self.needed():
            found = re.search(r"(?m)^\s+%s \(.*\) => (.*)$" % re.escape(soname), cache)
            self.assertIsNotNone(found, soname)
            owner = tool(["dpkg", "-S", os.path.realpath(found.group(1))], check=False)
            if owner.returncode != 0:  # e.g. /usr/lib vs /lib on a merged-/usr system
                owner = tool(["dpkg", "-S", found.group(1)])
            package = owner.stdout.decode().split(":")[0]
            self.assertRegex(depends, r"(^|, )%s\b" % re.escape(package), soname)
        self.assertTrue(os.path.basename(self.deb).startswith("netius_"), self.deb)

    def test_python_is_recommended_not_required(self):
        # Linked from libpython3.X.a (the default, cmake/EmbeddedPython.cmake): no libpython
        # in NEEDED, so only `serve wsgi` needs the interpreter's standard library.
        needed = self.needed()
        fields = self.control()
        if any(n.startswith("libpython") for n in needed):
            self.assertRegex(fields["Depends"], r"libpython3\.\d+\b")  # NETIUS_PYTHON_LINK=shared
            return
        self.assertNotRegex(fields["Depends"], r"python")
        self.assertRegex(fields.get("Recommends", ""), r"^libpython3\.\d+-stdlib\b")

    def test_contents(self):
        listing = tool(["dpkg", "-c", self.deb]).stdout.decode()
        names = {line.split()[5].lstrip(".") for line in listing.splitlines()}
        want = {"/usr/bin/netius", "/usr/share/man/man1/netius.1",
                "/usr/share/man/man1/netius-serve.1",
                "/usr/share/bash-completion/completions/netius",
                "/usr/share/zsh/vendor-completions/_netius",
                "/usr/share/fish/vendor_completions.d/netius.fish",
                "/usr/share/doc/netius/examples/haproxy.cfg"}
        for group in ("serve", "http", "dns", "smtp", "rsa", "dkim", "auth"):
            want.add("/usr/bin/netius-" + group)
        for server in SERVERS:
            want |= {"/%s/netius-%s.service" % (UNITS, server),
                     "/%s/netius-%s.socket" % (UNITS, server)}
        self.assertEqual(want - names, set())

    def test_runs_from_a_scratch_root(self):
        root = self.extract()
        r = run(["--version"], binary=os.path.join(root, "usr/bin/netius"))
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertRegex(r.stdout.decode(), r"^netius \d+\.\d+\.\d+\nOpenSSL 3")
        r = run(["generate", "secret", "sha256", "netius"],
                binary=os.path.join(root, "usr/bin/netius-auth"))
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertTrue(r.stdout.startswith(b"sha256:6e6574697573:14087ce0"))

    def test_units_are_hardened(self):
        root = self.extract()
        for server in SERVERS:
            with self.subTest(server=server):
                service = unit(os.path.join(root, UNITS, "netius-%s.service" % server))["Service"]
                self.assertRegex(service["ExecStart"], r"^netius serve %s\b" % server)
                for key, value in (("DynamicUser", "yes"), ("ProtectSystem", "strict"),
                                   ("NoNewPrivileges", "yes"), ("PrivateTmp", "yes"),
                                   ("ProtectHome", "yes"),
                                   ("RestrictAddressFamilies", "AF_INET AF_INET6 AF_UNIX")):
                    self.assertEqual(service.get(key), value, key)
                mail = server in ("smtp", "relay")
                caps = "CAP_NET_BIND_SERVICE" if mail else ""
                self.assertEqual(service["CapabilityBoundingSet"], caps)
                self.assertEqual(service["AmbientCapabilities"], caps)
                self.assertEqual(service.get("StateDirectory"),
                                 "netius-%s" % server if mail else None)
                socket = unit(os.path.join(root, UNITS, "netius-%s.socket" % server))
                port = "25" if mail else "9090"  # netius' defaults
                self.assertEqual(socket["Socket"]["ListenStream"], "127.0.0.1:" + port)

    def test_systemd_analyze_verify(self):
        analyze = shutil.which("systemd-analyze")
        if not analyze:
            self.skipTest("systemd-analyze is not installed (Debian package systemd)")
        # The package's root, with the host's units beside ours (they name sysinit.target...)
        # and kill(1), which ExecReload runs.
        root = self.extract()
        host_units = "/usr/lib/systemd/system"
        for name in os.listdir(host_units):
            target = os.path.join(root, UNITS, name)
            if not os.path.lexists(target):
                src = os.path.join(host_units, name)
                if os.path.isfile(src) and not os.path.islink(src):
                    shutil.copy(src, target)
        shutil.copy(shutil.which("kill"), os.path.join(root, "usr/bin/kill"))
        units = ["netius-%s.%s" % (s, kind) for s in SERVERS for kind in ("service", "socket")]
        r = tool([analyze, "verify", "--man=no", "--root=" + root] + units, check=False)
        self.assertEqual((r.returncode, r.stderr.decode()), (0, ""))


if __name__ == "__main__":
    unittest.main()
