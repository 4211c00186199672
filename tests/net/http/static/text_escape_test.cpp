#include "net/http/static/text_escape.hpp"

#include <gtest/gtest.h>

namespace netius::net::http {
namespace {

std::string html(std::string_view s) {
    std::string out;
    append_html_escaped(out, s);
    return out;
}

std::string json(std::string_view s) {
    std::string out;
    append_json_string(out, s);
    return out;
}

TEST(TextEscape, HtmlNeverOpensMarkup) {
    EXPECT_EQ(html("<img src=x onerror=alert(1)>.txt"), "&lt;img src=x onerror=alert(1)&gt;.txt");
    EXPECT_EQ(html("a\"b'c&d"), "a&quot;b&#39;c&amp;d");
    EXPECT_EQ(html("caf\xC3\xA9 \xE2\x82\xAC \xF0\x9F\x98\x80"),
              "caf\xC3\xA9 \xE2\x82\xAC \xF0\x9F\x98\x80");
}

TEST(TextEscape, InvalidUtf8BecomesReplacementCharacters) {
    const std::string fffd = "\xEF\xBF\xBD";
    EXPECT_EQ(html("a\xFF"
                   "b"),
              "a" + fffd + "b");
    EXPECT_EQ(html("\xC0\xAE"), fffd + fffd);                        // overlong "."
    EXPECT_EQ(html("\xED\xA0\x80"), fffd + fffd + fffd);             // a surrogate
    EXPECT_EQ(html("\xF4\x90\x80\x80"), fffd + fffd + fffd + fffd);  // past U+10FFFF
    EXPECT_EQ(html("\xC3"), fffd);                                   // cut short
    EXPECT_EQ(json("\xE2\x82"), "\"" + fffd + fffd + "\"");
}

TEST(TextEscape, JsonStrings) {
    EXPECT_EQ(json("plain"), "\"plain\"");
    EXPECT_EQ(json("q\"b\\s"), "\"q\\\"b\\\\s\"");
    EXPECT_EQ(json(std::string_view("\n\t\x01\x7f", 4)), "\"\\u000a\\u0009\\u0001\\u007f\"");
    EXPECT_EQ(json("</script>&"), "\"\\u003c/script\\u003e\\u0026\"");
    EXPECT_EQ(json("\xC3\xA9"), "\"\xC3\xA9\"");
}

}  // namespace
}  // namespace netius::net::http
