#include <gtest/gtest.h>
#include <openssl/rsa.h>

#include <map>

#include "crypto/dkim/key_record.hpp"
#include "crypto/dkim/sign.hpp"
#include "crypto/dkim/verify.hpp"
#include "crypto/encoding.hpp"
#include "crypto/keys.hpp"
#include "util/error.hpp"

namespace netius::crypto::dkim {
namespace {

// netius-vectors §D.1: the 1024-bit key of netius' tests (netius' own DER, which OpenSSL reads).
const char* const kNetiusKey = R"(-----BEGIN RSA PRIVATE KEY-----
MIICVwIAAoGAgRWSX07LB0VzpDy14taaO1b+juQVhQpyKy/fxaLupohy4UDOxHJU
Iz7jzR6B8l93KXWqxG5UZK2CduL6TKJGQZ+jGkTk0YU3d3r5kwPNOX1o+qhICJF8
tcWZcw1MUV816sxJ3hi6RTz7faRvJtj9J2SM2cY3eq0xQSM/dvD1fqUCAwEAAQKB
gDaUp3qTN3fQnxAf94x9z2Mt6p8CxDKn8xRdvtGzjhNueJzUKVmZOghZLDtsHegd
A6bNMTKzsA2N7C9W1B0ZNHkmc6cbUyM/gXPLzpErFF4c5sTYAaJGKK+3/3BrrliG
6vgzTXt3KZRlInfrumZRo4h7yE/IokfmzBwjbyP7N3lhAkDpfTwLidRBTgYVz5yO
/7j55vl2GN80xDk0IDfO17/O8qyQlt+J6pksE0ojTkAjD2N4rx3dL4kPgmx80r/D
AdNNAkCNh4LBukRUMT+ulfngrnzQ4QDnCUXpANKpe3HZk4Yfysj1+zrlWFilzO3y
t/RpGu4GtH1LUNQNjrp94CcBNPy5AkBW6KCTAuiYrjwhnjd+Gr11d33fcX6Tm35X
Yq6jNTdWBooo/5+RLFt7RmrQHW5OHoo9/6C0Fd+EgF11UNTD90f5AkBBB6/0FgNJ
cCujq7PaIjKlw40nm2ItEry5NUh1wcxSFVpLdDl2oiZxYH1BFndOSBpwqEQd9DDL
Xfag2fryGge5AkCFPjggILI8jZZoEW9gJoyqh13fkf+WjtwL1mLztK2gQcrvlyUd
/ddIy8ZEkmGRiHMcX0SGdsEprW/EpbhSdakC
-----END RSA PRIVATE KEY-----
)";

// netius-vectors §D.2 RESULT.
const char* const kNetiusResult =
    "DKIM-Signature: v=1; a=rsa-sha256; c=relaxed/simple; d=netius.hive.pt;\r\n"
    " i=@netius.hive.pt; l=13; q=dns/txt; s=20160523113052; t=1464003802;\r\n"
    " h=Header; bh=sIAi0xXPHrEtJmW97Q5q9AZTwKC+l1Iy+0m8vQIc/DY=;\r\n"
    " b=NJ3NxUSIsgaA4hYMsZ76yrld3gRRY52dohXfc9JUD81E8Ac4quubX4KriE+cDGQKp9RjHkW+\r\n"
    " 3s+TYAslCNHubwzzy+8ZAEG0T1meyZ/TXJGvZiYYWP5n8yfr0z6GMu8bYtOx0R9cv1iJHpx4\r\n"
    " Un1f47qcDMq1rAFw+5bBf7PDbuY=\r\n";

PKeyPtr netius_key() {
    return load_private_key(kNetiusKey, "netius D.1");
}

// netius' dkim_sign spelled out with our lower-level API.
SignatureSpec netius_spec() {
    SignatureSpec s;
    s.domain = "netius.hive.pt";
    s.selector = "20160523113052";
    s.canon = {Canon::Relaxed, Canon::Simple};
    s.headers = {"Header"};
    s.identity = "@netius.hive.pt";
    s.body_length = true;
    s.query_tag = true;
    s.timestamp = 1464003802;
    s.fold = FoldOptions{.width = 72, .b_chunk = 72};
    return s;
}

TEST(NetiusVectors, D2SignatureReproducesExactly) {
    auto key = netius_key();
    EXPECT_EQ(make_signature_field(parse_message("Header: Value\r\n\r\nHello World"), key.get(),
                                   netius_spec()),
              kNetiusResult);
    // test_relaxed_whitespace: relaxed header canonicalization makes it the same bytes.
    EXPECT_EQ(make_signature_field(parse_message("Header:  Value  \r\n\r\nHello World"), key.get(),
                                   netius_spec()),
              kNetiusResult);
}

TEST(NetiusVectors, D2IsCryptographicallyValidButFailsOurFromPolicy) {
    const std::string msg = std::string(kNetiusResult) + "Header: Value\r\n\r\nHello World";
    const Message m = parse_message(msg);
    auto key = netius_key();
    auto sig = base64_decode(
        "NJ3NxUSIsgaA4hYMsZ76yrld3gRRY52dohXfc9JUD81E8Ac4quubX4KriE+cDGQKp9RjHkW+3s+TYAslCNHubwzzy+"
        "8ZAEG0T1meyZ/TXJGvZiYYWP5n8yfr0z6GMu8bYtOx0R9cv1iJHpx4Un1f47qcDMq1rAFw+5bBf7PDbuY=");
    const std::string input =
        header_hash_input(m.headers, {"Header"}, Canon::Relaxed, m.headers.fields[0]);
    EXPECT_TRUE(verify_data(Algorithm::RsaSha256, key.get(), input, *sig));
    EXPECT_FALSE(verify_data(Algorithm::RsaSha256, key.get(), input + "x", *sig));
    // RFC 6376 §5.4: From MUST be signed, and netius' vector signs only "Header".
    const std::string record = key_record_text(key.get());
    auto results = verify_message(msg, [&](auto, auto) { return std::vector{record}; });
    ASSERT_EQ(results.size(), 1u);
    EXPECT_EQ(results[0].reason, "From not signed");
    EXPECT_EQ(results[0].domain, "netius.hive.pt");
    EXPECT_EQ(results[0].selector, "20160523113052");
}

// ---- our own signatures --------------------------------------------------------------------

EVP_PKEY* rsa2048() {
    static PKeyPtr key = generate_rsa_key(2048);
    return key.get();
}
EVP_PKEY* ed25519() {
    static PKeyPtr key = generate_ed25519_key();
    return key.get();
}

// A DNS stand-in: "<selector>._domainkey.<domain>" → records.
struct Zone {
    std::map<std::string, std::vector<std::string>> records;

    void publish(const std::string& selector, const std::string& domain, const std::string& rec) {
        records[key_record_name(selector, domain)].push_back(rec);
    }
    KeyLookup lookup() const {
        return [this](std::string_view s, std::string_view d) {
            auto it = records.find(key_record_name(s, d));
            return it == records.end() ? std::vector<std::string>{} : it->second;
        };
    }
};

const std::string kMessage =
    "Received: from a by b\r\n"
    "From: Alice <alice@example.com>\r\n"
    "To: bob@example.org\r\n"
    "Subject: Hello\r\n"
    "  folded  subject\r\n"
    "Date: Mon, 1 Jan 2024 10:00:00 +0000\r\n"
    "Message-ID: <1@example.com>\r\n"
    "X-Mailer: test\r\n"
    "\r\n"
    "Hello  World \r\n"
    "Ol\xc3\xa1\r\n"
    "\r\n";

std::string to_lf(std::string s) {
    std::string out;
    for (std::size_t i = 0; i < s.size(); ++i)
        if (!(s[i] == '\r' && i + 1 < s.size() && s[i + 1] == '\n')) out += s[i];
    return out;
}

std::string to_crlf(const std::string& s) {
    std::string out;
    for (std::size_t i = 0; i < s.size(); ++i) {
        if (s[i] == '\n' && (i == 0 || s[i - 1] != '\r')) out += '\r';
        out += s[i];
    }
    return out;
}

std::string replace(std::string s, const std::string& from, const std::string& to) {
    auto at = s.find(from);
    EXPECT_NE(at, std::string::npos) << from;
    return at == std::string::npos ? s : s.replace(at, from.size(), to);
}

SignOptions options(Canonicalization c = {}) {
    SignOptions o;
    o.domain = "example.com";
    o.selector = "sel";
    o.canon = c;
    return o;
}

class SignVerify : public ::testing::Test {
  protected:
    void SetUp() override {
        zone_.publish("sel", "example.com", key_record_text(rsa2048()));
        zone_.publish("ed", "example.com", key_record_text(ed25519()));
    }
    std::vector<VerifyResult> verify(const std::string& msg) {
        return verify_message(msg, zone_.lookup());
    }
    std::string only_reason(const std::string& msg) {
        auto r = verify(msg);
        EXPECT_EQ(r.size(), 1u);
        return r.empty() ? "<none>" : r[0].pass ? "pass" : r[0].reason;
    }
    Zone zone_;
};

TEST_F(SignVerify, RoundTripsEveryKeyCanonicalizationAndLineEnding) {
    const Canon canons[] = {Canon::Simple, Canon::Relaxed};
    for (EVP_PKEY* key : {rsa2048(), ed25519()})
        for (Canon h : canons)
            for (Canon b : canons)
                for (bool lf : {false, true}) {
                    SignOptions o = options({h, b});
                    o.selector = key == rsa2048() ? "sel" : "ed";
                    const std::string msg = lf ? to_lf(kMessage) : kMessage;
                    const std::string out = sign_message(msg, key, o);
                    const std::string label =
                        to_string(Canonicalization{h, b}) + (lf ? " LF " : " CRLF ") + o.selector;
                    // The body (the whole original message) is never changed.
                    ASSERT_EQ(out.substr(out.size() - msg.size()), msg) << label;
                    const std::string field = out.substr(0, out.size() - msg.size());
                    EXPECT_EQ(field.find('\r') == std::string::npos, lf) << label;
                    auto results = verify(out);
                    ASSERT_EQ(results.size(), 1u) << label;
                    EXPECT_TRUE(results[0].pass) << label << ": " << results[0].reason;
                    EXPECT_EQ(results[0].domain, "example.com");
                    EXPECT_EQ(results[0].selector, o.selector);
                    // The same message with the other line endings (as an MTA would deliver
                    // it) verifies too.
                    EXPECT_EQ(only_reason(lf ? to_crlf(out) : to_lf(out)), "pass") << label;
                }
}

TEST_F(SignVerify, DefaultTags) {
    const std::string field = sign_field(kMessage, rsa2048(), options());
    EXPECT_EQ(field.rfind(
                  "DKIM-Signature: v=1; a=rsa-sha256; c=relaxed/relaxed; d=example.com; s=sel;", 0),
              0u)
        << field;
    const std::string text = field + "\r\n";  // the views of `m` point into it
    const Message m = parse_message(text);
    auto parsed = parse_signature(m.headers.fields[0].value);
    ASSERT_TRUE(std::holds_alternative<SignatureFields>(parsed));
    const SignatureFields& f = std::get<SignatureFields>(parsed);
    EXPECT_EQ(f.headers,
              (std::vector<std::string>{"From", "To", "Subject", "Date", "Message-ID", "From"}));
    EXPECT_FALSE(f.body_length);  // no l= unless asked
    EXPECT_TRUE(f.timestamp);
    EXPECT_EQ(field.find(" i="), std::string::npos);
    EXPECT_EQ(field.find(" l="), std::string::npos);
    EXPECT_EQ(field.find(" q="), std::string::npos);
    EXPECT_EQ(f.canon, (Canonicalization{Canon::Relaxed, Canon::Relaxed}));
    EXPECT_EQ(sign_field(kMessage, ed25519(), options()).find("a=ed25519-sha256"), 21u);
}

TEST(DefaultSignedHeaders, RecommendedPresentWithFromOversigned) {
    const Message m = parse_message(
        "Return-Path: <x@y>\r\nReceived: a\r\nfrom: A\r\nTo: b\r\nCc: c\r\nBcc: secret\r\n"
        "Reply-To: r\r\nSubject: s\r\nMIME-Version: 1.0\r\nContent-Type: text/plain\r\n"
        "Content-Transfer-Encoding: 8bit\r\nList-Id: <l>\r\nX-Spam: no\r\nTo: b2\r\n"
        "DKIM-Signature: v=1\r\n\r\n");
    EXPECT_EQ(default_signed_headers(m.headers),
              (std::vector<std::string>{"from", "To", "Cc", "Reply-To", "Subject", "MIME-Version",
                                        "Content-Type", "Content-Transfer-Encoding", "List-Id",
                                        "To", "from"}));
    EXPECT_EQ(default_signed_headers(parse_message("To: x\r\n\r\n").headers),
              std::vector<std::string>{"To"});
}

TEST_F(SignVerify, TamperingFailsWithTheRightReason) {
    for (EVP_PKEY* key : {rsa2048(), ed25519()}) {
        SignOptions o = options();
        o.selector = key == rsa2048() ? "sel" : "ed";
        const std::string out = sign_message(kMessage, key, o);
        ASSERT_EQ(only_reason(out), "pass");
        EXPECT_EQ(only_reason(replace(out, "Subject: Hello", "Subject: Hellp")),
                  "signature mismatch");
        EXPECT_EQ(only_reason(replace(out, "From: Alice", "From: Mallory")), "signature mismatch");
        EXPECT_EQ(only_reason(replace(out, "Hello  World", "Hello  Wor1d")), "body hash mismatch");
        EXPECT_EQ(only_reason(out + "more\r\n"), "body hash mismatch");
        // Relaxed canonicalization tolerates what it should: whitespace and header-name case.
        EXPECT_EQ(only_reason(replace(out, "Subject: Hello", "SUBJECT:   Hello")), "pass");
        EXPECT_EQ(only_reason(replace(out, "Hello  World ", "Hello World")), "pass");
        // Unsigned fields may change.
        EXPECT_EQ(only_reason(replace(out, "X-Mailer: test", "X-Mailer: other")), "pass");
    }
}

TEST_F(SignVerify, SimpleCanonicalizationIsByteExact) {
    const std::string out =
        sign_message(kMessage, rsa2048(), options({Canon::Simple, Canon::Simple}));
    EXPECT_EQ(only_reason(out), "pass");
    EXPECT_EQ(only_reason(replace(out, "Subject: Hello", "Subject:  Hello")), "signature mismatch");
    EXPECT_EQ(only_reason(replace(out, "Hello  World ", "Hello World ")), "body hash mismatch");
    // The signature field itself is signed as written: refolding it breaks simple...
    EXPECT_EQ(only_reason(replace(out, ";\r\n t=", "; t=")), "signature mismatch");
    // ...but not relaxed.
    const std::string relaxed =
        sign_message(kMessage, rsa2048(), options({Canon::Relaxed, Canon::Simple}));
    EXPECT_EQ(only_reason(replace(relaxed, ";\r\n t=", "; t=")), "pass");
}

TEST_F(SignVerify, OversignedFromRejectsAnAddedFrom) {
    const std::string out = sign_message(kMessage, rsa2048(), options());
    ASSERT_EQ(only_reason(out), "pass");
    EXPECT_EQ(only_reason(replace(out, "To: bob", "From: evil@example.net\r\nTo: bob")),
              "signature mismatch");
    EXPECT_EQ(only_reason(replace(out, "\r\n\r\nHello", "\r\nFrom: evil@example.net\r\n\r\nHello")),
              "signature mismatch");
    // Without oversigning, a From added above the signed one would go unnoticed.
    SignOptions o = options();
    o.headers = {"From", "To", "Subject"};
    const std::string weak = sign_message(kMessage, rsa2048(), o);
    EXPECT_EQ(only_reason(replace(weak, "Received:", "From: evil@example.net\r\nReceived:")),
              "pass");
}

TEST_F(SignVerify, RepeatedFieldsAreSignedBottomUp) {
    const std::string msg = "From: a@example.com\r\nX-Tag: first\r\nX-Tag: second\r\n\r\nbody\r\n";
    SignOptions o = options();
    o.headers = {"From", "X-Tag"};  // one instance: the last one (RFC 6376 §5.4.2)
    const std::string out = sign_message(msg, rsa2048(), o);
    EXPECT_EQ(only_reason(out), "pass");
    EXPECT_EQ(only_reason(replace(out, "X-Tag: first", "X-Tag: changed")), "pass");
    EXPECT_EQ(only_reason(replace(out, "X-Tag: second", "X-Tag: changed")), "signature mismatch");
    o.headers = {"From", "X-Tag", "X-Tag"};
    const std::string both = sign_message(msg, rsa2048(), o);
    EXPECT_EQ(only_reason(both), "pass");
    EXPECT_EQ(only_reason(replace(both, "X-Tag: first", "X-Tag: changed")), "signature mismatch");
}

TEST_F(SignVerify, BodyLengthTag) {
    SignOptions o = options();
    o.body_length = true;
    const std::string out = sign_message(kMessage, rsa2048(), o);
    EXPECT_NE(
        out.find(
            " l=" +
            std::to_string(
                canonicalize_body(Canon::Relaxed, "Hello  World \r\nOl\xc3\xa1\r\n\r\n").size()) +
            ";"),
        std::string::npos);
    EXPECT_EQ(only_reason(out + "appended footer\r\n"), "pass");
    EXPECT_EQ(only_reason(replace(out, "Hello  World", "Hello  Wor1d")), "body hash mismatch");
    const std::string shorter =
        out.substr(0, out.size() - std::string("Ol\xc3\xa1\r\n\r\n").size());
    EXPECT_EQ(only_reason(shorter), "l= is longer than the body");
}

TEST_F(SignVerify, EveryFailureReason) {
    SignOptions o = options();
    o.timestamp = 1000;
    o.expiry = 2000;
    const std::string out = sign_message(kMessage, rsa2048(), o);
    auto verify_at = [&](const std::string& msg, const Zone& zone, std::int64_t now) {
        auto r = verify_message(msg, zone.lookup(), VerifyOptions{.now = now});
        return r.size() == 1 ? (r[0].pass ? "pass" : r[0].reason) : "<count>";
    };
    EXPECT_EQ(verify_at(out, zone_, 1500), "pass");
    EXPECT_EQ(verify_at(out, zone_, 2001), "signature expired");

    Zone empty;
    EXPECT_EQ(verify_at(out, empty, 1500), "no key");
    Zone revoked;
    revoked.publish("sel", "example.com", "v=DKIM1; k=rsa; p=");
    EXPECT_EQ(verify_at(out, revoked, 1500), "key revoked");
    Zone garbage;
    garbage.publish("sel", "example.com", "v=spf1 -all");
    EXPECT_EQ(verify_at(out, garbage, 1500), "bad key record: v= is not DKIM1");
    Zone wrong_type;
    wrong_type.publish("sel", "example.com", key_record_text(ed25519()));
    EXPECT_EQ(verify_at(out, wrong_type, 1500), "key type does not match a=");
    Zone other_key;
    other_key.publish("sel", "example.com", key_record_text(netius_key().get()));
    EXPECT_EQ(verify_at(out, other_key, 1500), "signature mismatch");
    Zone several;  // the first record that parses is used
    several.publish("sel", "example.com", "v=spf1 -all");
    several.publish("sel", "example.com", key_record_text(rsa2048()));
    EXPECT_EQ(verify_at(out, several, 1500), "pass");

    PKeyPtr small(EVP_RSA_gen(512));
    ASSERT_TRUE(small);
    Zone short_key;
    short_key.publish("sel", "example.com", key_record_text(small.get()));
    EXPECT_EQ(verify_at(out, short_key, 1500), "key too short (RFC 8301)");
    EXPECT_THROW(sign_field(kMessage, small.get(), options()), Error);

    KeyLookup failing = [](auto, auto) -> std::vector<std::string> { throw Error("timeout"); };
    auto r = verify_message(out, failing, VerifyOptions{.now = 1500});
    ASSERT_EQ(r.size(), 1u);
    EXPECT_EQ(r[0].reason, "key lookup failed: timeout");

    EXPECT_EQ(verify_at(replace(out, "a=rsa-sha256", "a=rsa-sha1"), zone_, 1500),
              "rsa-sha1 not accepted (RFC 8301)");
    EXPECT_EQ(verify_at(replace(out, "d=example.com;", "d=example.com; d=x.org;"), zone_, 1500),
              "bad tag list: duplicate tag 'd'");
    EXPECT_EQ(verify_at(replace(out, "s=sel;", "s=sel; i=u@example.net;"), zone_, 1500),
              "i= not in d=");

    Zone strict;
    strict.publish("sel", "example.com", key_record_text(rsa2048()) + "; t=s");
    SignOptions sub = options();
    sub.identity = "user@mail.example.com";
    const std::string subdomain = sign_message(kMessage, rsa2048(), sub);
    EXPECT_EQ(verify_at(subdomain, zone_, 1500), "pass");
    EXPECT_EQ(verify_at(subdomain, strict, 1500), "i= is a subdomain of d= but the key has t=s");

    SignatureSpec no_from;
    no_from.domain = "example.com";
    no_from.selector = "sel";
    no_from.headers = {"To", "Subject"};
    const std::string unsigned_from =
        make_signature_field(parse_message(kMessage), rsa2048(), no_from) + kMessage;
    EXPECT_EQ(verify_at(unsigned_from, zone_, 1500), "From not signed");
}

TEST_F(SignVerify, SeveralSignaturesAreEachReported) {
    SignOptions o = options();
    std::string once = sign_message(kMessage, rsa2048(), o);
    o.selector = "ed";
    std::string twice = sign_message(once, ed25519(), o);
    auto r = verify(twice);
    ASSERT_EQ(r.size(), 2u);
    EXPECT_EQ(r[0].selector, "ed");
    EXPECT_EQ(r[1].selector, "sel");
    EXPECT_TRUE(r[0].pass && r[1].pass) << r[0].reason << " / " << r[1].reason;
    // Break only the RSA one: the Ed25519 one still passes.
    zone_.records.erase(key_record_name("sel", "example.com"));
    r = verify(twice);
    EXPECT_TRUE(r[0].pass);
    EXPECT_EQ(r[1].reason, "no key");
    EXPECT_TRUE(verify(kMessage).empty());
}

TEST_F(SignVerify, EmptyBodyAndNoBody) {
    for (const std::string msg :
         {"From: a@example.com\r\n\r\n", "From: a@example.com\r\n", "From: a@example.com"}) {
        for (Canon c : {Canon::Simple, Canon::Relaxed}) {
            const std::string out = sign_message(msg, rsa2048(), options({c, c}));
            EXPECT_EQ(only_reason(out), "pass") << msg;
        }
    }
}

TEST(SignPolicy, RejectsBadInputWithOneLine) {
    auto expect_error = [](const std::string& msg, SignOptions o, const std::string& what) {
        try {
            sign_field(msg, rsa2048(), o);
            ADD_FAILURE() << "signed: " << what;
        } catch (const Error& e) {
            EXPECT_EQ(std::string(e.what()), what);
        }
    };
    const std::string msg = "From: a@example.com\r\n\r\nbody";
    expect_error("To: b\r\n\r\nbody", options(),
                 "the message has no From header field (RFC 5322 §3.6.2)");
    expect_error("From: a\r\nnot a header\r\n\r\n", options(),
                 "line 2: header line without a colon");
    SignOptions o = options();
    o.identity = "user@example.org";
    expect_error(msg, o, "identity 'user@example.org' is not within domain 'example.com'");
    o.identity = "no-at-sign";
    expect_error(msg, o, "invalid identity 'no-at-sign' (expected [local-part]@domain)");
    o = options();
    o.headers = {"To", "Subject"};
    expect_error(msg, o, "the signed headers must include From (RFC 6376 §5.4)");
    o.headers = {"From", "Bad:Name"};
    expect_error(msg, o, "invalid header field name 'Bad:Name'");
    o = options();
    o.domain = "exa mple.com";
    expect_error(msg, o, "invalid domain 'exa mple.com'");
    o = options();
    o.selector = "a;b";
    expect_error(msg, o, "invalid selector 'a;b'");
}

}  // namespace
}  // namespace netius::crypto::dkim
