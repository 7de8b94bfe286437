#include "base/ids.h"

#include <gtest/gtest.h>

#include <regex>
#include <set>
#include <string>

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

}  // namespace
}  // namespace swasd::ids
