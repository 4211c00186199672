#include "net/block_pool.hpp"

#include <algorithm>
#include <array>
#include <bit>

namespace netius::net::block_pool {
namespace {

constexpr std::array<std::size_t, 6> kSizes = {128, 256, 512, 1024, 2048, 4096};

#if defined(__SANITIZE_ADDRESS__)
constexpr bool kPooling = false;
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
constexpr bool kPooling = false;
#else
constexpr bool kPooling = true;
#endif
#else
constexpr bool kPooling = true;
#endif

struct Spares {
    std::array<std::array<char*, kKeep>, kSizes.size()> blocks{};
    std::array<std::size_t, kSizes.size()> count{};
    ~Spares();
};

// Set once the thread's Spares are destroyed (thread exit): a plain flag, valid until the
// thread is gone, so a Buffer destroyed after them frees its block directly.
thread_local bool t_gone = false;
thread_local Spares t_spares;

Spares::~Spares() {
    t_gone = true;
    for (std::size_t c = 0; c < kSizes.size(); ++c)
        for (std::size_t i = 0; i < count[c]; ++i) delete[] blocks[c][i];
}

/// The class of a pooled size, or kSizes.size() for any other size.
std::size_t class_of(std::size_t size) noexcept {
    if (size < kSizes.front() || size > kSizes.back() || (size & (size - 1)) != 0)
        return kSizes.size();
    return static_cast<std::size_t>(std::countr_zero(size) - std::countr_zero(kSizes.front()));
}

}  // namespace

bool pooling() noexcept {
    return kPooling;
}

std::size_t round_up(std::size_t size) noexcept {
    if (size > kSizes.back()) return size;
    return std::max(kSizes.front(), std::bit_ceil(size));
}

char* take(std::size_t size) {
    const std::size_t c = class_of(size);
    if (c < kSizes.size() && !t_gone) {
        Spares& spares = t_spares;
        if (spares.count[c] > 0) return spares.blocks[c][--spares.count[c]];
    }
    return new char[size];
}

void give(char* block, std::size_t size) noexcept {
    if (!block) return;
    const std::size_t c = class_of(size);
    if (kPooling && c < kSizes.size() && !t_gone) {
        Spares& spares = t_spares;
        if (spares.count[c] < kKeep) {
            spares.blocks[c][spares.count[c]++] = block;
            return;
        }
    }
    delete[] block;
}

}  // namespace netius::net::block_pool
