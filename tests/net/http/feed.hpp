#pragma once
// Shared by the HTTP parser tests: every case is fed whole, split in two at every offset, and
// byte by byte (picohttpparser's discipline), each time from a buffer at a fresh address
// whose previous contents are poisoned, so a parser that kept pointers into an earlier
// buffer reads garbage instead of passing by luck.
#include <algorithm>
#include <memory>
#include <string>
#include <string_view>

namespace netius::net::http::testing {

enum class Feed { kWhole, kEverySplit, kByteByByte };

inline const char* to_string(Feed f) {
    switch (f) {
        case Feed::kWhole:
            return "whole";
        case Feed::kEverySplit:
            return "split at every offset";
        case Feed::kByteByByte:
            return "byte by byte";
    }
    return "?";
}

class MovingBuffer {
  public:
    /// A copy of `bytes` at a new address; the previous copy is poisoned (and kept alive one
    /// more round so the allocator cannot hand its address back at once).
    std::string_view hold(std::string_view bytes) {
        auto next = std::make_unique<std::string>(bytes);
        if (current_) std::fill(current_->begin(), current_->end(), '\xff');
        previous_ = std::move(current_);
        current_ = std::move(next);
        return *current_;
    }

  private:
    std::unique_ptr<std::string> previous_, current_;
};

/// Whether `part` lies within `whole` (views must point into the caller's buffer).
inline bool inside(std::string_view part, std::string_view whole) {
    if (part.empty()) return true;
    auto b = reinterpret_cast<std::uintptr_t>(whole.data());
    auto p = reinterpret_cast<std::uintptr_t>(part.data());
    return p >= b && p + part.size() <= b + whole.size();
}

}  // namespace netius::net::http::testing
