#include "net/http/static/mime_types.hpp"

#include <gtest/gtest.h>

namespace netius::net::http {
namespace {

TEST(MimeTypes, NetiusTableWithCharsetForText) {
    EXPECT_EQ(content_type_for("a.txt"), "text/plain; charset=utf-8");
    EXPECT_EQ(content_type_for("sp ace.css"), "text/css; charset=utf-8");
    EXPECT_EQ(content_type_for("index.html"), "text/html; charset=utf-8");
    EXPECT_EQ(content_type_for("app.js"), "application/javascript; charset=utf-8");  // netius
    EXPECT_EQ(content_type_for("data.json"), "application/json");
    EXPECT_EQ(content_type_for("x.woff"), "application/font-woff");  // netius override
    EXPECT_EQ(content_type_for("x.mkv"), "video/x-matroska");
    EXPECT_EQ(content_type_for("photo.JPG"), "image/jpeg");  // case-insensitive
    EXPECT_EQ(content_type_for("dir/a.webmanifest"), "application/manifest+json");
    EXPECT_EQ(content_type_for("x.webp"), "image/webp");  // added
    EXPECT_EQ(content_type_for("a.tar.gz"), "application/gzip");
}

TEST(MimeTypes, UnknownIsOctetStream) {
    for (std::string_view name :
         {"f.bin", "noext", "trailing.", ".hidden", "x.unknownext", "x.averyveryverylongextension"})
        EXPECT_EQ(content_type_for(name), "application/octet-stream") << name;
}

TEST(MimeTypes, MediaTypeAndCompressibility) {
    EXPECT_EQ(media_type_of("text/plain; charset=utf-8"), "text/plain");
    EXPECT_EQ(media_type_of("image/png"), "image/png");
    EXPECT_TRUE(is_compressible(content_type_for("a.html")));
    EXPECT_TRUE(is_compressible(content_type_for("a.js")));
    EXPECT_TRUE(is_compressible(content_type_for("a.svg")));
    EXPECT_TRUE(is_compressible(content_type_for("a.json")));
    EXPECT_TRUE(is_compressible("application/ld+json"));
    EXPECT_FALSE(is_compressible(content_type_for("a.png")));
    EXPECT_FALSE(is_compressible(content_type_for("a.gz")));
    EXPECT_FALSE(is_compressible(content_type_for("a.woff2")));
    EXPECT_FALSE(is_compressible(kOctetStream));
}

}  // namespace
}  // namespace netius::net::http
