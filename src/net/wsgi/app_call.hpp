#pragma once
// AppCall — one call of a WSGI application (PEP 3333): calls it with an environ and a
// StartResponse, pulls its iterable up to the first non-empty piece (the head goes out only
// with it, so an app may still change its mind with exc_info), then piece by piece, and always
// calls the iterable's close() — at the end, on error, and when the client goes away (the
// destructor). A wsgi.file_wrapper result whose file has a fileno() is handed over as a file
// (sendfile) instead of being iterated.
//
// Failures are logged here with the Python traceback: start() false means the app raised (or
// never called start_response) before the head: answer 500. Thread: any, GIL held for every
// call, the destructor included; one thread at a time.
#include <cstdint>
#include <optional>
#include <string>

#include <pybind11/pybind11.h>

#include "net/http/body_source.hpp"
#include "net/wsgi/start_response.hpp"
#include "util/unique_fd.hpp"

namespace netius::net::wsgi {

class AppCall {
  public:
    /// `what` names the request in logs ("GET /x").
    AppCall(pybind11::handle app, pybind11::dict environ, std::string what);
    ~AppCall();
    AppCall(const AppCall&) = delete;
    AppCall& operator=(const AppCall&) = delete;

    /// Calls the app and pulls the first piece. True: status(), headers() and first() are
    /// set. False: the app failed before the head (logged); close() has been called.
    bool start();

    const StartResponse& response() const { return *sr_; }
    StartResponse& response() { return *sr_; }
    /// The content pulled by start(): write() output, then the first non-empty piece.
    std::string& first() { return first_; }
    /// Whether the iterable has ended (nothing after first(), or a file: see file()).
    bool done() const { return done_; }
    /// A file_wrapper's file, when start() found one: send `length` bytes from `offset`.
    struct FileRange {
        UniqueFd fd;
        std::uint64_t offset = 0;
        std::uint64_t length = 0;
    };
    std::optional<FileRange>& file() { return file_; }

    /// Appends the next pieces to `out` (at least `want` bytes unless the iterable ends). kMore,
    /// kDone (close() called) or kFailed (the app raised: logged, close() called).
    http::BodyStatus next(std::string& out, std::size_t want);

    /// Calls the iterable's close() once (its exceptions are logged). Also marks the head
    /// sent, for exc_info.
    void close();
    /// The head has gone out: start_response(..., exc_info) now re-raises.
    void mark_sent();

  private:
    /// One piece into `out`; false at the end. Throws error_already_set.
    bool pull(std::string& out);
    bool take_file();
    void fail(const char* when);

    pybind11::object sr_object_;
    StartResponse* sr_ = nullptr;
    pybind11::object app_;
    pybind11::dict environ_;
    pybind11::object result_;
    pybind11::object iterator_;
    Py_ssize_t index_ = 0;  // a list or tuple result is indexed, not iterated
    bool sequence_ = false;
    std::string what_;
    std::string first_;
    std::optional<FileRange> file_;
    bool done_ = false;
    bool closed_ = false;
};

/// The wsgi.file_wrapper class, StartResponse and the streams, registered once. GIL held.
struct WsgiTypes {
    pybind11::module_ module;
    pybind11::object file_wrapper;  // the class
    pybind11::object errors;        // the one ErrorStream instance
};
const WsgiTypes& wsgi_types();

}  // namespace netius::net::wsgi
