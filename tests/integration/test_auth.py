"""`netius auth` against libsodium (PyNaCl) and the netius vectors."""
import unittest

import nacl.exceptions
import nacl.pwhash

from harness import TempDirTest, run


class AuthTest(TempDirTest):
    def test_netius_vector_reproduces_exactly(self):
        r = run(["auth", "generate", "secret", "sha256", "netius"])
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertEqual(r.stdout, b"sha256:6e6574697573:"
                         b"14087ce0b8645c30c5a2abcb3f709a18a65f2903591290053846a73cedc4ee39\n")

    def test_argon2id_default_verifies_with_libsodium(self):
        r = run(["auth", "generate", "hunter2"])
        self.assertEqual(r.returncode, 0, r.stderr)
        h = r.stdout.strip()
        self.assertTrue(h.startswith(b"$argon2id$v=19$"), h)
        self.assertTrue(nacl.pwhash.verify(h, b"hunter2"))
        with self.assertRaises(nacl.exceptions.InvalidkeyError):
            nacl.pwhash.verify(h, b"hunter3")

    def test_verifies_libsodium_hash(self):
        h = nacl.pwhash.argon2id.str(b"s3cret", opslimit=2, memlimit=1 << 16).decode()
        self.assertEqual(run(["auth", "verify", h, "s3cret"]).returncode, 0)
        self.assertFailsWith(run(["auth", "verify", h, "nope"]), "does not match")

    def test_password_from_stdin(self):
        r = run(["auth", "generate"], input="from stdin\n")
        self.assertEqual(r.returncode, 0, r.stderr)
        h = r.stdout.strip().decode()
        self.assertEqual(run(["auth", "verify", h], input="from stdin\n").returncode, 0)
        self.assertEqual(run(["auth", "verify", h], input="from stdin").returncode, 0)
        self.assertFailsWith(run(["auth", "verify", h], input="other\n"), "does not match")
        self.assertNotIn(b"from stdin", r.stdout + r.stderr)

    def test_every_digest_type_round_trips(self):
        for t in ["md5", "sha1", "sha224", "sha256", "sha384", "sha512", "sha3_256", "blake2b",
                  "plain"]:
            r = run(["auth", "generate", "pw", t])
            self.assertEqual(r.returncode, 0, r.stderr)
            h = r.stdout.strip().decode()
            self.assertTrue(h.startswith(t + ":") or t == "plain", h)
            self.assertEqual(run(["auth", "verify", h, "pw"]).returncode, 0, h)
            self.assertEqual(run(["auth", "verify", h, "pw!"]).returncode, 1, h)

    def test_unknown_type_is_one_clear_line(self):
        self.assertFailsWith(run(["auth", "generate", "secret", "nothash"]),
                             "unsupported hash type 'nothash'")

    def test_empty_stdin_fails_clearly(self):
        self.assertFailsWith(run(["auth", "generate"], input=""), "no input")

    def test_usage_errors_exit_2(self):
        r = run(["auth", "verify"])
        self.assertEqual(r.returncode, 2)
        self.assertIn(b"--help", r.stderr)


if __name__ == "__main__":
    unittest.main()
