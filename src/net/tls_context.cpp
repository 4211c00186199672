#include "net/tls_context.hpp"

#include <openssl/err.h>
#include <openssl/ssl.h>

#include <chrono>

#include "crypto/keys.hpp"
#include "net/tls_certificate.hpp"
#include "util/error.hpp"
#include "util/files.hpp"

void netius::net::SslCtxFree::operator()(ssl_ctx_st* ctx) const noexcept {
    SSL_CTX_free(ctx);
}
void netius::net::SslFree::operator()(ssl_st* ssl) const noexcept {
    SSL_free(ssl);
}

namespace netius::net {
namespace {

using crypto::ossl_last_error;

constexpr std::chrono::seconds kEphemeralLifetime = std::chrono::hours(24 * 30);
constexpr char kSessionIdContext[] = "netius";
// Servers' TLS 1.2 suites (TLS 1.3's are all AEAD with forward secrecy and stay OpenSSL's):
// ECDHE key exchange (forward secrecy) with an AEAD cipher, for ECDSA/Ed25519 and RSA
// certificates — Mozilla's "intermediate" profile without DHE. No CBC suites (LUCKY13 and
// padding oracles), no RSA key transport (no forward secrecy; ROBOT). Audited with testssl.sh
// (tests/integration/test_tls_audit.py, bench/tls_audit.sh).
constexpr char kServerCiphersTls12[] =
    "ECDHE-ECDSA-AES128-GCM-SHA256:ECDHE-RSA-AES128-GCM-SHA256:"
    "ECDHE-ECDSA-AES256-GCM-SHA384:ECDHE-RSA-AES256-GCM-SHA384:"
    "ECDHE-ECDSA-CHACHA20-POLY1305:ECDHE-RSA-CHACHA20-POLY1305";

// RFC 7301 §3.1: each protocol name is 1..255 bytes, prefixed by its length.
std::string alpn_wire(const std::vector<std::string>& protocols) {
    std::string wire;
    for (const auto& p : protocols) {
        if (p.empty() || p.size() > 255)
            throw Error("ALPN protocol name '{}' must be 1 to 255 bytes long", p);
        wire += static_cast<char>(p.size());
        wire += p;
    }
    return wire;
}

// Installs the key and its chain (leaf first); names are for the messages.
void install_certificate(SSL_CTX* ctx, EVP_PKEY* key, const std::vector<X509Ptr>& chain,
                         const std::string& key_name, const std::string& cer_name) {
    // Checked before OpenSSL sees the pair, so the message says which files disagree.
    if (X509_check_private_key(chain.front().get(), key) != 1) {
        ERR_clear_error();
        throw Error("'{}' does not match the certificate in '{}'", key_name, cer_name);
    }
    if (SSL_CTX_use_certificate(ctx, chain.front().get()) != 1)
        throw Error("cannot use the certificate in '{}': {}", cer_name, ossl_last_error());
    for (std::size_t i = 1; i < chain.size(); ++i)
        if (SSL_CTX_add1_chain_cert(ctx, chain[i].get()) != 1)
            throw Error("cannot use certificate {} of the chain in '{}': {}", i + 1, cer_name,
                        ossl_last_error());
    if (SSL_CTX_use_PrivateKey(ctx, key) != 1)
        throw Error("cannot use the key in '{}': {}", key_name, ossl_last_error());
    if (SSL_CTX_check_private_key(ctx) != 1)
        throw Error("'{}' does not match the certificate in '{}' ({})", key_name, cer_name,
                    ossl_last_error());
}

}  // namespace

TlsContext::TlsContext(bool server, std::vector<std::string> alpn)
    : server_(server), alpn_(std::move(alpn)), alpn_wire_(alpn_wire(alpn_)) {
    ctx_.reset(SSL_CTX_new(server ? TLS_server_method() : TLS_client_method()));
    if (!ctx_) throw Error("cannot create a TLS context: {}", ossl_last_error());
    configure_common();
}

TlsContext::~TlsContext() = default;

void TlsContext::configure_common() {
    SSL_CTX* ctx = ctx_.get();
    if (SSL_CTX_set_min_proto_version(ctx, TLS1_2_VERSION) != 1)
        throw Error("cannot require TLS 1.2: {}", ossl_last_error());
    // What TlsTransport's write() contract needs (transport.hpp), and no idle buffers:
    // OpenSSL frees a connection's record buffers while nothing is in flight.
    SSL_CTX_set_mode(ctx, SSL_MODE_ACCEPT_MOVING_WRITE_BUFFER | SSL_MODE_ENABLE_PARTIAL_WRITE |
                              SSL_MODE_RELEASE_BUFFERS);
    // Renegotiation lets a client make the server repeat expensive work (and TLS 1.3 has none).
    // A FIN without close_notify reads as end of stream instead of a fatal error that sends a
    // decode_error alert and forbids further writes: a client that half-closes still gets its
    // reply (TlsTransport notes the truncation).
    SSL_CTX_set_options(
        ctx, SSL_OP_NO_RENEGOTIATION | SSL_OP_NO_COMPRESSION | SSL_OP_IGNORE_UNEXPECTED_EOF);
}

void TlsContext::configure_server() {
    SSL_CTX* ctx = ctx_.get();
    SSL_CTX_set_options(ctx, SSL_OP_CIPHER_SERVER_PREFERENCE);
    if (SSL_CTX_set_cipher_list(ctx, kServerCiphersTls12) != 1)
        throw Error("cannot set the TLS 1.2 cipher suites: {}", ossl_last_error());
    SSL_CTX_set_session_cache_mode(ctx, SSL_SESS_CACHE_SERVER);
    SSL_CTX_set_session_id_context(ctx, reinterpret_cast<const unsigned char*>(kSessionIdContext),
                                   sizeof kSessionIdContext - 1);
    if (!alpn_.empty()) SSL_CTX_set_alpn_select_cb(ctx, &TlsContext::select_alpn, this);
}

int TlsContext::select_alpn(SSL*, const unsigned char** out, unsigned char* outlen,
                            const unsigned char* in, unsigned int inlen, void* arg) {
    const auto* self = static_cast<const TlsContext*>(arg);
    const auto* ours = reinterpret_cast<const unsigned char*>(self->alpn_wire_.data());
    unsigned char* selected = nullptr;
    // Server preference: the first of our names that the client lists.
    if (inlen == 0 || SSL_select_next_proto(&selected, outlen, ours,
                                            static_cast<unsigned int>(self->alpn_wire_.size()), in,
                                            inlen) != OPENSSL_NPN_NEGOTIATED)
        return SSL_TLSEXT_ERR_NOACK;  // no overlap: go on without ALPN (see the header)
    *out = selected;
    return SSL_TLSEXT_ERR_OK;
}

void TlsContext::configure_client(bool verify, const std::string& ca_file) {
    SSL_CTX* ctx = ctx_.get();
    verify_ = verify;
    // SSL_CTX_set_alpn_protos returns 0 on success.
    if (!alpn_wire_.empty() &&
        SSL_CTX_set_alpn_protos(ctx, reinterpret_cast<const unsigned char*>(alpn_wire_.data()),
                                static_cast<unsigned int>(alpn_wire_.size())) != 0)
        throw Error("cannot set the ALPN list: {}", ossl_last_error());
    if (!verify) {
        SSL_CTX_set_verify(ctx, SSL_VERIFY_NONE, nullptr);
        return;
    }
    SSL_CTX_set_verify(ctx, SSL_VERIFY_PEER, nullptr);
    if (ca_file.empty()) {
        if (SSL_CTX_set_default_verify_paths(ctx) != 1)
            throw Error("cannot load the system's trusted certificates: {}", ossl_last_error());
        return;
    }
    X509_STORE* store = SSL_CTX_get_cert_store(ctx);
    for (const X509Ptr& cert : load_certificate_chain(read_input(ca_file), ca_file))
        if (X509_STORE_add_cert(store, cert.get()) != 1)
            throw Error("cannot trust the certificates in '{}': {}", ca_file, ossl_last_error());
}

std::shared_ptr<TlsContext> TlsContext::server(const std::string& key_file,
                                               const std::string& cer_file,
                                               const std::vector<std::string>& alpn) {
    if (key_file.empty() && cer_file.empty())
        throw Error("a TLS server needs a key file and a certificate file");
    const std::string& key_path = key_file.empty() ? cer_file : key_file;
    const std::string& cer_path = cer_file.empty() ? key_file : cer_file;
    crypto::PKeyPtr key = crypto::load_private_key(read_input(key_path), key_path);
    std::vector<X509Ptr> chain = load_certificate_chain(read_input(cer_path), cer_path);
    std::shared_ptr<TlsContext> ctx(new TlsContext(true, alpn));
    ctx->configure_server();
    install_certificate(ctx->native(), key.get(), chain, key_path, cer_path);
    return ctx;
}

std::shared_ptr<TlsContext> TlsContext::self_signed_server(const std::vector<std::string>& alpn) {
    SelfSigned made =
        make_self_signed("localhost", "DNS:localhost,IP:127.0.0.1,IP:::1", kEphemeralLifetime);
    std::vector<X509Ptr> chain;
    chain.push_back(std::move(made.certificate));
    std::shared_ptr<TlsContext> ctx(new TlsContext(true, alpn));
    ctx->configure_server();
    install_certificate(ctx->native(), made.key.get(), chain, "<ephemeral key>",
                        "<ephemeral certificate>");
    ctx->ephemeral_ = true;
    return ctx;
}

std::shared_ptr<TlsContext> TlsContext::client(bool verify, const std::string& ca_file,
                                               const std::vector<std::string>& alpn) {
    std::shared_ptr<TlsContext> ctx(new TlsContext(false, alpn));
    ctx->configure_client(verify, ca_file);
    return ctx;
}

std::string TlsContext::certificate_pem() const {
    const X509* leaf = server_ ? SSL_CTX_get0_certificate(ctx_.get()) : nullptr;
    return leaf ? net::certificate_pem(leaf) : std::string();
}

std::string TlsContext::certificate_fingerprint() const {
    const X509* leaf = server_ ? SSL_CTX_get0_certificate(ctx_.get()) : nullptr;
    return leaf ? net::certificate_fingerprint(leaf) : std::string();
}

}  // namespace netius::net
