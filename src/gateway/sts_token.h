// STS temporary credentials, stateless: the SecurityToken carries the
// session (role, session name, expiry, session policy, its AccessKeyId)
// and an HMAC-SHA256 over it under the deployment's STS signing key (a
// store secret, sealed at rest and shared by every node). The session's
// AccessKeySecret is derived from the same key and its AccessKeyId, so
// nothing per session is stored and any node can verify any token.
// Tampering with any byte of the token breaks the MAC.
#ifndef SWASD_GATEWAY_STS_TOKEN_H_
#define SWASD_GATEWAY_STS_TOKEN_H_

#include <cstdint>
#include <string>
#include <string_view>

#include "base/error.h"

namespace swasd::gateway {

inline constexpr std::string_view kStsKeyPrefix = "STS.";
inline constexpr char kStsSigningKeyName[] = "sts-signing-key";

struct StsSession {
  std::string access_key_id;  // "STS.<28 alnum>"
  std::string account_id;     // the role's account
  std::string role_name, role_id, session_name;
  std::string caller_account_id;
  std::string policy;  // session policy document, or empty
  int64_t expires_at = 0;  // unix seconds
};

// A fresh AccessKeyId for a session.
std::string NewStsAccessKeyId();
// The session's AccessKeySecret.
std::string StsSecret(std::string_view signing_key, std::string_view access_key_id);
std::string MintStsToken(std::string_view signing_key, const StsSession& session);
// InvalidSecurityToken.Malformed (400) unless `token` is one this
// deployment minted, unmodified. Does not check expiry.
Result<StsSession> VerifyStsToken(std::string_view signing_key,
                                  std::string_view token);

}  // namespace swasd::gateway

#endif  // SWASD_GATEWAY_STS_TOKEN_H_
