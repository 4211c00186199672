#include "commands/config_values.hpp"

#include <algorithm>
#include <regex>

#include <fmt/format.h>

namespace netius::cmd {
namespace {

// The default as values: "false" for a flag without one; CLI11 writes a list as "[a,b]".
std::vector<std::string> default_values(const CLI::Option& option) {
    const std::string& text = option.get_default_str();
    if (text.empty()) return {"false"};
    if (option.get_items_expected_max() <= 1 || text.front() != '[' || text.back() != ']')
        return {text};
    if (text == "[]") return {};
    return CLI::detail::split(text.substr(1, text.size() - 2), ',');
}

// A TOML string (TOML 1.0 §String). Text with quotes or backslashes becomes a literal string
// ('...', no escapes), which CLI11's reader, stripping the quotes only, reads back the same;
// otherwise a basic string with control characters escaped.
std::string toml_string(const std::string& text) {
    auto control = [](char c) { return static_cast<unsigned char>(c) < 0x20 || c == 0x7f; };
    if (text.find_first_of("\"\\") != std::string::npos && text.find('\'') == std::string::npos &&
        std::none_of(text.begin(), text.end(), control))
        return "'" + text + "'";
    std::string quoted = "\"";
    for (char c : text) {
        if (c == '"' || c == '\\')
            quoted += {'\\', c};
        else if (control(c))
            quoted += fmt::format("\\u{:04x}", static_cast<unsigned char>(c));
        else
            quoted += c;
    }
    return quoted + "\"";
}

}  // namespace

bool is_secret(const CLI::Option& option) {
    static const std::regex kSecret("password|secret|token|passphrase|credential",
                                    std::regex::icase);
    static const std::regex kPath("(file|path|dir)$", std::regex::icase);
    for (const std::string& name : {option.get_lnames().front(), option.get_envname()})
        if (std::regex_search(name, kSecret) && !std::regex_search(name, kPath)) return true;
    return false;
}

std::string toml_value(const CLI::Option& option, const std::vector<std::string>& values) {
    const bool secret = is_secret(option);
    static const std::regex kNumber(R"(-?(0|[1-9][0-9]*)(\.[0-9]+)?)");
    static const std::regex kAuthHeader(R"(^\s*(proxy-)?authorization\s*:)", std::regex::icase);
    auto one = [&](const std::string& v) {
        if (!secret && std::regex_search(v, kAuthHeader))
            return toml_string(v.substr(0, v.find(':')) + ": ********");
        if (secret && !v.empty()) return std::string("\"********\"");
        if (std::regex_match(v, kNumber) || v == "true" || v == "false") return v;
        return toml_string(v);
    };
    if (option.get_expected_min() == 0 && values.size() == 1) {  // a flag: true or false
        try {
            return std::string(CLI::detail::to_flag_value(values.front()) > 0 ? "true" : "false");
        } catch (const std::invalid_argument&) {
        }
    }
    if (option.get_items_expected_max() <= 1) return one(values.empty() ? "" : values.front());
    std::string list;
    for (const auto& v : values) list += (list.empty() ? "" : ", ") + one(v);
    return "[" + list + "]";
}

std::string config_line(const CLI::Option& option, Source source) {
    // An option without a default that was not given is shown commented out: it is unset.
    const bool flag = option.get_expected_min() == 0;
    const bool unset = source == Source::Default && option.get_default_str().empty() && !flag;
    std::string value = unset
                            ? "\"\""
                            : toml_value(option, source == Source::Default ? default_values(option)
                                                                           : option.results());
    std::string line =
        fmt::format("{}{} = {}", unset ? "# " : "", option.get_lnames().front(), value);
    std::string env =
        option.get_envname().empty() ? "" : fmt::format(" ({})", option.get_envname());
    return fmt::format("{:<44} # {}{}", line, source_name(source), env);
}

}  // namespace netius::cmd
