#pragma once
// The SMTP dialogue as it happens, line by line, for a human watching it (`netius smtp send
// -v`, like swaks): what the client sent, what the server answered, and connection events.
// Credentials never appear: AUTH PLAIN's argument and AUTH LOGIN's answers are replaced by
// "****"; the message content is summarised, not copied.
#include <functional>
#include <string_view>

namespace netius::net::smtp {

enum class TranscriptLine {
    kClient,  // a command line we sent (without CRLF)
    kServer,  // a reply line received (without CRLF)
    kInfo,    // "Connected to mx.example.org [127.0.0.1]", "TLS started", ...
};

/// Called on the loop thread, in order; must not call back into the session.
using TranscriptCallback = std::function<void(TranscriptLine, std::string_view)>;

}  // namespace netius::net::smtp
