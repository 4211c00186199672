#include "net/tls_context.hpp"

#include <arpa/inet.h>
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <openssl/pem.h>
#include <openssl/ssl.h>
#include <openssl/x509v3.h>

#include <ctime>
#include <set>

#include "net/tls_certificate.hpp"
#include "net/tls_transport.hpp"
#include "tls_test_util.hpp"
#include "util/error.hpp"

namespace netius::net {
namespace {

using testing::HasSubstr;
using namespace test;

class TlsContextTest : public PkiTest {
  protected:
    // The message of the netius::Error that TlsContext::server(key, cer) throws.
    static std::string server_error(const std::string& key, const std::string& cer) {
        try {
            TlsContext::server(key, cer);
        } catch (const Error& e) {
            return e.what();
        }
        return "<no error>";
    }
};

TEST_F(TlsContextTest, LoadsAKeyAndAChain) {
    auto ctx = TlsContext::server(path("server.key"), path("chain.pem"));
    EXPECT_TRUE(ctx->is_server());
    EXPECT_FALSE(ctx->is_ephemeral());
    EXPECT_EQ(ctx->alpn_protocols(), std::vector<std::string>{"http/1.1"});
    // The leaf is the first certificate of the chain file.
    EXPECT_EQ(ctx->certificate_pem(), read_file(path("server.pem")));
}

TEST_F(TlsContextTest, OneFileMayHoldKeyAndChain) {
    write_file(path("combined.pem"), read_file(path("server.key")) + read_file(path("chain.pem")));
    EXPECT_EQ(TlsContext::server("", path("combined.pem"))->certificate_pem(),
              read_file(path("server.pem")));
    EXPECT_EQ(TlsContext::server(path("combined.pem"), "")->certificate_pem(),
              read_file(path("server.pem")));
}

TEST_F(TlsContextTest, FingerprintMatchesOpenssl) {
    auto ctx = TlsContext::server(path("server.key"), path("server.pem"));
    ProcessResult r = run_process(
        {"openssl", "x509", "-in", path("server.pem"), "-noout", "-fingerprint", "-sha256"}, "",
        std::chrono::seconds(30));
    ASSERT_EQ(r.exit_code, 0) << r.err;
    EXPECT_EQ(r.out, "sha256 Fingerprint=" + ctx->certificate_fingerprint() + "\n");
}

// Each bad input gives one line that names the file at fault.
TEST_F(TlsContextTest, BadFilesGiveClearErrors) {
    write_file(path("garbage.key"), "this is not a key\n");
    write_file(path("empty.pem"), "");
    std::string damaged = read_file(path("server.pem"));
    damaged.replace(damaged.size() / 2, 8, "********");
    write_file(path("damaged.pem"), damaged);
    const struct {
        std::string key, cer, message;
    } cases[] = {
        {path("garbage.key"), path("chain.pem"),
         "'" + path("garbage.key") + "' is not a private key"},
        {path("missing.key"), path("chain.pem"),
         "cannot open '" + path("missing.key") + "': No such file or directory"},
        {path("server.key"), path("missing.pem"),
         "cannot open '" + path("missing.pem") + "': No such file or directory"},
        {path("server.key"), path("empty.pem"),
         "'" + path("empty.pem") + "' holds no PEM certificate"},
        {path("server.key"), path("server.key"),
         "'" + path("server.key") + "' holds no PEM certificate"},
        {path("server.key"), path("damaged.pem"),
         "'" + path("damaged.pem") + "' holds a damaged certificate"},
        {path("chain.pem"), path("chain.pem"), "'" + path("chain.pem") + "' holds a CERTIFICATE"},
        {"", "", "a TLS server needs a key file and a certificate file"},
    };
    for (const auto& c : cases) {
        std::string message = server_error(c.key, c.cer);
        EXPECT_THAT(message, HasSubstr(c.message)) << c.key << " + " << c.cer;
        EXPECT_EQ(message.find('\n'), std::string::npos) << message;
    }
}

TEST_F(TlsContextTest, MismatchedKeyAndCertificateAreRefused) {
    EXPECT_EQ(server_error(path("other.key"), path("chain.pem")),
              "'" + path("other.key") + "' does not match the certificate in '" +
                  path("chain.pem") + "'");
    // Same type, different key: the intermediate's EC key against its own CA's certificate.
    EXPECT_EQ(server_error(path("intermediate.key"), path("root.pem")),
              "'" + path("intermediate.key") + "' does not match the certificate in '" +
                  path("root.pem") + "'");
}

TEST_F(TlsContextTest, ClientCaFileErrorsNameTheFile) {
    try {
        TlsContext::client(true, path("missing-ca.pem"));
        FAIL() << "no error";
    } catch (const Error& e) {
        EXPECT_EQ(std::string(e.what()),
                  "cannot open '" + path("missing-ca.pem") + "': No such file or directory");
    }
    EXPECT_THROW(TlsContext::client(true, path("server.key")), Error);
    auto ctx = TlsContext::client(true, path("root.pem"), {"h2", "http/1.1"});
    EXPECT_FALSE(ctx->is_server());
    EXPECT_TRUE(ctx->verifies_peer());
    EXPECT_EQ(ctx->certificate_pem(), "");
}

TEST(TlsContext, AlpnNamesMustFitTheWireFormat) {
    EXPECT_THROW(TlsContext::client(false, {}, {""}), Error);
    EXPECT_THROW(TlsContext::client(false, {}, {std::string(256, 'x')}), Error);
    EXPECT_NO_THROW(TlsContext::client(false, {}, {std::string(255, 'x')}));
}

TEST(TlsContext, FactoriesCheckTheContextSide) {
    auto client = TlsContext::client(false);
    auto server = TlsContext::self_signed_server();
    EXPECT_THROW(make_tls_server_factory(client), Error);
    EXPECT_THROW(make_tls_client_factory(server, "localhost"), Error);
    EXPECT_THROW(make_tls_server_factory(nullptr), Error);
    EXPECT_TRUE(make_tls_server_factory(server));
    EXPECT_TRUE(make_tls_client_factory(client, "localhost"));
}

// TLS 1.2 suites with forward secrecy (ECDHE) and an AEAD cipher only, for ECDSA and RSA
// certificates alike; TLS 1.3 suites (kx "any") are all AEAD. testssl.sh checks the same from
// outside (tests/integration/test_tls_audit.py).
TEST(TlsContext, ServersOfferOnlyForwardSecretAeadSuites) {
    auto ctx = TlsContext::self_signed_server();
    STACK_OF(SSL_CIPHER)* ciphers = SSL_CTX_get_ciphers(ctx->native());
    ASSERT_NE(ciphers, nullptr);
    std::set<int> tls12_auth;
    for (int i = 0; i < sk_SSL_CIPHER_num(ciphers); ++i) {
        const SSL_CIPHER* c = sk_SSL_CIPHER_value(ciphers, i);
        const int kx = SSL_CIPHER_get_kx_nid(c);
        EXPECT_TRUE(SSL_CIPHER_is_aead(c)) << SSL_CIPHER_get_name(c);
        EXPECT_TRUE(kx == NID_kx_ecdhe || kx == NID_kx_any) << SSL_CIPHER_get_name(c);
        if (kx == NID_kx_ecdhe) tls12_auth.insert(SSL_CIPHER_get_auth_nid(c));
    }
    EXPECT_EQ(tls12_auth, (std::set<int>{NID_auth_ecdsa, NID_auth_rsa}));
}

std::vector<std::string> alt_names(X509* cert) {
    std::vector<std::string> out;
    auto* names =
        static_cast<GENERAL_NAMES*>(X509_get_ext_d2i(cert, NID_subject_alt_name, nullptr, nullptr));
    for (int i = 0; names && i < sk_GENERAL_NAME_num(names); ++i) {
        const GENERAL_NAME* n = sk_GENERAL_NAME_value(names, i);
        if (n->type == GEN_DNS) {
            out.push_back("DNS:" + std::string(reinterpret_cast<const char*>(
                                                   ASN1_STRING_get0_data(n->d.dNSName)),
                                               ASN1_STRING_length(n->d.dNSName)));
        } else if (n->type == GEN_IPADD) {
            const int len = ASN1_STRING_length(n->d.iPAddress);
            char text[INET6_ADDRSTRLEN] = {};
            ::inet_ntop(len == 4 ? AF_INET : AF_INET6, ASN1_STRING_get0_data(n->d.iPAddress), text,
                        sizeof text);
            out.push_back(std::string("IP:") + text);
        }
    }
    GENERAL_NAMES_free(names);
    return out;
}

TEST(TlsContext, EphemeralCertificateIsALocalhostLeafFor30Days) {
    auto ctx = TlsContext::self_signed_server();
    EXPECT_TRUE(ctx->is_server());
    EXPECT_TRUE(ctx->is_ephemeral());
    const std::string pem = ctx->certificate_pem();
    crypto::BioPtr bio(BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size())));
    X509Ptr cert(PEM_read_bio_X509(bio.get(), nullptr, nullptr, nullptr));
    ASSERT_TRUE(cert);

    char cn[256] = {};
    X509_NAME_get_text_by_NID(X509_get_subject_name(cert.get()), NID_commonName, cn, sizeof cn);
    EXPECT_STREQ(cn, "localhost");
    EXPECT_EQ(X509_NAME_cmp(X509_get_subject_name(cert.get()), X509_get_issuer_name(cert.get())),
              0);
    EXPECT_EQ(alt_names(cert.get()),
              (std::vector<std::string>{"DNS:localhost", "IP:127.0.0.1", "IP:::1"}));
    EXPECT_EQ(X509_check_ca(cert.get()), 0);  // a leaf
    EXPECT_EQ(X509_check_purpose(cert.get(), X509_PURPOSE_SSL_SERVER, 0), 1);

    // Valid now, and until 30 days from now (give or take the test's own run time).
    const time_t now = std::time(nullptr);
    EXPECT_LT(X509_cmp_time(X509_get0_notBefore(cert.get()), nullptr), 0);
    time_t almost = now + 30 * 86400 - 60, beyond = now + 30 * 86400 + 60;
    EXPECT_GT(X509_cmp_time(X509_get0_notAfter(cert.get()), &almost), 0);
    EXPECT_LT(X509_cmp_time(X509_get0_notAfter(cert.get()), &beyond), 0);

    EVP_PKEY* key = X509_get0_pubkey(cert.get());
    char group[64] = {};
    ASSERT_EQ(EVP_PKEY_get_group_name(key, group, sizeof group, nullptr), 1);
    EXPECT_STREQ(group, "prime256v1");
    EXPECT_EQ(X509_verify(cert.get(), key), 1);  // self-signed

    // A fresh key and serial each time.
    EXPECT_NE(TlsContext::self_signed_server()->certificate_fingerprint(),
              ctx->certificate_fingerprint());
}

}  // namespace
}  // namespace netius::net
