#include "net/http/body_source.hpp"

#include <spdlog/spdlog.h>

#include <exception>

namespace netius::net::http {

BodyStatus pull_guarded(BodySource& source, BodySink& out) noexcept {
    try {
        return source.pull(out);
    } catch (const std::exception& e) {
        spdlog::error("response body source failed: {}", e.what());
    } catch (...) {
        spdlog::error("response body source failed: a non-standard exception");
    }
    return BodyStatus::kFailed;
}

}  // namespace netius::net::http
