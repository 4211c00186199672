#include "net/block_pool.hpp"

namespace netius::net::block_pool::detail {

constinit thread_local Spares t_spares{};

namespace {

// Frees the thread's spares when the thread exits (its thread_local destructor), and makes
// every later give() on the thread go straight to delete[]: t_spares itself, trivially
// destructible, stays valid until the thread is gone.
struct Reaper {
    ~Reaper() {
        t_spares.gone = true;
        for (std::size_t c = 0; c < kClasses; ++c) {
            for (std::size_t i = 0; i < t_spares.count[c]; ++i) delete[] t_spares.blocks[c][i];
            t_spares.count[c] = 0;
        }
    }
};

}  // namespace

void arm() {
    static thread_local Reaper reaper;
    (void)reaper;  // constructed here, once per thread: its destructor runs at the thread's exit
    t_spares.armed = true;
}

}  // namespace netius::net::block_pool::detail
