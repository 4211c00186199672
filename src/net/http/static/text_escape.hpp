#pragma once
// Escaping untrusted text (file names, paths) for HTML and JSON output. Both replace each byte
// that is not part of valid UTF-8 (overlong forms and surrogates included) with U+FFFD, so a
// page or document that declares UTF-8 stays valid whatever bytes a name holds. Pure, any
// thread.
#include <string>
#include <string_view>

namespace netius::net::http {

/// Appends `text` for HTML text or a quoted attribute value: & < > " ' as character
/// references (HTML5 §13.1), so it can never open a tag, an attribute or a script.
void append_html_escaped(std::string& out, std::string_view text);

/// Appends `text` as a JSON string, quotes included (RFC 8259 §7): " \ and control characters
/// escaped; < > & as \u003c \u003e \u0026 too, so the JSON is also inert inside HTML.
void append_json_string(std::string& out, std::string_view text);

}  // namespace netius::net::http
