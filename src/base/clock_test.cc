#include "base/clock.h"

#include <gtest/gtest.h>

#include "base/ids.h"

namespace swasd {
namespace {

TEST(Iso8601, FormatAndParse) {
  EXPECT_EQ(FormatIso8601(int64_t{0}), "1970-01-01T00:00:00Z");
  EXPECT_EQ(FormatIso8601(int64_t{1704067200}), "2024-01-01T00:00:00Z");
  EXPECT_EQ(ParseIso8601("2024-01-01T00:00:00Z"), 1704067200);
  EXPECT_EQ(ParseIso8601("2024-01-01T00:00:00.123Z"), 1704067200);
  EXPECT_EQ(ParseIso8601("2024-02-29T00:00:00Z"), 1709164800);
}

TEST(Iso8601, RejectsMalformed) {
  for (const char* s :
       {"", "2024-01-01", "2024-01-01T00:00:00", "2024-01-01 00:00:00Z",
        "2024-13-01T00:00:00Z", "2023-02-29T00:00:00Z", "2024-01-01T24:00:00Z",
        "2024-01-01T00:00:00+08:00", "2024-01-01T00:00:00ZZ", "abcd-01-01T00:00:00Z",
        "2024-01-01T00:00:00.Z"}) {
    EXPECT_FALSE(ParseIso8601(s).has_value()) << s;
  }
}

TEST(OffsetClock, Advances) {
  OffsetClock c;
  int64_t before = c.NowUnixSeconds();
  c.Advance(std::chrono::hours(1));
  EXPECT_GE(c.NowUnixSeconds() - before, 3600);
}

TEST(Ids, RequestIdShape) {
  std::string id = ids::NewRequestId();
  ASSERT_EQ(id.size(), 36u);
  EXPECT_EQ(id[8], '-');
  EXPECT_EQ(id[14], '4');
  for (char c : id) EXPECT_TRUE((c >= '0' && c <= '9') || (c >= 'A' && c <= 'F') || c == '-');
  EXPECT_NE(ids::NewRequestId(), id);
  EXPECT_EQ(ids::RandomDigits(16).size(), 16u);
  EXPECT_NE(ids::RandomDigits(16)[0], '0');
}

}  // namespace
}  // namespace swasd
