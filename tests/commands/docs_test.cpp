// man/ and completions/ are generated from the CLI tree: the checked-in files must equal what
// the generators produce now, cover every command and option, and escape roff correctly.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "commands/cli.hpp"
#include "commands/cli_doc.hpp"
#include "commands/completion_script.hpp"
#include "commands/man_page.hpp"

namespace netius::cmd {
namespace {

namespace fs = std::filesystem;

std::string slurp(const fs::path& p) {
    std::ifstream in(p, std::ios::binary);
    std::ostringstream s;
    s << in.rdbuf();
    return s.str();
}

std::map<std::string, std::string> generated() {
    auto cli = make_cli();
    return generate_doc_files(*cli->app);
}

TEST(Docs, CheckedInFilesMatchTheCommandTree) {
    const fs::path root = NETIUS_SOURCE_DIR;
    const auto files = generated();
    ASSERT_TRUE(files.count("man/netius.1"));
    for (const auto& [rel, content] : files) {
        ASSERT_TRUE(fs::exists(root / rel)) << rel << " is missing; run `make docs`";
        EXPECT_TRUE(slurp(root / rel) == content) << rel << " is stale; run `make docs`";
    }
    for (const auto& e : fs::directory_iterator(root / "man")) {
        const std::string rel = "man/" + e.path().filename().string();
        EXPECT_TRUE(files.count(rel)) << rel << " is not generated any more; run `make docs`";
    }
}

TEST(Docs, GenerationIsDeterministicAndVersioned) {
    const auto a = generated(), b = generated();
    EXPECT_EQ(a, b);
    EXPECT_NE(a.at("man/netius.1").find(".TH \"NETIUS\" 1 \"netius " NETIUS_VERSION "\""),
              std::string::npos);
}

TEST(Docs, ManPagesCoverEveryLeafCommandAndOption) {
    auto cli = make_cli();
    const CommandDoc tree = describe_cli(*cli->app);
    const auto pages = man_pages(tree);
    const auto leaves = leaf_commands(tree);
    ASSERT_GE(leaves.size(), 5u);  // auth generate/verify, completion, rsa..., dkim...
    for (const CommandDoc* leaf : leaves) {
        const std::string& page = pages.at("netius-" + leaf->path.front() + ".1");
        const std::string& overview = pages.at("netius.1");
        EXPECT_NE(overview.find("\\fB" + roff_escape(leaf->invocation()) + "\\fR"),
                  std::string::npos)
            << leaf->invocation() << " missing from netius.1";
        EXPECT_NE(page.find(roff_escape(leaf->invocation())), std::string::npos)
            << leaf->invocation();
        EXPECT_NE(page.find(roff_escape(leaf->description)), std::string::npos)
            << leaf->invocation();
        for (const auto& o : leaf->options)
            for (const auto& f : o.flags)
                EXPECT_NE(page.find("\\fB" + roff_escape(f) + "\\fR"), std::string::npos)
                    << leaf->invocation() << " " << f;
        for (const auto& p : leaf->positionals)
            EXPECT_NE(page.find("\\fI" + roff_escape(p.positional) + "\\fR"), std::string::npos)
                << leaf->invocation() << " " << p.positional;
    }
    for (const auto& o : tree.options)
        for (const auto& f : o.flags)
            EXPECT_NE(pages.at("netius.1").find("\\fB" + roff_escape(f) + "\\fR"),
                      std::string::npos)
                << f;
    EXPECT_NE(pages.at("netius.1").find(".SH ENVIRONMENT\n.TP\n\\fBLEVEL\\fR"), std::string::npos);
}

struct EscapeCase {
    const char* in;
    const char* out;
};

TEST(ManPage, RoffEscapeTable) {
    const EscapeCase cases[] = {
        {"plain text", "plain text"},
        {"--key-out", "\\-\\-key\\-out"},
        {".starts with a dot", "\\&.starts with a dot"},
        {"'starts with a quote", "\\&'starts with a quote"},
        {"a.b and it's", "a.b and it's"},
        {"line\n.next\n'third", "line\n\\&.next\n\\&'third"},
        {"back\\slash \\fB", "back\\eslash \\efB"},
        {"\\", "\\e"},
        {"\xe2\x89\xa4 78", "\\[u2264] 78"},         // ≤
        {"caf\xc3\xa9", "caf\\[u00E9]"},             // é
        {"\xf0\x9f\x94\x91", "\\[u1F511]"},          // 4-byte sequence
        {"bad \xff byte", "bad \\[uFFFD] byte"},     // not UTF-8
        {"cut \xe2\x89", "cut \\[uFFFD]\\[uFFFD]"},  // truncated sequence
        {"", ""},
    };
    for (const auto& c : cases) EXPECT_EQ(roff_escape(c.in), c.out) << c.in;
}

TEST(ManPage, RoffQuoteTable) {
    const EscapeCase cases[] = {
        {"netius dkim sign", "\"netius dkim sign\""},
        {"say \"hi\"", "\"say \\(dqhi\\(dq\""},
        {".dot", "\"\\&.dot\""},
        {"two\nlines", "\"two lines\""},
    };
    for (const auto& c : cases) EXPECT_EQ(roff_quote(c.in), c.out) << c.in;
}

TEST(Completion, ShellQuotingTable) {
    const EscapeCase sh[] = {
        {"plain", "'plain'"}, {"it's", "'it'\\''s'"}, {"", "''"}, {"$x `y` \\z", "'$x `y` \\z'"}};
    for (const auto& c : sh) EXPECT_EQ(sh_single_quote(c.in), c.out) << c.in;
    const EscapeCase fish[] = {{"plain", "'plain'"}, {"it's", "'it\\'s'"}, {"a\\b", "'a\\\\b'"}};
    for (const auto& c : fish) EXPECT_EQ(fish_single_quote(c.in), c.out) << c.in;
}

// A synthetic tree exercising every convention, independent of the real commands.
struct Sample {
    CLI::App app{"netius: sample tree", "netius"};
    std::string s;
    bool b = false;
    std::vector<std::string> many;

    Sample() {
        app.require_subcommand(1);
        app.footer("root footer");
        auto* grp = app.add_subcommand("grp", "A group");
        grp->require_subcommand(1);
        auto* leaf = grp->add_subcommand("leaf", "A leaf\n.with a dot line");
        leaf->alias("lf");
        leaf->footer("Example:\n  netius grp leaf --kind a -");
        leaf->add_option("--kind,-k", s, "pick one")->check(CLI::IsMember({"a", "b"}));
        leaf->add_option("--algo", s, "algorithm")->type_name("rsa|ed25519");
        leaf->add_option("--canon", s, "c=")->type_name("relaxed/relaxed|simple/simple");
        leaf->add_option("--out", s, "where")->check(CLI::NonexistentPath);
        leaf->add_option("--typed", s, "typed")->type_name("FILE");
        leaf->add_option("--key-file", s, "the key");
        leaf->add_option("--text", s, "just text \\ with a backslash")->envname("TEXTY");
        leaf->add_option("--hidden", s, "secret")->group("");
        leaf->add_flag("--flag", b, "a flag");
        leaf->add_option("MESSAGE", s, "message, '-' for standard input")->required();
        leaf->add_option("KEY", s, "Private key: PEM or DER");
        leaf->add_option("REST", many, "the rest");
        app.add_subcommand("empty", "A group without commands yet")->require_subcommand(1);
        app.add_subcommand("hidden", "never shown")->group("");
    }
};

const OptionDoc& find(const std::vector<OptionDoc>& v, const std::string& name) {
    for (const auto& o : v) {
        if (o.positional == name) return o;
        for (const auto& f : o.flags)
            if (f == name) return o;
    }
    throw std::runtime_error("no option " + name);
}

TEST(CliDoc, ValueKindsFollowTheConventions) {
    Sample sample;
    const CommandDoc tree = describe_cli(sample.app);
    ASSERT_EQ(tree.children.size(), 2u);  // the hidden command is left out
    const CommandDoc& leaf = tree.children[0].children.at(0);
    EXPECT_EQ(leaf.invocation(), "netius grp leaf");
    EXPECT_EQ(leaf.aliases, std::vector<std::string>{"lf"});
    EXPECT_EQ(tree.children[0].footer, "");  // inherited root footer is not repeated
    EXPECT_EQ(leaf.footer, "Example:\n  netius grp leaf --kind a -");

    struct KindCase {
        const char* name;
        ValueKind kind;
    };
    const KindCase cases[] = {
        {"--kind", ValueKind::Choice}, {"--algo", ValueKind::Choice},   {"--out", ValueKind::File},
        {"--typed", ValueKind::File},  {"--key-file", ValueKind::File}, {"--text", ValueKind::Text},
        {"--flag", ValueKind::None},   {"MESSAGE", ValueKind::File},    {"KEY", ValueKind::File},
        {"REST", ValueKind::Text},
    };
    for (const auto& c : cases) {
        const auto& o = find(c.name[0] == '-' ? leaf.options : leaf.positionals, c.name);
        EXPECT_EQ(static_cast<int>(o.kind), static_cast<int>(c.kind)) << c.name;
    }
    EXPECT_EQ(find(leaf.options, "--kind").choices, (std::vector<std::string>{"a", "b"}));
    EXPECT_EQ(find(leaf.options, "-k").flags, (std::vector<std::string>{"-k", "--kind"}));
    EXPECT_EQ(find(leaf.options, "--algo").choices, (std::vector<std::string>{"rsa", "ed25519"}));
    EXPECT_EQ(find(leaf.options, "--canon").choices,
              (std::vector<std::string>{"relaxed/relaxed", "simple/simple"}));
    EXPECT_EQ(find(leaf.options, "--text").envname, "TEXTY");
    EXPECT_TRUE(find(leaf.positionals, "MESSAGE").required);
    EXPECT_TRUE(find(leaf.positionals, "REST").repeatable);
    EXPECT_THROW(find(leaf.options, "--hidden"), std::runtime_error);

    EXPECT_EQ(busybox_groups(tree), (std::vector<std::string>{"grp", "empty"}));
    ASSERT_EQ(leaf_commands(tree).size(), 1u);
}

// Every line of a page is a known request, a comment or text that cannot be read as one.
TEST(ManPage, SampleTreeRendersEscapedText) {
    Sample sample;
    const auto pages = man_pages(describe_cli(sample.app));
    ASSERT_EQ(pages.size(), 3u);  // netius.1, netius-grp.1, netius-empty.1
    const std::string& page = pages.at("netius-grp.1");
    const std::set<std::string> requests = {".TH", ".SH", ".SS", ".TP", ".PP", ".br", ".sp",  ".nf",
                                            ".fi", ".RS", ".RE", ".BR", ".nh", ".ad", ".\\\""};
    std::istringstream lines(page);
    for (std::string line; std::getline(lines, line);) {
        if (line.empty() || (line[0] != '.' && line[0] != '\'')) continue;
        EXPECT_TRUE(requests.count(line.substr(0, line.find(' ')))) << line;
    }
    EXPECT_NE(page.find("\\&.with a dot line"), std::string::npos);
    EXPECT_NE(page.find("just text \\e with a backslash"), std::string::npos);
    EXPECT_NE(page.find("\\fB\\-k\\fR, \\fB\\-\\-kind\\fR \\fIa|b\\fR"), std::string::npos);
    EXPECT_NE(page.find("Environment: \\fBTEXTY\\fR"), std::string::npos);
    EXPECT_NE(page.find("Also spelled \\fBlf\\fR"), std::string::npos);
    EXPECT_NE(page.find("netius grp leaf \\-\\-kind a \\-\n"), std::string::npos);
    EXPECT_EQ(page.find("--hidden"), std::string::npos);
    EXPECT_EQ(page.find("hidden"), std::string::npos);
    EXPECT_NE(pages.at("netius.1").find(".SH ENVIRONMENT\n.TP\n\\fBTEXTY\\fR"), std::string::npos);
}

TEST(Completion, SampleTreeScriptsNameEveryCommandAliasAndChoice) {
    Sample sample;
    const CommandDoc tree = describe_cli(sample.app);
    const std::string bash = completion_script(tree, Shell::Bash);
    EXPECT_NE(bash.find("'grp:leaf'|'grp:lf') echo 'leaf'"), std::string::npos);
    EXPECT_NE(bash.find("'grp leaf:-k'|'grp leaf:--kind') echo 'choice a b'"), std::string::npos);
    EXPECT_NE(bash.find("echo 'choice a b'"), std::string::npos);
    EXPECT_NE(bash.find("'grp leaf:0') echo 'file'"), std::string::npos);
    EXPECT_NE(bash.find("'grp leaf:'*) echo 'text'"), std::string::npos);  // REST repeats
    EXPECT_NE(bash.find("complete -F _netius netius netius-grp netius-empty\n"), std::string::npos);
    EXPECT_EQ(bash.find("hidden"), std::string::npos);

    const std::string zsh = completion_script(tree, Shell::Zsh);
    EXPECT_EQ(zsh.rfind("#compdef netius netius-grp netius-empty\n", 0), 0u);
    EXPECT_NE(zsh.find("_netius_cmd_grp_leaf() {"), std::string::npos);
    EXPECT_NE(zsh.find("(leaf|lf) _netius_cmd_grp_leaf"), std::string::npos);
    EXPECT_NE(zsh.find("'(-k --kind)--kind=[pick one]:a|b:(a b)'"), std::string::npos);
    EXPECT_NE(zsh.find("':MESSAGE:_files'"), std::string::npos);
    EXPECT_NE(zsh.find("'*:REST: '"), std::string::npos);

    const std::string fish = completion_script(tree, Shell::Fish);
    EXPECT_NE(
        fish.find("case 'grp:leaf' 'grp:lf'\n            echo 'leaf'\n            return 0\n"),
        std::string::npos);
    EXPECT_NE(fish.find("-l 'kind' -xa 'a b'"), std::string::npos);
    EXPECT_NE(fish.find("-l 'typed' -rF"), std::string::npos);
    EXPECT_NE(fish.find("complete -c netius-grp -w netius"), std::string::npos);
}

}  // namespace
}  // namespace netius::cmd
