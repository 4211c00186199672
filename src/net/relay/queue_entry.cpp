#include "net/relay/queue_entry.hpp"

#include <charconv>
#include <random>

#include <fmt/format.h>

namespace netius::net::relay {
namespace {

constexpr std::string_view kMagic = kQueueMagic;

std::string clean(std::string_view text) {
    std::string out(text);
    for (char& c : out)
        if (c == '\t' || c == '\r' || c == '\n') c = ' ';
    return out;
}

std::string dash(std::string_view text) {
    return text.empty() ? "-" : clean(text);
}
std::string undash(std::string_view text) {
    return text == "-" ? "" : std::string(text);
}

std::vector<std::string_view> split_tabs(std::string_view line, std::size_t max_fields) {
    std::vector<std::string_view> out;
    while (out.size() + 1 < max_fields) {
        const std::size_t tab = line.find('\t');
        if (tab == std::string_view::npos) break;
        out.push_back(line.substr(0, tab));
        line.remove_prefix(tab + 1);
    }
    out.push_back(line);
    return out;
}

template <typename T>
bool to_number(std::string_view s, T& out) {
    auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), out);
    return ec == std::errc() && p == s.data() + s.size();
}

std::optional<RecipientState> parse_state(std::string_view s) {
    if (s == "pending") return RecipientState::kPending;
    if (s == "delivered") return RecipientState::kDelivered;
    if (s == "failed") return RecipientState::kFailed;
    return std::nullopt;
}

bool parse_rcpt(std::string_view value, QueuedRecipient& r) {
    const auto f = split_tabs(value, 8);
    if (f.size() != 8) return false;
    const auto state = parse_state(f[0]);
    if (!state || !to_number(f[1], r.attempts) || !to_number(f[2], r.next_attempt) ||
        !to_number(f[3], r.code) || f[6].empty())
        return false;
    r.state = *state;
    r.enhanced = undash(f[4]);
    r.remote = undash(f[5]);
    r.address = std::string(f[6]);
    r.diagnostic = std::string(f[7]);
    return true;
}

bool fail(std::string* error, std::string text) {
    if (error) *error = std::move(text);
    return false;
}

bool parse_line(std::string_view key, std::string_view value, QueueEntry& e, std::string* error) {
    if (key == "id") {
        e.id = std::string(value);
    } else if (key == "created") {
        if (!to_number(value, e.created)) return fail(error, "bad created time");
    } else if (key == "sender") {
        e.sender = std::string(value);
    } else if (key == "flags") {
        e.smtputf8 = value.find("smtputf8") != std::string_view::npos;
        e.eight_bit = value.find("8bit") != std::string_view::npos;
    } else if (key == "bounced") {
        if (value != "0" && value != "1") return fail(error, "bad bounced flag");
        e.bounced = value == "1";
    } else if (key == "rcpt") {
        QueuedRecipient r;
        if (!parse_rcpt(value, r)) return fail(error, "bad rcpt line");
        e.recipients.push_back(std::move(r));
    } else {
        return fail(error, fmt::format("unknown line '{}'", key));
    }
    return true;
}

}  // namespace

bool QueueEntry::finished() const {
    for (const auto& r : recipients)
        if (r.state == RecipientState::kPending) return false;
    return true;
}

std::vector<const QueuedRecipient*> QueueEntry::failures() const {
    std::vector<const QueuedRecipient*> out;
    for (const auto& r : recipients)
        if (r.state == RecipientState::kFailed) out.push_back(&r);
    return out;
}

std::string_view state_name(RecipientState s) {
    switch (s) {
        case RecipientState::kPending:
            return "pending";
        case RecipientState::kDelivered:
            return "delivered";
        case RecipientState::kFailed:
            return "failed";
    }
    return "pending";
}

std::string format_entry(const QueueEntry& e) {
    std::string flags = e.smtputf8 ? "smtputf8" : "";
    if (e.eight_bit) flags += flags.empty() ? "8bit" : " 8bit";
    std::string out =
        fmt::format("{}\nid\t{}\ncreated\t{}\nsender\t{}\nflags\t{}\nbounced\t{}\n", kMagic,
                    clean(e.id), e.created, clean(e.sender), flags, e.bounced ? 1 : 0);
    for (const auto& r : e.recipients)
        out += fmt::format("rcpt\t{}\t{}\t{}\t{}\t{}\t{}\t{}\t{}\n", state_name(r.state),
                           r.attempts, r.next_attempt, r.code, dash(r.enhanced), dash(r.remote),
                           clean(r.address), clean(r.diagnostic));
    return out;
}

std::optional<QueueEntry> parse_entry(std::string_view text, std::string* error) {
    QueueEntry e;
    bool first = true;
    while (!text.empty()) {
        const std::size_t nl = text.find('\n');
        if (nl == std::string_view::npos) return fail(error, "truncated"), std::nullopt;
        const std::string_view line = text.substr(0, nl);
        text.remove_prefix(nl + 1);
        if (first) {
            if (line != kMagic) return fail(error, "not a netius queue file"), std::nullopt;
            first = false;
            continue;
        }
        const std::size_t tab = line.find('\t');
        if (tab == std::string_view::npos) return fail(error, "line without a TAB"), std::nullopt;
        if (!parse_line(line.substr(0, tab), line.substr(tab + 1), e, error)) return std::nullopt;
    }
    if (first) return fail(error, "empty file"), std::nullopt;
    if (e.id.empty() || e.recipients.empty())
        return fail(error, "no id or no recipient"), std::nullopt;
    return e;
}

std::string message_file_head(const QueueEntry& entry) {
    return format_entry(entry) + '\n';
}

std::optional<std::size_t> message_offset(std::string_view text) {
    if (text.size() <= kMagic.size() || text.substr(0, kMagic.size()) != kMagic ||
        text[kMagic.size()] != '\n')
        return std::nullopt;
    const std::size_t end = text.find("\n\n");
    if (end == std::string_view::npos) return std::nullopt;
    return end + 2;
}

std::string make_queue_id() {
    thread_local std::mt19937_64 rng{std::random_device{}()};
    return fmt::format("{:016X}", rng());
}

}  // namespace netius::net::relay
