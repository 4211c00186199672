// netius-docgen: writes man/*.1 and completions/* from the command tree (`make docs`), or with
// --check compares them and lists the stale files (exit 1), so the docs cannot drift.
//   netius-docgen DIR          write DIR/man/... and DIR/completions/...
//   netius-docgen --check DIR  exit 0 if DIR matches the tree, else 1 and one line per file
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>
#include <string>

#include "commands/cli.hpp"
#include "commands/cli_doc.hpp"
#include "util/error.hpp"
#include "util/files.hpp"

namespace fs = std::filesystem;

namespace {

constexpr int kExitStale = 1;
constexpr int kExitUsage = 2;

std::string read_file(const fs::path& p) {
    std::ifstream in(p, std::ios::binary);
    std::ostringstream s;
    s << in.rdbuf();
    return s.str();
}

// Generated-looking files in DIR that the tree no longer produces (a removed command's page).
std::set<std::string> existing_files(const fs::path& dir) {
    std::set<std::string> found;
    for (const char* sub : {"man", "completions"}) {
        std::error_code ec;
        for (const auto& e : fs::directory_iterator(dir / sub, ec)) {
            const std::string name = e.path().filename().string();
            bool page = std::string(sub) == "man" && e.path().extension() == ".1";
            bool script =
                std::string(sub) == "completions" && name.find("netius") != std::string::npos;
            if (e.is_regular_file() && (page || script))
                found.insert(std::string(sub) + "/" + name);
        }
    }
    return found;
}

int check(const fs::path& dir, const std::map<std::string, std::string>& files) {
    int stale = 0;
    for (const auto& [rel, content] : files) {
        const fs::path p = dir / rel;
        if (!fs::exists(p)) {
            std::printf("missing: %s\n", rel.c_str());
            ++stale;
        } else if (read_file(p) != content) {
            std::printf("stale: %s\n", rel.c_str());
            ++stale;
        }
    }
    for (const auto& rel : existing_files(dir)) {
        if (!files.count(rel)) {
            std::printf("not generated (remove it): %s\n", rel.c_str());
            ++stale;
        }
    }
    if (stale)
        std::fprintf(stderr, "netius-docgen: %d file(s) out of date; run `make docs`\n", stale);
    return stale ? kExitStale : 0;
}

void write(const fs::path& dir, const std::map<std::string, std::string>& files) {
    for (const auto& [rel, content] : files) {
        const fs::path p = dir / rel;
        fs::create_directories(p.parent_path());
        if (fs::exists(p) && read_file(p) == content) continue;  // keep mtimes of unchanged files
        netius::write_output(p.string(), content, {});
        std::printf("wrote %s\n", rel.c_str());
    }
    for (const auto& rel : existing_files(dir)) {
        if (!files.count(rel)) {
            fs::remove(dir / rel);
            std::printf("removed %s\n", rel.c_str());
        }
    }
}

}  // namespace

int main(int argc, char** argv) {
    std::string first = argc > 1 ? argv[1] : "";
    const bool checking = first == "--check";
    if (argc != (checking ? 3 : 2) || (!checking && first.starts_with("-"))) {
        std::fprintf(stderr, "usage: netius-docgen [--check] DIR\n");
        return kExitUsage;
    }
    const fs::path dir = argv[checking ? 2 : 1];
    try {
        auto cli = netius::cmd::make_cli();
        auto files = netius::cmd::generate_doc_files(*cli->app);
        if (checking) return check(dir, files);
        write(dir, files);
        return 0;
    } catch (const std::exception& e) {
        std::fprintf(stderr, "netius-docgen: %s\n", e.what());
        return 1;
    }
}
