#include "base/ids.h"

#include <gtest/gtest.h>

#include <mutex>
#include <regex>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "base/encoding.h"

namespace swasd::ids {
namespace {

TEST(Ids, RequestIdIsAnUppercaseUuidV4) {
  const std::regex uuid("[0-9A-F]{8}-[0-9A-F]{4}-4[0-9A-F]{3}-[89AB][0-9A-F]{3}-[0-9A-F]{12}");
  EXPECT_TRUE(std::regex_match(NewRequestId(), uuid));
}

TEST(Ids, TimeOrderedIdsHaveTheRequestIdFormatAndSortByTime) {
  const std::regex uuid("[0-9A-F]{8}-[0-9A-F]{4}-7[0-9A-F]{3}-[89AB][0-9A-F]{3}-[0-9A-F]{12}");
  const int64_t ms = 1764633600123;  // 2025-12-02T00:00:00.123Z
  const std::string id = NewTimeOrderedId(ms);
  EXPECT_TRUE(std::regex_match(id, uuid)) << id;
  // The first 48 bits are the time: 0x019ADC5BE07B.
  EXPECT_EQ(id.substr(0, 13), "019ADC5B-E07B") << id;
  std::string previous;
  std::set<std::string> seen;
  for (int64_t t = ms; t < ms + 50; ++t) {
    std::string next = NewTimeOrderedId(t);
    EXPECT_LT(previous, next);
    previous = next;
    seen.insert(NewTimeOrderedId(ms));
  }
  EXPECT_EQ(seen.size(), 50u);  // the random part differs within one ms too
}


// Restores random ids however a test ends.
class DeterministicIds : public ::testing::Test {
 protected:
  void TearDown() override { UseRandomIds(); }
};

// The ids a fixed sequence of draws gives.
std::vector<std::string> Sequence() {
  return {NewRequestId(),          RandomAlnumLower(20, "swas/i-"),
          RandomAlnum(20, "accesskey"), RandomDigits(16, "account"),
          HexLower(RandomBytes(16, "swas-instance")),
          NewTimeOrderedId(1764633600123), RandomAlnumLower(20, "swas/i-"),
          NewRequestId()};
}

TEST_F(DeterministicIds, TheSameSeedGivesTheSameIds) {
  UseDeterministicIds("snapshot-1");
  EXPECT_TRUE(Deterministic());
  const std::vector<std::string> first = Sequence();
  UseDeterministicIds("snapshot-1");  // starts every stream over
  EXPECT_EQ(Sequence(), first);
  // The formats do not change.
  const std::regex v4("[0-9A-F]{8}-[0-9A-F]{4}-4[0-9A-F]{3}-[89AB][0-9A-F]{3}-[0-9A-F]{12}");
  EXPECT_TRUE(std::regex_match(first[0], v4)) << first[0];
  EXPECT_TRUE(std::regex_match(first[1], std::regex("[0-9a-z]{20}"))) << first[1];
  EXPECT_TRUE(std::regex_match(first[2], std::regex("[0-9A-Za-z]{20}"))) << first[2];
  EXPECT_TRUE(std::regex_match(first[3], std::regex("[1-9][0-9]{15}"))) << first[3];
  EXPECT_TRUE(std::regex_match(first[4], std::regex("[0-9a-f]{32}"))) << first[4];
  // Two draws of one stream differ.
  EXPECT_NE(first[1], first[6]);
  EXPECT_NE(first[0], first[7]);
}

TEST_F(DeterministicIds, AnotherSeedGivesOtherIds) {
  UseDeterministicIds("seed-a");
  const std::vector<std::string> a = Sequence();
  UseDeterministicIds("seed-b");
  const std::vector<std::string> b = Sequence();
  for (size_t i = 0; i < a.size(); ++i) EXPECT_NE(a[i], b[i]) << i;
}

TEST_F(DeterministicIds, StreamsAreIndependent) {
  UseDeterministicIds("streams");
  const std::string first = RandomAlnumLower(20, "swas/i-");
  const std::string second = RandomAlnumLower(20, "swas/i-");
  UseDeterministicIds("streams");
  // Draws from other streams in between (a poll loop's RequestIds) do not
  // shift this stream.
  for (int i = 0; i < 7; ++i) NewRequestId();
  EXPECT_EQ(RandomAlnumLower(20, "swas/i-"), first);
  RandomAlnumLower(20, "ecs/i-");
  EXPECT_EQ(RandomAlnumLower(20, "swas/i-"), second);
  // Same draw number, other stream: another id.
  UseDeterministicIds("streams");
  EXPECT_NE(RandomAlnumLower(20, "ecs/i-"), first);
}

TEST_F(DeterministicIds, TimeOrderedIdsCountInsteadOfTellingTime) {
  UseDeterministicIds("events");
  const std::string a = NewTimeOrderedId(1764633600123);
  const std::string b = NewTimeOrderedId(1000);  // earlier time, later id
  EXPECT_EQ(a.substr(0, 13), "00000000-0000") << a;
  EXPECT_EQ(b.substr(0, 13), "00000000-0001") << b;
  EXPECT_LT(a, b);
  UseDeterministicIds("events");
  EXPECT_EQ(NewTimeOrderedId(42), a);  // the time does not matter
}

TEST_F(DeterministicIds, SecretsStayRandom) {
  UseDeterministicIds("secrets");
  const std::string a = SecretAlnum(30);
  UseDeterministicIds("secrets");
  const std::string b = SecretAlnum(30);
  EXPECT_NE(a, b);
  EXPECT_TRUE(std::regex_match(a, std::regex("[0-9A-Za-z]{30}"))) << a;
}

TEST_F(DeterministicIds, RandomAgainAfterUseRandomIds) {
  UseDeterministicIds("back");
  const std::string a = RandomAlnumLower(20, "x");
  UseRandomIds();
  EXPECT_FALSE(Deterministic());
  UseDeterministicIds("back");
  UseRandomIds();
  EXPECT_NE(RandomAlnumLower(20, "x"), a);
}

TEST_F(DeterministicIds, ConcurrentDrawsAreAllDistinct) {
  UseDeterministicIds("threads");
  std::mutex mu;
  std::set<std::string> seen;
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&] {
      for (int i = 0; i < 200; ++i) {
        std::string id = RandomAlnumLower(20, "swas/i-");
        std::lock_guard<std::mutex> lock(mu);
        seen.insert(std::move(id));
      }
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(seen.size(), 800u);
  // The same 800 ids as drawn by one thread: only their order is the
  // threads' interleaving.
  UseDeterministicIds("threads");
  std::set<std::string> sequential;
  for (int i = 0; i < 800; ++i) sequential.insert(RandomAlnumLower(20, "swas/i-"));
  EXPECT_EQ(seen, sequential);
}

}  // namespace
}  // namespace swasd::ids
