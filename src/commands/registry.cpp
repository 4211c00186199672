// The table of contents of the netius command line: every group and command, in menu order.
#include "commands/registry.hpp"

#include "util/logging.hpp"

namespace netius::cmd {

std::unique_ptr<Cli> make_cli() {
    auto cli = std::make_unique<Cli>();
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

    CLI::App& serve = *cli->add_group(root, "serve", "Servers on the netius engine");
    register_serve_hello(*cli, serve);
    register_serve_file(*cli, serve);
    register_serve_smtp(*cli, serve);
    register_serve_relay(*cli, serve);
    register_serve_wsgi(*cli, serve);
    register_serve_proxy(*cli, serve);

    CLI::App& http = *cli->add_group(root, "http", "HTTP client on the netius engine");
    register_http_commands(*cli, http);

    CLI::App& dns = *cli->add_group(root, "dns", "DNS client (c-ares) on the netius engine");
    register_dns_query(*cli, dns);

    CLI::App& smtp = *cli->add_group(root, "smtp", "SMTP client on the netius engine");
    register_smtp_send(*cli, smtp);

    CLI::App& rsa = *cli->add_group(root, "rsa", "RSA key inspection and conversion");
    register_rsa_read(*cli, rsa);
    register_rsa_convert(*cli, rsa);

    CLI::App& dkim = *cli->add_group(root, "dkim", "DKIM keys and signatures (RSA and Ed25519)");
    register_dkim_generate(*cli, dkim);
    register_dkim_sign(*cli, dkim);
    register_dkim_verify(*cli, dkim);

    CLI::App& auth = *cli->add_group(root, "auth", "Password hashes (argon2id and netius formats)");
    register_auth_generate(*cli, auth);
    register_auth_verify(*cli, auth);

    CLI::App& config = *cli->add_group(root, "config", "The effective configuration");
    register_config_show(*cli, config);

    register_completion(*cli, root);
    return cli;
}

}  // namespace netius::cmd
