#include "commands/man_page.hpp"

#include <fmt/format.h>

#include <cctype>
#include <functional>
#include <sstream>

namespace netius::cmd {
namespace {

// Appends the `\[uXXXX]` escape of the UTF-8 sequence at text[i], advancing i past it.
void escape_utf8(std::string_view text, std::size_t& i, std::string& out) {
    auto byte = [&](std::size_t k) { return static_cast<unsigned char>(text[k]); };
    const unsigned char lead = byte(i);
    const std::size_t extra = lead >= 0xF8   ? 0
                              : lead >= 0xF0 ? 3
                              : lead >= 0xE0 ? 2
                              : lead >= 0xC0 ? 1
                                             : 0;
    char32_t cp = lead & (0x3F >> extra);
    bool valid = extra > 0 && i + extra < text.size();
    for (std::size_t k = 1; valid && k <= extra; ++k) {
        valid = (byte(i + k) & 0xC0) == 0x80;
        cp = (cp << 6) | (byte(i + k) & 0x3F);
    }
    if (!valid) {
        out += "\\[uFFFD]";  // not UTF-8: the replacement character, never raw bytes
        ++i;
        return;
    }
    out += fmt::format("\\[u{:04X}]", static_cast<unsigned>(cp));
    i += extra + 1;
}

// Help text as a sentence, so that text following it in the same paragraph reads well.
std::string sentence(std::string text) {
    while (!text.empty() && std::isspace(static_cast<unsigned char>(text.back()))) text.pop_back();
    if (!text.empty() && std::string_view(".!?").find(text.back()) == std::string_view::npos)
        text += '.';
    return text;
}

std::string bold(std::string_view t) {
    return "\\fB" + roff_escape(t) + "\\fR";
}
std::string italic(std::string_view t) {
    return "\\fI" + roff_escape(t) + "\\fR";
}

std::string join(const std::vector<std::string>& parts, const std::string& sep) {
    std::string out;
    for (const auto& p : parts) out += (out.empty() ? "" : sep) + p;
    return out;
}

// Help text as filled paragraph lines: leading blanks dropped (roff would break the line),
// blank lines become vertical space.
std::string paragraph(std::string_view text) {
    std::string out;
    std::istringstream in{std::string(text)};
    for (std::string line; std::getline(in, line);) {
        auto first = line.find_first_not_of(" \t");
        out += first == std::string::npos ? ".sp\n" : roff_escape(line.substr(first)) + "\n";
    }
    return out;
}

// A footer (examples) verbatim, indented, without filling.
std::string verbatim(std::string_view text) {
    std::string out = ".PP\n.nf\n.RS 4\n";
    std::istringstream in{std::string(text)};
    for (std::string line; std::getline(in, line);) out += roff_escape(line) + "\n";
    return out + ".RE\n.fi\n";
}

// `\fB\-k\fR, \fB\-\-key\fR \fIFILE\fR` or `\fIMESSAGE\fR`.
std::string option_label(const OptionDoc& o) {
    if (!o.positional.empty()) return italic(o.positional) + (o.repeatable ? "..." : "");
    std::vector<std::string> names;
    for (const auto& f : o.flags) names.push_back(bold(f));
    std::string label = join(names, ", ");
    if (o.kind != ValueKind::None) label += " " + italic(o.value_name);
    return label;
}

std::string option_entry(const OptionDoc& o) {
    std::string out = ".TP\n" + option_label(o) + "\n" + paragraph(o.description);
    std::vector<std::string> notes;
    if (o.required) notes.emplace_back("Required.");
    if (o.kind == ValueKind::Choice) {
        std::vector<std::string> choices;
        for (const auto& c : o.choices) choices.push_back(bold(c));
        notes.emplace_back("One of: " + join(choices, ", ") + ".");
    }
    if (!o.default_value.empty()) notes.push_back("Default: " + bold(o.default_value) + ".");
    if (!o.envname.empty())
        notes.push_back("Environment: " + bold(o.envname) + " (the option wins).");
    if (o.repeatable && o.positional.empty()) notes.emplace_back("May be given more than once.");
    if (!notes.empty()) out += ".br\n" + join(notes, "\n") + "\n";
    return out;
}

// `\fBnetius dkim sign\fR [\fB\-\-identity\fR \fITEXT\fR] \fIMESSAGE\fR ...`
std::string synopsis(const CommandDoc& c) {
    std::string out = bold(c.invocation());
    for (const auto& o : c.options) {
        if (o.flags.empty() || o.flags.back() == "--help") continue;
        std::string item = bold(o.flags.back());
        if (o.kind != ValueKind::None) item += " " + italic(o.value_name);
        out += " " + (o.required ? item : "[" + item + "]");
    }
    for (const auto& p : c.positionals) {
        std::string item = italic(p.positional) + (p.repeatable ? "..." : "");
        out += " " + (p.required ? item : "[" + item + "]");
    }
    if (!c.is_leaf()) out += " " + italic("COMMAND") + " [" + italic("ARGS") + "...]";
    return out + "\n";
}

std::string header(const std::string& title, const std::string& name, const std::string& summary) {
    return ".\\\" " +
           std::string(
               "Generated from the command tree by netius-docgen (`make docs`); "
               "do not edit.\n") +
           ".TH " + roff_quote(title) + " 1 " + roff_quote("netius " NETIUS_VERSION) + " " +
           roff_quote("netius") + " " + roff_quote("User Commands") + "\n.nh\n.ad l\n.SH NAME\n" +
           roff_escape(name) + " \\- " + paragraph(summary);
}

std::string exit_status() {
    return ".SH EXIT STATUS\n.TP\n\\fB0\\fR\nSuccess.\n.TP\n\\fB1\\fR\n"
           "Failure, including a password or signature that does not verify; one line on "
           "standard error: " +
           bold("netius: ") + italic("command") + bold(": ") + italic("what went wrong") +
           ".\n.TP\n\\fB2\\fR\nUsage error: the command line could not be parsed; the message "
           "is followed by a hint to run with " +
           bold("--help") + ".\n";
}

// Arguments and options of one command, each list under a bold label (or a section header).
std::string command_details(const CommandDoc& c, bool sections) {
    std::string out;
    auto label = [&](const char* section, const char* text) {
        out += sections ? std::string(".SH ") + section + "\n" : ".PP\n" + bold(text) + "\n";
    };
    if (!c.positionals.empty()) {
        label("ARGUMENTS", "Arguments");
        for (const auto& p : c.positionals) out += option_entry(p);
    }
    if (!c.options.empty()) {
        label("OPTIONS", "Options");
        for (const auto& o : c.options) out += option_entry(o);
    }
    if (!c.footer.empty()) {
        if (sections) out += ".SH EXAMPLES\n";
        out += verbatim(c.footer);
    }
    return out;
}

std::string aliases_note(const CommandDoc& c) {
    if (c.aliases.empty()) return "";
    std::vector<std::string> names;
    for (const auto& a : c.aliases) names.push_back(bold(a));
    return ".PP\nAlso spelled " + join(names, ", ") + ".\n";
}

std::string command_page(const CommandDoc& top, bool busybox) {
    const std::string page = "netius-" + top.name;
    std::string title = "NETIUS-" + top.name;
    for (char& c : title) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    std::string out = header(title, page, top.description);
    out += ".SH SYNOPSIS\n";
    auto leaves = leaf_commands(top);
    if (top.is_leaf()) leaves = {&top};
    for (std::size_t i = 0; i < leaves.size(); ++i)
        out += (i ? ".br\n" : "") + synopsis(*leaves[i]);
    if (busybox) out += ".br\n" + bold(page) + " " + italic("COMMAND") + " ...\n";
    out += ".SH DESCRIPTION\n" + paragraph(top.description) + aliases_note(top);
    if (busybox)
        out += ".PP\nInstalled as a link named " + bold(page) + ", netius behaves as " +
               bold(top.invocation()) + ".\n";
    if (top.is_leaf()) {
        out += command_details(top, true);
    } else {
        out += ".SH COMMANDS\n";
        for (const CommandDoc* leaf : leaves) {
            out += ".SS " + roff_quote(leaf->invocation()) + "\n" + synopsis(*leaf) + ".PP\n" +
                   paragraph(leaf->description) + aliases_note(*leaf) +
                   command_details(*leaf, false);
        }
        if (!top.options.empty()) {
            out += ".SH OPTIONS\n";
            for (const auto& o : top.options) out += option_entry(o);
        }
    }
    return out + exit_status() + ".SH SEE ALSO\n.BR netius (1)\n";
}

std::string overview_page(const CommandDoc& root) {
    std::string summary = root.description;
    if (summary.starts_with("netius: ")) summary.erase(0, 8);
    std::string out = header("NETIUS", "netius", summary) + ".SH SYNOPSIS\n" + synopsis(root);
    const auto groups = busybox_groups(root);
    if (!groups.empty())
        out += ".br\n" + bold("netius-") + italic("GROUP") + " " + italic("COMMAND") + " ...\n";
    out += ".SH DESCRIPTION\n" + paragraph(sentence(root.description)) +
           ".PP\nEvery command prints its arguments and options with " + bold("--help") +
           "; the pages under SEE ALSO describe each command in full.\n.SH COMMANDS\n";
    for (const CommandDoc* leaf : leaf_commands(root))
        out += ".TP\n" + bold(leaf->invocation()) + "\n" + paragraph(sentence(leaf->description)) +
               "See " + bold("netius-" + leaf->path.front()) + "(1).\n";
    out += ".SH OPTIONS\n";
    for (const auto& o : root.options) out += option_entry(o);

    std::string env;
    std::function<void(const CommandDoc&)> collect = [&](const CommandDoc& c) {
        for (const auto& o : c.options) {
            if (o.envname.empty()) continue;
            env +=
                ".TP\n" + bold(o.envname) + "\nValue for " + bold(o.flags.back()) +
                (c.path.empty() ? std::string(" (all commands)") : " of " + bold(c.invocation())) +
                " when the option is not given.\n";
        }
        for (const auto& child : c.children) collect(child);
    };
    collect(root);
    if (!env.empty()) out += ".SH ENVIRONMENT\n" + env;
    out += exit_status();
    if (!groups.empty()) {
        std::vector<std::string> links;
        links.reserve(groups.size());
        for (const auto& g : groups) links.push_back(bold("netius-" + g));
        out += ".SH BUSYBOX LINKS\n" + bold("make install") + " also installs the links " +
               join(links, ", ") + ". Invoked through a link named " + bold("netius-") +
               italic("GROUP") + ", netius behaves as " + bold("netius ") + italic("GROUP") + ": " +
               bold("netius-dkim sign") + " runs " + bold("netius dkim sign") + ".\n";
    }
    out += ".SH SEE ALSO\n";
    for (std::size_t i = 0; i < root.children.size(); ++i)
        out += ".BR " + roff_escape("netius-" + root.children[i].name) + " (1)" +
               (i + 1 < root.children.size() ? "," : "") + "\n";
    return out;
}

}  // namespace

std::string roff_escape(std::string_view text) {
    std::string out;
    bool line_start = true;
    for (std::size_t i = 0; i < text.size();) {
        const char c = text[i];
        if (line_start && (c == '.' || c == '\'')) out += "\\&";
        line_start = c == '\n';
        if (c == '\\')
            out += "\\e";
        else if (c == '-')
            out += "\\-";
        else if (static_cast<unsigned char>(c) >= 0x80) {
            escape_utf8(text, i, out);
            continue;
        } else
            out += c;
        ++i;
    }
    return out;
}

std::string roff_quote(std::string_view text) {
    std::string out = "\"";
    for (char c : roff_escape(text)) {
        if (c == '"')
            out += "\\(dq";
        else
            out += c == '\n' ? ' ' : c;
    }
    return out + "\"";
}

std::map<std::string, std::string> man_pages(const CommandDoc& root) {
    std::map<std::string, std::string> pages;
    pages["netius.1"] = overview_page(root);
    for (const auto& c : root.children)
        pages["netius-" + c.name + ".1"] = command_page(c, !c.is_leaf());
    return pages;
}

}  // namespace netius::cmd
