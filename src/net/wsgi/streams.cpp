#include "net/wsgi/streams.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <spdlog/spdlog.h>

#include <limits>

namespace py = pybind11;

namespace netius::net::wsgi {
namespace {

// A size argument: None or negative -> everything.
std::size_t size_arg(const py::object& size) {
    if (size.is_none()) return std::numeric_limits<std::size_t>::max();
    const auto n = size.cast<long long>();
    return n < 0 ? std::numeric_limits<std::size_t>::max() : static_cast<std::size_t>(n);
}

std::FILE* temporary_file() {
#ifdef O_TMPFILE
    const char* dir = std::getenv("TMPDIR");
    int fd = ::open(dir && *dir ? dir : "/tmp", O_TMPFILE | O_RDWR | O_CLOEXEC, 0600);
    if (fd >= 0) {
        if (std::FILE* f = ::fdopen(fd, "w+b")) return f;
        ::close(fd);
    }
#endif
    return std::tmpfile();
}

}  // namespace

InputStream::InputStream(std::string body) : size_(body.size()) {
    if (body.size() > kSpillBytes) {
        file_ = temporary_file();
        if (file_ && std::fwrite(body.data(), 1, body.size(), file_) == body.size() &&
            std::fseek(file_, 0, SEEK_SET) == 0)
            return;  // `body` is freed on return
        if (file_) std::fclose(file_);
        file_ = nullptr;
        spdlog::warn("wsgi.input: no temporary file; keeping {} bytes in memory", body.size());
    }
    data_ = std::move(body);
}

InputStream::~InputStream() {
    if (file_) std::fclose(file_);
}

// Streamed content is taken from the RequestBody this much at a time (small reads are served
// from data_).
constexpr std::size_t kStreamPiece = 64 * 1024;

std::string InputStream::take_stream(std::size_t n, bool line) {
    std::string out;
    while (out.size() < n) {
        if (pos_ == data_.size()) {
            data_.clear();
            pos_ = 0;
            if (ended_) break;
            http::RequestBody::ReadStatus status;
            {
                py::gil_scoped_release nogil;  // the loop and other requests run meanwhile
                status = stream_->read(data_, kStreamPiece);
            }
            if (status == http::RequestBody::ReadStatus::kEnd) {
                ended_ = true;
                break;
            }
            if (status != http::RequestBody::ReadStatus::kData) {
                const std::string why = status == http::RequestBody::ReadStatus::kTimeout
                                            ? "timed out waiting for the request body"
                                            : stream_->error();
                PyErr_SetString(PyExc_OSError, ("wsgi.input: " + why).c_str());
                throw py::error_already_set();
            }
        }
        std::string_view rest = std::string_view(data_).substr(pos_, n - out.size());
        const std::size_t nl = line ? rest.find('\n') : std::string_view::npos;
        if (nl != std::string_view::npos) rest = rest.substr(0, nl + 1);
        out.append(rest);
        pos_ += rest.size();
        if (nl != std::string_view::npos) break;
    }
    return out;
}

std::string InputStream::take(std::size_t n, bool line) {
    touched_ = true;
    if (stream_) return take_stream(n, line);
    n = std::min(n, size_ - pos_);
    std::string out;
    if (!file_) {
        std::string_view rest = std::string_view(data_).substr(pos_, n);
        if (line) {
            const std::size_t nl = rest.find('\n');
            if (nl != std::string_view::npos) rest = rest.substr(0, nl + 1);
        }
        out.assign(rest);
    } else if (!line) {
        out.resize(n);
        out.resize(std::fread(out.data(), 1, n, file_));
    } else {
        int c;
        while (out.size() < n && (c = std::getc(file_)) != EOF) {
            out += static_cast<char>(c);
            if (c == '\n') break;
        }
    }
    pos_ += out.size();
    return out;
}

py::bytes InputStream::read(const py::object& size) {
    return py::bytes(take(size_arg(size), false));
}

py::bytes InputStream::readline(const py::object& size) {
    return py::bytes(take(size_arg(size), true));
}

py::list InputStream::readlines(const py::object& hint) {
    py::list lines;
    const std::size_t limit = size_arg(hint);
    std::size_t total = 0;
    while (total < limit) {
        std::string l = take(std::numeric_limits<std::size_t>::max(), true);
        if (l.empty()) break;
        total += l.size();
        lines.append(py::bytes(l));
    }
    return lines;
}

py::object InputStream::next() {
    std::string l = take(std::numeric_limits<std::size_t>::max(), true);
    if (l.empty()) throw py::stop_iteration();
    return py::bytes(l);
}

void ErrorStream::write(const std::string& text) {
    pending_ += text;
    std::size_t nl;
    while ((nl = pending_.find('\n')) != std::string::npos) {
        spdlog::warn("wsgi.errors: {}", std::string_view(pending_).substr(0, nl));
        pending_.erase(0, nl + 1);
    }
    if (pending_.size() > 64 * 1024) flush();  // bounded: a line never ending is cut
}

void ErrorStream::writelines(const py::iterable& lines) {
    for (py::handle l : lines) write(l.cast<std::string>());
}

void ErrorStream::flush() {
    if (pending_.empty()) return;
    spdlog::warn("wsgi.errors: {}", pending_);
    pending_.clear();
}

void register_streams(py::module_& m) {
    py::class_<InputStream>(m, "InputStream")
        .def("read", &InputStream::read, py::arg("size") = py::none())
        .def("readline", &InputStream::readline, py::arg("size") = py::none())
        .def("readlines", &InputStream::readlines, py::arg("hint") = py::none())
        .def("__iter__", [](py::object self) { return self; })
        .def("__next__", &InputStream::next);
    py::class_<ErrorStream>(m, "ErrorStream")
        .def("write", &ErrorStream::write)
        .def("writelines", &ErrorStream::writelines)
        .def("flush", &ErrorStream::flush);
}

}  // namespace netius::net::wsgi
