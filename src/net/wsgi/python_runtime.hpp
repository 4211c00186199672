#pragma once
// PythonRuntime — the one embedded CPython interpreter of a `netius serve wsgi` worker
// (Debian's python3: libpython3.11.a linked into netius, cmake/EmbeddedPython.cmake). Each worker
// process creates its own after the master forked it, then imports the app; the master never runs
// Python, so a reload imports the app afresh in new workers.
//
// Its program name is the python3 it was built against (NETIUS_PYTHON_EXECUTABLE), so
// sys.prefix and Debian's dist-packages are found whatever python3 comes first in PATH.
// The interpreter reads PYTHONPATH like python3 does; VIRTUAL_ENV adds that environment's
// site-packages (so an activated venv's packages import, as under gunicorn). `python_path`
// entries go first on sys.path, then the current directory (an app beside you imports, as
// with `gunicorn app:app`).
//
// Thread-safety: construct and destroy on the worker's main (loop) thread. The constructor returns
// with the GIL held by the calling thread; code on other threads takes it with
// pybind11::gil_scoped_acquire.
#include <optional>
#include <string>
#include <vector>

#include <pybind11/embed.h>

namespace netius::net::wsgi {

class PythonRuntime {
  public:
    /// Starts the interpreter. Throws netius::Error when it cannot start ("cannot load the
    /// Python runtime (...)", naming the package of its standard library, which the netius
    /// package only recommends) or a path cannot be added (the message holds Python's own
    /// explanation).
    explicit PythonRuntime(const std::vector<std::string>& python_path);
    ~PythonRuntime();
    PythonRuntime(const PythonRuntime&) = delete;
    PythonRuntime& operator=(const PythonRuntime&) = delete;

    /// The interpreter's version, e.g. "3.11.2", for the start-up line.
    static std::string version();

  private:
    std::optional<pybind11::scoped_interpreter> interpreter_;
};

/// Python's own rendering of an exception (traceback.format_exception): "Traceback (most
/// recent call last): ...". GIL held. Never throws (falls back to e.what()).
std::string format_traceback(const pybind11::error_already_set& e);

/// The last line of that rendering ("ModuleNotFoundError: No module named 'x'"), for one-line
/// error messages. GIL held. Never throws.
std::string exception_summary(const pybind11::error_already_set& e);

}  // namespace netius::net::wsgi
