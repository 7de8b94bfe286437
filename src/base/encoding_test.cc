#include "base/encoding.h"

#include <gtest/gtest.h>

namespace swasd {
namespace {

TEST(PercentEncode, KeepsUnreservedEncodesRest) {
  EXPECT_EQ(PercentEncode("AZaz09-_.~"), "AZaz09-_.~");
  EXPECT_EQ(PercentEncode("a b*()!'"), "a%20b%2A%28%29%21%27");
  EXPECT_EQ(PercentEncode("中"), "%E4%B8%AD");
  EXPECT_EQ(PercentEncode("+/=&"), "%2B%2F%3D%26");
  EXPECT_EQ(PercentEncode(""), "");
}

TEST(PercentDecode, Table) {
  struct Case {
    const char* in;
    bool plus;
    std::optional<std::string> out;
  } cases[] = {
      {"a%20b", false, "a b"},
      {"a+b", false, "a+b"},
      {"a+b", true, "a b"},
      {"%E4%B8%AD", false, "中"},
      {"%e4%b8%ad", false, "中"},
      {"%", false, std::nullopt},
      {"%2", false, std::nullopt},
      {"%zz", false, std::nullopt},
      {"ok%", false, std::nullopt},
      {"", false, ""},
  };
  for (const auto& c : cases) {
    EXPECT_EQ(PercentDecode(c.in, c.plus), c.out) << c.in;
  }
}

TEST(Base64, RoundTripAndRejectsGarbage) {
  EXPECT_EQ(Base64Encode("hello"), "aGVsbG8=");
  EXPECT_EQ(Base64Decode("aGVsbG8="), "hello");
  EXPECT_EQ(Base64Decode(""), "");
  EXPECT_FALSE(Base64Decode("aGVsbG8").has_value());
  EXPECT_FALSE(Base64Decode("a$==").has_value());
}

TEST(Utf8, Validation) {
  EXPECT_TRUE(IsValidUtf8("plain"));
  EXPECT_TRUE(IsValidUtf8("中文"));
  EXPECT_FALSE(IsValidUtf8("\xff"));
  EXPECT_FALSE(IsValidUtf8("\xc0\xaf"));      // overlong
  EXPECT_FALSE(IsValidUtf8("\xed\xa0\x80"));  // surrogate
  EXPECT_FALSE(IsValidUtf8("\xe4\xb8"));      // truncated
}

TEST(Hex, Lower) { EXPECT_EQ(HexLower("\x01\xab"), "01ab"); }

TEST(Hex, Decode) {
  using namespace std::string_literals;
  EXPECT_EQ(HexDecode("00ff10"), "\x00\xff\x10"s);
  EXPECT_EQ(HexDecode("00FF10"), "\x00\xff\x10"s);
  EXPECT_EQ(HexDecode(HexLower("any bytes\x7f")), "any bytes\x7f");
  EXPECT_FALSE(HexDecode("0"));
  EXPECT_FALSE(HexDecode("zz"));
}

}  // namespace
}  // namespace swasd
