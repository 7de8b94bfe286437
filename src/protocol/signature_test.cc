#include <gtest/gtest.h>

#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>

#include "base/crypto.h"
#include "protocol/canonical.h"
#include "protocol/params.h"
#include "protocol/signature_v1.h"
#include "protocol/signature_v3.h"

namespace swasd::protocol {
namespace {

using nlohmann::json;

json LoadVectors() {
  std::ifstream in(SWASD_SOURCE_DIR "/tests/compat/vectors.json");
  EXPECT_TRUE(in.good()) << "tests/compat/vectors.json missing";
  std::stringstream ss;
  ss << in.rdbuf();
  return json::parse(ss.str());
}

// Splits "/?a=b" into path and decoded query params.
void SplitUrl(const std::string& url, std::string* path, Params* query) {
  size_t q = url.find('?');
  *path = url.substr(0, q);
  if (q != std::string::npos) {
    Status s = AppendUrlEncoded(std::string_view(url).substr(q + 1), query);
    ASSERT_TRUE(s.ok()) << s.error().message();
  }
}

TEST(Vectors, AllFiveAreChecked) {
  json vectors = LoadVectors();
  ASSERT_EQ(vectors.size(), 5u);
  int v3 = 0, v1 = 0;
  for (const json& v : vectors) {
    const std::string scheme = v.at("scheme");
    const json& req = v.at("request");
    const std::string method = req.at("method");
    const json& headers = req.at("headers");
    const std::string body = req.at("body");
    const std::string secret = v.at("secret");
    std::string path;
    Params query;
    SplitUrl(req.at("url"), &path, &query);

    if (scheme == "ACS3-HMAC-SHA256") {
      ++v3;
      auto auth =
          ParseV3Authorization(headers.at("authorization").get<std::string>());
      ASSERT_TRUE(auth.ok()) << auth.error().message();
      EXPECT_EQ(auth->access_key_id, "testid");
      std::vector<std::pair<std::string, std::string>> signed_values;
      for (const std::string& name : auth->signed_headers) {
        signed_values.emplace_back(name, headers.at(name).get<std::string>());
      }
      std::string payload_hash = crypto::Sha256Hex(body);
      EXPECT_EQ(payload_hash, headers.at("x-acs-content-sha256"));
      EXPECT_EQ(payload_hash, kEmptyPayloadSha256);
      std::string canonical =
          V3CanonicalRequest(method, path, query, signed_values, payload_hash);
      EXPECT_EQ(canonical, v.at("canonicalRequest"));
      std::string sts = V3StringToSign(canonical);
      EXPECT_EQ(sts, v.at("stringToSign"));
      std::string sig = V3Signature(secret, sts);
      EXPECT_EQ(sig, v.at("signature"));
      EXPECT_EQ(sig, auth->signature);
      EXPECT_TRUE(crypto::ConstantTimeEquals(sig, auth->signature));
      // The header the signer renders is the one the SDK sent.
      EXPECT_EQ(V3AuthorizationValue(auth->access_key_id, auth->signed_headers,
                                     auth->signature),
                headers.at("authorization"));
    } else {
      ++v1;
      ASSERT_EQ(scheme.rfind("HMAC-SHA1", 0), 0u) << scheme;
      Params all = std::move(query);
      if (headers.contains("content-type") &&
          headers.at("content-type")
                  .get<std::string>()
                  .rfind("application/x-www-form-urlencoded", 0) == 0) {
        Status s = AppendUrlEncoded(body, &all);
        ASSERT_TRUE(s.ok()) << s.error().message();
      }
      const std::string* given = all.Find("Signature");
      ASSERT_NE(given, nullptr);
      std::string sts = V1StringToSign(method, all);
      EXPECT_EQ(sts, v.at("stringToSign")) << scheme;
      std::string sig = V1Signature(secret, sts);
      EXPECT_EQ(sig, v.at("signature")) << scheme;
      EXPECT_EQ(sig, *given) << scheme;
    }
  }
  EXPECT_EQ(v3, 2);
  EXPECT_EQ(v1, 3);
}

TEST(Vectors, V3RawQueryIsNeverSigned) {
  // vectors[1] sends *()! raw; the canonical form encodes them.
  json v = LoadVectors().at(1);
  std::string path;
  Params query;
  SplitUrl(v.at("request").at("url"), &path, &query);
  EXPECT_EQ(*query.Find("Description"), "a b+c/d=e&f~g'h 中文*()!");
  EXPECT_NE(CanonicalQueryString(query).find(
                "Description=a%20b%2Bc%2Fd%3De%26f~g%27h%20%E4%B8%AD%E6%96%87"
                "%2A%28%29%21&"),
            std::string::npos);
}

TEST(Canonical, SortsEncodesAndExcludes) {
  Params p;
  ASSERT_TRUE(p.Add("b", "x y").ok());
  ASSERT_TRUE(p.Add("a", "").ok());
  ASSERT_TRUE(p.Add("Signature", "s").ok());
  ASSERT_TRUE(p.Add("a b", "1").ok());
  EXPECT_EQ(CanonicalQueryString(p), "Signature=s&a=&a%20b=1&b=x%20y");
  const std::string_view excl[] = {"Signature"};
  EXPECT_EQ(CanonicalQueryString(p, excl), "a=&a%20b=1&b=x%20y");
  EXPECT_EQ(CanonicalQueryString(Params()), "");

  // A name holding '=' and '&' cannot pose as two parameters.
  Params two, one;
  ASSERT_TRUE(AppendUrlEncoded("a=1&b=2", &two).ok());
  ASSERT_TRUE(AppendUrlEncoded("a%3D1%26b=2", &one).ok());
  EXPECT_NE(CanonicalQueryString(two), CanonicalQueryString(one));
}

TEST(V3CanonicalRequest, HeadersTrimmedSortedAndRepeatedJoined) {
  Params q;
  std::vector<std::pair<std::string, std::string>> h = {{"x-acs-b", "  two \t"},
                                                        {"Host", "h:1"},
                                                        {"x-acs-a", "z"},
                                                        {"x-acs-a", "y"}};
  EXPECT_EQ(V3CanonicalRequest("GET", "/", q, h, "HASH"),
            "GET\n/\n\nhost:h:1\nx-acs-a:y,z\nx-acs-b:two\n\n"
            "host;x-acs-a;x-acs-b\nHASH");
  EXPECT_EQ(V3CanonicalRequest("POST", "/", q, {}, "HASH"),
            "POST\n/\n\n\n\nHASH");
}

TEST(V3, WorkedExampleFromReadme) {
  EXPECT_EQ(V3Signature("testsecret",
                        "ACS3-HMAC-SHA256\n61c9dbf9eaa44ff207322c7b71e9f370988"
                        "74a3314ee15b46ddc12ec201b81f2"),
            "683bb60e1d1774a2ffd087bd1cd00a75c52157fb4073381cc9ca0a03dd66fe72");
}

const char kSig[] =
    "683bb60e1d1774a2ffd087bd1cd00a75c52157fb4073381cc9ca0a03dd66fe72";

TEST(ParseV3Authorization, Accepts) {
  std::string sig = kSig;
  struct Case {
    std::string header;
    std::vector<std::string> signed_headers;
  } cases[] = {
      {"ACS3-HMAC-SHA256 Credential=testid,SignedHeaders=host;x-acs-date,"
       "Signature=" +
           sig,
       {"host", "x-acs-date"}},
      {"  ACS3-HMAC-SHA256   Credential=testid, SignedHeaders=x-acs-date;host"
       " ,  Signature=" +
           sig + "  ",
       {"host", "x-acs-date"}},
      {"ACS3-HMAC-SHA256 Signature=" + sig +
           ",Credential=testid,SignedHeaders=host",
       {"host"}},
  };
  for (const auto& c : cases) {
    auto r = ParseV3Authorization(c.header);
    ASSERT_TRUE(r.ok()) << c.header << ": " << r.error().message();
    EXPECT_EQ(r->algorithm, "ACS3-HMAC-SHA256");
    EXPECT_EQ(r->access_key_id, "testid");
    EXPECT_EQ(r->signed_headers, c.signed_headers);
    EXPECT_EQ(r->signature, sig);
  }
  // Upper-case hex is normalized.
  std::string upper = sig;
  for (char& ch : upper) ch = static_cast<char>(toupper(ch));
  auto r = ParseV3Authorization(
      "ACS3-HMAC-SHA256 Credential=STS.abc,SignedHeaders=host,Signature=" +
      upper);
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->signature, sig);
  EXPECT_EQ(r->access_key_id, "STS.abc");
}

TEST(ParseV3Authorization, Rejects) {
  std::string sig = kSig;
  std::string ok_rest = "Credential=ak,SignedHeaders=host,Signature=" + sig;
  struct Case {
    std::string header;
    std::string message_part;
  } cases[] = {
      {"", "empty"},
      {"   ", "empty"},
      {"ACS3-HMAC-SHA256", "missing Credential"},
      {"ACS3-HMAC-SHA256 ", "missing Credential"},
      {"ACS3-HMAC-SM3 " + ok_rest,
       "signature algorithm ACS3-HMAC-SM3 is not supported"},
      {"ACS3-RSA-SHA256 " + ok_rest,
       "signature algorithm ACS3-RSA-SHA256 is not supported"},
      {"acs3-hmac-sha256 " + ok_rest, "not supported"},
      {"Bearer token", "signature algorithm Bearer is not supported"},
      {"Credential=ak,SignedHeaders=host,Signature=" + sig,
       "does not start with the signature algorithm"},
      {"ACS3-HMAC-SHA256 SignedHeaders=host,Signature=" + sig,
       "missing Credential"},
      {"ACS3-HMAC-SHA256 Credential=ak,Signature=" + sig,
       "missing SignedHeaders"},
      {"ACS3-HMAC-SHA256 Credential=ak,SignedHeaders=host",
       "missing Signature"},
      {"ACS3-HMAC-SHA256 Credential=,SignedHeaders=host,Signature=" + sig,
       "Credential is empty"},
      {"ACS3-HMAC-SHA256 Credential=a b,SignedHeaders=host,Signature=" + sig,
       "Credential has an invalid character"},
      {"ACS3-HMAC-SHA256 Credential=ak,SignedHeaders=,Signature=" + sig,
       "SignedHeaders is empty"},
      {"ACS3-HMAC-SHA256 Credential=ak,SignedHeaders=host;;x,Signature=" + sig,
       "empty name"},
      {"ACS3-HMAC-SHA256 Credential=ak,SignedHeaders=Host,Signature=" + sig,
       "lowercase"},
      {"ACS3-HMAC-SHA256 Credential=ak,SignedHeaders=ho st,Signature=" + sig,
       "invalid header name"},
      {"ACS3-HMAC-SHA256 Credential=ak,SignedHeaders=host;host,Signature=" +
           sig,
       "more than once"},
      {"ACS3-HMAC-SHA256 Credential=ak,SignedHeaders=host,Signature=abc",
       "64 hex"},
      {"ACS3-HMAC-SHA256 Credential=ak,SignedHeaders=host,Signature=" +
           sig.substr(0, 63) + "g",
       "64 hex"},
      {"ACS3-HMAC-SHA256 Credential=ak,SignedHeaders=host,Signature=" + sig +
           "00",
       "64 hex"},
      {"ACS3-HMAC-SHA256 " + ok_rest + ",Credential=ak", "given twice"},
      {"ACS3-HMAC-SHA256 " + ok_rest + ",", "ends with a comma"},
      {"ACS3-HMAC-SHA256 ,," + ok_rest, "empty field"},
      {"ACS3-HMAC-SHA256 " + ok_rest + ",Region=x", "unknown field Region"},
      {"ACS3-HMAC-SHA256 Credential", "has no '='"},
      {"ACS3-HMAC-SHA256 credential=ak,SignedHeaders=host,Signature=" + sig,
       "unknown field credential"},
      {"ACS3-HMAC-SHA256 " + ok_rest + std::string(9000, ' '), "too long"},
  };
  for (const auto& c : cases) {
    auto r = ParseV3Authorization(c.header);
    ASSERT_FALSE(r.ok()) << c.header;
    EXPECT_EQ(r.error().code(), "IncompleteSignature") << c.header;
    EXPECT_EQ(r.error().http_status(), 400);
    EXPECT_NE(r.error().message().find(c.message_part), std::string::npos)
        << c.header << " -> " << r.error().message();
  }
  // Client bytes quoted in messages are printable and bounded.
  auto r =
      ParseV3Authorization(std::string("\x01\xff") + std::string(500, 'A'));
  ASSERT_FALSE(r.ok());
  EXPECT_LT(r.error().message().size(), 200u);
  for (unsigned char c : r.error().message())
    EXPECT_TRUE(c >= 0x20 && c < 0x7f);
}

TEST(V1, WorkedExample) {
  Params p;
  ASSERT_TRUE(AppendUrlEncoded(
                  "Timestamp=2024-01-01T00%3A00%3A00Z&Signature=zzz&A=1", &p)
                  .ok());
  EXPECT_EQ(V1StringToSign("GET", p),
            "GET&%2F&A%3D1%26Timestamp%3D2024-01-01T00%253A00%253A00Z");
}

}  // namespace
}  // namespace swasd::protocol
