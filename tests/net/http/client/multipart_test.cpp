// multipart/form-data heads and content layout (RFC 7578, the HTML standard's escaping).
#include "net/http/client/multipart.hpp"

#include <gtest/gtest.h>

namespace netius::net::http {
namespace {

using Source = FormField::Source;

FormField field(std::string name, std::string value, Source source = Source::kText) {
    return FormField{std::move(name), std::move(value), source, std::nullopt, std::nullopt};
}

TEST(FormPartHead, TextFieldHasANameOnly) {
    EXPECT_EQ(form_part_head("B", field("a", "1")),
              "--B\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\n");
}

TEST(FormPartHead, FileGetsItsLastSegmentAndATypeByExtension) {
    EXPECT_EQ(form_part_head("B", field("p", "/tmp/dir/cat.PNG", Source::kFile)),
              "--B\r\nContent-Disposition: form-data; name=\"p\"; filename=\"cat.PNG\"\r\n"
              "Content-Type: image/png\r\n\r\n");
    EXPECT_EQ(form_part_head("B", field("t", "notes.txt", Source::kFile)),
              "--B\r\nContent-Disposition: form-data; name=\"t\"; filename=\"notes.txt\"\r\n"
              "Content-Type: text/plain\r\n\r\n");  // no charset parameter, as curl
    EXPECT_EQ(form_part_head("B", field("x", "data.unknownext", Source::kFile)),
              "--B\r\nContent-Disposition: form-data; name=\"x\"; "
              "filename=\"data.unknownext\"\r\nContent-Type: application/octet-stream\r\n\r\n");
    EXPECT_EQ(form_part_head("B", field("s", "-", Source::kFile)),
              "--B\r\nContent-Disposition: form-data; name=\"s\"; filename=\"-\"\r\n"
              "Content-Type: application/octet-stream\r\n\r\n");
}

TEST(FormPartHead, GivenFilenameAndTypeWin) {
    FormField f = field("f", "a.bin", Source::kFile);
    f.filename = "report.pdf";
    EXPECT_EQ(form_part_head("B", f),
              "--B\r\nContent-Disposition: form-data; name=\"f\"; filename=\"report.pdf\"\r\n"
              "Content-Type: application/pdf\r\n\r\n");
    f.content_type = "application/x-thing";
    EXPECT_EQ(form_part_head("B", f),
              "--B\r\nContent-Disposition: form-data; name=\"f\"; filename=\"report.pdf\"\r\n"
              "Content-Type: application/x-thing\r\n\r\n");
}

TEST(FormPartHead, FileContentIsATextFieldWithoutAFilename) {
    EXPECT_EQ(form_part_head("B", field("essay", "essay.txt", Source::kFileContent)),
              "--B\r\nContent-Disposition: form-data; name=\"essay\"\r\n\r\n");
}

TEST(FormPartHead, QuotesAndLineBreaksArePercentEncoded) {
    FormField f = field("a\"b\r\nc", "x", Source::kFile);
    f.filename = "evil\"\r\nContent-Type: text/html";
    f.content_type = "text/plain";
    EXPECT_EQ(form_part_head("B", f),
              "--B\r\nContent-Disposition: form-data; name=\"a%22b%0D%0Ac\"; "
              "filename=\"evil%22%0D%0AContent-Type: text/html\"\r\n"
              "Content-Type: text/plain\r\n\r\n");
}

TEST(MultipartContent, TextJoinedAroundStreamedFiles) {
    const auto pieces = multipart_content({field("a", "1"), field("f", "x.bin", Source::kFile),
                                           field("g", "y", Source::kFileContent), field("b", "2")},
                                          "B");
    ASSERT_EQ(pieces.size(), 5u);
    EXPECT_FALSE(pieces[0].file);
    EXPECT_EQ(pieces[0].text,
              "--B\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\n1\r\n"
              "--B\r\nContent-Disposition: form-data; name=\"f\"; filename=\"x.bin\"\r\n"
              "Content-Type: application/octet-stream\r\n\r\n");
    EXPECT_TRUE(pieces[1].file);
    EXPECT_EQ(pieces[1].text, "x.bin");
    EXPECT_EQ(pieces[2].text, "\r\n--B\r\nContent-Disposition: form-data; name=\"g\"\r\n\r\n");
    EXPECT_TRUE(pieces[3].file);
    EXPECT_EQ(pieces[3].text, "y");
    EXPECT_EQ(pieces[4].text,
              "\r\n--B\r\nContent-Disposition: form-data; name=\"b\"\r\n\r\n2\r\n--B--\r\n");
}

TEST(MultipartContent, EmptyFormIsTheClosingDelimiter) {
    const auto pieces = multipart_content({}, "B");
    ASSERT_EQ(pieces.size(), 1u);
    EXPECT_EQ(pieces[0].text, "--B--\r\n");
    EXPECT_EQ(multipart_content_type("B"), "multipart/form-data; boundary=B");
}

}  // namespace
}  // namespace netius::net::http
