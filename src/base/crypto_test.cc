#include "base/crypto.h"

#include <gtest/gtest.h>

#include "base/encoding.h"

namespace swasd::crypto {
namespace {

TEST(Crypto, Sha256OfEmpty) {
  EXPECT_EQ(Sha256Hex(""),
            "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
}

TEST(Crypto, HmacVectors) {
  // RFC 4231 test case 2 and RFC 2202 test case 2.
  EXPECT_EQ(HexLower(HmacSha256("Jefe", "what do ya want for nothing?")),
            "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843");
  EXPECT_EQ(HexLower(HmacSha1("Jefe", "what do ya want for nothing?")),
            "effcdf6ae5eb2fa2d27416d5f184df9c259a7c79");
}

TEST(Crypto, ConstantTimeEquals) {
  EXPECT_TRUE(ConstantTimeEquals("abc", "abc"));
  EXPECT_FALSE(ConstantTimeEquals("abc", "abd"));
  EXPECT_FALSE(ConstantTimeEquals("abc", "ab"));
}

TEST(Crypto, SealOpenRoundTripAndTamper) {
  std::string key = RandomBytes(32);
  std::string box = Seal(key, "secret", "ad");
  EXPECT_EQ(Open(key, box, "ad"), "secret");
  EXPECT_FALSE(Open(key, box, "other-ad").has_value());
  std::string bad = box;
  bad[14] ^= 1;
  EXPECT_FALSE(Open(key, bad, "ad").has_value());
  EXPECT_FALSE(Open(RandomBytes(32), box, "ad").has_value());
  EXPECT_NE(Seal(key, "secret", "ad"), box);  // fresh nonce each time
}

}  // namespace
}  // namespace swasd::crypto
