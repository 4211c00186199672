#pragma once
// OpenSSL handles as unique_ptrs, and the error-queue reader every wrapper uses.
// Every OpenSSL object in netius lives in one of these; nothing calls *_free by hand.
#include <openssl/bio.h>
#include <openssl/bn.h>
#include <openssl/decoder.h>
#include <openssl/encoder.h>
#include <openssl/evp.h>

#include <memory>
#include <string>

namespace netius::crypto {

template <auto Free>
struct OsslDeleter {
    template <typename T>
    void operator()(T* p) const noexcept {
        Free(p);
    }
};

using PKeyPtr = std::unique_ptr<EVP_PKEY, OsslDeleter<EVP_PKEY_free>>;
using PKeyCtxPtr = std::unique_ptr<EVP_PKEY_CTX, OsslDeleter<EVP_PKEY_CTX_free>>;
using MdCtxPtr = std::unique_ptr<EVP_MD_CTX, OsslDeleter<EVP_MD_CTX_free>>;
using MdPtr = std::unique_ptr<EVP_MD, OsslDeleter<EVP_MD_free>>;
using BioPtr = std::unique_ptr<BIO, OsslDeleter<BIO_free_all>>;
using BnPtr = std::unique_ptr<BIGNUM, OsslDeleter<BN_free>>;
using DecoderCtxPtr = std::unique_ptr<OSSL_DECODER_CTX, OsslDeleter<OSSL_DECODER_CTX_free>>;
using EncoderCtxPtr = std::unique_ptr<OSSL_ENCODER_CTX, OsslDeleter<OSSL_ENCODER_CTX_free>>;

/// The reason text of the most recent OpenSSL error (e.g. "bad decrypt"), and clears the
/// queue; `fallback` when the queue is empty.
std::string ossl_last_error(const std::string& fallback = "unknown OpenSSL error");

/// Contents of a memory BIO as a string.
std::string bio_to_string(BIO* bio);

}  // namespace netius::crypto
