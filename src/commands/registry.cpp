// The table of contents of the netius command line: every group and command, in menu order.
#include "commands/registry.hpp"

#include "util/logging.hpp"

namespace netius::cmd {

std::unique_ptr<Cli> make_cli(Registration registration) {
    auto cli = std::make_unique<Cli>(registration);
    cli->app = std::make_unique<CLI::App>(
        "netius: servers and network/crypto tools in one fast binary", "netius");
    CLI::App& root = *cli->app;
    // Global options work after the command too: `netius serve hello --log-level DEBUG`.
    root.fallthrough();
    root.set_version_flag("--version", version_text(),
                          "Print the version (with OpenSSL and libsodium) and exit");
    root.add_option("--log-level", cli->log_level,
                    "Log level: DEBUG, INFO, WARNING, ERROR, CRITICAL (also TRACE, SILENT)")
        ->envname("LEVEL")
        ->check([](const std::string& v) {
            return parse_log_level(v) ? std::string() : "unknown log level '" + v + "'";
        });
    root.add_option("--config", cli->config_file,
                    "Read unset options from this TOML file ([serve.hello] sections, long "
                    "option names); flags and environment win, ./netius.json comes after")
        ->type_name("FILE");
    root.footer("Run 'netius COMMAND --help' for a command's options; 'man netius' for more.");

    Cli& c = *cli;
    c.add_group(root, "serve", "Servers on the netius engine", [&c](CLI::App& serve) {
        register_serve_hello(c, serve);
        register_serve_file(c, serve);
        register_serve_smtp(c, serve);
        register_serve_relay(c, serve);
        register_serve_wsgi(c, serve);
        register_serve_proxy(c, serve);
    });
    c.add_group(root, "http", "HTTP client on the netius engine",
                [&c](CLI::App& http) { register_http_commands(c, http); });
    c.add_group(root, "dns", "DNS client (c-ares) on the netius engine",
                [&c](CLI::App& dns) { register_dns_query(c, dns); });
    c.add_group(root, "smtp", "SMTP client on the netius engine",
                [&c](CLI::App& smtp) { register_smtp_send(c, smtp); });
    c.add_group(root, "rsa", "RSA key inspection and conversion", [&c](CLI::App& rsa) {
        register_rsa_read(c, rsa);
        register_rsa_convert(c, rsa);
    });
    c.add_group(root, "dkim", "DKIM keys and signatures (RSA and Ed25519)", [&c](CLI::App& dkim) {
        register_dkim_generate(c, dkim);
        register_dkim_sign(c, dkim);
        register_dkim_verify(c, dkim);
    });
    c.add_group(root, "auth", "Password hashes (argon2id and netius formats)",
                [&c](CLI::App& auth) {
                    register_auth_generate(c, auth);
                    register_auth_verify(c, auth);
                });
    c.add_group(root, "config", "The effective configuration",
                [&c](CLI::App& config) { register_config_show(c, config); });

    register_completion(*cli, root);
    return cli;
}

}  // namespace netius::cmd
