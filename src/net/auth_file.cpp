#include "net/auth_file.hpp"

#include "util/ascii.hpp"
#include "util/error.hpp"
#include "util/files.hpp"

namespace netius::net {
namespace {

constexpr std::string_view kAllowedFrom = "allowed_from=";

// Splits a trailing "<WSP>allowed_from=a@x,b@y" off `line` into `out`; false when absent.
bool take_allowed_from(std::string_view& line, std::vector<std::string>& out) {
    const std::size_t at = line.rfind(kAllowedFrom);
    if (at == std::string_view::npos || at == 0 || (line[at - 1] != ' ' && line[at - 1] != '\t'))
        return false;
    std::string_view list = line.substr(at + kAllowedFrom.size());
    line = line.substr(0, at);
    while (!line.empty() && (line.back() == ' ' || line.back() == '\t')) line.remove_suffix(1);
    while (!list.empty()) {
        const std::size_t comma = list.find(',');
        const std::string_view item = list.substr(0, comma);
        if (!item.empty()) out.push_back(to_lower(item));
        list.remove_prefix(comma == std::string_view::npos ? list.size() : comma + 1);
    }
    return true;
}

}  // namespace

AuthFile AuthFile::load(const std::string& path) {
    return parse(read_input(path), path);
}

AuthFile AuthFile::parse(std::string_view text, const std::string& name) {
    AuthFile f;
    std::size_t number = 0;
    while (!text.empty()) {
        const std::size_t nl = text.find('\n');
        std::string_view line = text.substr(0, nl);
        text.remove_prefix(nl == std::string_view::npos ? text.size() : nl + 1);
        ++number;
        if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
        if (line.empty() || line.front() == '#') continue;
        std::vector<std::string> allowed;
        const bool restricted = take_allowed_from(line, allowed);
        const std::size_t colon = line.find(':');
        if (colon == std::string_view::npos || colon == 0 || colon + 1 == line.size())
            throw Error("{}:{}: expected 'user:hash' (see 'netius auth generate')", name, number);
        auto [it, added] = f.users_.emplace(std::string(line.substr(0, colon)),
                                            std::string(line.substr(colon + 1)));
        if (!added) throw Error("{}:{}: user '{}' appears twice", name, number, it->first);
        if (restricted) f.allowed_from_[it->first] = std::move(allowed);
    }
    return f;
}

const std::string* AuthFile::find(std::string_view user) const {
    auto it = users_.find(std::string(user));
    return it == users_.end() ? nullptr : &it->second;
}

const std::vector<std::string>* AuthFile::allowed_from(std::string_view user) const {
    auto it = allowed_from_.find(std::string(user));
    return it == allowed_from_.end() ? nullptr : &it->second;
}

}  // namespace netius::net
