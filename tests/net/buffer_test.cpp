#include "net/buffer.hpp"

#include <gtest/gtest.h>
#include <sys/socket.h>

#include <cstring>
#include <thread>

#include "net/socket.hpp"
#include "net_test_util.hpp"
#include "util/unique_fd.hpp"

namespace netius::net {
namespace {

using test::random_bytes;
using test::write_all;

TEST(Buffer, StartsWithoutStorage) {
    Buffer b;
    EXPECT_EQ(b.readable_bytes(), 0u);
    EXPECT_EQ(b.capacity(), 0u);
    EXPECT_EQ(b.view(), "");
}

TEST(Buffer, AppendAndRetrieveByOffset) {
    Buffer b;
    b.append("hello, world");
    EXPECT_EQ(b.view(), "hello, world");
    const char* before = b.peek();
    b.retrieve(7);
    EXPECT_EQ(b.view(), "world");
    EXPECT_EQ(b.peek(), before + 7);  // consumed by moving the offset, nothing copied
    EXPECT_EQ(b.retrieve_as_string(3), "wor");
    EXPECT_EQ(b.view(), "ld");
    b.retrieve(100);  // more than readable: everything
    EXPECT_TRUE(b.empty());
    EXPECT_EQ(b.prependable_bytes(), Buffer::kCheapPrepend);
}

TEST(Buffer, CompactsInsteadOfGrowing) {
    Buffer b;
    b.append(std::string(800, 'a'));
    const std::size_t capacity = b.capacity();
    ASSERT_GE(capacity, 800u);
    b.retrieve(700);
    // 100 readable bytes; the consumed 700 give the room an append of capacity - 200 needs.
    std::string more(capacity - 200, 'b');
    ASSERT_LT(b.writable_bytes(), more.size());
    b.append(more);
    EXPECT_EQ(b.capacity(), capacity);
    EXPECT_EQ(b.view(), std::string(100, 'a') + more);
    EXPECT_EQ(b.prependable_bytes(), Buffer::kCheapPrepend);
}

// Compaction moves the readable bytes: only worth it when the consumed prefix is at least as
// long, else a queue drained a little from the front before each append (a proxied download)
// would move all its bytes on every append. Growing doubles, so its copies stay amortized.
TEST(Buffer, GrowsRatherThanMovingMoreThanWasConsumed) {
    Buffer b;
    b.append(std::string(800, 'a'));
    const std::size_t capacity = b.capacity();
    b.retrieve(100);  // 700 readable behind a consumed 100
    const std::size_t prefix = b.prependable_bytes();
    std::string more(b.writable_bytes() + 50, 'b');  // fits only if the 100 were reclaimed
    b.append(more);
    EXPECT_GE(b.capacity(), 2 * capacity);
    EXPECT_EQ(b.view(), std::string(700, 'a') + more);
    EXPECT_EQ(prefix, Buffer::kCheapPrepend + 100);
}

TEST(Buffer, GrowsWhenCompactionIsNotEnough) {
    Buffer b;
    std::string data = random_bytes(10000, 1);
    for (std::size_t i = 0; i < data.size(); i += 333) b.append(data.substr(i, 333));
    EXPECT_EQ(b.view(), data);
    EXPECT_GE(b.capacity(), data.size());
}

TEST(Buffer, PrependUsesTheCheapPrependArea) {
    Buffer b;
    b.append("body");
    b.prepend("1234", 4);
    EXPECT_EQ(b.view(), "1234body");
    Buffer tight;
    char big[Buffer::kCheapPrepend + 1] = {};
    EXPECT_THROW(tight.prepend(big, sizeof big), std::length_error);
}

TEST(Buffer, ReleaseFreesAnEmptyBufferOnly) {
    Buffer b;
    b.append("x");
    b.release();
    EXPECT_EQ(b.view(), "x");  // not empty: kept
    b.retrieve_all();
    b.release();
    EXPECT_EQ(b.capacity(), 0u);
    b.append("again");
    EXPECT_EQ(b.view(), "again");
}

TEST(Buffer, MaxSizeIsAGuardTheOwnerChecks) {
    Buffer b;
    b.set_max_size(10);
    b.append("0123456789");
    EXPECT_FALSE(b.exceeds_max_size());
    b.append("!");
    EXPECT_TRUE(b.exceeds_max_size());
    EXPECT_EQ(b.readable_bytes(), 11u);
}

TEST(Buffer, MoveLeavesAnEmptyBuffer) {
    Buffer a;
    a.append("moved");
    Buffer b(std::move(a));
    EXPECT_EQ(b.view(), "moved");
    EXPECT_TRUE(a.empty());  // NOLINT(bugprone-use-after-move): documented state
    a.append("reuse");
    EXPECT_EQ(a.view(), "reuse");
}

// A socketpair carrying more than the 64 KiB spill: one readv fills the free space and the
// stack spill, and every byte arrives intact and in order.
TEST(Buffer, ReadFdSpillsBeyondTheFreeSpace) {
    int sv[2];
    ASSERT_EQ(::socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv), 0);
    UniqueFd reader(sv[0]), writer(sv[1]);
    test::set_timeouts(reader.get());
    const std::string data = random_bytes(300 * 1024, 7);
    std::thread feeder([&] { EXPECT_TRUE(write_all(writer.get(), data)); });

    Buffer b;
    b.ensure_writable(100);
    const std::size_t writable = b.writable_bytes();
    ASSERT_LT(writable, Buffer::kSpillSize);
    // Wait until more than the free space is queued, so the first read must use the spill.
    std::string peek(writable + 1, '\0');
    ASSERT_EQ(::recv(reader.get(), peek.data(), peek.size(), MSG_PEEK | MSG_WAITALL),
              static_cast<ssize_t>(peek.size()));
    int err = 0;
    ssize_t first = b.read_fd(reader.get(), &err);
    EXPECT_GT(first, static_cast<ssize_t>(writable));
    EXPECT_LE(first, static_cast<ssize_t>(writable + Buffer::kSpillSize));
    while (b.readable_bytes() < data.size()) {
        ssize_t n = b.read_fd(reader.get(), &err);
        ASSERT_GT(n, 0) << "read_fd: " << std::strerror(err);
    }
    feeder.join();
    EXPECT_EQ(b.readable_bytes(), data.size());
    EXPECT_TRUE(b.view() == data);
}

TEST(Buffer, ReadFdReportsEndOfStreamAndEagain) {
    int sv[2];
    ASSERT_EQ(::socketpair(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0, sv), 0);
    UniqueFd reader(sv[0]), writer(sv[1]);
    Buffer b;
    int err = 0;
    EXPECT_EQ(b.read_fd(reader.get(), &err), -1);
    EXPECT_EQ(err, EAGAIN);
    EXPECT_TRUE(b.empty());
    writer.reset();
    EXPECT_EQ(b.read_fd(reader.get(), &err), 0);
}

}  // namespace
}  // namespace netius::net
