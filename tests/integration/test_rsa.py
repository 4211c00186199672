"""`netius rsa read|convert` against openssl: keys from `openssl genpkey`, values from
`openssl rsa -modulus/-text`, public PEMs from `openssl pkey -pubout`."""
import json
import os
import re
import shutil
import tempfile
import unittest

from harness import DATA_DIR, TempDirTest, run, tool

PASSPHRASE = "correct horse battery"
PRIVATE_NAMES = ["bits", "coefficient", "exponent_1", "exponent_2", "modulus", "prime_1",
                 "prime_2", "private_exponent", "public_exponent", "version"]
PUBLIC_NAMES = ["bits", "modulus", "public_exponent"]
# `openssl rsa -text` field name -> netius name
OPENSSL_FIELDS = {"modulus": "modulus", "publicExponent": "public_exponent",
                  "privateExponent": "private_exponent", "prime1": "prime_1",
                  "prime2": "prime_2", "exponent1": "exponent_1", "exponent2": "exponent_2",
                  "coefficient": "coefficient"}


def openssl_components(path):
    """The key's components as openssl prints them (-modulus for n, -text for the rest)."""
    hex_n = tool(["openssl", "rsa", "-in", path, "-noout", "-modulus"]).stdout.decode()
    values = {"modulus": int(hex_n.strip().split("=", 1)[1], 16)}
    text = tool(["openssl", "rsa", "-in", path, "-noout", "-text"]).stdout.decode()
    values["bits"] = int(re.search(r"Private-Key: \((\d+) bit", text).group(1))
    values["public_exponent"] = int(re.search(r"publicExponent: (\d+)", text).group(1))
    for field, name in OPENSSL_FIELDS.items():
        m = re.search(r"^%s:\s*\n((?:[ \t]+[0-9a-f:]+\n)+)" % field, text, re.M)
        if m:
            hex_value = int(re.sub(r"[\s:]", "", m.group(1)), 16)
            if name == "modulus":
                assert hex_value == values["modulus"]
            values[name] = hex_value
    values["version"] = 0
    assert sorted(values) == PRIVATE_NAMES, sorted(values)
    return values


def parse_text(stdout):
    """`name: decimal` lines -> (names in order, {name: int})."""
    lines = stdout.decode().splitlines()
    pairs = [line.split(": ", 1) for line in lines]
    return [n for n, _ in pairs], {n: int(v) for n, v in pairs}


class RsaTest(TempDirTest):
    @classmethod
    def setUpClass(cls):
        cls.keys = tempfile.mkdtemp(prefix="netius-rsa-keys-")
        k = lambda name: os.path.join(cls.keys, name)
        cls.pass_file = k("pass.txt")
        with open(cls.pass_file, "w") as f:
            f.write(PASSPHRASE + "\n")
        pkcs8 = k("pkcs8.pem")
        tool(["openssl", "genpkey", "-algorithm", "RSA", "-pkeyopt", "rsa_keygen_bits:2048",
              "-out", pkcs8])
        tool(["openssl", "rsa", "-in", pkcs8, "-traditional", "-out", k("pkcs1.pem")])
        tool(["openssl", "rsa", "-in", pkcs8, "-outform", "DER", "-out", k("pkcs1.der")])
        tool(["openssl", "pkcs8", "-topk8", "-nocrypt", "-in", pkcs8, "-outform", "DER",
              "-out", k("pkcs8.der")])
        tool(["openssl", "pkey", "-in", pkcs8, "-aes256", "-passout", "pass:" + PASSPHRASE,
              "-out", k("pkcs8_enc.pem")])
        tool(["openssl", "rsa", "-in", pkcs8, "-traditional", "-aes256", "-passout",
              "pass:" + PASSPHRASE, "-out", k("pkcs1_enc.pem")])
        tool(["openssl", "pkey", "-in", pkcs8, "-pubout", "-out", k("spki.pem")])
        tool(["openssl", "pkey", "-in", pkcs8, "-pubout", "-outform", "DER", "-out",
              k("spki.der")])
        tool(["openssl", "rsa", "-in", pkcs8, "-RSAPublicKey_out", "-out", k("pkcs1_pub.pem")])
        tool(["openssl", "genpkey", "-algorithm", "ED25519", "-out", k("ed25519.pem")])
        tool(["openssl", "req", "-new", "-x509", "-key", pkcs8, "-subj", "/CN=netius.test",
              "-days", "1", "-out", k("cert.pem")])
        cls.private_files = [k(n) for n in ["pkcs8.pem", "pkcs1.pem", "pkcs1.der", "pkcs8.der",
                                            "pkcs8_enc.pem", "pkcs1_enc.pem"]]
        cls.public_files = [k(n) for n in ["spki.pem", "spki.der", "pkcs1_pub.pem"]]
        cls.expected = openssl_components(pkcs8)
        cls.public_pem = tool(["openssl", "pkey", "-in", pkcs8, "-pubout"]).stdout
        cls.k = staticmethod(k)

    @classmethod
    def tearDownClass(cls):
        shutil.rmtree(cls.keys, True)

    def netius_ok(self, *args):
        r = run(["rsa"] + list(args) + ["--passphrase-file", self.pass_file], input=b"")
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertEqual(r.stderr, b"")
        return r.stdout

    def assertNoTempFiles(self, directory):
        leftovers = [n for n in os.listdir(directory) if n.startswith(".netius-")]
        self.assertEqual(leftovers, [])

    def test_read_matches_openssl_for_every_private_format(self):
        for path in self.private_files:
            names, values = parse_text(self.netius_ok("read", path))
            self.assertEqual(names, PRIVATE_NAMES, path)
            self.assertEqual(values, self.expected, path)
            self.assertEqual(values["bits"], 2048)

    def test_read_public_formats_and_public_flag(self):
        want = {n: self.expected[n] for n in PUBLIC_NAMES}
        outputs = [self.netius_ok("read", p) for p in self.public_files]
        outputs += [self.netius_ok("read", p, "--public") for p in self.private_files]
        for out in outputs:
            names, values = parse_text(out)
            self.assertEqual(names, PUBLIC_NAMES)
            self.assertEqual(values, want)

    def test_read_from_stdin(self):
        with open(self.k("pkcs1.pem"), "rb") as f:
            r = run(["rsa", "read", "-"], input=f.read())
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertEqual(parse_text(r.stdout)[1], self.expected)

    def test_json_is_one_object_equal_to_the_text_form(self):
        for args in [["read", self.k("pkcs8_enc.pem")], ["read", self.k("spki.der")],
                     ["read", self.k("pkcs1.pem"), "--public"]]:
            out = self.netius_ok(*args, "--json")
            self.assertTrue(out.endswith(b"}\n"), out)
            self.assertEqual(out.count(b"\n"), 1, out)
            obj = json.loads(out)
            self.assertEqual(list(obj), sorted(obj))
            self.assertTrue(all(type(v) is int for v in obj.values()), obj)
            self.assertEqual(obj, parse_text(self.netius_ok(*args))[1])

    def test_netius_aliases(self):
        path = self.k("pkcs1.pem")
        self.assertEqual(self.netius_ok("read_private", path), self.netius_ok("read", path))
        self.assertEqual(self.netius_ok("read_public", path), self.netius_ok("read", path, "--public"))
        self.assertEqual(self.netius_ok("read_public", path, "--json"),
                         self.netius_ok("read", path, "--public", "--json"))
        self.assertEqual(self.netius_ok("private_to_public", path, "-"), self.public_pem)

    def test_netius_vector_key(self):
        # netius-vectors §K.3 values for the §D.1 key (non-canonical DER, read by OpenSSL 3).
        key = os.path.join(DATA_DIR, "keys", "netius_d1.pem")
        names, values = parse_text(self.netius_ok("read", key))
        self.assertEqual(names, PRIVATE_NAMES)
        self.assertEqual(values["bits"], 1024)
        self.assertEqual(values["version"], 0)
        self.assertEqual(values["public_exponent"], 65537)
        self.assertEqual(values["modulus"], int(
            "906460533183942937028651997414686435628429146845878658287423240711481805049636712"
            "402407652425463108975835466691485383535863346750470142810278452475222058109091711"
            "647929595029519028261693733054997120753363367211931194498810209453745304694633851"
            "18781364674567047795107837353131217609532067835295644099420716709"))
        self.assertEqual(values["prime_1"] * values["prime_2"], values["modulus"])
        pub = tool(["openssl", "pkey", "-in", key, "-pubout"]).stdout
        self.assertEqual(self.netius_ok("convert", key, "-"), pub)

    def test_convert_matches_openssl_byte_for_byte(self):
        for i, path in enumerate(self.private_files):
            self.assertEqual(self.netius_ok("convert", path, "-"), self.public_pem, path)
            out = self.path("pub%d.pem" % i)
            self.assertEqual(self.netius_ok("convert", path, out), b"")
            self.assertEqual(self.read("pub%d.pem" % i), self.public_pem, path)
            self.assertEqual(os.stat(out).st_mode & 0o777, 0o644 & ~self.umask())
        self.assertNoTempFiles(self.dir)

    def umask(self):
        mask = os.umask(0)
        os.umask(mask)
        return mask

    def test_convert_refuses_to_overwrite_without_force(self):
        target = self.write("existing.pub", b"keep me\n")
        os.utime(target, (1_000_000_000, 1_000_000_000))
        before = os.stat(target)
        r = run(["rsa", "convert", self.k("pkcs1.pem"), target])
        self.assertFailsWith(r, "--force")
        self.assertEqual(self.read("existing.pub"), b"keep me\n")
        self.assertEqual(os.stat(target).st_mtime_ns, before.st_mtime_ns)
        self.assertNoTempFiles(self.dir)
        r = run(["rsa", "convert", self.k("pkcs1.pem"), target, "--force"])
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertEqual(self.read("existing.pub"), self.public_pem)
        self.assertNoTempFiles(self.dir)
        self.assertEqual(sorted(os.listdir(self.dir)), ["existing.pub"])

    def test_convert_failure_leaves_nothing_behind(self):
        bad = self.write("bad.pem", "not a key\n")
        target = self.path("out.pub")
        self.assertFailsWith(run(["rsa", "convert", bad, target]), "is not a private key")
        self.assertFailsWith(run(["rsa", "convert", self.k("spki.pem"), target]),
                             "is a public key, not a private key")
        self.assertFailsWith(run(["rsa", "convert", self.k("ed25519.pem"), target]),
                             "is an ED25519 key, not RSA")
        self.assertEqual(sorted(os.listdir(self.dir)), ["bad.pem"])

    def test_encrypted_keys(self):
        for path in [self.k("pkcs8_enc.pem"), self.k("pkcs1_enc.pem")]:
            self.assertFailsWith(run(["rsa", "read", path], input=b""),
                                 "netius: rsa read: '%s' is encrypted; use --passphrase-file"
                                 % path)
            wrong = self.write("wrong.txt", "not the passphrase\n")
            self.assertFailsWith(run(["rsa", "read", path, "--passphrase-file", wrong]),
                                 "netius: rsa read: cannot decrypt '%s': wrong passphrase" % path)
            crlf = self.write("crlf.txt", PASSPHRASE + "\r\nsecond line\n")
            r = run(["rsa", "read", path, "--passphrase-file", crlf])
            self.assertEqual(r.returncode, 0, r.stderr)
            self.assertNotIn(PASSPHRASE.encode(), r.stdout + r.stderr)
            self.assertFailsWith(
                run(["rsa", "convert", path, self.path("x.pub"), "--passphrase-file", wrong]),
                "netius: rsa convert: cannot decrypt")
            self.assertFalse(os.path.exists(self.path("x.pub")))

    def test_bad_input_is_one_clear_line(self):
        with open(self.k("pkcs1.pem")) as f:
            pem = f.read()
        cases = [
            (self.path("missing.pem"), "cannot open '%s'" % self.path("missing.pem")),
            (self.write("corrupt.pem", pem.replace(pem.splitlines()[1], "!" * 64)),
             "damaged or unsupported PEM 'RSA PRIVATE KEY' block"),
            (self.write("notes.txt", "hello\n"), "'%s' is not a key" % self.path("notes.txt")),
            (self.write("empty.pem", ""), "is empty"),
            (self.write("trunc.pem", pem[:len(pem) // 2]), "holds a truncated PEM block"),
            (self.write("damaged.pem", pem.replace(pem.splitlines()[3], "A" * 64)),
             "is a damaged RSA key"),
            (self.k("cert.pem"), "holds a CERTIFICATE, not a key"),
            (self.k("ed25519.pem"), "is an ED25519 key, not RSA"),
            (self.dir, "is a directory"),
        ]
        for path, fragment in cases:
            for command in ["read", "read_public"]:
                r = run(["rsa", command, path], input=b"")
                self.assertFailsWith(r, "netius: rsa %s: " % command)
                self.assertFailsWith(r, fragment)

    def test_usage_errors_exit_2(self):
        for args in [["rsa", "read"], ["rsa", "convert", self.k("pkcs1.pem")],
                     ["rsa", "read", self.k("pkcs1.pem"), "--bogus"]]:
            r = run(args)
            self.assertEqual(r.returncode, 2, r.stderr)
            self.assertIn(b"--help", r.stderr)


if __name__ == "__main__":
    unittest.main()
