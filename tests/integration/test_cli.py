"""The real `netius` binary as a command line: --help everywhere, --version, exit codes,
busybox links, man pages through groff, and the completion scripts driven by real shells.

The command tree is discovered from `--help` output, so new commands are covered without
editing this file.
"""
import ctypes
import ctypes.util
import os
import re
import shutil
import subprocess
import unittest

from harness import DOCGEN, NETIUS, SOURCE_DIR, TempDirTest, run, tool

MAN_DIR = os.path.join(SOURCE_DIR, "man")
COMPLETIONS = os.path.join(SOURCE_DIR, "completions")


def parse_help(text):
    """(subcommands, aliases, option names) from CLI11's --help output; aliases maps each
    subcommand to its other names (`  read, read_private   Print...`)."""
    subcommands, aliases, options, section = [], {}, [], None
    for line in text.splitlines():
        if line and not line.startswith(" "):
            section = line.rstrip(":") if line.endswith(":") else None
            continue
        column = re.split(r"\s{2,}", line.strip())[0]
        if not line.startswith("  ") or not column:
            continue
        if section == "Subcommands":
            names = column.split(", ")
            subcommands.append(names[0])
            aliases[names[0]] = names[1:]
        elif section == "Options":
            options += [n for n in column.split()[0].split(",") if n.startswith("-")]
    return subcommands, aliases, options


def discover_tree():
    """{path tuple: (subcommands, aliases, options)} for every command, from `--help` at
    each level (a command tree deeper than 4 levels means the parsing went wrong)."""
    tree, todo = {}, [()]
    while todo:
        path = todo.pop(0)
        r = run(list(path) + ["--help"])
        usage = "Usage: " + " ".join(("netius",) + path) + " "
        if r.returncode != 0 or usage.encode() not in r.stdout or len(path) > 4:
            raise AssertionError("%s --help: exit %d: %s" % (path, r.returncode, r.stdout))
        tree[path] = parse_help(r.stdout.decode())
        todo += [path + (s,) for s in tree[path][0]]
    return tree


TREE = discover_tree()


class HelpTest(TempDirTest):
    def test_help_at_every_level(self):
        self.assertTrue({("rsa",), ("dkim",), ("auth",), ("completion",)} <= set(TREE), TREE)
        self.assertIn(("dkim", "sign"), TREE)
        self.assertIn("read_private", TREE[("rsa",)][1]["read"])
        for path, (subs, aliases, _) in TREE.items():
            for flag in ("--help", "-h"):
                r = run(list(path) + [flag])
                self.assertEqual(r.returncode, 0, (path, r.stderr))
                self.assertIn(("Usage: " + " ".join(("netius",) + path) + " ").encode(),
                              r.stdout)
                self.assertEqual(r.stderr, b"", path)
            for alias in [a for names in aliases.values() for a in names]:
                r = run(list(path) + [alias, "--help"])
                self.assertEqual(r.returncode, 0, (path, alias, r.stderr))

    def test_version_names_the_linked_libraries(self):
        r = run(["--version"])
        self.assertEqual(r.returncode, 0, r.stderr)
        out = r.stdout.decode()
        self.assertRegex(out, r"^netius \d+\.\d+\.\d+\n")
        openssl = tool(["openssl", "version"]).stdout.decode().split()[1]
        self.assertRegex(out, r"\nOpenSSL %s " % re.escape(openssl))
        sodium = ctypes.CDLL(ctypes.util.find_library("sodium"))
        sodium.sodium_version_string.restype = ctypes.c_char_p
        self.assertIn("\nlibsodium %s\n" % sodium.sodium_version_string().decode(), out)

    def assertUsageError(self, r, fragment):
        err = r.stderr.decode()
        self.assertEqual(r.returncode, 2, err)
        self.assertEqual(r.stdout, b"")
        self.assertIn(fragment, err)
        self.assertIn("Run with --help for more information.", err)

    def test_unknown_command_and_option_exit_2(self):
        self.assertUsageError(run(["bogus"]), "not expected: bogus")
        self.assertUsageError(run(["--bogus"]), "not expected: --bogus")
        self.assertUsageError(run(["auth", "generate", "--bogus"]), "--bogus")
        self.assertUsageError(run(["auth", "bogus"]), "not expected: bogus")
        self.assertUsageError(run(["completion", "tcsh"]), "tcsh")

    def test_missing_command_names_the_choices(self):
        for args, expected in (([], "netius: missing command (serve, http, dns, smtp, rsa, "
                                    "dkim, auth, config, completion); run 'netius --help'"),
                               (["dkim"], "netius: dkim: missing command (generate, sign, "
                                          "verify); run 'netius dkim --help'")):
            r = run(args)
            self.assertEqual((r.returncode, r.stdout), (2, b""), r.stderr)
            self.assertEqual(r.stderr.decode().strip(), expected)

    def test_bad_log_level_exits_2(self):
        self.assertUsageError(run(["--log-level", "bogus", "auth", "generate", "x", "plain"]),
                              "bogus")
        self.assertUsageError(run(["auth", "generate", "x", "plain"], env={"LEVEL": "bogus"}),
                              "bogus")
        for level in ("DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL"):
            r = run(["--log-level", level, "auth", "generate", "x", "plain"])
            self.assertEqual((r.returncode, r.stdout), (0, b"x\n"), level)
            r = run(["auth", "generate", "x", "plain"], env={"LEVEL": level})
            self.assertEqual((r.returncode, r.stdout), (0, b"x\n"), level)


class BusyboxTest(TempDirTest):
    def link(self, group):
        path = self.path("netius-" + group)
        os.symlink(os.path.abspath(NETIUS), path)
        return path

    def test_auth_link(self):
        link = self.link("auth")
        want = run(["auth", "generate", "secret", "sha256", "netius"])
        got = run(["generate", "secret", "sha256", "netius"], binary=link)
        self.assertEqual((got.returncode, got.stdout), (0, want.stdout), got.stderr)
        self.assertEqual(run(["verify", want.stdout.strip(), "secret"], binary=link).returncode, 0)

    def test_rsa_link(self):
        key = self.path("key.pem")
        tool(["openssl", "genpkey", "-algorithm", "RSA", "-pkeyopt", "rsa_keygen_bits:1024",
              "-out", key])
        want = run(["rsa", "read", key, "--public"])
        got = run(["read", key, "--public"], binary=self.link("rsa"))
        self.assertEqual((got.returncode, got.stdout), (0, want.stdout), got.stderr)
        self.assertIn(b"modulus: ", got.stdout)

    def test_dkim_link(self):
        link = self.link("dkim")
        key = self.path("ed.key")
        r = run(["generate", "example.com", "--type", "ed25519", "--selector", "s",
                 "--key-out", key], binary=link)
        self.assertEqual(r.returncode, 0, r.stderr)
        msg = self.write("m.eml", "From: a@example.com\r\nTo: b@example.org\r\n"
                                  "Subject: hi\r\n\r\nbody\r\n")
        signed = run(["sign", msg, key, "s", "example.com"], binary=link)
        self.assertEqual(signed.returncode, 0, signed.stderr)
        r = run(["dkim", "verify", "-", "--key", key], input=signed.stdout)
        self.assertEqual(r.returncode, 0, r.stdout + r.stderr)
        r = run(["verify", "-", "--key", key], input=signed.stdout, binary=link)
        self.assertEqual(r.returncode, 0, r.stdout + r.stderr)
        self.assertIn(b"pass", r.stdout)

    def test_link_help_and_usage(self):
        link = self.link("dkim")
        r = run(["--help"], binary=link)
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertEqual(parse_help(r.stdout.decode())[0], TREE[("dkim",)][0])
        self.assertEqual(run([], binary=link).returncode, 2)


class ManPageTest(TempDirTest):
    def test_groff_renders_every_page_without_warnings(self):
        pages = sorted(f for f in os.listdir(MAN_DIR) if f.endswith(".1"))
        want = {"netius.1"} | {"netius-%s.1" % p[0] for p in TREE if len(p) == 1}
        self.assertEqual(set(pages), want)
        for page in pages:
            r = tool(["groff", "-man", "-ww", "-z", os.path.join(MAN_DIR, page)], check=False)
            self.assertEqual((r.returncode, r.stderr.decode()), (0, ""), page)
            text = tool(["groff", "-man", "-Tutf8", "-P-cbou", os.path.join(MAN_DIR, page)])
            for section in (b"\nNAME\n", b"\nSYNOPSIS\n", b"\nEXIT STATUS\n"):
                self.assertIn(section, text.stdout, page)

    def test_pages_name_every_command_and_option(self):
        rendered = {}
        for page in os.listdir(MAN_DIR):
            out = tool(["groff", "-man", "-Tascii", "-P-cbou", "-rLL=200n",
                        os.path.join(MAN_DIR, page)])
            rendered[page] = out.stdout.decode()
        for path, (subs, _, opts) in TREE.items():
            page = rendered["netius-%s.1" % path[0]] if path else rendered["netius.1"]
            if not subs and path:
                self.assertIn("netius " + " ".join(path), page)
            for o in opts:
                self.assertIn(o, page, (path, o))

    def test_docgen_check_reports_stale_files(self):
        self.assertEqual(tool([DOCGEN, self.dir]).returncode, 0)
        self.assertEqual(tool([DOCGEN, "--check", self.dir]).returncode, 0)
        with open(self.path("man/netius.1"), "a") as f:
            f.write(".\\\" edited by hand\n")
        self.write("man/netius-gone.1", ".TH GONE 1\n")
        os.remove(self.path("completions/_netius"))
        r = tool([DOCGEN, "--check", self.dir], check=False)
        self.assertEqual(r.returncode, 1)
        out = r.stdout.decode()
        for name in ("man/netius.1", "man/netius-gone.1", "completions/_netius"):
            self.assertIn(name, out)
        self.assertIn(b"make docs", r.stderr)
        self.assertEqual(tool([DOCGEN, self.dir]).returncode, 0)  # regenerates, removes extras
        self.assertFalse(os.path.exists(self.path("man/netius-gone.1")))
        self.assertEqual(tool([DOCGEN, "--check", self.dir]).returncode, 0)


BASH_DRIVER = r'''
source "$1"; shift
COMP_WORDS=("$@"); COMP_CWORD=$(($# - 1)); COMPREPLY=()
_netius
printf '%s\n' "${COMPREPLY[@]}"
'''


class CompletionTest(TempDirTest):
    def test_completion_command_prints_the_installed_scripts(self):
        for shell, name in (("bash", "netius.bash"), ("zsh", "_netius"), ("fish", "netius.fish")):
            r = run(["completion", shell])
            self.assertEqual(r.returncode, 0, r.stderr)
            with open(os.path.join(COMPLETIONS, name), "rb") as f:
                self.assertEqual(r.stdout, f.read(), "%s is stale; run `make docs`" % name)

    def complete(self, *words):
        r = tool(["bash", "--norc", "--noprofile", "-c", BASH_DRIVER, "bash",
                  os.path.join(COMPLETIONS, "netius.bash")] + list(words))
        self.assertEqual(r.stderr, b"")
        return [w for w in r.stdout.decode().split("\n") if w]

    def test_bash_completes_commands_options_and_values(self):
        self.assertEqual(self.complete("netius", "d"), ["dns", "dkim"])
        self.assertEqual(self.complete("netius", "dkim", "s"), ["sign"])
        self.assertEqual(self.complete("netius", "--log-level", "INFO", "dkim", "v"), ["verify"])
        opts = self.complete("netius", "dkim", "sign", "--")
        for o in ("--help", "--identity", "--headers", "--canonicalization", "--in-place"):
            self.assertIn(o, opts)
        self.assertEqual(self.complete("netius", "dkim", "generate", "--type", ""),
                         ["rsa", "ed25519"])
        self.assertEqual(self.complete("netius", "dkim", "generate", "--type", "=", "e"),
                         ["ed25519"])
        self.assertEqual(self.complete("netius", "completion", ""), ["bash", "zsh", "fish"])
        self.assertEqual(self.complete("netius", "rsa", "read_p"), ["read_private", "read_public"])
        self.assertEqual(self.complete("netius-dkim", "s"), ["sign"])
        self.assertEqual(self.complete("/usr/bin/netius-auth", ""), ["generate", "verify"])

    def test_bash_completes_file_arguments(self):
        self.write("alpha.eml", "x")
        self.write("beta.key", "x")
        prefix = self.path("")
        self.assertEqual(self.complete("netius", "dkim", "sign", prefix + "a"),
                         [prefix + "alpha.eml"])
        # KEY, the second positional, after an option with a value.
        self.assertEqual(self.complete("netius", "dkim", "sign", "--identity", "a@b", "m.eml",
                                       prefix + "b"), [prefix + "beta.key"])
        self.assertEqual(self.complete("netius", "dkim", "generate", "--key-out", prefix + "b"),
                         [prefix + "beta.key"])
        # SELECTOR is text: no file names.
        self.assertEqual(self.complete("netius", "dkim", "sign", "m", "k", prefix), [])

    def test_bash_offers_what_help_shows_at_every_level(self):
        for path, (subs, aliases, opts) in TREE.items():
            words = ["netius"] + list(path)
            names = set(subs) | {a for names in aliases.values() for a in names}
            self.assertEqual(names - set(self.complete(*words, "")), set(), path)
            self.assertEqual(set(opts) - set(self.complete(*words, "-")), set(), path)

    def test_bash_registers_every_name(self):
        r = tool(["bash", "--norc", "--noprofile", "-c",
                  'source "$1" && complete -p', "bash", os.path.join(COMPLETIONS, "netius.bash")])
        registered = r.stdout.decode()
        for name in ["netius"] + ["netius-" + p[0] for p, (subs, _, _) in TREE.items()
                                  if len(p) == 1 and subs]:
            self.assertIn("complete -F _netius %s\n" % name, registered)

    def test_zsh_script_syntax(self):
        zsh = shutil.which("zsh")
        self.assertIsNotNone(zsh, "zsh missing: make deps installs it")
        r = tool([zsh, "-n", os.path.join(COMPLETIONS, "_netius")], check=False)
        self.assertEqual((r.returncode, r.stderr), (0, b""))

    def test_fish_script_syntax(self):
        fish = shutil.which("fish")
        self.assertIsNotNone(fish, "fish missing: make deps installs it")
        r = tool([fish, "-n", os.path.join(COMPLETIONS, "netius.fish")], check=False)
        self.assertEqual((r.returncode, r.stderr), (0, b""))

    def fish_complete(self, line):
        """Candidates fish offers for the command line `line` (names only)."""
        script = os.path.join(COMPLETIONS, "netius.fish")
        r = tool(["fish", "--no-config", "-c", 'source $argv[1]; complete -C $argv[2]', script,
                  line])
        return [c.split("\t")[0] for c in r.stdout.decode().splitlines()]

    def test_fish_really_completes(self):
        self.assertIn("dkim", self.fish_complete("netius dk"))
        self.assertEqual(self.fish_complete("netius dkim s"), ["sign"])
        options = self.fish_complete("netius dkim sign --")
        for name in TREE[("dkim", "sign")][2]:
            if name.startswith("--"):
                self.assertIn(name, options)

    def test_bash_script_syntax(self):
        r = tool(["bash", "-n", os.path.join(COMPLETIONS, "netius.bash")], check=False)
        self.assertEqual((r.returncode, r.stderr), (0, b""))


if __name__ == "__main__":
    unittest.main()
