#include "gateway/sts_token.h"

#include <gtest/gtest.h>

#include "base/crypto.h"

namespace swasd::gateway {
namespace {

StsSession Session() {
  StsSession s;
  s.access_key_id = NewStsAccessKeyId();
  s.account_id = "1000000000000001";
  s.role_name = "sharer";
  s.role_id = "3000000000000000001";
  s.session_name = "s1";
  s.caller_account_id = "1000000000000001";
  s.policy = R"({"Version":"1","Statement":[]})";
  s.expires_at = 1'900'000'000;
  return s;
}

TEST(StsToken, RoundTrip) {
  std::string key = crypto::RandomBytes(32);
  StsSession s = Session();
  auto back = VerifyStsToken(key, MintStsToken(key, s));
  ASSERT_TRUE(back.ok()) << back.error().message();
  EXPECT_EQ(back->access_key_id, s.access_key_id);
  EXPECT_EQ(back->role_name, "sharer");
  EXPECT_EQ(back->policy, s.policy);
  EXPECT_EQ(back->expires_at, s.expires_at);
  EXPECT_EQ(s.access_key_id.rfind("STS.", 0), 0u);
  EXPECT_EQ(StsSecret(key, s.access_key_id), StsSecret(key, s.access_key_id));
  EXPECT_NE(StsSecret(key, s.access_key_id), StsSecret(key, NewStsAccessKeyId()));
}

TEST(StsToken, AnyChangeIsMalformed) {
  std::string key = crypto::RandomBytes(32);
  std::string token = MintStsToken(key, Session());
  for (size_t i = 0; i < token.size(); i += 7) {
    std::string bad = token;
    bad[i] = bad[i] == 'A' ? 'B' : 'A';
    auto r = VerifyStsToken(key, bad);
    EXPECT_FALSE(r.ok()) << "position " << i;
    if (!r.ok()) EXPECT_EQ(r.error().code(), "InvalidSecurityToken.Malformed");
  }
  EXPECT_FALSE(VerifyStsToken(crypto::RandomBytes(32), token).ok());
  EXPECT_FALSE(VerifyStsToken(key, "").ok());
  EXPECT_FALSE(VerifyStsToken(key, "CAIS").ok());
  EXPECT_FALSE(VerifyStsToken(key, std::string(20000, 'A')).ok());
}

}  // namespace
}  // namespace swasd::gateway
