#include "commands/cli_doc.hpp"

#include <algorithm>
#include <cctype>
#include <regex>
#include <sstream>

#include "commands/completion_script.hpp"
#include "commands/man_page.hpp"

namespace netius::cmd {
namespace {

std::string lower(std::string s) {
    for (char& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return s;
}

std::vector<std::string> split(const std::string& s, char sep) {
    std::vector<std::string> parts;
    std::string part;
    std::istringstream in(s);
    while (std::getline(in, part, sep)) parts.push_back(part);
    return parts;
}

bool is_word_char(char c) {
    return std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '.' || c == '+' ||
           c == '-' || c == '/';
}

// `{a,b,c}` (CLI::IsMember's description) or `a|b|c` (a type name written as choices).
std::vector<std::string> choices_of(const std::vector<std::string>& type_segments) {
    for (const auto& seg : type_segments) {
        if (seg.size() > 2 && seg.front() == '{' && seg.back() == '}' &&
            seg.find("->") == std::string::npos)
            return split(seg.substr(1, seg.size() - 2), ',');
    }
    const std::string base = type_segments.empty() ? std::string() : type_segments.front();
    if (base.find('|') != std::string::npos &&
        std::all_of(base.begin(), base.end(), [](char c) { return c == '|' || is_word_char(c); })) {
        auto parts = split(base, '|');
        if (std::none_of(parts.begin(), parts.end(), [](auto& p) { return p.empty(); }))
            return parts;
    }
    return {};
}

bool names_a_file(const CLI::Option& opt, const std::vector<std::string>& type_segments) {
    for (const auto& seg : type_segments) {
        if (seg.starts_with("FILE") || seg.starts_with("PATH") || seg.starts_with("DIR") ||
            seg.ends_with("FILE"))
            return true;
    }
    std::vector<std::string> names = opt.get_lnames();
    names.push_back(opt.get_name(true));
    for (const auto& n : names)
        if (lower(n).find("file") != std::string::npos) return true;
    // "'-' for standard input": only a path can be a dash meaning stdin/stdout.
    static const std::regex dash_means_stdio(R"((^|[\s(])'?-'?\s+(for|means|is)\s+(standard|std))",
                                             std::regex::icase);
    if (std::regex_search(opt.get_description(), dash_means_stdio)) return true;
    // Keys are read from files: "PEM or DER".
    static const std::regex key_format(R"(\b(PEM|DER)\b)");
    if (std::regex_search(opt.get_description(), key_format)) return true;
    // "message file, - for stdin": the first four words of the help text.
    std::istringstream words(lower(opt.get_description()));
    std::string word;
    for (int i = 0; i < 4 && words >> word; ++i) {
        while (!word.empty() && !std::isalpha(static_cast<unsigned char>(word.back())))
            word.pop_back();
        if (word == "file" || word == "files" || word == "path" || word == "directory") return true;
    }
    return false;
}

OptionDoc describe_option(const CLI::Option& opt) {
    OptionDoc doc;
    for (const auto& s : opt.get_snames()) doc.flags.push_back("-" + s);
    for (const auto& l : opt.get_lnames()) doc.flags.push_back("--" + l);
    if (!opt.nonpositional()) doc.positional = opt.get_name(true);
    doc.description = opt.get_description();
    doc.envname = opt.get_envname();
    doc.default_value = opt.get_default_str();
    doc.required = opt.get_required();
    if (opt.get_items_expected_max() == 0 && opt.nonpositional()) return doc;  // a flag

    auto segments = split(opt.get_type_name(), ':');
    doc.value_name =
        opt.get_option_text().empty()
            ? (segments.empty() || segments.front().empty() ? "VALUE" : segments.front())
            : opt.get_option_text();
    doc.repeatable = opt.get_items_expected_max() > 1;
    doc.choices = choices_of(segments);
    if (!doc.choices.empty()) {
        doc.kind = ValueKind::Choice;
        if (doc.value_name == "TEXT") {
            doc.value_name.clear();
            for (const auto& c : doc.choices)
                doc.value_name += (doc.value_name.empty() ? "" : "|") + c;
        }
    } else {
        doc.kind = names_a_file(opt, segments) ? ValueKind::File : ValueKind::Text;
    }
    return doc;
}

CommandDoc describe(const CLI::App& app, std::vector<std::string> path,
                    const std::string& parent_footer) {
    CommandDoc doc;
    doc.path = std::move(path);
    doc.name = doc.path.empty() ? "netius" : doc.path.back();
    doc.aliases = app.get_aliases();
    doc.description = app.get_description();
    if (app.get_footer() != parent_footer) doc.footer = app.get_footer();
    for (const CLI::Option* opt : app.get_options()) {
        if (opt->get_group().empty()) continue;  // hidden
        auto o = describe_option(*opt);
        (o.positional.empty() ? doc.options : doc.positionals).push_back(std::move(o));
    }
    auto subs = app.get_subcommands([](const CLI::App* s) { return !s->get_group().empty(); });
    for (const CLI::App* sub : subs) {
        auto child_path = doc.path;
        child_path.push_back(sub->get_name());
        doc.children.push_back(describe(*sub, std::move(child_path), app.get_footer()));
    }
    doc.group = app.get_require_subcommand_min() > 0 || !doc.children.empty();
    return doc;
}

void collect_leaves(const CommandDoc& c, std::vector<const CommandDoc*>& out) {
    if (c.is_leaf() && !c.path.empty()) out.push_back(&c);
    for (const auto& child : c.children) collect_leaves(child, out);
}

}  // namespace

std::string CommandDoc::invocation() const {
    std::string s = "netius";
    for (const auto& p : path) s += " " + p;
    return s;
}

std::string CommandDoc::path_string() const {
    std::string s;
    for (const auto& p : path) s += (s.empty() ? "" : " ") + p;
    return s;
}

CommandDoc describe_cli(const CLI::App& root) {
    return describe(root, {}, std::string());
}

std::vector<const CommandDoc*> leaf_commands(const CommandDoc& root) {
    std::vector<const CommandDoc*> out;
    collect_leaves(root, out);
    return out;
}

std::vector<std::string> busybox_groups(const CommandDoc& root) {
    std::vector<std::string> groups;
    for (const auto& c : root.children)
        if (!c.is_leaf()) groups.push_back(c.name);
    return groups;
}

std::map<std::string, std::string> generate_doc_files(const CLI::App& root) {
    const CommandDoc doc = describe_cli(root);
    std::map<std::string, std::string> files;
    for (auto& [name, page] : man_pages(doc)) files["man/" + name] = std::move(page);
    for (Shell shell : {Shell::Bash, Shell::Zsh, Shell::Fish})
        files["completions/" + completion_file_name(shell)] = completion_script(doc, shell);
    return files;
}

}  // namespace netius::cmd
