#include "net/wsgi/start_response.hpp"

#include <charconv>

#include "net/http/char_class.hpp"

namespace py = pybind11;

namespace netius::net::wsgi {
namespace {

constexpr std::string_view kHopByHop[] = {
    "Connection", "Keep-Alive", "Proxy-Authenticate", "Proxy-Authorization",
    "TE",         "Trailer",    "Trailers",           "Transfer-Encoding",
    "Upgrade"};

bool has_line_break(std::string_view s) {
    return s.find_first_of(std::string_view("\r\n\0", 3)) != std::string_view::npos;
}

// A native string as its latin-1 bytes (PEP 3333: header text must be latin-1).
std::string latin1_of(const py::handle& s, const char* what) {
    if (!PyUnicode_Check(s.ptr()))
        throw py::type_error(std::string(what) + " must be str, not " +
                             std::string(py::str(py::type::handle_of(s).attr("__name__"))));
    if (PyUnicode_IS_COMPACT_ASCII(s.ptr()))  // the common case, without a bytes copy
        return std::string(static_cast<const char*>(PyUnicode_DATA(s.ptr())),
                           static_cast<std::size_t>(PyUnicode_GET_LENGTH(s.ptr())));
    PyObject* b = PyUnicode_AsLatin1String(s.ptr());
    if (!b) throw py::error_already_set();
    auto bytes = py::reinterpret_steal<py::bytes>(b);
    return std::string(bytes);
}

}  // namespace

std::optional<std::string> status_error(std::string_view status) {
    if (status.size() < 4 || status[3] != ' ') return "status must be 'NNN Reason'";
    for (int i = 0; i < 3; ++i)
        if (status[i] < '0' || status[i] > '9') return "status code must be three digits";
    if (status[0] == '0') return "status code must be 100-999";
    for (char c : status.substr(4)) {
        const auto u = static_cast<unsigned char>(c);
        if (u == 0x7f || (u < 0x20 && u != '\t'))
            return "status must not contain CR, LF or other control characters";
    }
    return std::nullopt;
}

std::optional<std::string> header_error(std::string_view name, std::string_view value) {
    if (name.empty()) return "empty header name";
    for (char c : name)
        if (!http::detail::has_class(c, http::detail::kToken))
            return "header name '" + std::string(name) + "' is not a token";
    if (http::detail::iequals(name, "Status")) return "'Status' is not a header (use the status)";
    for (std::string_view h : kHopByHop)
        if (http::detail::iequals(name, h))
            return "hop-by-hop header '" + std::string(name) + "' is the server's";
    if (has_line_break(value)) return "header '" + std::string(name) + "' has CR, LF or NUL";
    return std::nullopt;
}

py::object StartResponse::call(const py::object& self, const py::object& status,
                               const py::object& headers, const py::object& exc_info) {
    if (!exc_info.is_none()) {
        if (sent_) {  // PEP 3333: re-raise; the head cannot be taken back
            py::tuple info = exc_info;
            py::object type = info[0], value = info[1], trace = info[2];
            PyErr_Restore(type.release().ptr(), value.release().ptr(), trace.release().ptr());
            throw py::error_already_set();
        }
    } else if (called_) {
        throw py::value_error("start_response called a second time without exc_info");
    }
    const std::string s = latin1_of(status, "status");
    if (auto e = status_error(s)) throw py::value_error(*e);
    if (!PyList_Check(headers.ptr())) throw py::type_error("headers must be a list");
    std::vector<std::pair<std::string, std::string>> parsed;
    std::optional<std::uint64_t> length;
    for (py::handle item : headers) {
        if (!PyTuple_Check(item.ptr()) || PyTuple_GET_SIZE(item.ptr()) != 2)
            throw py::type_error("each header must be a (name, value) tuple");
        std::string name = latin1_of(PyTuple_GET_ITEM(item.ptr(), 0), "header name");
        std::string value = latin1_of(PyTuple_GET_ITEM(item.ptr(), 1), "header value");
        if (auto e = header_error(name, value)) throw py::value_error(*e);
        if (http::detail::iequals(name, "Content-Length")) {
            std::uint64_t n = 0;
            auto [p, ec] = std::from_chars(value.data(), value.data() + value.size(), n);
            if (ec != std::errc() || p != value.data() + value.size() || value.empty())
                throw py::value_error("bad Content-Length '" + value + "'");
            length = n;
            continue;
        }
        parsed.emplace_back(std::move(name), std::move(value));
    }
    code_ = (s[0] - '0') * 100 + (s[1] - '0') * 10 + (s[2] - '0');
    reason_ = s.substr(4);
    headers_ = std::move(parsed);
    content_length_ = length;
    called_ = true;
    return self.attr("write");
}

void StartResponse::write(const py::object& data) {
    if (!called_) throw py::value_error("write() before start_response()");
    if (!PyBytes_Check(data.ptr())) throw py::type_error("write() takes bytes");
    written_.append(PyBytes_AS_STRING(data.ptr()), PyBytes_GET_SIZE(data.ptr()));
    if (write_hook_) write_hook_();
}

void register_start_response(py::module_& m) {
    py::class_<StartResponse>(m, "StartResponse")
        .def(
            "__call__",
            [](const py::object& self, const py::object& status, const py::object& headers,
               const py::object& exc_info) {
                return self.cast<StartResponse&>().call(self, status, headers, exc_info);
            },
            py::arg("status"), py::arg("headers"), py::arg("exc_info") = py::none())
        .def("write", &StartResponse::write);
}

}  // namespace netius::net::wsgi
