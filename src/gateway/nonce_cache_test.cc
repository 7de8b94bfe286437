#include "gateway/nonce_cache.h"

#include <gtest/gtest.h>

#include <atomic>
#include <string>
#include <thread>
#include <vector>

namespace swasd::gateway {
namespace {

TEST(NonceCacheTest, RefusesAReplayUntilItExpires) {
  NonceCache cache;
  EXPECT_TRUE(cache.Insert("LTAIkey", "n1", /*expires_at=*/100, /*now=*/10));
  EXPECT_FALSE(cache.Insert("LTAIkey", "n1", 100, 50));
  EXPECT_FALSE(cache.Insert("LTAIkey", "n1", 100, 99));
  // Another key, or another nonce, is another entry.
  EXPECT_TRUE(cache.Insert("LTAIother", "n1", 100, 50));
  EXPECT_TRUE(cache.Insert("LTAIkey", "n2", 100, 50));
  // Expired: a new use, remembered again until its new expiry.
  EXPECT_TRUE(cache.Insert("LTAIkey", "n1", 300, 100));
  EXPECT_FALSE(cache.Insert("LTAIkey", "n1", 300, 200));
}

TEST(NonceCacheTest, ForgetsAnErasedNonce) {
  NonceCache cache;
  EXPECT_TRUE(cache.Insert("k", "n", 100, 0));
  cache.Erase("k", "n");
  EXPECT_EQ(cache.size(), 0u);
  EXPECT_TRUE(cache.Insert("k", "n", 100, 0));
  EXPECT_FALSE(cache.Insert("k", "n", 100, 0));
  cache.Erase("k", "other");  // unknown: nothing happens
  EXPECT_EQ(cache.size(), 1u);
}

TEST(NonceCacheTest, KeyAndNonceDoNotRunTogether) {
  NonceCache cache;
  EXPECT_TRUE(cache.Insert("ab", "c", 100, 0));
  EXPECT_TRUE(cache.Insert("a", "bc", 100, 0));
}

TEST(NonceCacheTest, StaysWithinItsCapacityOldestFirst) {
  NonceCache cache(/*capacity=*/16 * 4);  // 4 per shard
  for (int i = 0; i < 1000; ++i) {
    ASSERT_TRUE(cache.Insert("k", "n" + std::to_string(i), 1000, 0));
  }
  EXPECT_LE(cache.size(), 16u * 4);
  EXPECT_GT(cache.size(), 0u);
  // The newest is still known; the first ones were evicted (the durable
  // claim is what refuses them then).
  EXPECT_FALSE(cache.Insert("k", "n999", 1000, 0));
  EXPECT_TRUE(cache.Insert("k", "n0", 1000, 0));
}

TEST(NonceCacheTest, ExpiredEntriesLeave) {
  NonceCache cache;
  for (int i = 0; i < 100; ++i) cache.Insert("k", "n" + std::to_string(i), 10, 0);
  EXPECT_EQ(cache.size(), 100u);
  // Each shard drops its expired entries when next used.
  for (int i = 0; i < 200; ++i) cache.Insert("k", "m" + std::to_string(i), 100, 20);
  EXPECT_EQ(cache.size(), 200u);
}

TEST(NonceCacheTest, ConcurrentClaimsOfOneNonceHaveOneWinner) {
  NonceCache cache;
  for (int round = 0; round < 50; ++round) {
    std::atomic<int> winners{0};
    std::vector<std::thread> threads;
    const std::string nonce = "race" + std::to_string(round);
    for (int t = 0; t < 4; ++t) {
      threads.emplace_back([&] {
        if (cache.Insert("k", nonce, 100, 0)) ++winners;
      });
    }
    for (auto& t : threads) t.join();
    EXPECT_EQ(winners.load(), 1);
  }
}

}  // namespace
}  // namespace swasd::gateway
