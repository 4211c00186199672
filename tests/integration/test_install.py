"""`make install` layout: binary, busybox links, man pages, completions (into a scratch prefix)."""
import os
import subprocess
import unittest

from harness import NETIUS, TempDirTest, run


class InstallTest(TempDirTest):
    def test_install_into_a_prefix(self):
        build_dir = os.path.dirname(os.path.abspath(NETIUS))
        r = subprocess.run(["cmake", "--install", build_dir, "--prefix", self.dir],
                           capture_output=True, timeout=120)
        self.assertEqual(r.returncode, 0, r.stderr)
        binary = self.path("bin/netius")
        self.assertTrue(os.access(binary, os.X_OK))
        for group in ("serve", "http", "dns", "smtp", "rsa", "dkim", "auth"):
            link = self.path("bin/netius-" + group)
            self.assertEqual(os.readlink(link), "netius", link)
        # The installed busybox link works on its own.
        r = run(["generate", "secret", "sha256", "netius"], binary=self.path("bin/netius-auth"))
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertTrue(r.stdout.startswith(b"sha256:6e6574697573:14087ce0"))
        man = os.listdir(self.path("share/man/man1"))
        for page in ("netius.1", "netius-rsa.1", "netius-dkim.1", "netius-auth.1", "netius-dns.1",
                     "netius-smtp.1"):
            self.assertIn(page, man)
        for f in ("share/bash-completion/completions/netius",
                  "share/zsh/vendor-completions/_netius",
                  "share/fish/vendor_completions.d/netius.fish"):
            self.assertGreater(os.path.getsize(self.path(f)), 0, f)


if __name__ == "__main__":
    unittest.main()
