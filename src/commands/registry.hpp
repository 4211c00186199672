#pragma once
// One registration function per command file; registry.cpp calls them in menu order.
#include "commands/cli.hpp"

namespace netius::cmd {

void register_rsa_read(Cli& cli, CLI::App& rsa);
void register_rsa_convert(Cli& cli, CLI::App& rsa);
void register_dkim_generate(Cli& cli, CLI::App& dkim);
void register_dkim_sign(Cli& cli, CLI::App& dkim);
void register_dkim_verify(Cli& cli, CLI::App& dkim);
void register_auth_generate(Cli& cli, CLI::App& auth);
void register_auth_verify(Cli& cli, CLI::App& auth);
void register_serve_hello(Cli& cli, CLI::App& serve);
void register_serve_file(Cli& cli, CLI::App& serve);
void register_serve_smtp(Cli& cli, CLI::App& serve);
void register_serve_relay(Cli& cli, CLI::App& serve);
void register_serve_wsgi(Cli& cli, CLI::App& serve);
void register_serve_proxy(Cli& cli, CLI::App& serve);
void register_http_commands(Cli& cli, CLI::App& http);  // get, post, put, ... request
void register_dns_query(Cli& cli, CLI::App& dns);
void register_smtp_send(Cli& cli, CLI::App& smtp);
void register_config_show(Cli& cli, CLI::App& config);
void register_completion(Cli& cli, CLI::App& root);

}  // namespace netius::cmd
