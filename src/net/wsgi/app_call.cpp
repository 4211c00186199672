#include "net/wsgi/app_call.hpp"

#include <sys/stat.h>
#include <unistd.h>

#include <spdlog/spdlog.h>

#include "net/wsgi/python_runtime.hpp"
#include "net/wsgi/streams.hpp"

namespace py = pybind11;

namespace netius::net::wsgi {
namespace {

// PEP 3333 "Optional Platform-Specific File Handling": iterable in blocks; the server sends
// the file itself when filelike has a fileno().
constexpr const char* kFileWrapperSource = R"(
class FileWrapper:
    def __init__(self, filelike, blksize=8192):
        self.filelike = filelike
        self.blksize = blksize
        if hasattr(filelike, 'close'):
            self.close = filelike.close
    def __iter__(self):
        return self
    def __next__(self):
        data = self.filelike.read(self.blksize)
        if data:
            return data
        raise StopIteration
)";

}  // namespace

const WsgiTypes& wsgi_types() {
    // Never freed: module objects outliving the interpreter's finalisation would crash it.
    static const WsgiTypes* types = [] {
        auto* t = new WsgiTypes;
        t->module = py::reinterpret_steal<py::module_>(PyModule_New("netius_wsgi"));
        register_streams(t->module);
        register_start_response(t->module);
        py::dict scope;
        py::exec(kFileWrapperSource, scope);
        t->file_wrapper = scope["FileWrapper"];
        t->errors = py::cast(ErrorStream());
        return t;
    }();
    return *types;
}

AppCall::AppCall(py::handle app, py::dict environ, std::string what)
    : app_(py::reinterpret_borrow<py::object>(app)),
      environ_(std::move(environ)),
      what_(std::move(what)) {
    sr_ = new StartResponse();  // owned by the Python object from here on
    sr_object_ = py::cast(sr_, py::return_value_policy::take_ownership);
}

AppCall::~AppCall() {
    close();
}

void AppCall::fail(const char* when) {
    py::error_already_set e;
    spdlog::error("wsgi app failed {} for {}:\n{}", when, what_, format_traceback(e));
    close();
}

bool AppCall::start() {
    try {
        result_ = app_(environ_, sr_object_);
        if (PyList_CheckExact(result_.ptr()) || PyTuple_CheckExact(result_.ptr())) {
            sequence_ = true;
        } else if (py::isinstance(result_, wsgi_types().file_wrapper) && take_file()) {
            if (!sr_->called()) throw py::value_error("the app did not call start_response");
            first_ = sr_->take_written();
            done_ = true;
            return true;
        } else {
            iterator_ = py::reinterpret_steal<py::object>(PyObject_GetIter(result_.ptr()));
            if (!iterator_) throw py::error_already_set();
        }
        // PEP 3333: the head waits for the first non-empty piece (or the end).
        std::string piece;
        while (true) {
            piece.clear();
            if (!pull(piece)) {
                done_ = true;
                break;
            }
            if (!piece.empty()) break;
        }
        // A list whose items have all been taken has ended (the common [body] case: sent
        // with Content-Length from memory, no stream).
        if (sequence_ && index_ >= PySequence_Fast_GET_SIZE(result_.ptr())) done_ = true;
        if (!sr_->called()) throw py::value_error("the app did not call start_response");
        first_ = sr_->take_written();
        first_ += piece;
        if (done_) close();
        return true;
    } catch (py::error_already_set& e) {
        e.restore();
        fail("before the response head");
    } catch (const std::exception& e) {
        spdlog::error("wsgi app failed before the response head for {}: {}", what_, e.what());
        close();
    }
    return false;
}

bool AppCall::take_file() {
    py::object filelike = result_.attr("filelike");
    if (!py::hasattr(filelike, "fileno")) return false;
    int fd = -1;
    std::int64_t offset = 0;
    try {
        fd = filelike.attr("fileno")().cast<int>();
        if (py::hasattr(filelike, "tell")) offset = filelike.attr("tell")().cast<std::int64_t>();
    } catch (py::error_already_set&) {  // io.BytesIO has fileno() that raises
        PyErr_Clear();
        return false;
    }
    struct stat st;
    if (::fstat(fd, &st) != 0 || !S_ISREG(st.st_mode) || offset < 0 || offset > st.st_size)
        return false;
    UniqueFd copy(::dup(fd));
    if (!copy) return false;
    auto length = static_cast<std::uint64_t>(st.st_size - offset);
    if (auto declared = sr_->content_length(); declared && *declared < length) length = *declared;
    file_ = FileRange{std::move(copy), static_cast<std::uint64_t>(offset), length};
    return true;
}

bool AppCall::pull(std::string& out) {
    PyObject* item;
    if (sequence_) {
        const Py_ssize_t n = PySequence_Fast_GET_SIZE(result_.ptr());
        if (index_ >= n) return false;
        item = PySequence_Fast_GET_ITEM(result_.ptr(), index_++);  // borrowed
        Py_INCREF(item);
    } else {
        item = PyIter_Next(iterator_.ptr());
        if (!item) {
            if (PyErr_Occurred()) throw py::error_already_set();
            return false;
        }
    }
    auto piece = py::reinterpret_steal<py::object>(item);
    if (sr_->has_written()) out += sr_->take_written();
    if (!PyBytes_Check(item))
        throw py::type_error("the app's iterable must yield bytes, not " +
                             std::string(py::str(py::type::handle_of(piece).attr("__name__"))));
    out.append(PyBytes_AS_STRING(item), static_cast<std::size_t>(PyBytes_GET_SIZE(item)));
    return true;
}

http::BodyStatus AppCall::next(std::string& out, std::size_t want) {
    if (done_) return http::BodyStatus::kDone;
    const std::size_t start = out.size();
    try {
        while (out.size() - start < want) {
            if (!pull(out)) {
                out += sr_->take_written();
                done_ = true;
                close();
                return http::BodyStatus::kDone;
            }
        }
        return http::BodyStatus::kMore;
    } catch (py::error_already_set& e) {
        e.restore();
        fail("after the response head (closing the connection)");
        return http::BodyStatus::kFailed;
    }
}

void AppCall::mark_sent() {
    sr_->mark_sent();
}

void AppCall::close() {
    if (closed_) return;
    closed_ = true;
    iterator_ = py::object();
    if (!result_) return;
    py::object result = std::move(result_);
    // A list or tuple has no close(); asking would raise and format an AttributeError on
    // every request (Python 3.11's hasattr), a measurable share of a hello app's time.
    if (sequence_ || !py::hasattr(result, "close")) return;
    try {
        result.attr("close")();
    } catch (py::error_already_set& e) {
        spdlog::error("wsgi iterable close() failed for {}:\n{}", what_, format_traceback(e));
    }
}

}  // namespace netius::net::wsgi
