#include "commands/smtp_send_message.hpp"

#include <algorithm>

#include <fmt/format.h>

#include "crypto/encoding.hpp"
#include "net/relay/outbound_message.hpp"
#include "util/ascii.hpp"
#include "util/error.hpp"

namespace netius::cmd {
namespace {

bool ascii(std::string_view s) {
    for (unsigned char c : s)
        if (c >= 0x80) return false;
    return true;
}

std::string_view field_name(std::string_view field) {
    return field.substr(0, field.find(':'));
}

bool has_field(const std::vector<std::string>& headers, std::string_view name) {
    for (const std::string& h : headers)
        if (iequals(field_name(h), name)) return true;
    return false;
}

// RFC 2047 §4.1: one "B" encoded-word per 45 bytes, never splitting a UTF-8 sequence, so each
// word stays under the 75-character limit; words are joined by folding whitespace.
std::string encoded_words(std::string_view text) {
    std::string out;
    while (!text.empty()) {
        std::size_t n = std::min<std::size_t>(45, text.size());
        while (n < text.size() && n > 0 && (static_cast<unsigned char>(text[n]) & 0xC0) == 0x80)
            --n;
        if (!out.empty()) out += "\r\n ";
        out += "=?UTF-8?B?" + crypto::base64_encode(text.substr(0, n)) + "?=";
        text.remove_prefix(n);
    }
    return out;
}

bool truthy(const std::string& v, bool& out) {
    std::string l = to_lower(v);
    if (l == "1" || l == "true" || l == "yes" || l == "on") return out = true, true;
    if (l == "0" || l == "false" || l == "no" || l == "off") return out = false, true;
    return false;
}

}  // namespace

std::string check_header_field(std::string_view field) {
    const std::size_t colon = field.find(':');
    if (colon == std::string_view::npos || colon == 0) return "expected 'Name: value'";
    for (unsigned char c : field.substr(0, colon))
        if (c <= ' ' || c >= 0x7F) return "the field name must be printable ASCII";
    if (field.find_first_of("\r\n") != std::string_view::npos)
        return "the field must be one line (no CR or LF)";
    return {};
}

std::string to_crlf(std::string_view content) {
    std::string out;
    out.reserve(content.size() + content.size() / 32 + 2);
    for (std::size_t i = 0; i < content.size(); ++i) {
        const char c = content[i];
        if (c == '\r') {
            out += "\r\n";
            if (i + 1 < content.size() && content[i + 1] == '\n') ++i;
        } else if (c == '\n') {
            out += "\r\n";
        } else {
            out += c;
        }
    }
    if (out.size() < 2 || out.compare(out.size() - 2, 2, "\r\n") != 0) out += "\r\n";
    return out;
}

std::string compose_message(const Composition& c, std::string_view id, std::int64_t now) {
    std::string head;
    for (const std::string& h : c.headers) head += h + "\r\n";
    if (!has_field(c.headers, "From")) head += "From: " + c.from + "\r\n";
    if (!has_field(c.headers, "To") && !c.to.empty()) {
        head += "To: " + c.to[0];
        for (std::size_t i = 1; i < c.to.size(); ++i) head += ",\r\n " + c.to[i];
        head += "\r\n";
    }
    if (!has_field(c.headers, "Subject"))
        head += "Subject: " + (ascii(c.subject) ? c.subject : encoded_words(c.subject)) + "\r\n";
    const std::size_t at = c.from.rfind('@');
    const std::string domain = at == std::string::npos ? "localhost" : c.from.substr(at + 1);
    head += net::relay::missing_fields(head + "\r\n", id, domain, now);
    if (!ascii(c.body) && !has_field(c.headers, "Content-Type")) {
        if (!has_field(c.headers, "MIME-Version")) head += "MIME-Version: 1.0\r\n";
        head += "Content-Type: text/plain; charset=UTF-8\r\nContent-Transfer-Encoding: 8bit\r\n";
    }
    return head + "\r\n" + (c.body.empty() ? std::string() : to_crlf(c.body));
}

std::vector<std::pair<std::string, std::vector<std::string>>> by_domain(
    const std::vector<std::string>& recipients) {
    std::vector<std::pair<std::string, std::vector<std::string>>> out;
    for (const std::string& r : recipients) {
        const std::size_t at = r.rfind('@');
        if (at == std::string::npos || at == 0 || at + 1 == r.size())
            throw UsageError("--to '{}' is not an address (local-part@domain)", r);
        const std::string domain = to_lower(r.substr(at + 1));
        auto it = std::find_if(out.begin(), out.end(),
                               [&](const auto& group) { return group.first == domain; });
        if (it == out.end()) it = out.emplace(out.end(), domain, std::vector<std::string>{});
        it->second.push_back(r);
    }
    return out;
}

int send_exit_status(const std::vector<net::smtp::RecipientOutcome>& outcomes) {
    bool permanent = false, transient = false, no_server = false;
    for (const net::smtp::RecipientOutcome& o : outcomes) {
        if (o.fate == net::smtp::RecipientFate::kDelivered) continue;
        if (o.fate == net::smtp::RecipientFate::kPermanent || o.code / 100 == 5)
            permanent = true;
        else if (o.code / 100 == 4)
            transient = true;
        else
            no_server = true;
    }
    return permanent ? kExitPermanent : transient ? kExitTransient : no_server ? kExitNoServer : 0;
}

NetiusArgs parse_netius_args(const std::vector<std::string>& args) {
    if (args.size() < 2)
        throw UsageError(
            "netius' form is MESSAGE FROM TO [HOST PORT USER PASS STLS]; got {} "
            "argument(s) after MESSAGE",
            args.size());
    if (args.size() > 7) throw UsageError("too many arguments after MESSAGE FROM TO");
    NetiusArgs n;
    n.from = args[0];
    for (std::size_t start = 0; start <= args[1].size();) {
        const std::size_t comma = std::min(args[1].find(',', start), args[1].size());
        if (comma > start) n.to.push_back(args[1].substr(start, comma - start));
        start = comma + 1;
    }
    if (args.size() > 2) n.server = args[2];
    if (args.size() > 3) *n.server += ":" + args[3];
    if (args.size() > 4 && !args[4].empty()) n.user = args[4];
    if (args.size() > 5 && args[5] != "-")
        throw UsageError(
            "PASS must be '-': the password is never taken from the command line "
            "(use --auth-password-file, NETIUS_SMTP_PASSWORD or the prompt)");
    if (args.size() > 6 && !truthy(args[6], n.starttls))
        throw UsageError("STLS must be 1/true/yes/on or 0/false/no/off, not '{}'", args[6]);
    return n;
}

}  // namespace netius::cmd
