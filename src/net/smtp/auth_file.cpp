#include "net/smtp/auth_file.hpp"

#include "util/error.hpp"
#include "util/files.hpp"

namespace netius::net::smtp {

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
        const std::size_t colon = line.find(':');
        if (colon == std::string_view::npos || colon == 0 || colon + 1 == line.size())
            throw Error("{}:{}: expected 'user:hash' (see 'netius auth generate')", name, number);
        auto [it, added] = f.users_.emplace(std::string(line.substr(0, colon)),
                                            std::string(line.substr(colon + 1)));
        if (!added) throw Error("{}:{}: user '{}' appears twice", name, number, it->first);
    }
    return f;
}

const std::string* AuthFile::find(std::string_view user) const {
    auto it = users_.find(std::string(user));
    return it == users_.end() ? nullptr : &it->second;
}

}  // namespace netius::net::smtp
