#include "protocol/params.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "base/errors.h"

namespace swasd::protocol {
namespace {

using Pairs = std::vector<std::pair<std::string, std::string>>;

Pairs ToPairs(const Params& p) { return Pairs(p.begin(), p.end()); }

TEST(Params, AddFindRemoveKeepsInsertionOrder) {
  Params p;
  ASSERT_TRUE(p.Add("b", "2").ok());
  ASSERT_TRUE(p.Add("a", "1").ok());
  ASSERT_TRUE(p.Add("c", "3").ok());
  EXPECT_EQ(p.size(), 3u);
  EXPECT_EQ(ToPairs(p), (Pairs{{"b", "2"}, {"a", "1"}, {"c", "3"}}));
  ASSERT_NE(p.Find("a"), nullptr);
  EXPECT_EQ(*p.Find("a"), "1");
  EXPECT_EQ(p.Find("d"), nullptr);
  EXPECT_TRUE(p.Has("c"));

  Status dup = p.Add("a", "x");
  ASSERT_FALSE(dup.ok());
  EXPECT_EQ(dup.error().code(), "InvalidParameter");
  EXPECT_EQ(p.size(), 3u);

  EXPECT_TRUE(p.Remove("b"));
  EXPECT_FALSE(p.Remove("b"));
  EXPECT_EQ(ToPairs(p), (Pairs{{"a", "1"}, {"c", "3"}}));
  EXPECT_EQ(*p.Find("c"), "3");
  EXPECT_EQ(*p.Find("a"), "1");

  std::vector<std::string> sorted;
  ASSERT_TRUE(p.Add("B", "").ok());
  p.ForEachSorted([&](const Params::Pair& x) { sorted.push_back(x.first); });
  EXPECT_EQ(sorted, (std::vector<std::string>{"B", "a", "c"}));
}

TEST(AppendUrlEncoded, Accepts) {
  struct Case {
    std::string in;
    Pairs out;
  } cases[] = {
      {"", {}},
      {"a=1", {{"a", "1"}}},
      {"a=1&b=x%20y", {{"a", "1"}, {"b", "x y"}}},
      {"a=x+y", {{"a", "x y"}}},
      {"a=x%2By", {{"a", "x+y"}}},
      {"a", {{"a", ""}}},
      {"a=", {{"a", ""}}},
      {"a=1&&b=2&", {{"a", "1"}, {"b", "2"}}},
      {"&&&", {}},
      {"a==b", {{"a", "=b"}}},
      {"Tag.1.Value=v*(1)!", {{"Tag.1.Value", "v*(1)!"}}},
      {"d=%E4%B8%AD%e6%96%87", {{"d", "中文"}}},
      {"k%20n=v", {{"k n", "v"}}},
      {"z=1&a=2", {{"z", "1"}, {"a", "2"}}},
      {"nl=a%0Ab", {{"nl", "a\nb"}}},
  };
  for (const auto& c : cases) {
    Params p;
    Status s = AppendUrlEncoded(c.in, &p);
    ASSERT_TRUE(s.ok()) << c.in << ": " << s.error().message();
    EXPECT_EQ(ToPairs(p), c.out) << c.in;
  }
}

TEST(AppendUrlEncoded, AppendsToExisting) {
  Params p;
  ASSERT_TRUE(AppendUrlEncoded("a=1", &p).ok());
  ASSERT_TRUE(AppendUrlEncoded("b=2", &p).ok());
  EXPECT_EQ(ToPairs(p), (Pairs{{"a", "1"}, {"b", "2"}}));
  // A body repeating a query parameter is a duplicate.
  Status s = AppendUrlEncoded("a=3", &p);
  ASSERT_FALSE(s.ok());
  EXPECT_NE(s.error().message().find("\"a\""), std::string::npos);
}

TEST(AppendUrlEncoded, Rejects) {
  struct Case {
    std::string in;
    std::string message_part;
  } cases[] = {
      {"a=%", "malformed"},
      {"a=%2", "malformed"},
      {"a=%zz", "malformed"},
      {"a%=1", "malformed"},
      {"a=%G0", "malformed"},
      {"a=1&a=2", "more than once"},
      {"a=1&b=2&a", "more than once"},
      {"a=1&a%3D=2&%61=3", "more than once"},
      {"=1", "empty name"},
      {"=", "empty name"},
      {"a=%FF", "UTF-8"},
      {"a=%C0%80", "UTF-8"},     // overlong NUL
      {"a=%ED%A0%80", "UTF-8"},  // surrogate
      {"%FF=1", "UTF-8"},
      {"a%00=1", "control"},
      {"a%0A=1", "control"},
  };
  for (const auto& c : cases) {
    Params p;
    Status s = AppendUrlEncoded(c.in, &p);
    ASSERT_FALSE(s.ok()) << c.in;
    EXPECT_EQ(s.error().code(), "InvalidParameter") << c.in;
    EXPECT_EQ(s.error().http_status(), 400) << c.in;
    EXPECT_NE(s.error().message().find(c.message_part), std::string::npos)
        << c.in << ": " << s.error().message();
  }
}

TEST(AppendUrlEncoded, DuplicateMessageNamesParameter) {
  Params p;
  Status s = AppendUrlEncoded("RegionId=a&RegionId=b", &p);
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.error().message(),
            "The specified parameter \"RegionId\" is not valid: it is given "
            "more than once");
}

TEST(AppendUrlEncoded, Limits) {
  ParamLimits limits;
  limits.max_params = 3;
  limits.max_name_len = 4;
  limits.max_value_len = 5;
  Params p;
  EXPECT_TRUE(AppendUrlEncoded("a=1&b=2&c=3", &p, limits).ok());
  p = Params();
  Status s = AppendUrlEncoded("a=1&b=2&c=3&d=4", &p, limits);
  ASSERT_FALSE(s.ok());
  EXPECT_NE(s.error().message().find("too many"), std::string::npos);

  p = Params();
  EXPECT_TRUE(AppendUrlEncoded("abcd=12345", &p, limits).ok());
  p = Params();
  // Limits apply to decoded lengths: "%41%42%43%44" is 4 bytes.
  EXPECT_TRUE(
      AppendUrlEncoded("%41%42%43%44=%31%32%33%34%35", &p, limits).ok());
  p = Params();
  s = AppendUrlEncoded("abcde=1", &p, limits);
  ASSERT_FALSE(s.ok());
  EXPECT_NE(s.error().message().find("longer than 4"), std::string::npos);
  p = Params();
  s = AppendUrlEncoded("a=123456", &p, limits);
  ASSERT_FALSE(s.ok());
  EXPECT_NE(s.error().message().find("longer than 5"), std::string::npos);

  // Default limits.
  p = Params();
  std::string many;
  for (int i = 0; i < 1025; ++i) many += "p" + std::to_string(i) + "=&";
  EXPECT_FALSE(AppendUrlEncoded(many, &p).ok());
  p = Params();
  EXPECT_FALSE(AppendUrlEncoded(std::string(257, 'n') + "=1", &p).ok());
  p = Params();
  EXPECT_FALSE(
      AppendUrlEncoded("v=" + std::string((1 << 20) + 1, 'x'), &p).ok());
}

TEST(RepeatList, ContiguousFromOne) {
  Params p;
  ASSERT_TRUE(
      AppendUrlEncoded("Account.2=b&Account.1=a&Account.3=c&Other.1=z", &p)
          .ok());
  EXPECT_EQ(RepeatList(p, "Account"),
            (std::vector<std::string>{"a", "b", "c"}));
  EXPECT_TRUE(RepeatList(p, "Missing").empty());
}

TEST(RepeatList, StopsAtFirstGap) {
  Params p;
  ASSERT_TRUE(
      AppendUrlEncoded("Account.1=a&Account.3=c&Account.0=z&Account.01=y", &p)
          .ok());
  EXPECT_EQ(RepeatList(p, "Account"), (std::vector<std::string>{"a"}));
  Params q;
  ASSERT_TRUE(AppendUrlEncoded("Account.2=b", &q).ok());
  EXPECT_TRUE(RepeatList(q, "Account").empty());
}

TEST(RepeatStructList, Tags) {
  Params p;
  ASSERT_TRUE(AppendUrlEncoded(
                  "Tag.1.Key=k1&Tag.1.Value=v1&Tag.2.Key=k2&Tag.4.Key=k4", &p)
                  .ok());
  const std::string_view fields[] = {"Key", "Value"};
  auto rows = RepeatStructList(p, "Tag", fields);
  ASSERT_EQ(rows.size(), 2u);
  EXPECT_EQ(rows[0][0], "k1");
  EXPECT_EQ(rows[0][1], "v1");
  EXPECT_EQ(rows[1][0], "k2");
  EXPECT_EQ(rows[1][1], std::nullopt);
  EXPECT_TRUE(RepeatStructList(p, "Tag", {}).empty());
}

TEST(ParseJsonStringArray, Accepts) {
  struct Case {
    std::string in;
    std::vector<std::string> out;
  } cases[] = {
      {R"(["m-1","m-2"])", {"m-1", "m-2"}},
      {R"( [ "m-1" , "m-2" ] )", {"m-1", "m-2"}},
      {"[]", {}},
      {R"(["a,b","\u4e2d"])", {"a,b", "中"}},
      {"m-1,m-2", {"m-1", "m-2"}},
      {"m-1, m-2 ", {"m-1", "m-2"}},
      {"m-1", {"m-1"}},
      {"", {}},
      {"   ", {}},
  };
  for (const auto& c : cases) {
    auto r = ParseJsonStringArray(c.in, "ImageIds", 10);
    ASSERT_TRUE(r.ok()) << c.in << ": " << r.error().message();
    EXPECT_EQ(*r, c.out) << c.in;
  }
}

TEST(ParseJsonStringArray, Rejects) {
  const char* cases[] = {
      "[",
      R"(["a")",
      R"(["a",])",
      R"(["a"]x)",
      R"(["a"][])",
      "[1]",
      R"(["a",null])",
      R"([["a"]])",
      R"([{"a":"b"}])",
      R"(["a",true])",
      "a,,b",
      ",a",
      "a,",
      R"(["1","2","3","4"])",  // max_items 3
      "1,2,3,4",
      "\xff",
      "[\"\xff\"]",
  };
  for (const char* c : cases) {
    auto r = ParseJsonStringArray(c, "ImageIds", 3);
    ASSERT_FALSE(r.ok()) << c;
    EXPECT_EQ(r.error().code(), "InvalidParameter") << c;
    EXPECT_NE(r.error().message().find("\"ImageIds\""), std::string::npos)
        << r.error().message();
  }
  // Deep nesting is refused at the second '[' (no recursion, no DOM).
  auto deep = ParseJsonStringArray(std::string(100000, '['), "ImageIds", 3);
  EXPECT_FALSE(deep.ok());
}

}  // namespace
}  // namespace swasd::protocol
