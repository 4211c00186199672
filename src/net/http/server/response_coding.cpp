#include "net/http/server/response_coding.hpp"

#include "net/http/char_class.hpp"

namespace netius::net::http {

bool has_header(const std::vector<Header>& headers, std::string_view name) {
    for (const Header& h : headers)
        if (detail::iequals(h.name, name)) return true;
    return false;
}

std::optional<ContentCoding> choose_coding(ResponseEncoding encoding, const RequestHead& request,
                                           Response& response, bool has_content,
                                           std::string& weak_etag) {
    if (encoding != ResponseEncoding::kGzip && encoding != ResponseEncoding::kDeflate) return {};
    // A 304 has no content but carries the Vary and ETag its 200 would (RFC 9110 §15.4.5).
    const bool not_modified = response.status == Status::kNotModified;
    if (!(has_content || not_modified) || !response.compressible) return {};
    const ContentCoding offered[] = {
        encoding == ResponseEncoding::kGzip ? ContentCoding::kGzip : ContentCoding::kDeflate,
        ContentCoding::kIdentity};
    auto coding = negotiate_encoding(request, offered);
    if (!has_header(response.headers, "Vary"))
        response.headers.push_back({"Vary", "Accept-Encoding"});
    if (!coding || *coding == ContentCoding::kIdentity) return {};
    if (!not_modified && !response.stream && response.body.empty()) return {};
    // The coded bytes are another representation: a strong validator of the identity one
    // would be wrong for them (RFC 9110 §8.8.1; nginx makes it weak too), and byte ranges of
    // a stream compressed on the fly are not offered.
    for (auto it = response.headers.begin(); it != response.headers.end();) {
        if (detail::iequals(it->name, "Accept-Ranges")) {
            it = response.headers.erase(it);
            continue;
        }
        if (detail::iequals(it->name, "ETag") && !it->value.starts_with("W/")) {
            weak_etag.assign("W/").append(it->value);
            it->value = weak_etag;
        }
        ++it;
    }
    if (not_modified) return {};  // no content: only the 200's validators (a weak ETag)
    return coding;
}

}  // namespace netius::net::http
