#pragma once
// A scripted SMTP server for the client tests, on the test's own EventLoop: it sends a
// greeting, then answers each command line with what `answer` returns ("" = no answer, for
// timeouts and pipelining checks; "close" closes the connection). After a 354 it collects the
// data up to "\r\n.\r\n" and answers "." the same way. A 220 to STARTTLS upgrades to TLS with
// `tls` (a server context). Everything it received is logged in order.
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "net/event_loop.hpp"
#include "net/tcp_server.hpp"
#include "net/tls_transport.hpp"

namespace netius::net::smtp::test {

class ScriptedPeer {
  public:
    using Answer = std::function<std::string(const std::string& command)>;

    ScriptedPeer(EventLoop* loop, std::string greeting, Answer answer,
                 const std::string& address = "127.0.0.1:0",
                 std::shared_ptr<TlsContext> tls = nullptr)
        : server_(loop, InetAddress::parse(address)),
          greeting_(std::move(greeting)),
          answer_(std::move(answer)),
          tls_(std::move(tls)) {
        server_.set_connection_callback([this](const TcpConnectionPtr& c) {
            if (!c->connected()) return;
            ++connections;
            data_mode_ = false;
            if (greeting_ == "close") return c->force_close();
            if (!greeting_.empty()) c->send(greeting_);
        });
        server_.set_message_callback(
            [this](const TcpConnectionPtr& c, Buffer& in) { on_message(c, in); });
        server_.start();
    }

    const InetAddress& address() const { return server_.address(); }
    /// Sends `bytes` on the current connections (deferred replies).
    void send_all(const std::string& bytes) {
        server_.for_each_connection([&](const TcpConnectionPtr& c) { c->send(bytes); });
    }

    std::vector<std::string> log;  // command lines, and "DATA " + the raw stuffed content
    int connections = 0;

  private:
    void on_message(const TcpConnectionPtr& c, Buffer& in) {
        for (;;) {
            std::string_view v = in.view();
            std::string got;
            if (data_mode_) {
                std::size_t end = v.starts_with(".\r\n") ? 0 : v.find("\r\n.\r\n");
                if (end == std::string_view::npos) return;
                std::size_t skip = end == 0 && v.starts_with(".\r\n") ? 3 : end + 5;
                log.push_back("DATA " + std::string(v.substr(0, end == 0 ? 0 : end + 2)));
                in.retrieve(skip);
                data_mode_ = false;
                got = ".";
            } else {
                std::size_t eol = v.find("\r\n");
                if (eol == std::string_view::npos) return;
                got = std::string(v.substr(0, eol));
                in.retrieve(eol + 2);
                log.push_back(got);
            }
            std::string reply = answer_(got);
            if (reply == "close") return c->force_close();
            if (reply.starts_with("354") || reply.find("\n354") != std::string::npos)
                data_mode_ = true;  // possibly after pipelined replies
            c->send(reply);
            if (got == "STARTTLS" && reply.starts_with("220") && tls_) {
                c->upgrade_transport(TlsTransport::accept(tls_, c->fd()),
                                     [](const TcpConnectionPtr&) {});
                return;
            }
        }
    }

    TcpServer server_;
    std::string greeting_;
    Answer answer_;
    std::shared_ptr<TlsContext> tls_;
    bool data_mode_ = false;
};

/// A well-behaved server offering `extensions` (EHLO lines after the first): 250 to
/// everything, 354 to DATA, 221 to QUIT.
inline std::string standard_answer(const std::string& command,
                                   const std::vector<std::string>& extensions) {
    if (command.starts_with("EHLO")) {
        std::string r = extensions.empty() ? "250 mx\r\n" : "250-mx\r\n";
        for (std::size_t i = 0; i < extensions.size(); ++i)
            r += (i + 1 < extensions.size() ? "250-" : "250 ") + extensions[i] + "\r\n";
        return r;
    }
    if (command.starts_with("HELO")) return "250 mx\r\n";
    if (command == "DATA") return "354 go ahead\r\n";
    if (command == ".") return "250 2.0.0 queued as 1\r\n";
    if (command == "QUIT") return "221 2.0.0 bye\r\n";
    if (command == "STARTTLS") return "220 2.0.0 ready\r\n";
    return "250 2.1.0 ok\r\n";
}

}  // namespace netius::net::smtp::test
