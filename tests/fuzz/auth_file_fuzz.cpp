// libFuzzer target for `--auth-file` contents (AuthFile::parse): "user:<hash>" lines, comments
// and blank lines, as an operator (or whoever can write the file) might get them wrong.
//
// Invariants: parse either loads or throws netius::Error (nothing else escapes); what loads
// has at most one user per line; every "user:hash" line of a loaded file finds its hash (the
// split is at the first ':'); a user not in the file is not found.
#include <cstdint>
#include <string>
#include <string_view>

#include "fuzz_util.hpp"
#include "net/auth_file.hpp"
#include "util/error.hpp"

using netius::fuzz::check;
using netius::net::AuthFile;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string_view text(reinterpret_cast<const char*>(data), size);
    AuthFile file = AuthFile::parse("", "empty");
    try {
        file = AuthFile::parse(text, "fuzz");
    } catch (const netius::Error& e) {
        check(std::string_view(e.what()).find("fuzz") != std::string_view::npos,
              "error does not name the file");
        return 0;
    }
    std::size_t lines = 0;
    for (std::size_t start = 0; start <= text.size();) {
        std::size_t end = text.find('\n', start);
        if (end == std::string_view::npos) end = text.size();
        std::string_view line = text.substr(start, end - start);
        ++lines;
        start = end + 1;
        if (line.ends_with('\r')) line.remove_suffix(1);
        const std::size_t colon = line.find(':');
        if (line.empty() || line.front() == '#' || colon == std::string_view::npos) continue;
        const std::string* hash = file.find(line.substr(0, colon));
        check(hash != nullptr, "a loaded user is not found");
    }
    check(file.size() <= lines, "more users than lines");
    check(file.find("\n") == nullptr, "a user with a line break");
    return 0;
}
