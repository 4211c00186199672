#include "net/wsgi/app_loader.hpp"

#include <spdlog/spdlog.h>

#include <pybind11/embed.h>

#include "net/wsgi/python_runtime.hpp"
#include "util/error.hpp"

namespace py = pybind11;

namespace netius::net::wsgi {
namespace {

// The demo app of `python -m netius.servers.wsgi` (netius-spec §6), as Python source so that
// it is an ordinary Python callable like any user app.
constexpr const char* kDemoSource = R"(
def application(environ, start_response):
    start_response("200 OK", [("Content-Type", "text/plain"), ("Content-Length", "11")])
    return [b"Hello World"]
)";

bool is_identifier(std::string_view s) {
    if (s.empty() || (s.front() >= '0' && s.front() <= '9')) return false;
    for (char c : s)
        if (!(c == '_' || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
              (c >= '0' && c <= '9')))
            return false;
    return true;
}

bool is_dotted_name(std::string_view s) {
    while (true) {
        const std::size_t dot = s.find('.');
        if (!is_identifier(s.substr(0, dot))) return false;
        if (dot == std::string_view::npos) return true;
        s.remove_prefix(dot + 1);
    }
}

[[noreturn]] void python_failed(const std::string& what, const py::error_already_set& e) {
    spdlog::error("{}:\n{}", what, format_traceback(e));
    throw Error(what + ": " + exception_summary(e));
}

}  // namespace

AppSpec parse_app_spec(std::string_view spec) {
    AppSpec out;
    if (spec.empty()) return out;
    const std::size_t colon = spec.find(':');
    std::string_view module = spec.substr(0, colon);
    std::string_view name = colon == std::string_view::npos ? "" : spec.substr(colon + 1);
    if (name.ends_with("()")) {
        out.factory = true;
        name.remove_suffix(2);
    }
    const std::string quoted = "'" + std::string(spec) + "'";
    if (!is_dotted_name(module))
        throw UsageError(quoted + ": expected MODULE[:NAME] with a Python module name");
    if (colon != std::string_view::npos && !is_identifier(name))
        throw UsageError(quoted + ": expected MODULE[:NAME] or MODULE:FACTORY()");
    out.module = module;
    out.attribute = name;
    return out;
}

py::object load_app(const AppSpec& spec) {
    if (spec.module.empty()) {
        py::dict scope;
        py::exec(kDemoSource, scope);
        return scope["application"];
    }
    py::module_ module;
    try {
        module = py::module_::import(spec.module.c_str());
    } catch (const py::error_already_set& e) {
        python_failed("cannot import '" + spec.module + "'", e);
    }
    std::string name = spec.attribute;
    if (name.empty()) name = py::hasattr(module, "application") ? "application" : "app";
    if (!py::hasattr(module, name.c_str()))
        throw Error("module '" + spec.module + "' has no attribute '" + name + "'" +
                    (spec.attribute.empty() ? " (nor 'application')" : ""));
    py::object app = module.attr(name.c_str());
    if (spec.factory) {
        try {
            app = app();
        } catch (const py::error_already_set& e) {
            python_failed("'" + spec.module + ":" + name + "()' failed", e);
        }
    }
    if (!PyCallable_Check(app.ptr()))
        throw Error("'" + spec.module + ":" + name + "' is not callable (a WSGI app is)");
    return app;
}

std::vector<std::string> imported_files() {
    std::vector<std::string> files;
    const py::dict modules = py::module_::import("sys").attr("modules").attr("copy")();
    for (const auto& item : modules) {
        const py::object file = py::getattr(item.second, "__file__", py::none());
        if (py::isinstance<py::str>(file)) files.push_back(file.cast<std::string>());
    }
    return files;
}

}  // namespace netius::net::wsgi
