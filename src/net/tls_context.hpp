#pragma once
// TlsContext — the shared TLS configuration (an OpenSSL SSL_CTX) that TlsTransports are made
// from: a server context (PEM key + certificate chain, or an ephemeral self-signed
// certificate) or a client context (peer verification against a CA file or the system store).
// This header and tls_transport.hpp do not include OpenSSL (house rule 10: HTTP/SMTP code
// builds servers from them without seeing OpenSSL); the handles live in unique_ptrs whose
// deleters are defined in tls_context.cpp.
//
// Policy, the same for every server: TLS 1.2 minimum (RFC 8996 deprecates 1.0/1.1), TLS 1.2
// suites limited to ECDHE + AEAD (forward secrecy, no CBC; TLS 1.3 suites are OpenSSL's) in
// the server's preference order, no renegotiation, OpenSSL's server session cache and
// stateless tickets (the ticket key is random per context, i.e. per worker process: a
// resumption that lands on another worker falls back to a full handshake).
// SNI is not required. ALPN (RFC 7301): the server picks the first of its own protocols the
// client offers; when none matches it carries on without ALPN (as nginx does) rather than
// sending the fatal alert of RFC 7301 §3.2, so a client offering only h2 still gets HTTP/1.1.
//
// Thread-safety: a context is immutable once made; it may be shared by transports on any
// number of loops and threads. Construction blocks (file reads, key generation) and throws
// netius::Error with a one-line message naming the file at fault.
#include <memory>
#include <string>
#include <vector>

struct ssl_ctx_st;  // OpenSSL's SSL_CTX
struct ssl_st;      // OpenSSL's SSL

namespace netius::net {

/// unique_ptr deleters for the OpenSSL handles named in the public TLS headers.
struct SslCtxFree {
    void operator()(ssl_ctx_st* ctx) const noexcept;
};
struct SslFree {
    void operator()(ssl_st* ssl) const noexcept;
};
using SslCtxPtr = std::unique_ptr<ssl_ctx_st, SslCtxFree>;
using SslPtr = std::unique_ptr<ssl_st, SslFree>;

/// The ALPN list servers offer by default.
inline const std::vector<std::string> kHttp11Alpn = {"http/1.1"};

class TlsContext {
  public:
    /// Server context from PEM files: `key_file` holds the private key (RSA, EC or Ed25519;
    /// PKCS#1/PKCS#8, not encrypted), `cer_file` the certificate chain, leaf first. Either may
    /// be empty when the other file holds both. Fails with netius::Error: a file that cannot
    /// be read, holds no key / no certificate, a key that does not match the certificate
    /// ("'k.pem' does not match the certificate in 'c.pem'"), or a key OpenSSL's security
    /// level refuses. `alpn` is the server's preference list (empty: no ALPN).
    static std::shared_ptr<TlsContext> server(const std::string& key_file,
                                              const std::string& cer_file,
                                              const std::vector<std::string>& alpn = kHttp11Alpn);

    /// Server context with an ephemeral certificate made in memory: a fresh EC P-256 key,
    /// self-signed, CN=localhost, SAN DNS:localhost, IP:127.0.0.1, IP:::1, valid from one hour
    /// ago for 30 days. Nothing is written to disk. The caller logs a warning (clients will not
    /// trust it); certificate_fingerprint() lets a user recognise it.
    static std::shared_ptr<TlsContext> self_signed_server(
        const std::vector<std::string>& alpn = kHttp11Alpn);

    /// Client context. With `verify`, the handshake fails unless the server's chain leads to
    /// a trusted root — `ca_file` (PEM, one or more certificates) or, when empty, the system
    /// store — and the certificate names the host given to TlsTransport::connect (RFC 6125).
    /// `alpn` is offered in order (empty: no ALPN). Fails with netius::Error naming `ca_file`.
    static std::shared_ptr<TlsContext> client(bool verify = true, const std::string& ca_file = {},
                                              const std::vector<std::string>& alpn = {});

    ~TlsContext();
    TlsContext(const TlsContext&) = delete;
    TlsContext& operator=(const TlsContext&) = delete;

    bool is_server() const { return server_; }
    /// Client: whether the peer is verified. Server: false (no client certificates).
    bool verifies_peer() const { return verify_; }
    /// True for self_signed_server().
    bool is_ephemeral() const { return ephemeral_; }
    const std::vector<std::string>& alpn_protocols() const { return alpn_; }

    /// Server: the leaf certificate as PEM (e.g. to trust an ephemeral one); empty for clients.
    std::string certificate_pem() const;
    /// Server: SHA-256 fingerprint of the leaf, "AB:CD:..." as `openssl x509 -fingerprint
    /// -sha256` prints it; empty for clients.
    std::string certificate_fingerprint() const;

    /// The OpenSSL context, for TlsTransport.
    ssl_ctx_st* native() const { return ctx_.get(); }

  private:
    TlsContext(bool server, std::vector<std::string> alpn);
    void configure_common();
    void configure_server();
    void configure_client(bool verify, const std::string& ca_file);
    static int select_alpn(ssl_st* ssl, const unsigned char** out, unsigned char* outlen,
                           const unsigned char* in, unsigned int inlen, void* arg);

    SslCtxPtr ctx_;
    bool server_;
    bool verify_ = false;
    bool ephemeral_ = false;
    std::vector<std::string> alpn_;
    std::string alpn_wire_;  // RFC 7301 §3.1 ProtocolNameList: length-prefixed names
};

}  // namespace netius::net
