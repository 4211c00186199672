"""Configuration files for every command: `--config FILE` (TOML, `[serve.hello]` sections),
netius' `netius.json` in the current directory (keys = environment names), the precedence
flag > environment > --config > netius.json > default, and `netius config show`."""
import json
import os
import re
import tomllib
import unittest

from harness import ServeProcess, TempDirTest, run, tool

LINE = re.compile(r"^(\S+) = (.*?)\s+# (flag|env|config|json|default)(?: \((\S+)\))?$")


class ConfigTest(TempDirTest):
    def show(self, *args, env=None, cwd=None):
        """{"serve.hello.port": (value, source)} from `netius config show ARGS`."""
        r = run(["config", "show"] + list(args), env=env, cwd=cwd or self.dir)
        self.assertEqual(r.returncode, 0, r.stderr)
        out = r.stdout.decode()
        tomllib.loads(out)  # the output is a --config file
        values, section = {}, ""
        for line in out.splitlines():
            if line.startswith("["):
                section = line.strip("[]") + "."
            elif line and not line.startswith("#"):
                m = LINE.match(line)
                self.assertIsNotNone(m, line)
                values[section + m.group(1)] = (m.group(2), m.group(3))
        return values

    def get(self, url, *curl_args):
        return tool(["curl", "-s", "--max-time", "10"] + list(curl_args) + [url]).stdout

    def test_a_toml_section_configures_its_command(self):
        cfg = self.write("netius.toml", '[serve.hello]\nmessage = "From TOML"\n'
                                        'keep-alive = false\n'
                                        '[serve.file]\nbase-path = "/nonexistent"\n')
        srv = ServeProcess(["hello", "--config", cfg])
        self.addCleanup(srv.stop)
        out = self.get(srv.url, "-i")
        self.assertTrue(out.endswith(b"\r\n\r\nFrom TOML"), out)
        self.assertIn(b"Connection: close", out)

    def test_netius_json_in_the_current_directory(self):
        self.write("netius.json", json.dumps({"MESSAGE": "From JSON", "UNKNOWN_KEY": {"a": 1}}))
        srv = ServeProcess(["hello"], cwd=self.dir)
        self.addCleanup(srv.stop)
        self.assertEqual(self.get(srv.url), b"From JSON")

    def test_precedence_flag_env_config_json_default(self):
        self.write("netius.toml", 'log-level = "ERROR"\n[serve.hello]\nmessage = "config"\n'
                                  'port = 8082\nencoding = "gzip"\n')
        self.write("netius.json", json.dumps({
            "LEVEL": "DEBUG", "MESSAGE": "json", "PORT": 8083, "ENCODING": "deflate",
            "CHILDREN": 3, "ALLOWED": ["127.0.0.1", "10.0.0.0/8"], "SSL": True}))
        v = self.show("serve", "hello", "--message", "flag", "--config", "netius.toml",
                      env={"PORT": "8081"})
        self.assertEqual(v["serve.hello.message"], ('"flag"', "flag"))
        self.assertEqual(v["serve.hello.port"], ("8081", "env"))
        self.assertEqual(v["serve.hello.encoding"], ('"gzip"', "config"))
        self.assertEqual(v["log-level"], ('"ERROR"', "config"))
        self.assertEqual(v["serve.hello.workers"], ("3", "json"))
        self.assertEqual(v["serve.hello.allowed"], ('"127.0.0.1;10.0.0.0/8"', "json"))
        self.assertEqual(v["serve.hello.ssl"], ("true", "json"))
        self.assertEqual(v["serve.hello.host"], ('"127.0.0.1"', "default"))
        self.assertEqual(v["serve.hello.keep-alive"][1], "default")
        # Without the files, the same command line is flag, env and defaults only.
        os.remove(self.path("netius.json"))
        v = self.show("serve", "hello", env={"PORT": "8081"})
        self.assertEqual(v["serve.hello.port"], ("8081", "env"))
        self.assertEqual(v["serve.hello.message"], ('"Hello World"', "default"))
        self.assertEqual(v["serve.hello.workers"], ("1", "default"))

    def test_show_output_is_a_config_file_with_the_same_values(self):
        first = self.show("serve", "file", "--port", "8090", "--no-list-dirs", "--cors")
        with open(self.path("effective.toml"), "w") as f:
            f.write(run(["config", "show", "serve", "file", "--port", "8090", "--no-list-dirs",
                         "--cors"]).stdout.decode())
        again = self.show("serve", "file", "--config", "effective.toml")
        for key, (value, source) in first.items():
            if key.startswith("serve.file."):
                self.assertEqual(again[key][0], value, key)
        self.assertEqual(again["serve.file.port"], ("8090", "config"))
        self.assertEqual(again["serve.file.list-dirs"], ("false", "config"))

    def test_show_masks_credentials(self):
        v = self.show("http", "get", "-H", "Authorization: Bearer s3cr3t", "-H", "X-A: b",
                      "http://127.0.0.1:1/")
        self.assertEqual(v["http.get.header"],
                         ('["Authorization: ********", "X-A: b"]', "flag"))
        r = run(["config", "show", "http", "get", "-H", "Authorization: Bearer s3cr3t", "x"])
        self.assertNotIn(b"s3cr3t", r.stdout)

    def test_show_takes_a_required_value_from_the_environment(self):
        # HTTP_URL gives `http get` its URL: config show must not call it missing.
        env = dict(os.environ, HTTP_URL="http://127.0.0.1:1/", NAMESERVERS="127.0.0.1:5353")
        values = self.show("http", "get", env=env)
        self.assertEqual(values["http.get.nameserver"], ('["127.0.0.1:5353"]', "env"))
        self.assertEqual(run(["config", "show", "http", "get"]).returncode, 2)

    def test_mistakes_are_usage_errors_naming_file_and_key(self):
        cases = [
            ("netius.toml", "[serve.hello]\nprot = 1\n", "unknown option 'serve.hello.prot'"),
            ("netius.toml", "[serve.nope]\nport = 1\n", "unknown option 'serve.nope.port'"),
            ("netius.toml", '[serve.hello]\nworkers = "x"\n', "serve.hello.workers"),
            ("netius.toml", '[serve.hello]\nssl = "maybe"\n', "SSL must be 1, true"),
            ("netius.json", '{"PORT": 1', "netius.json"),
            ("netius.json", '{"CHILDREN": "x"}', "netius.json: CHILDREN"),
            ("netius.json", '{"CHILDREN": {"a": 1}}', "netius.json: CHILDREN"),
            ("netius.json", '[1]', "expected one JSON object"),
        ]
        for name, text, fragment in cases:
            with self.subTest(text=text):
                self.write(name, text)
                args = ["serve", "hello", "--port", "0"]
                if name == "netius.toml":
                    args += ["--config", name]
                r = run(args, cwd=self.dir, timeout=10)
                err = r.stderr.decode()
                self.assertEqual(r.returncode, 2, err)
                self.assertTrue(err.startswith("netius: serve hello: "), err)
                self.assertIn(fragment, err)
                os.remove(self.path(name))
        r = run(["serve", "hello", "--config", "missing.toml"], cwd=self.dir, timeout=10)
        self.assertEqual(r.returncode, 2)
        self.assertIn(b"missing.toml: no such file", r.stderr)

    def test_environment_values_an_option_rejects_name_the_variable(self):
        for env, fragment in (({"PORT": "abc"}, "--port"), ({"CHILDREN": "5000"}, "--workers"),
                              ({"KEEP_ALIVE": "maybe"}, "--keep-alive")):
            with self.subTest(env=env):
                r = run(["serve", "hello"], env=env, cwd=self.dir, timeout=10)
                err = r.stderr.decode()
                self.assertEqual(r.returncode, 2, err)
                name, value = next(iter(env.items()))
                self.assertTrue(err.startswith("netius: serve hello: environment %s=%s: "
                                               % (name, value)), err)
                self.assertIn(fragment, err)
        # The flag's own bad value is the flag's fault, whatever the environment holds.
        r = run(["serve", "hello", "--port", "abc"], env={"PORT": "abc"}, timeout=10)
        self.assertEqual(r.returncode, 2)
        self.assertNotIn(b"PORT=abc", r.stderr)
        self.assertIn(b"--port", r.stderr)
        # A flag that wins over the environment leaves a bad value there unread, and a
        # command without the option never reads it.
        v = self.show("serve", "hello", "--port", "8085", env={"PORT": "abc"})
        self.assertEqual(v["serve.hello.port"], ("8085", "flag"))
        r = run(["auth", "generate", "secret", "sha256", "netius"], env={"PORT": "abc"})
        self.assertEqual(r.returncode, 0, r.stderr)
        srv = ServeProcess(["hello"], env={"PORT": "abc"})  # it adds --port 0
        self.addCleanup(srv.stop)
        self.assertEqual(self.get(srv.url), b"Hello World")
        r = run(["config", "show", "serve", "hello"], env={"PORT": "abc"})
        self.assertEqual(r.returncode, 2)
        self.assertTrue(r.stderr.startswith(b"netius: config show: environment PORT=abc: "),
                        r.stderr)

    def test_an_empty_index_files_variable_means_none(self):
        v = self.show("serve", "file", env={"INDEX_FILES": ""})
        self.assertEqual(v["serve.file.index-files"], ('[""]', "env"))
        v = self.show("serve", "file")
        self.assertEqual(v["serve.file.index-files"], ('["index.html"]', "default"))
        os.makedirs(self.path("www"))
        self.write("www/index.html", "the index")
        # The environment beats a configuration file, an empty value too.
        self.write("netius.toml", '[serve.file]\nindex-files = ["index.html"]\n')
        for env, cfg, want_index in (({}, [], True), ({"INDEX_FILES": ""}, [], False),
                                     ({"INDEX_FILES": ""}, ["--config", "netius.toml"], False)):
            with self.subTest(env=env, cfg=cfg):
                srv = ServeProcess(["file", "--base-path", self.path("www")] + cfg, env=env,
                                   cwd=self.dir)
                self.addCleanup(srv.stop)
                page = self.get(srv.url + "/")
                if want_index:
                    self.assertEqual(page, b"the index")
                else:  # no index file: the listing, which names it
                    self.assertIn(b"Index of /", page)
                    self.assertIn(b'href="index.html"', page)

    def test_every_command_reads_the_config_file(self):
        self.write("netius.toml", '[auth.generate]\n')  # sections may be empty
        r = run(["auth", "generate", "secret", "sha256", "netius", "--config", "netius.toml"],
                cwd=self.dir)
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertTrue(r.stdout.startswith(b"sha256:6e6574697573:"))
        self.write("netius.toml", '[rsa.read]\njson = true\n')
        tool(["openssl", "genpkey", "-algorithm", "RSA", "-pkeyopt", "rsa_keygen_bits:1024",
              "-out", self.path("k.pem")])
        r = run(["rsa", "read", "k.pem", "--config", "netius.toml"], cwd=self.dir)
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertEqual(json.loads(r.stdout)["bits"], 1024)

    def test_proxy_routes_as_an_array_and_as_tables(self):
        a, b, c = (ServeProcess(["hello", "--message", m]) for m in ("a", "b", "c"))
        for s in (a, b, c):
            self.addCleanup(s.stop)
        cfg = self.write("proxy.toml", f"""
[serve.proxy]
to = "{c.url}"
route = ["a.test={a.url}"]

[[serve.proxy.route]]
host = "b.test"
to = ["{b.url}", "{b.url}"]

[[serve.proxy.route]]
host = "a.test"
prefix = "/api"
to = "{b.url}"
""")
        proxy = ServeProcess(["proxy", "--config", cfg], cwd=self.dir)
        self.addCleanup(proxy.stop)
        for host, path, want in (("a.test", "/", b"a"), ("a.test", "/api/x", b"b"),
                                 ("b.test", "/", b"b"), ("other.test", "/", b"c")):
            self.assertEqual(self.get(proxy.url + path, "-H", "Host: " + host), want, host)
        v = self.show("serve", "proxy", "--config", cfg)
        self.assertEqual(v["serve.proxy.route"][1], "config")
        self.assertEqual(v["serve.proxy.route"][0],
                         f'["a.test={a.url}", "b.test={b.url},{b.url}", "a.test/api={b.url}"]')
        # A flag wins over the file, tables included.
        v = self.show("serve", "proxy", "--config", cfg, "--route", "x.test=http://x")
        self.assertEqual(v["serve.proxy.route"], ('["x.test=http://x"]', "flag"))
        for table, fragment in (("host = 'b.test'\nto = 'ftp://x'", "unsupported scheme"),
                                ("to = 'http://x'", "no 'host'"),
                                ("host = 'b.test'", "no 'to'"),
                                ("host = 'b.test'\nprefix = 'api'\nto = 'http://x'",
                                 "does not start with '/'"),
                                ("host = 'b.test'\nport = 1\nto = 'http://x'",
                                 "unknown key 'port'")):
            with self.subTest(table=table):
                self.write("bad.toml", "[[serve.proxy.route]]\n" + table + "\n")
                r = run(["serve", "proxy", "--port", "0", "--config", "bad.toml"], cwd=self.dir,
                        timeout=10)
                err = r.stderr.decode()
                self.assertEqual(r.returncode, 2, err)
                self.assertIn("bad.toml: [[serve.proxy.route]] number 1: ", err)
                self.assertIn(fragment, err)


if __name__ == "__main__":
    unittest.main()
