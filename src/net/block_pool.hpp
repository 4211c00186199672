#pragma once
// block_pool — the calling thread's spare blocks of 128 bytes to 4 KiB (powers of two), for
// Buffer and, through Allocator, the small objects every request makes and drops.
//
// A busy loop takes a connection's input block and its response's output block for every
// keep-alive request and gives both back once the request is answered, dozens at a time in
// one iteration (an io_uring batch). Blocks of these sizes are past glibc's per-thread cache
// (1032 bytes, 7 per size), so each went through malloc's bins: ~1,400 of the ~8,700
// user-space instructions of a keep-alive request (callgrind, bench/http.sh's load); the
// smaller objects fit that cache but overflow its 7 places per size. Here up to kKeep blocks
// of each size stay with the thread (at most 504 KiB); the rest go back to malloc. A block may
// be given back on another thread than the one that took it (it joins that thread's spares).
// Every function is safe during and after the thread's exit: the spares are freed with the
// thread, and later blocks go straight to delete[]. take() and give() are inline: they run
// several times per request.
#include <bit>
#include <cstddef>
#include <cstdint>
#include <new>

namespace netius::net::block_pool {

constexpr std::size_t kKeep = 64;
constexpr std::size_t kSmallest = 128, kLargest = 4096;
constexpr std::size_t kClasses = 6;  // 128, 256, 512, 1024, 2048, 4096
static_assert(kSmallest << (kClasses - 1) == kLargest);

// kPooling: whether spares are kept at all. Not under AddressSanitizer, where every block
// goes back to delete[] at once so that a use after give() is still reported.
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

namespace detail {

/// The thread's spares. Trivially destructible and constant-initialized, so an access is a
/// plain thread-local load; the thread-exit cleanup is armed on the first give() (arm()).
struct Spares {
    char* blocks[kClasses][kKeep];
    std::uint32_t count[kClasses];
    bool armed;  // the cleanup is registered
    bool gone;   // the cleanup ran (the thread is exiting): keep nothing more
};
extern constinit thread_local Spares t_spares;

/// Registers the freeing of the thread's spares at its exit (once per thread).
void arm();

/// The class of a pooled size, or kClasses for any other size.
constexpr std::size_t class_of(std::size_t size) noexcept {
    if (size < kSmallest || size > kLargest || (size & (size - 1)) != 0) return kClasses;
    return static_cast<std::size_t>(std::countr_zero(size) - std::countr_zero(kSmallest));
}

}  // namespace detail

/// `size` rounded up to a pooled block size (128, 256 ... 4096) when it is at most 4 KiB,
/// else unchanged: what take() and give() must be called with.
constexpr std::size_t round_up(std::size_t size) noexcept {
    if (size > kLargest) return size;
    return size <= kSmallest ? kSmallest : std::bit_ceil(size);
}

/// A block of `size` bytes (a spare when there is one, else new char[size]).
inline char* take(std::size_t size) {
    const std::size_t c = detail::class_of(size);
    detail::Spares& spares = detail::t_spares;
    if (c < kClasses && spares.count[c] > 0) return spares.blocks[c][--spares.count[c]];
    return new char[size];
}

/// Gives back a block from take(size); nullptr is ignored.
inline void give(char* block, std::size_t size) noexcept {
    const std::size_t c = detail::class_of(size);
    detail::Spares& spares = detail::t_spares;
    if (kPooling && block && c < kClasses && spares.count[c] < kKeep && !spares.gone) {
        if (!spares.armed) detail::arm();
        spares.blocks[c][spares.count[c]++] = block;
        return;
    }
    delete[] block;
}

/// A standard allocator over take() and give(): std::allocate_shared, containers.
template <class T>
struct Allocator {
    static_assert(alignof(T) <= __STDCPP_DEFAULT_NEW_ALIGNMENT__, "blocks come from new char[]");
    using value_type = T;
    Allocator() = default;
    template <class U>
    Allocator(const Allocator<U>&) noexcept {}
    T* allocate(std::size_t n) { return reinterpret_cast<T*>(take(round_up(n * sizeof(T)))); }
    void deallocate(T* p, std::size_t n) noexcept {
        give(reinterpret_cast<char*>(p), round_up(n * sizeof(T)));
    }
    friend bool operator==(const Allocator&, const Allocator&) noexcept { return true; }
};

}  // namespace netius::net::block_pool
