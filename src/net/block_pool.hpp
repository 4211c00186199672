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
// of each size stay with the thread (at most 504 KiB); the rest go back to malloc. A block may be
// given back on another thread than the one that took it (it joins that thread's spares). Every
// function is safe during and after the thread's exit: the spares are freed with the thread, and
// later blocks go straight to delete[].
#include <cstddef>
#include <new>

namespace netius::net::block_pool {

constexpr std::size_t kKeep = 64;

/// Whether spares are kept at all: not under AddressSanitizer, where every block goes back to
/// delete[] at once so that a use after give() is still reported.
bool pooling() noexcept;

/// `size` rounded up to a pooled block size (128, 256 ... 4096) when it is at most 4 KiB,
/// else unchanged: what take() and give() must be called with.
std::size_t round_up(std::size_t size) noexcept;
/// A block of `size` bytes (a spare when there is one, else new char[size]).
char* take(std::size_t size);
/// Gives back a block from take(size); nullptr is ignored.
void give(char* block, std::size_t size) noexcept;

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
