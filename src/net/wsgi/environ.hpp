#pragma once
// The WSGI environ of a request (PEP 3333 "environ Variables"): the CGI variables, HTTP_*
// for the header fields and the wsgi.* keys. The pure parts (header keys, the --mount split)
// are separate from the dict building so they can be tested without an interpreter.
#include <optional>
#include <string>
#include <string_view>

#include <pybind11/pytypes.h>

#include "net/allow_list.hpp"
#include "net/http/http_types.hpp"

namespace netius::net::wsgi {

/// What the environ takes from the server rather than from the request. Immutable once
/// serving; read on whichever thread builds an environ.
struct EnvironConfig {
    std::string mount;        // --mount: SCRIPT_NAME prefix, "" or "/app" (no trailing "/")
    std::string server_name;  // the listening host, when the request has no Host
    std::string server_port;  // the listening port
    bool tls = false;         // wsgi.url_scheme "https"
    AllowList trusted;        // peers whose X-Forwarded-Proto is believed
    bool trust_any = false;   // --trusted-proxy given (an empty AllowList allows everyone)
    bool multithread = false;
    bool multiprocess = false;
};

/// The environ key of a request header: "HTTP_" + the name upper-cased with "-" as "_"
/// ("X-Real-Ip" -> "HTTP_X_REAL_IP"); "CONTENT_TYPE"/"CONTENT_LENGTH" for those two. Nullopt
/// for a name containing "_": "X_Real_Ip" would collide with "X-Real-Ip" and let a client
/// spoof a header a proxy set (CVE-2015-0219). Pure, any thread.
std::optional<std::string> header_key(std::string_view name);

/// SCRIPT_NAME and PATH_INFO of a request path (still percent-encoded) under `mount`:
/// PATH_INFO is the percent-decoded rest, "" or starting with "/". Nullopt when the path is
/// not under the mount ("/application" is not under "/app"). Pure, any thread.
struct ScriptPath {
    std::string script_name;
    std::string path_info;
};
std::optional<ScriptPath> split_mount(std::string_view mount, std::string_view path);

/// "%XX" decoded, bytes kept as they are otherwise (a bad escape stays literal, as in
/// urllib.parse.unquote_to_bytes). Pure, any thread.
std::string percent_decode(std::string_view s);

/// The extra objects of an environ.
struct EnvironObjects {
    pybind11::handle input;         // wsgi.input
    pybind11::handle errors;        // wsgi.errors
    pybind11::handle file_wrapper;  // wsgi.file_wrapper
    bool input_terminated = true;   // wsgi.input_terminated
};

/// Builds the environ of `req` (its path already split as `path`). Values are native str
/// (bytes decoded as latin-1, PEP 3333 "Unicode Issues"); repeated header fields are joined
/// with ", " ("; " for Cookie, RFC 6265 §5.4). GIL held. Throws pybind11::error_already_set
/// only when Python runs out of memory.
pybind11::dict build_environ(const http::Request& req, const ScriptPath& path,
                             const EnvironConfig& config, const EnvironObjects& objects);

}  // namespace netius::net::wsgi
