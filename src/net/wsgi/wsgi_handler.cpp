#include "net/wsgi/wsgi_handler.hpp"

#include <spdlog/spdlog.h>

#include "net/event_loop.hpp"
#include "net/worker_pool.hpp"
#include "net/wsgi/app_body.hpp"
#include "net/wsgi/response_fill.hpp"
#include "net/wsgi/threaded_body.hpp"

namespace py = pybind11;

namespace netius::net::wsgi {
namespace {

void fill_not_found(http::Response& res) {
    res.status = http::Status::kNotFound;
    res.headers.push_back({"Content-Type", "text/plain; charset=utf-8"});
    res.body = "404 Not Found\n";
}

// A request that outlives its handler call: the views of `head` point into `text`.
struct OwnedRequest {
    explicit OwnedRequest(const http::Request& r)
        : head(r.head), body(r.body), peer(r.peer), body_stream(r.body_stream) {
        std::size_t total = 0;
        for_each_view([&](std::string_view& v) { total += v.size(); });
        text.reserve(total);  // the views below must not move
        for_each_view([&](std::string_view& v) {
            const std::size_t at = text.size();
            text.append(v);
            v = std::string_view(text).substr(at, v.size());
        });
    }
    template <typename F>
    void for_each_view(F&& f) {
        for (std::string_view* v : {&head.method, &head.target, &head.scheme, &head.authority,
                                    &head.path, &head.query, &head.host})
            f(*v);
        for (http::Header& h : head.headers) {
            f(h.name);
            f(h.value);
        }
    }
    http::Request request() const { return {head, body, peer, body_stream}; }

    std::string text;
    http::RequestHead head;
    std::string body;
    InetAddress peer;
    std::shared_ptr<http::RequestBody> body_stream;
};

// Loop mode (threads == 0): requests whose content is still arriving run on this many threads,
// so wsgi.input.read() can wait without stalling the loop.
constexpr int kBodyThreads = 4;

// The pool an app runs on, the app, and (--threads N) the loop thread's saved Python state.
// `release_gil`: --threads N, the loop serves without the GIL; else the loop keeps its own
// GIL handling (loop mode, whose streamed-body requests use the pool).
struct ThreadedApp {
    ThreadedApp(py::object a, const WsgiOptions& o, bool release_gil)
        : app(std::move(a)),
          options(o),
          pool(std::make_shared<WorkerPool>("wsgi", static_cast<std::size_t>(o.threads),
                                            static_cast<std::size_t>(o.threads) * 256)) {
        if (release_gil) saved = PyEval_SaveThread();
    }
    ~ThreadedApp() {
        // The pool's reset waits for running calls (which need the GIL) and drops queued ones.
        if (saved) {
            pool.reset();
            PyEval_RestoreThread(saved);
        } else if (PyGILState_Check()) {  // the C API: nothing here may throw
            PyThreadState* state = PyEval_SaveThread();
            pool.reset();
            PyEval_RestoreThread(state);
        } else {
            pool.reset();
            const PyGILState_STATE gil = PyGILState_Ensure();
            app = py::object();
            PyGILState_Release(gil);
        }
        app = py::object();
    }
    py::object app;
    WsgiOptions options;
    std::shared_ptr<WorkerPool> pool;
    PyThreadState* saved = nullptr;
};

// What a pool job hands to the loop: the head and the content's source.
struct Pending {
    ResponseHead head;
    std::unique_ptr<http::BodySource> body;
};

// Pool job: one app call.
void run_call(ThreadedApp* t, const OwnedRequest& rq, const ScriptPath& path,
              const http::Resume& resume) {
    auto pending = std::make_shared<Pending>();
    auto flow = std::make_shared<Flow>();
    flow->resume = resume;
    flow->pool = t->pool;
    flow->busy = true;  // while the app runs, the loop asks for no pieces
    bool ok;
    {
        py::gil_scoped_acquire gil;
        std::unique_ptr<AppCall> call;
        std::shared_ptr<bool> head_sent;
        try {
            call = make_call(t->app, rq.request(), path, t->options.environ);
            head_sent =
                send_writes_at_once(*call, flow, t->options.write_timeout, rq.head.is_head());
            ok = call->start();
        } catch (const std::exception& e) {  // out of memory in Python, at worst
            spdlog::error("wsgi: cannot call the app: {}", e.what());
            ok = false;
        }
        if (call) call->response().set_write_hook({});  // later writes go with the pieces
        if (head_sent && *head_sent) {                  // the response is the flow's already
            continue_after_writes(flow, std::move(call), ok);
            return;
        }
        flow->busy = false;
        if (ok) {
            call->mark_sent();
            pending->head = take_head(*call);
            if (auto& f = call->file()) {
                auto file = std::make_unique<http::FileBody>(std::move(f->fd));
                file->add_text(std::move(pending->head.first));
                file->add_range(f->offset, f->length);
                pending->body = std::move(file);
            } else if (!pending->head.done) {
                flow->ready = std::move(pending->head.first);
                flow->call = std::move(call);
                pending->body = std::make_unique<ThreadedBody>(flow, pending->head.length);
            }
        }
        call.reset();  // closed and freed here, with the GIL, unless the flow owns it
    }
    // Unrun (the client left), `pending` dies on the loop: a ThreadedBody then cancels.
    resume.finish([pending, ok](http::Response& res) {
        if (!ok) return fill_error(res);
        res.stream = std::move(pending->body);
        fill_response(pending->head, res);
    });
}

// Answers `req` from a pool job (deferred); 503 when the pool's queue is full. Loop thread.
void defer_to_pool(const std::shared_ptr<ThreadedApp>& t, const http::Request& req, ScriptPath path,
                   http::Response& res) {
    auto rq = std::make_shared<OwnedRequest>(req);
    http::Resume resume = res.defer();
    ThreadedApp* raw = t.get();  // the pool dies first in ~ThreadedApp: jobs may use it
    if (!t->pool->submit(
            [raw, rq, path = std::move(path), resume] { run_call(raw, *rq, path, resume); })) {
        spdlog::warn("wsgi: every thread busy and the queue full; answering 503");
        if (req.body_stream) req.body_stream->fail("the server is too busy");
        resume.finish([](http::Response& r) {
            r.status = http::Status::kServiceUnavailable;
            r.body = "503 Service Unavailable\n";
        });
    }
}

}  // namespace

http::Handler make_wsgi_handler(py::object app, const WsgiOptions& options) {
    wsgi_types();  // registered while this thread has the GIL
    if (options.threads <= 0) {
        if (EventLoop* loop = EventLoop::current()) {
            // The loop holds the GIL only while it works: threads the app started run while
            // it waits for events (a thread waiting for the GIL would otherwise starve until
            // the next request).
            auto saved = std::make_shared<PyThreadState*>(nullptr);
            loop->set_wait_hooks([saved] { *saved = PyEval_SaveThread(); },
                                 [saved] { PyEval_RestoreThread(*saved); });
        }
        WsgiOptions side_options = options;
        side_options.threads = kBodyThreads;
        auto side = std::make_shared<std::shared_ptr<ThreadedApp>>();  // made on first use
        return [app = std::move(app), env = options.environ, side_options, side](
                   const http::Request& req, http::Response& res) {
            std::optional<ScriptPath> path = split_mount(env.mount, req.head.path);
            if (!path) return fill_not_found(res);
            if (req.body_stream) {  // its reads wait for the network: not on the loop
                if (!*side) *side = std::make_shared<ThreadedApp>(app, side_options, false);
                return defer_to_pool(*side, req, std::move(*path), res);
            }
            std::unique_ptr<AppCall> call = make_call(app, req, *path, env);
            if (!call->start()) return fill_error(res);
            call->mark_sent();
            ResponseHead head = take_head(*call);
            if (call->file())
                res.stream = std::make_unique<AppFileBody>(std::move(call), std::move(head.first));
            else if (!head.done)
                res.stream =
                    std::make_unique<AppBody>(std::move(call), std::move(head.first), head.length);
            fill_response(head, res);
        };
    }
    auto t = std::make_shared<ThreadedApp>(std::move(app), options, true);
    return [t](const http::Request& req, http::Response& res) {
        std::optional<ScriptPath> path = split_mount(t->options.environ.mount, req.head.path);
        if (!path) return fill_not_found(res);
        defer_to_pool(t, req, std::move(*path), res);
    };
}

}  // namespace netius::net::wsgi
