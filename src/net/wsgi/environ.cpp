#include "net/wsgi/environ.hpp"

#include <netinet/in.h>

#include <pybind11/pybind11.h>

#include <charconv>

#include "net/http/char_class.hpp"
#include "util/ascii.hpp"

namespace py = pybind11;

namespace netius::net::wsgi {
namespace {

// A str decoded as latin-1, stolen into a py::object (PEP 3333 "native strings").
py::object latin1(std::string_view s) {
    PyObject* o = PyUnicode_DecodeLatin1(s.data(), static_cast<Py_ssize_t>(s.size()), nullptr);
    if (!o) throw py::error_already_set();
    return py::reinterpret_steal<py::object>(o);
}

// Interned keys, made once per process and never freed (bjoern does the same): building an
// environ then costs no key allocation.
struct Keys {
    PyObject* method = PyUnicode_InternFromString("REQUEST_METHOD");
    PyObject* script = PyUnicode_InternFromString("SCRIPT_NAME");
    PyObject* path = PyUnicode_InternFromString("PATH_INFO");
    PyObject* query = PyUnicode_InternFromString("QUERY_STRING");
    PyObject* uri = PyUnicode_InternFromString("REQUEST_URI");
    PyObject* protocol = PyUnicode_InternFromString("SERVER_PROTOCOL");
    PyObject* server_name = PyUnicode_InternFromString("SERVER_NAME");
    PyObject* server_port = PyUnicode_InternFromString("SERVER_PORT");
    PyObject* software = PyUnicode_InternFromString("SERVER_SOFTWARE");
    PyObject* remote_addr = PyUnicode_InternFromString("REMOTE_ADDR");
    PyObject* remote_port = PyUnicode_InternFromString("REMOTE_PORT");
    PyObject* version = PyUnicode_InternFromString("wsgi.version");
    PyObject* scheme = PyUnicode_InternFromString("wsgi.url_scheme");
    PyObject* input = PyUnicode_InternFromString("wsgi.input");
    PyObject* errors = PyUnicode_InternFromString("wsgi.errors");
    PyObject* multithread = PyUnicode_InternFromString("wsgi.multithread");
    PyObject* multiprocess = PyUnicode_InternFromString("wsgi.multiprocess");
    PyObject* run_once = PyUnicode_InternFromString("wsgi.run_once");
    PyObject* terminated = PyUnicode_InternFromString("wsgi.input_terminated");
    PyObject* file_wrapper = PyUnicode_InternFromString("wsgi.file_wrapper");
    PyObject* version_tuple = Py_BuildValue("(ii)", 1, 0);
    PyObject* http10 = PyUnicode_InternFromString("HTTP/1.0");
    PyObject* http11 = PyUnicode_InternFromString("HTTP/1.1");
    PyObject* http2 = PyUnicode_InternFromString("HTTP/2");
    PyObject* http = PyUnicode_InternFromString("http");
    PyObject* https = PyUnicode_InternFromString("https");
};

const Keys& keys() {
    static const Keys* k = new Keys;  // GIL held: the first call is the only one
    return *k;
}

void set(PyObject* dict, PyObject* key, PyObject* value) {
    if (PyDict_SetItem(dict, key, value) != 0) throw py::error_already_set();
}

void set(PyObject* dict, PyObject* key, std::string_view value) {
    set(dict, key, latin1(value).ptr());
}

// REMOTE_ADDR without inet_ntop, whose sprintf was a fifth of building a hello app's environ;
// other families take InetAddress::host().
std::string_view remote_host(const InetAddress& peer, char (&text)[16]) {
    if (peer.family() != AF_INET) return {};
    const auto* in = reinterpret_cast<const sockaddr_in*>(peer.get());
    const auto* b = reinterpret_cast<const unsigned char*>(&in->sin_addr.s_addr);
    char* p = text;
    for (int i = 0; i < 4; ++i) {  // at most "255." four times: 16 bytes
        const unsigned v = b[i];
        if (v >= 100) *p++ = static_cast<char>('0' + v / 100);
        if (v >= 10) *p++ = static_cast<char>('0' + v / 10 % 10);
        *p++ = static_cast<char>('0' + v % 10);
        *p++ = '.';
    }
    return std::string_view(text, static_cast<std::size_t>(p - text - 1));
}

// "host:port" -> {"host", "port"} ("[::1]:80" too); no port -> {"host", ""}.
std::pair<std::string_view, std::string_view> split_host(std::string_view host) {
    const std::size_t end = host.starts_with('[') ? host.find(']') + 1 : 0;
    const std::size_t colon = host.find(':', end);
    if (colon == std::string_view::npos) return {host, {}};
    return {host.substr(0, colon), host.substr(colon + 1)};
}

}  // namespace

std::optional<std::string> header_key(std::string_view name) {
    if (name.find('_') != std::string_view::npos) return std::nullopt;
    if (http::detail::iequals(name, "Content-Type")) return "CONTENT_TYPE";
    if (http::detail::iequals(name, "Content-Length")) return "CONTENT_LENGTH";
    std::string key = "HTTP_" + to_upper(name);
    for (char& c : key)
        if (c == '-') c = '_';
    return key;
}

std::string percent_decode(std::string_view s) {
    std::string out;
    out.reserve(s.size());
    for (std::size_t i = 0; i < s.size(); ++i) {
        if (s[i] == '%' && i + 2 < s.size()) {
            const int hi = http::detail::hex_value(s[i + 1]),
                      lo = http::detail::hex_value(s[i + 2]);
            if (hi >= 0 && lo >= 0) {
                out += static_cast<char>(hi * 16 + lo);
                i += 2;
                continue;
            }
        }
        out += s[i];
    }
    return out;
}

std::optional<ScriptPath> split_mount(std::string_view mount, std::string_view path) {
    ScriptPath out;
    std::string decoded = percent_decode(path);
    if (mount.empty()) {
        out.path_info = std::move(decoded);
        return out;
    }
    std::string_view d = decoded;
    if (!d.starts_with(mount) || (d.size() > mount.size() && d[mount.size()] != '/'))
        return std::nullopt;
    out.script_name = mount;
    out.path_info = d.substr(mount.size());
    return out;
}

py::dict build_environ(const http::Request& req, const ScriptPath& path,
                       const EnvironConfig& config, const EnvironObjects& objects) {
    const Keys& k = keys();
    py::dict environ;
    PyObject* d = environ.ptr();
    const http::RequestHead& h = req.head;
    set(d, k.method, h.method);
    set(d, k.script, path.script_name);
    set(d, k.path, path.path_info);
    set(d, k.query, h.query);
    set(d, k.uri, h.target);
    set(d, k.protocol,
        h.version == http::Version::kHttp10  ? k.http10
        : h.version == http::Version::kHttp2 ? k.http2
                                             : k.http11);
    // The URL the client used (PEP 3333 "URL Reconstruction"), else the listening address.
    const auto [host, port] = split_host(h.host);
    set(d, k.server_name, host.empty() ? std::string_view(config.server_name) : host);
    set(d, k.server_port, port.empty() ? std::string_view(config.server_port) : port);
    set(d, k.software, "netius/" NETIUS_VERSION);
    char addr[16];
    if (std::string_view fast = remote_host(req.peer, addr); !fast.empty())
        set(d, k.remote_addr, fast);
    else
        set(d, k.remote_addr, req.peer.host());
    char port_text[8];
    const char* port_end =
        std::to_chars(port_text, port_text + sizeof port_text, req.peer.port()).ptr;
    set(d, k.remote_port,
        std::string_view(port_text, static_cast<std::size_t>(port_end - port_text)));
    bool tls = config.tls;
    for (const http::Header& f : h.headers) {
        std::optional<std::string> hk = header_key(f.name);
        if (!hk) continue;
        PyObject* kobj = latin1(*hk).release().ptr();
        auto owned_key = py::reinterpret_steal<py::object>(kobj);
        PyObject* old = PyDict_GetItem(d, kobj);  // borrowed
        if (old) {
            const char* sep = *hk == "HTTP_COOKIE" ? "; " : ", ";
            py::object joined =
                py::reinterpret_borrow<py::str>(old) + py::str(sep) + latin1(f.value);
            set(d, kobj, joined.ptr());
        } else {
            set(d, kobj, f.value);
        }
        if (*hk == "HTTP_X_FORWARDED_PROTO" && config.trust_any &&
            config.trusted.allows(req.peer.get()))
            tls = http::detail::iequals(f.value, "https");
    }
    // A chunked body the engine read whole gets its decoded length too, for apps that do not
    // know wsgi.input_terminated (a streamed one's length is unknown).
    if (h.chunked && !req.body_stream)
        set(d, latin1("CONTENT_LENGTH").ptr(), std::to_string(req.body.size()));
    set(d, k.version, k.version_tuple);
    set(d, k.scheme, tls ? k.https : k.http);
    set(d, k.input, objects.input.ptr());
    set(d, k.errors, objects.errors.ptr());
    set(d, k.multithread, config.multithread ? Py_True : Py_False);
    set(d, k.multiprocess, config.multiprocess ? Py_True : Py_False);
    set(d, k.run_once, Py_False);
    set(d, k.terminated, objects.input_terminated ? Py_True : Py_False);
    if (objects.file_wrapper) set(d, k.file_wrapper, objects.file_wrapper.ptr());
    return environ;
}

}  // namespace netius::net::wsgi
