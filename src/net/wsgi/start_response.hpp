#pragma once
// start_response (PEP 3333 "The start_response() Callable"): checks the status and headers an
// app gives, applies the exc_info rules and collects what the app's write() callable writes.
// The pure checks are separate so they can be tested without an interpreter.
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <pybind11/pybind11.h>

namespace netius::net::wsgi {

/// What is wrong with a status line ("200 OK"): three digits 100-999, a space, a reason of
/// RFC 9112 §4 reason-phrase characters (HTAB, SP, VCHAR, obs-text: no CR, LF or other
/// controls); nullopt when it is right. Pure, any thread.
std::optional<std::string> status_error(std::string_view status);

/// What is wrong with a response header: a token name (RFC 9110 §5.1) that is not "Status"
/// nor hop-by-hop (Connection, Keep-Alive, Proxy-Authenticate, Proxy-Authorization, TE,
/// Trailer(s), Transfer-Encoding, Upgrade — PEP 3333 leaves those to the server), a value
/// without CR, LF or NUL (response splitting); nullopt when it is right. Pure, any thread.
std::optional<std::string> header_error(std::string_view name, std::string_view value);

/// The start_response callable of one app call. Python object: GIL held.
class StartResponse {
  public:
    /// start_response(status, headers, exc_info=None). Raises ValueError/TypeError for a bad
    /// status or header; without exc_info a second call raises AssertionError; with exc_info
    /// once the head is out it re-raises that exception (the caller then closes the
    /// connection). Returns the write() callable.
    pybind11::object call(const pybind11::object& self, const pybind11::object& status,
                          const pybind11::object& headers, const pybind11::object& exc_info);
    /// write(data): appends bytes sent before the iterable's content, then calls the write
    /// hook, if any.
    void write(const pybind11::object& data);
    /// Called by write() (GIL held) once the data is appended; it may take_written() and hand
    /// it on (--threads: to the client at once) or throw error_already_set.
    void set_write_hook(std::function<void()> hook) { write_hook_ = std::move(hook); }

    bool called() const { return called_; }
    int code() const { return code_; }
    /// The app's reason phrase ("Whatever" of "299 Whatever"), sent as given.
    const std::string& reason() const { return reason_; }
    const std::vector<std::pair<std::string, std::string>>& headers() const { return headers_; }
    /// The app's Content-Length (not in headers()), when it set one.
    std::optional<std::uint64_t> content_length() const { return content_length_; }
    /// The head has been handed to the connection: exc_info now re-raises.
    void mark_sent() { sent_ = true; }
    bool sent() const { return sent_; }
    /// Takes what write() collected.
    std::string take_written() { return std::exchange(written_, {}); }
    bool has_written() const { return !written_.empty(); }

  private:
    bool called_ = false;
    bool sent_ = false;
    int code_ = 0;
    std::string reason_;
    std::vector<std::pair<std::string, std::string>> headers_;
    std::optional<std::uint64_t> content_length_;
    std::string written_;
    std::function<void()> write_hook_;
};

/// Registers StartResponse in `module` (once, at start-up). GIL held.
void register_start_response(pybind11::module_& module);

}  // namespace netius::net::wsgi
