#include "net/wsgi/response_fill.hpp"

#include "net/http/char_class.hpp"
#include "net/wsgi/streams.hpp"

namespace py = pybind11;

namespace netius::net::wsgi {

std::unique_ptr<AppCall> make_call(py::handle app, const http::Request& req, const ScriptPath& path,
                                   const EnvironConfig& config) {
    const WsgiTypes& types = wsgi_types();
    // Most requests have no body: they share one empty (so stateless) stream, never freed.
    static PyObject* const empty =
        py::cast(new InputStream(std::string()), py::return_value_policy::take_ownership)
            .release()
            .ptr();
    py::object input = req.body_stream    ? py::cast(new InputStream(req.body_stream),
                                                     py::return_value_policy::take_ownership)
                       : req.body.empty() ? py::reinterpret_borrow<py::object>(empty)
                                          : py::cast(new InputStream(std::string(req.body)),
                                                     py::return_value_policy::take_ownership);
    EnvironObjects objects{input, types.errors, types.file_wrapper, true};
    py::dict environ = build_environ(req, path, config, objects);
    std::string what;
    what.append(req.head.method).append(" ").append(req.head.target);
    return std::make_unique<AppCall>(app, std::move(environ), std::move(what));
}

ResponseHead take_head(AppCall& call) {
    ResponseHead h;
    h.code = call.response().code();
    h.reason = call.response().reason();
    h.headers = call.response().headers();
    h.length = call.response().content_length();
    h.first = std::move(call.first());
    h.done = call.done() && !call.file();
    return h;
}

void fill_response(ResponseHead& head, http::Response& res) {
    res.status = static_cast<http::Status>(head.code);
    std::size_t size = head.reason.size() + (head.done && !res.stream ? head.first.size() : 0);
    for (const auto& [name, value] : head.headers) size += name.size() + value.size();
    res.storage.reserve(size);  // the views below must not move
    res.storage.append(head.reason);
    res.reason = res.storage;
    for (const auto& [name, value] : head.headers) {
        const std::size_t at = res.storage.size();
        res.storage.append(name).append(value);
        const std::string_view all(res.storage);
        res.headers.push_back({all.substr(at, name.size()), all.substr(at + name.size())});
    }
    // Content-Length is the engine's to write: the real size of finished content, else the
    // app's promise (the stream is held to it).
    if (head.done && !res.stream) {
        const std::size_t at = res.storage.size();
        res.storage.append(head.first);
        res.body = std::string_view(res.storage).substr(at);
    }
    for (const auto& [name, value] : head.headers)  // already coded by the app
        if (http::detail::iequals(name, "Content-Encoding")) res.compressible = false;
}

void fill_error(http::Response& res) {
    res.clear();
    res.status = http::Status::kInternalServerError;
    res.headers.push_back({"Content-Type", "text/plain; charset=utf-8"});
    res.body = "500 Internal Server Error\n";
}

}  // namespace netius::net::wsgi
