#include "crypto/dkim/signature.hpp"

#include <gtest/gtest.h>

#include "crypto/dkim/tag_list.hpp"
#include "crypto/encoding.hpp"

namespace netius::crypto::dkim {
namespace {

using Tags = std::vector<std::pair<std::string, std::string>>;

std::vector<std::string> lines_of(const std::string& field, std::string_view eol) {
    std::vector<std::string> lines;
    std::size_t pos = 0;
    for (std::size_t at; (at = field.find(eol, pos)) != std::string::npos; pos = at + eol.size())
        lines.push_back(field.substr(pos, at - pos));
    EXPECT_EQ(pos, field.size()) << "the field must end with its line ending";
    return lines;
}

// The tag list of a formatted field, each value with its whitespace removed where folding may
// have added some (h=, bh=, b=), compared with what was formatted.
void expect_same_tags(const std::string& field, const Tags& tags) {
    const std::string text = field + "\r\n";  // the views of `m` point into it
    Message m = parse_message(text);
    ASSERT_EQ(m.headers.fields.size(), 1u);
    EXPECT_EQ(m.headers.fields[0].name, "DKIM-Signature");
    auto r = parse_tag_list(m.headers.fields[0].value);
    ASSERT_TRUE(std::holds_alternative<TagList>(r)) << std::get<TagListError>(r).reason;
    const TagList& got = std::get<TagList>(r);
    ASSERT_EQ(got.tags.size(), tags.size());
    for (std::size_t i = 0; i < tags.size(); ++i) {
        EXPECT_EQ(got.tags[i].name, tags[i].first);
        EXPECT_EQ(strip_whitespace(got.tags[i].value), tags[i].second) << tags[i].first;
        if (tags[i].first != "h" && tags[i].first != "bh" && tags[i].first != "b") {
            EXPECT_EQ(got.tags[i].value, tags[i].second) << "only h= bh= b= may be folded";
        }
    }
}

Tags typical_tags(std::size_t b_len, std::size_t header_count) {
    std::string h = "From";
    for (std::size_t i = 0; i < header_count; ++i) h += ":X-Header-Number-" + std::to_string(i);
    return {{"v", "1"},
            {"a", "rsa-sha256"},
            {"c", "relaxed/relaxed"},
            {"d", "mail.example.com"},
            {"i", "someone.with.a.long.name@mail.example.com"},
            {"s", "20240101120000.selector"},
            {"t", "1700000000"},
            {"h", h},
            {"bh", base64_encode(std::string(32, '\x5a'))},
            {"b", std::string(b_len, 'Q')}};
}

TEST(FoldSignature, NoLineOver78AndUnfoldsToTheSameTags) {
    for (std::size_t b_len : {88u, 172u, 344u, 684u})  // ed25519, RSA 1024/2048/4096
        for (std::size_t headers : {0u, 3u, 12u, 40u})
            for (LineEnding eol : {LineEnding::Crlf, LineEnding::Lf}) {
                const Tags tags = typical_tags(b_len, headers);
                const std::string field = format_signature_header(tags, FoldOptions{}, eol);
                const auto lines = lines_of(field, line_ending_text(eol));
                ASSERT_GT(lines.size(), 1u);
                EXPECT_EQ(lines[0].rfind("DKIM-Signature: v=1; ", 0), 0u);
                for (std::size_t i = 0; i < lines.size(); ++i) {
                    EXPECT_LE(lines[i].size(), 78u) << b_len << "/" << headers << ": " << lines[i];
                    if (i > 0) {
                        EXPECT_EQ(lines[i][0], ' ') << "continuation lines start with WSP";
                    }
                    EXPECT_NE(lines[i].back(), ' ') << "no trailing whitespace";
                    if (eol == LineEnding::Lf) {
                        EXPECT_EQ(lines[i].find('\r'), std::string::npos);
                    }
                }
                std::string crlf = field;
                if (eol == LineEnding::Lf) {
                    crlf.clear();
                    for (char c : field)
                        crlf += c == '\n' ? std::string("\r\n") : std::string(1, c);
                }
                expect_same_tags(crlf.substr(0, crlf.size() - 2), tags);
                // b= always starts its own line, so its value never moves the tags before it.
                EXPECT_NE(field.find(std::string(line_ending_text(eol)) + " b="),
                          std::string::npos);
            }
}

TEST(FoldSignature, ShortFieldStaysOnTwoLines) {
    const Tags tags = {{"v", "1"}, {"a", "ed25519-sha256"}, {"d", "a.b"}, {"b", "AAAA"}};
    EXPECT_EQ(format_signature_header(tags, FoldOptions{}, LineEnding::Crlf),
              "DKIM-Signature: v=1; a=ed25519-sha256; d=a.b;\r\n b=AAAA\r\n");
}

TEST(FoldSignature, FixedBChunksAsNetius) {
    // netius' dkim_fold_b: 72-character pieces (netius-vectors §D.4 test_fold_b_continuations).
    const Tags tags = {{"v", "1"}, {"b", std::string(150, 'a')}};
    const std::string field =
        format_signature_header(tags, FoldOptions{.width = 72, .b_chunk = 72}, LineEnding::Crlf);
    EXPECT_EQ(field, "DKIM-Signature: v=1;\r\n b=" + std::string(72, 'a') + "\r\n " +
                         std::string(72, 'a') + "\r\n " + std::string(6, 'a') + "\r\n");
}

TEST(FoldSignature, LongHeaderListBreaksAfterColons) {
    Tags tags = {{"v", "1"}, {"h", ""}, {"b", "AAAA"}};
    for (int i = 0; i < 12; ++i) {
        if (i > 0) tags[1].second += ':';
        tags[1].second += "Header-";
        tags[1].second += std::to_string(i);
    }
    const std::string field = format_signature_header(tags, FoldOptions{}, LineEnding::Crlf);
    const auto lines = lines_of(field, "\r\n");
    ASSERT_EQ(lines.size(), 4u);  // "v=1;", two lines of h=, b=
    EXPECT_EQ(lines[0], "DKIM-Signature: v=1;");
    EXPECT_EQ(lines[1].rfind(" h=Header-0:Header-1:", 0), 0u);
    EXPECT_EQ(lines[1].back(), ':');  // broken after a colon, where FWS is allowed
    EXPECT_EQ(lines[2].back(), ';');
    EXPECT_EQ(lines[3], " b=AAAA");
    for (const auto& line : lines) EXPECT_LE(line.size(), 78u);
    expect_same_tags(field.substr(0, field.size() - 2), tags);
}

struct StripCase {
    const char* name;
    std::string raw;
    std::string want;
};

const StripCase kStrip[] = {
    {"last", "DKIM-Signature: v=1; bh=xyz=; b=AAAA", "DKIM-Signature: v=1; bh=xyz=; b="},
    {"folded", "DKIM-Signature: v=1;\r\n b=AAAA\r\n BBBB==", "DKIM-Signature: v=1;\r\n b="},
    {"middle", "DKIM-Signature: b= AA\r\n BB ; d=x", "DKIM-Signature: b=; d=x"},
    {"space_before_equals", "DKIM-Signature: v=1; b =AA", "DKIM-Signature: v=1; b ="},
    {"bh_untouched", "DKIM-Signature: bh=AA; v=1", "DKIM-Signature: bh=AA; v=1"},
    {"first", "DKIM-Signature:b=AA;bh=CC", "DKIM-Signature:b=;bh=CC"},
    // netius-vectors §D.3 test_header_relaxed_dkim input (b= already empty)
    {"netius_empty_b", "DKIM-Signature: v=1; a=rsa-sha256;\r\n c=relaxed/simple; b=",
     "DKIM-Signature: v=1; a=rsa-sha256;\r\n c=relaxed/simple; b="},
};

TEST(WithoutBValue, Table) {
    for (const StripCase& c : kStrip) EXPECT_EQ(without_b_value(c.raw), c.want) << c.name;
}

TEST(HeaderHashInput, NetiusRelaxedDkimVector) {
    // netius-vectors §D.3 test_header_relaxed_dkim: the signature field, relaxed, no CRLF.
    Message m =
        parse_message("DKIM-Signature: v=1; a=rsa-sha256;\r\n c=relaxed/simple; b=\r\n\r\n");
    EXPECT_EQ(header_hash_input(m.headers, {}, Canon::Relaxed, m.headers.fields[0]),
              "dkim-signature:v=1; a=rsa-sha256; c=relaxed/simple; b=");
    EXPECT_EQ(header_hash_input(m.headers, {}, Canon::Simple, m.headers.fields[0]),
              "DKIM-Signature: v=1; a=rsa-sha256;\r\n c=relaxed/simple; b=");
}

struct SelectCase {
    const char* name;
    std::vector<std::string> h;
    std::string want;  // relaxed header hash input before the signature field
};

// Fields: From(1) To Received(a) Subject Received(b) From(2)
const SelectCase kSelect[] = {
    {"bottom_up", {"received", "received"}, "received:b\r\nreceived:a\r\n"},
    {"one_instance_takes_the_last", {"Received"}, "received:b\r\n"},
    {"oversigned_missing_adds_nothing",
     {"received", "received", "received"},
     "received:b\r\nreceived:a\r\n"},
    {"two_froms_bottom_first", {"from", "from"}, "from:2\r\nfrom:1\r\n"},
    {"order_of_h_kept", {"subject", "to", "from"}, "subject:s\r\nto:t\r\nfrom:2\r\n"},
    {"absent_name", {"cc", "to"}, "to:t\r\n"},
    {"case_insensitive", {"SUBJECT", "sUbJeCt"}, "subject:s\r\n"},
};

TEST(HeaderHashInput, SelectsRepeatedFieldsBottomUp) {
    const std::string msg =
        "From: 1\r\nTo: t\r\nReceived: a\r\nSubject: s\r\nReceived: b\r\nFrom: 2\r\n"
        "DKIM-Signature: v=1; b=XX\r\n\r\n";
    Message m = parse_message(msg);
    const HeaderField& sig = m.headers.fields.back();
    for (const SelectCase& c : kSelect)
        EXPECT_EQ(header_hash_input(m.headers, c.h, Canon::Relaxed, sig),
                  c.want + "dkim-signature:v=1; b=")
            << c.name;
}

// ---- parse_signature ----------------------------------------------------------------------

const std::string kBh = base64_encode(std::string(32, '\x01'));
const std::string kGood =
    "v=1; a=rsa-sha256; c=relaxed/simple; d=example.com; s=sel; "
    "h=From:To; bh=" +
    kBh + "; b=AAAA";

TEST(ParseSignature, AcceptsAndDecodes) {
    auto r = parse_signature(kGood + "; i=user@sub.example.com; l=10; t=5; x=9; q=dns/txt");
    ASSERT_TRUE(std::holds_alternative<SignatureFields>(r)) << std::get<SignatureError>(r).reason;
    const SignatureFields& f = std::get<SignatureFields>(r);
    EXPECT_EQ(f.algorithm, Algorithm::RsaSha256);
    EXPECT_EQ(f.canon, (Canonicalization{Canon::Relaxed, Canon::Simple}));
    EXPECT_EQ(f.domain, "example.com");
    EXPECT_EQ(f.selector, "sel");
    EXPECT_EQ(f.headers, (std::vector<std::string>{"From", "To"}));
    EXPECT_EQ(f.body_hash, std::string(32, '\x01'));
    EXPECT_EQ(f.signature, std::string(3, '\0'));
    EXPECT_EQ(f.identity, "user@sub.example.com");
    EXPECT_EQ(f.body_length, 10u);
    EXPECT_EQ(f.timestamp, 5);
    EXPECT_EQ(f.expiry, 9);
}

TEST(ParseSignature, Defaults) {
    auto r = parse_signature(
        "v=1; a=ed25519-sha256; d=Example.COM; s=s; h=from : to;\r\n bh=" + kBh + "; b=AA\r\n AA");
    ASSERT_TRUE(std::holds_alternative<SignatureFields>(r)) << std::get<SignatureError>(r).reason;
    const SignatureFields& f = std::get<SignatureFields>(r);
    EXPECT_EQ(f.algorithm, Algorithm::Ed25519Sha256);
    EXPECT_EQ(f.canon, (Canonicalization{Canon::Simple, Canon::Simple}));  // §3.5 c= default
    EXPECT_EQ(f.identity, "@Example.COM");
    EXPECT_EQ(f.headers, (std::vector<std::string>{"from", "to"}));
    EXPECT_FALSE(f.body_length);
}

struct RejectCase {
    std::string value;
    std::string reason;
};

TEST(ParseSignature, RejectsWithReasons) {
    auto replace = [](std::string s, const std::string& from, const std::string& to) {
        return s.replace(s.find(from), from.size(), to);
    };
    const RejectCase cases[] = {
        {kGood + "; d=other", "bad tag list: duplicate tag 'd'"},
        {kGood + ";;", "bad tag list: empty tag"},
        {replace(kGood, "v=1", "v=2"), "unsupported version v=2"},
        {replace(kGood, "v=1; ", ""), "missing v= tag"},
        {replace(kGood, "s=sel; ", ""), "missing s= tag"},
        {replace(kGood, "h=From:To; ", ""), "missing h= tag"},
        {replace(kGood, "rsa-sha256", "rsa-sha1"), "rsa-sha1 not accepted (RFC 8301)"},
        {replace(kGood, "rsa-sha256", "dsa-sha256"), "unknown algorithm a=dsa-sha256"},
        {replace(kGood, "h=From:To", "h=To:Subject"), "From not signed"},
        {replace(kGood, "h=From:To", "h=From::To"), "empty name in h="},
        {kGood + "; i=user@example.org", "i= not in d="},
        {kGood + "; i=user@badexample.com", "i= not in d="},
        {kGood + "; i=example.com", "i= not in d="},
        {replace(kGood, "relaxed/simple", "fancy"), "unknown canonicalization c=fancy"},
        {kGood + "; l=ten", "bad l= value"},
        {kGood + "; t=-1", "bad t= value"},
        {kGood + "; t=10; x=9", "x= is before t="},
        {kGood + "; q=http", "q= does not include dns/txt"},
        {replace(kGood, "b=AAAA", "b=!!!!"), "b= is not base64"},
        {replace(kGood, "bh=" + kBh, "bh=AAAA"), "bh= is not a base64 SHA-256 digest"},
    };
    for (const RejectCase& c : cases) {
        auto r = parse_signature(c.value);
        ASSERT_TRUE(std::holds_alternative<SignatureError>(r)) << c.value;
        EXPECT_EQ(std::get<SignatureError>(r).reason, c.reason) << c.value;
    }
}

TEST(ParseSignature, DomainAndSelectorOfABrokenField) {
    EXPECT_EQ(signature_domain_selector("v=1; d=example.com; s=sel; d=dup"),
              (std::pair<std::string, std::string>{"dup", "sel"}));
    EXPECT_EQ(signature_domain_selector("garbage"),
              (std::pair<std::string, std::string>{"?", "?"}));
    EXPECT_EQ(signature_domain_selector(" d = a.b ;\r\n s=x"),
              (std::pair<std::string, std::string>{"a.b", "x"}));
}

TEST(IdentityInDomain, Table) {
    EXPECT_TRUE(identity_in_domain("@example.com", "example.com"));
    EXPECT_TRUE(identity_in_domain("u@EXAMPLE.com", "example.com"));
    EXPECT_TRUE(identity_in_domain("u@a.b.example.com", "example.com"));
    EXPECT_FALSE(identity_in_domain("u@notexample.com", "example.com"));
    EXPECT_FALSE(identity_in_domain("u@example.com.evil", "example.com"));
    EXPECT_FALSE(identity_in_domain("example.com", "example.com"));
    EXPECT_FALSE(identity_in_domain("u@", "example.com"));
}

}  // namespace
}  // namespace netius::crypto::dkim
