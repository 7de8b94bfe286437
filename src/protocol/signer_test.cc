#include "protocol/signer.h"

#include <gtest/gtest.h>

#include <string>

#include "base/crypto.h"
#include "protocol/signature_v1.h"
#include "protocol/signature_v3.h"

namespace swasd::protocol {
namespace {

using HeaderList = std::vector<std::pair<std::string, std::string>>;

const std::string* Header(const HeaderList& h, std::string_view name) {
  for (const auto& [n, v] : h) {
    if (n == name) return &v;
  }
  return nullptr;
}

SignRequest VectorRequest(SignatureScheme scheme) {
  SignRequest r;
  r.host = "127.0.0.1:18931";
  r.action = "ModifyImageShareStatus";
  r.access_key_id = "testid";
  r.secret = "testsecret";
  r.scheme = scheme;
  r.nonce = "3f1c2a6e-0000-4000-8000-000000000001";
  r.timestamp = "2024-01-01T00:00:00Z";
  EXPECT_TRUE(r.params.Add("ClientToken", "abc").ok());
  EXPECT_TRUE(r.params.Add("ImageId", "m-test").ok());
  EXPECT_TRUE(r.params.Add("Operation", "Share").ok());
  EXPECT_TRUE(r.params.Add("RegionId", "cn-hangzhou").ok());
  return r;
}

// Server-side verification, as the gateway will do it, from wire bytes.
bool VerifyV3(const SignedRequest& s, const std::string& method,
              const std::string& secret) {
  const std::string* authz = Header(s.headers, "Authorization");
  if (authz == nullptr) return false;
  auto auth = ParseV3Authorization(*authz);
  if (!auth.ok()) return false;
  Params query;
  size_t q = s.target.find('?');
  if (q != std::string::npos &&
      !AppendUrlEncoded(std::string_view(s.target).substr(q + 1), &query)
           .ok()) {
    return false;
  }
  HeaderList signed_values;
  for (const std::string& name : auth->signed_headers) {
    const std::string* v = Header(s.headers, name);
    if (v == nullptr) return false;
    signed_values.emplace_back(name, *v);
  }
  std::string hash = crypto::Sha256Hex(s.body);
  if (*Header(s.headers, "x-acs-content-sha256") != hash) return false;
  std::string canonical = V3CanonicalRequest(method, s.target.substr(0, q),
                                             query, signed_values, hash);
  return crypto::ConstantTimeEquals(
      V3Signature(secret, V3StringToSign(canonical)), auth->signature);
}

bool VerifyV1(const SignedRequest& s, const std::string& method,
              const std::string& secret) {
  Params all;
  size_t q = s.target.find('?');
  if (q == std::string::npos ||
      !AppendUrlEncoded(std::string_view(s.target).substr(q + 1), &all).ok()) {
    return false;
  }
  const std::string* given = all.Find("Signature");
  if (given == nullptr) return false;
  return crypto::ConstantTimeEquals(
      V1Signature(secret, V1StringToSign(method, all)), *given);
}

TEST(Signer, V3MatchesSdkVector) {
  auto s = Sign(VectorRequest(SignatureScheme::kV3));
  ASSERT_TRUE(s.ok()) << s.error().message();
  EXPECT_EQ(s->target,
            "/?ClientToken=abc&ImageId=m-test&Operation=Share&RegionId=cn-"
            "hangzhou");
  EXPECT_EQ(s->body, "");
  // vectors.json[0]: the same Authorization the SDK sent.
  EXPECT_EQ(*Header(s->headers, "Authorization"),
            "ACS3-HMAC-SHA256 Credential=testid,SignedHeaders=host;x-acs-"
            "action;x-acs-content-sha256;x-acs-credentials-provider;x-acs-"
            "date;x-acs-signature-nonce;x-acs-version,Signature="
            "683bb60e1d1774a2ffd087bd1cd00a75c52157fb4073381cc9ca0a03dd66fe72");
  EXPECT_EQ(*Header(s->headers, "x-acs-action"), "ModifyImageShareStatus");
  EXPECT_EQ(*Header(s->headers, "x-acs-version"), "2020-06-01");
  EXPECT_EQ(*Header(s->headers, "accept"), "application/json");
  EXPECT_EQ(Header(s->headers, "x-acs-security-token"), nullptr);
  EXPECT_TRUE(VerifyV3(*s, "POST", "testsecret"));
  EXPECT_FALSE(VerifyV3(*s, "POST", "othersecret"));
  EXPECT_FALSE(VerifyV3(*s, "GET", "testsecret"));
}

TEST(Signer, V3SpecialCharactersMatchSdkVector) {
  SignRequest r = VectorRequest(SignatureScheme::kV3);
  r.action = "CreateCustomImage";
  r.params = Params();
  ASSERT_TRUE(r.params.Add("ClientToken", "tok-1").ok());
  ASSERT_TRUE(r.params.Add("Description", "a b+c/d=e&f~g'h 中文*()!").ok());
  ASSERT_TRUE(r.params.Add("ImageName", "img").ok());
  ASSERT_TRUE(r.params.Add("InstanceId", "i-1").ok());
  ASSERT_TRUE(r.params.Add("RegionId", "cn-hangzhou").ok());
  ASSERT_TRUE(r.params.Add("SystemSnapshotId", "s-1").ok());
  auto s = Sign(r);
  ASSERT_TRUE(s.ok());
  EXPECT_NE(s->target.find("Description=a%20b%2Bc%2Fd%3De%26f~g%27h%20%E4%B8"
                           "%AD%E6%96%87%2A%28%29%21&"),
            std::string::npos);
  EXPECT_NE(Header(s->headers, "Authorization")
                ->find("Signature=86cbb8fa3b88a638e6923102cf1cdbba20321651c3"
                       "d6eae13e65aa3f17ed61a1"),
            std::string::npos);
  EXPECT_TRUE(VerifyV3(*s, "POST", "testsecret"));
}

TEST(Signer, V3Sts) {
  SignRequest r = VectorRequest(SignatureScheme::kV3);
  r.access_key_id = "STS.abc";
  r.security_token = "tok/en+==";
  auto s = Sign(r);
  ASSERT_TRUE(s.ok());
  EXPECT_EQ(*Header(s->headers, "x-acs-security-token"), "tok/en+==");
  EXPECT_EQ(*Header(s->headers, "x-acs-accesskey-id"), "STS.abc");
  EXPECT_EQ(*Header(s->headers, "x-acs-credentials-provider"), "static_sts");
  auto auth = ParseV3Authorization(*Header(s->headers, "Authorization"));
  ASSERT_TRUE(auth.ok());
  EXPECT_EQ(auth->access_key_id, "STS.abc");
  EXPECT_EQ(
      auth->signed_headers,
      (std::vector<std::string>{
          "host", "x-acs-accesskey-id", "x-acs-action", "x-acs-content-sha256",
          "x-acs-credentials-provider", "x-acs-date", "x-acs-security-token",
          "x-acs-signature-nonce", "x-acs-version"}));
  EXPECT_TRUE(VerifyV3(*s, "POST", "testsecret"));
}

TEST(Signer, V3NoParamsAndGet) {
  SignRequest r = VectorRequest(SignatureScheme::kV3);
  r.action = "ListRegions";
  r.params = Params();
  auto s = Sign(r);
  ASSERT_TRUE(s.ok());
  EXPECT_EQ(s->target, "/");
  EXPECT_TRUE(VerifyV3(*s, "POST", "testsecret"));

  r = VectorRequest(SignatureScheme::kV3);
  r.method = "GET";
  s = Sign(r);
  ASSERT_TRUE(s.ok());
  EXPECT_TRUE(VerifyV3(*s, "GET", "testsecret"));
  EXPECT_FALSE(VerifyV3(*s, "POST", "testsecret"));
}

TEST(Signer, V1MatchesOpenApiCoreVector) {
  auto s = Sign(VectorRequest(SignatureScheme::kV1));
  ASSERT_TRUE(s.ok()) << s.error().message();
  // vectors.json[4], byte for byte.
  EXPECT_EQ(s->target,
            "/?Action=ModifyImageShareStatus&Format=json&Version=2020-06-01&"
            "Timestamp=2024-01-01T00%3A00%3A00Z&SignatureNonce=3f1c2a6e-0000-"
            "4000-8000-000000000001&ClientToken=abc&ImageId=m-test&Operation="
            "Share&RegionId=cn-hangzhou&SignatureMethod=HMAC-SHA1&"
            "SignatureVersion=1.0&AccessKeyId=testid&Signature="
            "csoAIp2Fsodn89vgoBr7gNZtItA%3D");
  EXPECT_EQ(Header(s->headers, "Authorization"), nullptr);
  EXPECT_EQ(*Header(s->headers, "host"), "127.0.0.1:18931");
  EXPECT_EQ(*Header(s->headers, "x-acs-action"), "ModifyImageShareStatus");
  EXPECT_TRUE(VerifyV1(*s, "POST", "testsecret"));
  EXPECT_FALSE(VerifyV1(*s, "GET", "testsecret"));
  EXPECT_FALSE(VerifyV1(*s, "POST", "x"));
}

TEST(Signer, V1StsAndSpecialCharacters) {
  SignRequest r = VectorRequest(SignatureScheme::kV1);
  r.security_token = "sts token";
  ASSERT_TRUE(r.params.Add("Description", "中文 *()!'+&=").ok());
  auto s = Sign(r);
  ASSERT_TRUE(s.ok());
  EXPECT_NE(s->target.find("&AccessKeyId=testid&SecurityToken=sts%20token&"
                           "Signature="),
            std::string::npos);
  EXPECT_EQ(*Header(s->headers, "x-acs-credentials-provider"), "static_sts");
  EXPECT_TRUE(VerifyV1(*s, "POST", "testsecret"));
}

TEST(Signer, Rejects) {
  SignRequest r = VectorRequest(SignatureScheme::kV3);
  r.host = "";
  EXPECT_FALSE(Sign(r).ok());
  r = VectorRequest(SignatureScheme::kV3);
  r.host = "a\r\nX-Evil: 1";
  EXPECT_FALSE(Sign(r).ok());
  r = VectorRequest(SignatureScheme::kV3);
  r.nonce = "";
  EXPECT_FALSE(Sign(r).ok());
  r = VectorRequest(SignatureScheme::kV3);
  r.security_token = std::string("a\0b", 3);
  EXPECT_FALSE(Sign(r).ok());
  // V1: a business parameter may not shadow a common one.
  r = VectorRequest(SignatureScheme::kV1);
  ASSERT_TRUE(r.params.Add("Action", "Other").ok());
  auto s = Sign(r);
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.error().code(), "InvalidParameter");
  r = VectorRequest(SignatureScheme::kV1);
  ASSERT_TRUE(r.params.Add("Signature", "x").ok());
  EXPECT_FALSE(Sign(r).ok());
}

}  // namespace
}  // namespace swasd::protocol
