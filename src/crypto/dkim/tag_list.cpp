#include "crypto/dkim/tag_list.hpp"

#include <fmt/format.h>

#include "util/ascii.hpp"

namespace netius::crypto::dkim {

namespace {

bool is_fws_char(char c) {
    return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

std::string_view trim(std::string_view s) {
    while (!s.empty() && is_fws_char(s.front())) s.remove_prefix(1);
    while (!s.empty() && is_fws_char(s.back())) s.remove_suffix(1);
    return s;
}

// Folding whitespace must be a line end followed by WSP (RFC 5322 §3.2.2); a line end
// anywhere else would be a line of its own.
bool valid_fws(std::string_view s) {
    for (std::size_t i = 0; i < s.size(); ++i) {
        if (s[i] == '\r' && (i + 1 >= s.size() || s[i + 1] != '\n')) return false;
        if (s[i] == '\n' && (i + 1 >= s.size() || (s[i + 1] != ' ' && s[i + 1] != '\t')))
            return false;
    }
    return true;
}

// A tag-spec's text for error messages: trimmed and shortened.
std::string shown(std::string_view spec) {
    spec = trim(spec);
    std::string s(spec.substr(0, 40));
    if (spec.size() > 40) s += "...";
    return s;
}

}  // namespace

std::optional<std::string_view> TagList::find(std::string_view name) const {
    for (const Tag& t : tags)
        if (t.name == name) return t.value;
    return std::nullopt;
}

std::variant<TagList, TagListError> parse_tag_list(std::string_view text) {
    TagList list;
    if (!valid_fws(text)) return TagListError{"line break that is not folding whitespace"};
    std::size_t pos = 0;
    for (;;) {
        std::size_t semi = text.find(';', pos);
        std::string_view spec =
            text.substr(pos, semi == std::string_view::npos ? std::string_view::npos : semi - pos);
        bool last = semi == std::string_view::npos;
        if (trim(spec).empty()) {
            if (last && !list.tags.empty()) break;  // a trailing ";" is allowed
            return TagListError{list.tags.empty() && last ? "empty tag list" : "empty tag"};
        }
        std::size_t eq = spec.find('=');
        if (eq == std::string_view::npos)
            return TagListError{fmt::format("missing '=' in '{}'", shown(spec))};
        std::string_view name = trim(spec.substr(0, eq));
        std::string_view value = trim(spec.substr(eq + 1));
        bool name_ok = !name.empty() && is_ascii_alpha(name.front());
        for (char c : name)
            name_ok = name_ok && (is_ascii_alpha(c) || is_ascii_digit(c) || c == '_');
        if (!name_ok) return TagListError{fmt::format("invalid tag name '{}'", shown(name))};
        for (char c : value) {
            auto u = static_cast<unsigned char>(c);
            bool valchar = (u >= 0x21 && u <= 0x7e) || u >= 0x80;  // ';' cannot occur here
            if (!valchar && !is_fws_char(c))
                return TagListError{fmt::format("invalid character in the value of '{}'", name)};
        }
        if (list.find(name)) return TagListError{fmt::format("duplicate tag '{}'", name)};
        list.tags.push_back(Tag{name, value});
        if (last) break;
        pos = semi + 1;
    }
    return list;
}

std::string strip_whitespace(std::string_view value) {
    std::string out;
    out.reserve(value.size());
    for (char c : value)
        if (!is_fws_char(c)) out += c;
    return out;
}

}  // namespace netius::crypto::dkim
