"""README.md's command examples run as written (in an empty directory, netius on PATH)."""
import os
import re
import subprocess
import unittest

from harness import NETIUS, SANITIZED, SOURCE_DIR, TempDirTest, TIMEOUT

# Sections whose examples change the user's shell or home directory are not run here.
NOT_RUN = {"completion"}


def examples():
    """(section, script) for each ```sh block under a `### <name> — ...` heading of README.md
    (the section is the text before the dash: "serve", "serve file"), up to the next heading.
    The "Migrating from Python netius" section's commands are test_readme_migration's."""
    with open(os.path.join(SOURCE_DIR, "README.md")) as f:
        text = f.read()
    found = []
    for section in re.split(r"^### ", text, flags=re.M)[1:]:
        section = re.split(r"^## ", section, flags=re.M)[0]
        name = section.split("\n", 1)[0].split("—")[0].strip()
        for block in re.findall(r"```sh\n(.*?)```", section, flags=re.S):
            found.append((name, block))
    return found


class ReadmeTest(TempDirTest):
    def test_examples_run_as_written(self):
        blocks = examples()
        self.assertGreaterEqual(len(blocks), 4, "README lost its examples")
        env = dict(os.environ)
        env["PATH"] = os.path.dirname(os.path.abspath(NETIUS)) + ":" + env["PATH"]
        env.pop("LEVEL", None)
        for name, script in blocks:
            if name in NOT_RUN:
                continue
            with self.subTest(section=name):
                # A block that fails half-way must not leave its servers running (they would
                # hold the output pipes open until the timeout). Sanitized binaries start
                # several times slower than the examples' "sleep 0.5" allows for.
                script = "trap 'kill $(jobs -p) 2>/dev/null || true' EXIT\n" + script
                if SANITIZED:
                    script = script.replace("sleep 0.5", "sleep 3")
                # stdin answers the password prompt of `netius auth generate`.
                r = subprocess.run(["bash", "-e", "-o", "pipefail", "-c", script], cwd=self.dir,
                                   input=b"secret\n", capture_output=True, env=env,
                                   timeout=TIMEOUT)
                self.assertEqual(r.returncode, 0, "%s\n%s" % (script, r.stderr.decode()))
                # The outputs the comments promise.
                out = r.stdout.decode()
                if name == "auth":
                    self.assertIn("sha256:6e6574697573:14087ce0b8645c30c5a2abcb3f709a18a65f2903"
                                  "591290053846a73cedc4ee39", out)
                    self.assertIn("match", out)
                if name == "serve":
                    self.assertEqual(out.count("Hello World"), 2, out)
                    self.assertIn("GET /anything HTTP/1.1\" 200 11", open(
                        os.path.join(self.dir, "access.log")).read())
                if name == "serve file":
                    self.assertIn("Hello File", out)
                    self.assertIn("Hello\n", out)
                    self.assertIn('"name":"docs","href":"docs/"', out)
                    self.assertTrue(out.rstrip().endswith("404"), out)
                if name == "serve smtp":
                    self.assertIn("Return-Path: <", out)
                    self.assertIn("(netius) with ESMTP id ", out)
                    self.assertIn("Hello SMTP", out)
                if name == "config":
                    self.assertIn('message = "Hello TOML"', out)
                    self.assertRegex(out, r"port = 9410 +# env \(PORT\)")
                    self.assertRegex(out, r'encoding = "gzip" +# json \(ENCODING\)')
                    self.assertTrue(out.rstrip().endswith("Hello TOML"), out)
                if name == "serve proxy":  # two blocks: routing, then --auth
                    self.assertIn(out, ("appapi", "401\nprivate"))
                if name == "dkim":
                    self.assertIn("d=example.com s=mail: pass", out)
                if name == "smtp":
                    self.assertIn("Subject: Hello\nSubject: piped\n", out)
                    self.assertTrue(out.rstrip().endswith("exit 5"), out)
                if name == "http" and "echo:app" in script:  # content sent by each method
                    self.assertIn("POST application/x-www-form-urlencoded\n"
                                  "name=netius&lang=c++\n", out)
                    self.assertIn('PATCH application/json\n{"done": true}\n', out)
                    self.assertIn("PUT application/x-www-form-urlencoded\n1\n2\n3\n", out)
                    self.assertIn('Content-Disposition: form-data; name="file"; '
                                  'filename="note.txt"\r\n', out)
                    self.assertTrue(out.endswith("DELETE -\n\n"), out)
                if name == "dns":
                    self.assertIn("example.test  300  A  192.0.2.10\n", out)
                    self.assertIn("mx1.example.test => 10\n\"v=spf1 -all\"\n", out)
                    self.assertIn('[{"name":"10.2.0.192.in-addr.arpa","type":"PTR","ttl":300,'
                                  '"target":"example.test"}]', out)
                    self.assertTrue(out.rstrip().endswith("exit 3"), out)


if __name__ == "__main__":
    unittest.main()
