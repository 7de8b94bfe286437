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

TEST(Utf8, Decode) {
  auto a = DecodeUtf8("a", 0);
  ASSERT_TRUE(a);
  EXPECT_EQ(a->code_point, 'a');
  EXPECT_EQ(a->length, 1u);
  auto e = DecodeUtf8("x\xc3\xa9", 1);  // U+00E9
  ASSERT_TRUE(e);
  EXPECT_EQ(e->code_point, 0xe9u);
  EXPECT_EQ(e->length, 2u);
  auto zh = DecodeUtf8("\xe4\xb8\xad", 0);  // U+4E2D
  ASSERT_TRUE(zh);
  EXPECT_EQ(zh->code_point, 0x4e2du);
  EXPECT_EQ(zh->length, 3u);
  auto emoji = DecodeUtf8("\xf0\x9f\x98\x80", 0);  // U+1F600
  ASSERT_TRUE(emoji);
  EXPECT_EQ(emoji->code_point, 0x1f600u);
  EXPECT_EQ(emoji->length, 4u);
  EXPECT_FALSE(DecodeUtf8("\x80", 0));              // continuation byte
  EXPECT_FALSE(DecodeUtf8("\xc0\xaf", 0));          // overlong
  EXPECT_FALSE(DecodeUtf8("\xe0\x80\xaf", 0));      // overlong
  EXPECT_FALSE(DecodeUtf8("\xed\xa0\x80", 0));      // surrogate
  EXPECT_FALSE(DecodeUtf8("\xf4\x90\x80\x80", 0));  // above U+10FFFF
  EXPECT_FALSE(DecodeUtf8("\xf5\x80\x80\x80", 0));  // invalid lead
  EXPECT_FALSE(DecodeUtf8("\xe4\xb8", 0));          // truncated
  EXPECT_FALSE(DecodeUtf8("\xc3" "a", 0));           // bad continuation
}

TEST(Utf8, CountChars) {
  EXPECT_EQ(CountUtf8Chars(""), 0u);
  EXPECT_EQ(CountUtf8Chars("ab\xc3\xa9\xe4\xb8\xad"), 4u);
  EXPECT_EQ(CountUtf8Chars("\xff"), 1u);
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
