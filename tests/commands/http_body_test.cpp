// The pure parts of the http commands' content: curl's -F syntax, which --json values are
// content, and how the body options (in command-line order) become text and streamed files.
#include "commands/http_body.hpp"

#include <gtest/gtest.h>

#include <map>

#include "util/error.hpp"

namespace netius::cmd {
namespace {

using net::http::FormField;
using Source = FormField::Source;
using Kind = BodyArg::Kind;

// "source|name|value|filename|type" ('-' for an unset filename or type).
std::string show(const FormField& f) {
    const char* source = f.source == Source::kText   ? "text"
                         : f.source == Source::kFile ? "file"
                                                     : "content";
    return std::string(source) + "|" + f.name + "|" + f.value + "|" + f.filename.value_or("-") +
           "|" + f.content_type.value_or("-");
}

struct FormCase {
    const char* arg;
    const char* want;  // show(), or "error: <fragment of the message>"
};

class ParseForm : public ::testing::TestWithParam<FormCase> {};

TEST_P(ParseForm, AsCurlReadsIt) {
    const FormCase& c = GetParam();
    std::string got;
    try {
        got = show(parse_form(c.arg, false));
    } catch (const UsageError& e) {
        got = std::string("error: ") + e.what();
    }
    if (std::string_view(c.want).starts_with("error: "))
        EXPECT_NE(got.find(c.want + 7), std::string::npos) << c.arg << " -> " << got;
    else
        EXPECT_EQ(got, c.want) << c.arg;
}

// clang-format off
INSTANTIATE_TEST_SUITE_P(Table, ParseForm, ::testing::Values(
    FormCase{"a=1", "text|a|1|-|-"},
    FormCase{"a=", "text|a||-|-"},
    FormCase{"a=x=y", "text|a|x=y|-|-"},
    FormCase{"photo=@cat.png", "file|photo|cat.png|-|-"},
    FormCase{"photo=@dir/cat.png;type=image/x-cat", "file|photo|dir/cat.png|-|image/x-cat"},
    FormCase{"f=@a.bin;filename=b.txt;type=text/plain", "file|f|a.bin|b.txt|text/plain"},
    FormCase{"f=@a.bin; filename=b.txt", "file|f|a.bin|b.txt|-"},
    FormCase{"f=@-", "file|f|-|-|-"},
    FormCase{"essay=<essay.txt", "content|essay|essay.txt|-|-"},
    FormCase{"f=@\"a;b.txt\";filename=\"c;d\"", "file|f|a;b.txt|c;d|-"},
    FormCase{"q=\"say \\\"hi\\\" \\\\o/\"", "text|q|say \"hi\" \\o/|-|-"},
    FormCase{"a=x;type=text/x-thing", "text|a|x|-|text/x-thing"},
    FormCase{"a=x;filename=note.txt", "text|a|x|note.txt|-"},
    FormCase{"novalue", "error: expected NAME=VALUE"},
    FormCase{"=v", "error: expected NAME=VALUE"},
    FormCase{"f=@", "error: no file name after '@'"},
    FormCase{"f=<;type=a/b", "error: no file name after '<'"},
    FormCase{"a=b;c", "error: unknown parameter ';c'"},
    FormCase{"a=b;headers=X: 1", "error: unknown parameter ';headers'"},
    FormCase{"a=b;type=plain", "error: type 'plain' is not TYPE/SUBTYPE"},
    FormCase{"a=\"open", "error: unterminated"},
    FormCase{"a=\"x\"y", "error: unknown parameter"},
    FormCase{"a=b;filename=\"x\"y", "error: unexpected text after a quoted value"}));
// clang-format on

TEST(ParseForm, FormStringTakesTheValueAsItIs) {
    EXPECT_EQ(show(parse_form("a=@x;type=y", true)), "text|a|@x;type=y|-|-");
    EXPECT_THROW(parse_form("nothing", true), UsageError);
}

TEST(JsonContent, ContentOrTheUrlAfterAnOutputFlag) {
    for (const char* content : {"{\"a\": 1}", "[1, 2]", "[]", "\"text\"", "42", "null",
                                " {\"a\": [true]} ", "@body.json", "@-"})
        EXPECT_TRUE(is_json_content(content)) << content;
    for (const char* not_content : {"", "true", "false", "http://127.0.0.1:9090/", "example.com",
                                    "[::1]:8080/", "[fe80::1]", "{broken", "127.0.0.1:9090/x"})
        EXPECT_FALSE(is_json_content(not_content)) << not_content;
}

// The plan as text: "kind|fields|pieces" with file pieces as <path>.
std::string show(const BodyPlan& p) {
    const char* kinds[] = {"none", "data", "json", "form"};
    std::string s = kinds[static_cast<int>(p.kind)];
    s += "|";
    for (const auto& [name, value] : p.fields) s += name + "=" + value + ";";
    s += "|";
    for (const auto& piece : p.pieces) s += piece.file ? "<" + piece.text + ">" : piece.text;
    return s;
}

const std::map<std::string, std::string> kFiles = {{"crlf.txt", "a=1\r\n&b=2\n"},
                                                   {"-", "from\nstdin"}};

BodyPlan plan(std::vector<BodyArg> args) {
    return plan_body(args, "BOUNDARY", [](const std::string& path) { return kFiles.at(path); });
}

TEST(PlanBody, NothingGivenIsNoContent) {
    const BodyPlan p = plan({});
    EXPECT_TRUE(p.empty());
    EXPECT_EQ(show(p), "none||");
}

TEST(PlanBody, DataJoinedWithAmpersandsInOrder) {
    const BodyPlan p = plan({{Kind::kData, "a=1"}, {Kind::kRaw, "@raw"}, {Kind::kData, ""}});
    EXPECT_EQ(show(p), "data|Content-Type=application/x-www-form-urlencoded;|a=1&@raw&");
    EXPECT_FALSE(p.streamed());
    EXPECT_EQ(p.text(), "a=1&@raw&");
}

TEST(PlanBody, DataFromAFileLosesItsCarriageReturnsAndNewlines) {
    EXPECT_EQ(plan({{Kind::kData, "@crlf.txt"}}).text(), "a=1&b=2");
    const BodyPlan p = plan({{Kind::kData, "@-"}});
    EXPECT_EQ(p.text(), "fromstdin");
    EXPECT_FALSE(p.reads_stdin());  // read whole before anything is sent
}

TEST(PlanBody, BinaryFilesAreStreamedBetweenTheOtherPieces) {
    const BodyPlan p =
        plan({{Kind::kData, "a=1"}, {Kind::kBinary, "@big.bin"}, {Kind::kBinary, "tail"}});
    EXPECT_EQ(show(p), "data|Content-Type=application/x-www-form-urlencoded;|a=1&<big.bin>&tail");
    ASSERT_EQ(p.pieces.size(), 3u);
    EXPECT_TRUE(p.streamed());
    EXPECT_FALSE(p.reads_stdin());
    EXPECT_TRUE(plan({{Kind::kBinary, "@-"}}).reads_stdin());
}

TEST(PlanBody, JsonPiecesConcatenatedWithBothHeaders) {
    const BodyPlan p = plan({{Kind::kJson, "{\"a\":"}, {Kind::kJson, "1}"}});
    EXPECT_EQ(show(p), "json|Content-Type=application/json;Accept=application/json;|{\"a\":1}");
    EXPECT_EQ(show(plan({{Kind::kJson, "@-"}})),
              "json|Content-Type=application/json;Accept=application/json;|<->");
}

TEST(PlanBody, FormIsMultipartWithTheBoundary) {
    const BodyPlan p = plan(
        {{Kind::kForm, "a=1"}, {Kind::kForm, "f=@x.png"}, {Kind::kFormString, "s=@not-a-file"}});
    EXPECT_EQ(show(p),
              "form|Content-Type=multipart/form-data; boundary=BOUNDARY;|"
              "--BOUNDARY\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\n1\r\n"
              "--BOUNDARY\r\nContent-Disposition: form-data; name=\"f\"; filename=\"x.png\"\r\n"
              "Content-Type: image/png\r\n\r\n<x.png>\r\n"
              "--BOUNDARY\r\nContent-Disposition: form-data; name=\"s\"\r\n\r\n@not-a-file\r\n"
              "--BOUNDARY--\r\n");
    EXPECT_TRUE(p.streamed());
}

TEST(PlanBody, KindsOfContentExcludeEachOther) {
    EXPECT_THROW(plan({{Kind::kData, "a"}, {Kind::kForm, "b=c"}}), UsageError);
    EXPECT_THROW(plan({{Kind::kJson, "{}"}, {Kind::kData, "a"}}), UsageError);
    EXPECT_THROW(plan({{Kind::kFormString, "a=b"}, {Kind::kBinary, "x"}}), UsageError);
}

TEST(PlanBody, StandardInputIsReadOnce) {
    EXPECT_THROW(plan({{Kind::kBinary, "@-"}, {Kind::kBinary, "@-"}}), UsageError);
    EXPECT_THROW(plan({{Kind::kData, "@-"}, {Kind::kBinary, "@-"}}), UsageError);
    EXPECT_THROW(plan({{Kind::kForm, "a=@-"}, {Kind::kForm, "b=<-"}}), UsageError);
    EXPECT_NO_THROW(plan({{Kind::kRaw, "@-"}, {Kind::kBinary, "@-"}}));  // --data-raw: text
}

TEST(PlanBody, ABadFormArgumentIsAUsageError) {
    EXPECT_THROW(plan({{Kind::kForm, "nothing"}}), UsageError);
}

}  // namespace
}  // namespace netius::cmd
