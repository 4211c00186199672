#pragma once
// The parts of serving one WSGI request shared by both modes of wsgi_handler.cpp: building
// the call (environ, wsgi.input) and turning a started AppCall into an http::Response.
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "net/http/http_types.hpp"
#include "net/wsgi/app_call.hpp"
#include "net/wsgi/environ.hpp"

namespace netius::net::wsgi {

/// Makes the call of `app` for `req` (environ, wsgi.input with a copy of the body, or streaming
/// req.body_stream). GIL held.
std::unique_ptr<AppCall> make_call(pybind11::handle app, const http::Request& req,
                                   const ScriptPath& path, const EnvironConfig& config);

/// The head of a started call, as owned strings (safe to move between threads).
struct ResponseHead {
    int code = 200;
    std::string reason;  // the app's reason phrase
    std::vector<std::pair<std::string, std::string>> headers;
    std::optional<std::uint64_t> length;  // the app's Content-Length
    std::string first;                    // content pulled with the head
    bool done = false;                    // `first` is all of it
};
ResponseHead take_head(AppCall& call);

/// Fills `res` with `head`: status, headers (copied into res.storage) and, when done and no
/// stream is given, the content. Loop thread.
void fill_response(ResponseHead& head, http::Response& res);

/// The 500 an app failing before its head gets. Loop thread.
void fill_error(http::Response& res);

}  // namespace netius::net::wsgi
