#pragma once
// DotStuffer — the message content as it goes after DATA (RFC 5321 §4.5.2), the inverse of
// DataDecoder: a line starting with "." gets a second one, and ".<CRLF>" ends the data.
// Streaming: feed the content in any pieces, then finish().
//
// Line ends are normalised to CRLF (RFC 5321 §2.3.8: bare CR and bare LF must not be sent):
// "\n" and a lone "\r" each become "\r\n", so what the receiver stores is exactly the
// content's lines and no peer can read an end of data we did not mean (SMTP smuggling,
// CVE-2023-51764). Content already in CRLF lines passes unchanged apart from the dots.
// Pure; any thread; one stuffer per message.
#include <string>
#include <string_view>

namespace netius::net::smtp {

class DotStuffer {
  public:
    /// Appends the stuffed form of `in` to `out`.
    void encode(std::string_view in, std::string& out);
    /// Appends the end of data: CRLF when the content did not end with a line end (the
    /// terminator must start a line), then ".\r\n". The stuffer is then ready for a new message.
    void finish(std::string& out);

  private:
    bool line_start_ = true;
    bool pending_cr_ = false;  // a CR whose LF may come in the next piece
};

/// The whole DATA stream of `content`: encode() then finish().
std::string dot_stuff(std::string_view content);

}  // namespace netius::net::smtp
