#include "net/wsgi/python_runtime.hpp"

#include <cstdlib>

#include "util/error.hpp"

namespace py = pybind11;

namespace netius::net::wsgi {

namespace {

// Under AddressSanitizer, Python objects come from malloc instead of pymalloc's mmap'd
// arenas. LeakSanitizer does not scan those arenas, so whatever only Python objects point at
// (hashlib's OpenSSL contexts, for one) would be reported as leaked at exit.
void preinitialize() {
#if defined(__SANITIZE_ADDRESS__)
    PyPreConfig pre;
    PyPreConfig_InitPythonConfig(&pre);
    pre.allocator = PYMEM_ALLOCATOR_MALLOC;
    if (PyStatus_Exception(Py_PreInitialize(&pre))) {
        throw Error("python: cannot pre-initialize the interpreter");
    }
#endif
}

// Starts the interpreter (pybind11 clears `config`). Its standard library is a package of its
// own that netius' only recommends (cmake/Packaging.cmake): without it, the interpreter cannot
// start, and the message says what to install.
void start_interpreter(std::optional<py::scoped_interpreter>& interpreter, PyConfig& config) {
    try {
        interpreter.emplace(&config, 0, nullptr, false);
    } catch (const std::exception& e) {
        throw Error(
            "cannot load the Python runtime ({}; its standard library is the Debian "
            "package libpython{}.{}-stdlib)",
            e.what(), PY_MAJOR_VERSION, PY_MINOR_VERSION);
    }
}

}  // namespace

PythonRuntime::PythonRuntime(const std::vector<std::string>& python_path) {
    try {
        preinitialize();
        // No signal handlers: SIGINT/SIGTERM/SIGHUP belong to the event loop. The program name
        // is Debian's python3, so sys.prefix (and so dist-packages) is Debian's whatever
        // python3 comes first in PATH (pyenv, a venv: VIRTUAL_ENV below adds those).
        PyConfig config;
        PyConfig_InitPythonConfig(&config);
        config.install_signal_handlers = 0;
        PyStatus status =
            PyConfig_SetBytesString(&config, &config.program_name, NETIUS_PYTHON_EXECUTABLE);
        if (PyStatus_Exception(status)) {
            PyConfig_Clear(&config);
            throw Error("python: cannot configure the interpreter");
        }
        start_interpreter(interpreter_, config);
        py::module_ sys = py::module_::import("sys");
        py::list path = sys.attr("path");
        // Like `python3 -m`: the current directory first, then --python-path entries before it.
        path.insert(0, ".");
        std::size_t at = 0;
        for (const std::string& dir : python_path) path.insert(at++, dir);
        if (const char* venv = std::getenv("VIRTUAL_ENV"); venv && *venv) {
            py::module_ site = py::module_::import("site");
            py::module_ sysconfig = py::module_::import("sysconfig");
            py::dict vars;
            vars["base"] = venv;
            vars["platbase"] = venv;
            site.attr("addsitedir")(sysconfig.attr("get_path")("purelib", "posix_prefix", vars));
        }
    } catch (const py::error_already_set& e) {
        throw Error("python: " + exception_summary(e));
    } catch (const Error&) {
        throw;
    } catch (const std::exception& e) {
        throw Error(std::string("python: ") + e.what());
    }
}

PythonRuntime::~PythonRuntime() = default;

std::string PythonRuntime::version() {
    return py::module_::import("platform").attr("python_version")().cast<std::string>();
}

std::string format_traceback(const py::error_already_set& e) {
    try {
        py::object lines = py::module_::import("traceback")
                               .attr("format_exception")(e.type(), e.value(), e.trace());
        return py::str("").attr("join")(lines).cast<std::string>();
    } catch (...) {
        return e.what();
    }
}

std::string exception_summary(const py::error_already_set& e) {
    try {
        py::object lines =
            py::module_::import("traceback").attr("format_exception_only")(e.type(), e.value());
        auto text = py::str("").attr("join")(lines).cast<std::string>();
        while (!text.empty() && text.back() == '\n') text.pop_back();
        const std::size_t last = text.rfind('\n');
        return last == std::string::npos ? text : text.substr(last + 1);
    } catch (...) {
        return e.what();
    }
}

}  // namespace netius::net::wsgi
