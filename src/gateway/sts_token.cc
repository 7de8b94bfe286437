#include "gateway/sts_token.h"

#include <nlohmann/json.hpp>

#include "base/crypto.h"
#include "base/encoding.h"
#include "base/ids.h"

namespace swasd::gateway {
namespace {

constexpr ErrorSpec kMalformed{"InvalidSecurityToken.Malformed", 400,
                               "The security token you provided is malformed."};
constexpr size_t kMaxTokenLength = 16384;

}  // namespace

std::string NewStsAccessKeyId() {
  return std::string(kStsKeyPrefix) + ids::RandomAlnum(28, "sts");
}

std::string StsSecret(std::string_view signing_key,
                      std::string_view access_key_id) {
  std::string mac = crypto::HmacSha256(signing_key, "secret:" + std::string(access_key_id));
  std::string b64 = Base64Encode(mac);
  std::string out;
  for (char c : b64) {
    if (std::isalnum(static_cast<unsigned char>(c))) out.push_back(c);
  }
  return out.substr(0, 40);
}

std::string MintStsToken(std::string_view signing_key, const StsSession& s) {
  nlohmann::json j = {{"v", 1},
                      {"k", s.access_key_id},
                      {"a", s.account_id},
                      {"r", s.role_name},
                      {"ri", s.role_id},
                      {"s", s.session_name},
                      {"c", s.caller_account_id},
                      {"p", s.policy},
                      {"e", s.expires_at}};
  std::string payload = Base64Encode(j.dump());
  return "CAIS" + payload + "." +
         Base64Encode(crypto::HmacSha256(signing_key, payload));
}

Result<StsSession> VerifyStsToken(std::string_view signing_key,
                                  std::string_view token) {
  if (token.size() > kMaxTokenLength || token.substr(0, 4) != "CAIS") {
    return Error(kMalformed);
  }
  token.remove_prefix(4);
  size_t dot = token.find('.');
  if (dot == std::string_view::npos) return Error(kMalformed);
  std::string_view payload = token.substr(0, dot);
  auto mac = Base64Decode(token.substr(dot + 1));
  if (!mac || !crypto::ConstantTimeEquals(
                  *mac, crypto::HmacSha256(signing_key, payload))) {
    return Error(kMalformed);
  }
  auto json_text = Base64Decode(payload);
  if (!json_text) return Error(kMalformed);
  try {
    auto j = nlohmann::json::parse(*json_text);
    StsSession s;
    s.access_key_id = j.at("k");
    s.account_id = j.at("a");
    s.role_name = j.at("r");
    s.role_id = j.at("ri");
    s.session_name = j.at("s");
    s.caller_account_id = j.at("c");
    s.policy = j.at("p");
    s.expires_at = j.at("e");
    return s;
  } catch (const std::exception&) {
    return Error(kMalformed);
  }
}

}  // namespace swasd::gateway
