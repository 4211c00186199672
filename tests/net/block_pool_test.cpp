#include "net/block_pool.hpp"

#include <gtest/gtest.h>

#include <set>
#include <thread>
#include <vector>

#include "net/buffer.hpp"

namespace netius::net {
namespace {

TEST(BlockPool, RoundsUpToAPowerOfTwoFrom128BytesTo4KiB) {
    EXPECT_EQ(block_pool::round_up(1), 128u);
    EXPECT_EQ(block_pool::round_up(129), 256u);
    EXPECT_EQ(block_pool::round_up(1000), 1024u);
    EXPECT_EQ(block_pool::round_up(1024), 1024u);
    EXPECT_EQ(block_pool::round_up(1025), 2048u);
    EXPECT_EQ(block_pool::round_up(2048), 2048u);
    EXPECT_EQ(block_pool::round_up(2049), 4096u);
    EXPECT_EQ(block_pool::round_up(4096), 4096u);
    EXPECT_EQ(block_pool::round_up(4097), 4097u);
    EXPECT_EQ(block_pool::round_up(1 << 20), 1u << 20);
}

TEST(BlockPool, AGivenBlockIsTakenAgainBySizeAndOnlyUpToTheLimit) {
    if (!block_pool::kPooling) GTEST_SKIP() << "spares are not kept under AddressSanitizer";
    // Drain whatever earlier tests left on this thread, so that every spare below is ours.
    std::vector<char*> earlier;
    for (std::size_t i = 0; i < block_pool::kKeep; ++i) earlier.push_back(block_pool::take(2048));
    std::vector<char*> given;
    for (std::size_t i = 0; i < block_pool::kKeep + 8; ++i) given.push_back(new char[2048]);
    for (char* b : given) block_pool::give(b, 2048);
    // Spares of another size are not handed out for this one.
    char* other = block_pool::take(1024);
    EXPECT_EQ(std::set<char*>(given.begin(), given.begin() + block_pool::kKeep).count(other), 0u);
    block_pool::give(other, 1024);
    // The first kKeep given are kept (the 8 beyond the limit went back to delete[]) and come
    // back, last given first.
    for (std::size_t i = 0; i < block_pool::kKeep; ++i)
        EXPECT_EQ(block_pool::take(2048), given[block_pool::kKeep - 1 - i]) << i;
    for (std::size_t i = 0; i < block_pool::kKeep; ++i) block_pool::give(given[i], 2048);
    for (char* b : earlier) block_pool::give(b, 2048);
}

TEST(BlockPool, OtherSizesAndNullAreNeverKept) {
    block_pool::give(nullptr, 1024);  // ignored
    char* big = block_pool::take(5000);
    big[4999] = 'x';              // the whole size is there
    block_pool::give(big, 5000);  // straight to delete[] (LSan and ASan check it)
}

TEST(BlockPool, BlocksOfAThreadThatExitedAreFreedWithItAndLaterOnesDirectly) {
    // Sanitized builds check this one: nothing leaks, nothing is freed twice.
    std::thread t([] {
        for (int i = 0; i < 10; ++i) block_pool::give(block_pool::take(1024), 1024);
        static thread_local Buffer late;  // destroyed with the thread, perhaps after the spares
        late.append("still fine");
    });
    t.join();
}

TEST(BlockPool, AReleasedBufferBlockServesTheNextBuffer) {
    if (!block_pool::kPooling) GTEST_SKIP() << "spares are not kept under AddressSanitizer";
    const char* first;
    {
        Buffer a;
        a.append("request");
        EXPECT_EQ(a.capacity(), 1024u);
        first = a.peek();
        a.retrieve_all();
        a.release();
        EXPECT_FALSE(a.allocated());
        Buffer b;
        b.append("next");
        EXPECT_EQ(b.peek() - Buffer::kCheapPrepend, first - Buffer::kCheapPrepend);
    }
    Buffer c;  // b's block came back when it was destroyed
    c.append("third");
    EXPECT_EQ(c.peek(), first);
}

}  // namespace
}  // namespace netius::net
