// `netius smtp send [MESSAGE|-] --from ADDR --to ADDR...` — netius' `python -m netius.sh.smtp
// send PATH FROM TO [HOST PORT USER PASS STLS]` with swaks' reach. CLI adapter only: the work
// is smtp_send_run.cpp over net::smtp::Deliverer.
#include "commands/registry.hpp"
#include "commands/smtp_send_run.hpp"

namespace netius::cmd {

void register_smtp_send(Cli& cli, CLI::App& smtp) {
    auto o = std::make_shared<SendOptions>();
    auto* c = cli.add_command(smtp, "send", "Send a message by SMTP (like swaks)",
                              [o] { return run_smtp_send(*o); });
    c->add_option("MESSAGE", o->args,
                  "RFC 5322 message file ('-' for standard input; LF or CRLF lines), sent as "
                  "is; none: compose one. netius' form MESSAGE FROM TO [HOST PORT USER PASS "
                  "STLS] works too (PASS must be '-')")
        ->expected(0, CLI::detail::expected_max_vector_size)  // the count is checked later
        ->type_name("FILE");
    c->add_option("-f,--from", o->from, "Envelope sender (MAIL FROM)")
        ->option_text("ADDR")
        ->group("Envelope");
    c->add_option("-t,--to", o->to, "Recipient (RCPT TO); repeatable, or comma-separated")
        ->option_text("ADDR")
        ->delimiter(',')
        ->group("Envelope");
    c->add_option("-s,--server", o->server,
                  "Send everything to this submission server or smarthost; port 25 by default, "
                  "587 with --auth-user, 465 with --tls (default: each recipient domain's MX)")
        ->option_text("HOST[:PORT]")
        ->group("Delivery");
    c->add_option("--helo", o->helo, "Our EHLO name (default: this machine's host name)")
        ->option_text("NAME")
        ->group("Delivery");
    c->add_option("--nameserver", o->nameservers,
                  "DNS server for MX lookups IP[:PORT] (repeatable; ';'-separated in "
                  "NAMESERVERS); default: /etc/resolv.conf")
        ->envname("NAMESERVERS")
        ->delimiter(';')
        ->option_text("IP[:PORT]")
        ->group("Delivery");
    c->add_option("--mx-port", o->mx_port, "Port of the MX hosts (without --server)")
        ->capture_default_str()
        ->group("Delivery");
    c->add_option("--timeout", o->timeout,
                  "SECONDS to connect and for each reply (twice that after the content)")
        ->capture_default_str()
        ->check(CLI::Range(0.001, 3600.0))
        ->group("Delivery");
    auto* starttls = c->add_flag("--starttls", o->starttls,
                                 "Require STARTTLS and a valid certificate (default: "
                                 "STARTTLS when offered, certificate unchecked)")
                         ->group("TLS");
    c->add_flag("--tls", o->tls, "Implicit TLS from the first byte (port 465, RFC 8314)")
        ->excludes(starttls)
        ->group("TLS");
    c->add_option("--cacert", o->cacert,
                  "Trust the CA certificates in FILE (PEM) instead of the system's")
        ->option_text("FILE")
        ->group("TLS");
    c->add_flag("-k,--insecure", o->insecure,
                "With --starttls or --tls: require TLS but do not verify the certificate")
        ->group("TLS");
    c->add_option("-u,--auth-user", o->auth_user,
                  "AUTH PLAIN/LOGIN as USER (only over TLS); the password from "
                  "--auth-password-file, NETIUS_SMTP_PASSWORD or a prompt")
        ->option_text("USER")
        ->group("Authentication");
    c->add_option("--auth-password-file", o->auth_password_file,
                  "Read the password from the first line of FILE")
        ->option_text("FILE")
        ->group("Authentication");
    c->add_option("--dkim", o->dkim,
                  "Sign with a DKIM-Signature for DOMAIN (the From domain) before sending")
        ->option_text("DOMAIN:SELECTOR:KEYFILE")
        ->group("Message");
    c->add_option("--subject", o->subject, "Compose: the Subject (UTF-8 allowed)")
        ->group("Message");
    c->add_option("--body", o->body, "Compose: the body text, or @FILE (@- for stdin)")
        ->option_text("TEXT|@FILE")
        ->group("Message");
    c->add_option("-H,--header", o->headers,
                  "Compose: an extra field (repeatable); From, To, Subject, Date or Message-ID "
                  "given this way replace ours")
        ->option_text("'NAME: VALUE'")
        ->group("Message");
    c->add_flag("-v,--verbose", o->verbose,
                "Print the SMTP dialogue on stderr (-> sent, <- received; AUTH masked)")
        ->group("Output");
    c->footer(
        "Without MESSAGE a message is composed from --subject, --body and --header, with\n"
        "From, To, Date and Message-ID. Opportunistic TLS by default; AUTH only over TLS.\n"
        "\n"
        "Examples:\n"
        "  netius smtp send mail.eml --from a@example.org --to b@example.net   # MX delivery\n"
        "  netius smtp send --server smtp.example.org --starttls -u alice \\\n"
        "      --auth-password-file pw --from alice@example.org --to b@example.net \\\n"
        "      --subject hi --body @note.txt --dkim example.org:mail:mail.key\n"
        "  netius smtp send mail.eml a@example.org b@example.net 127.0.0.1 2525   # netius'\n"
        "\n"
        "Exit status: 0 delivered to every recipient; 1 other failure; 2 usage; 3 refused\n"
        "permanently (5xx, no such domain); 4 refused temporarily (4xx); 5 no server reached\n"
        "(connection, TLS, timeout or DNS trouble). With several recipients: 3 if any got 3,\n"
        "else 4, else 5. One line 'netius: smtp send: RCPT: REPLY' per undelivered recipient.");
}

}  // namespace netius::cmd
