// Client-side request signing, as the official Node SDK lays requests out
// (README §4 for V3, §5 for V1). Used by swasctl and the load generator.
// Pure (the caller supplies nonce and timestamp); thread-safe.
#ifndef SWASD_PROTOCOL_SIGNER_H_
#define SWASD_PROTOCOL_SIGNER_H_

#include <string>
#include <utility>
#include <vector>

#include "base/error.h"
#include "protocol/params.h"

namespace swasd::protocol {

enum class SignatureScheme {
  kV3,  // ACS3-HMAC-SHA256 Authorization header: the SDK default
  kV1,  // HMAC-SHA1 Signature parameter: swas client, signatureAlgorithm 'v2'
};

struct SignRequest {
  std::string method = "POST";
  std::string host;  // "127.0.0.1:8080": the Host header (signed in V3)
  std::string action;
  std::string version = "2020-06-01";
  std::string access_key_id;
  std::string secret;
  std::string security_token;  // empty: plain AccessKey; set: STS
  Params params;               // business parameters, in wire order
  SignatureScheme scheme = SignatureScheme::kV3;
  std::string nonce;      // x-acs-signature-nonce / SignatureNonce
  std::string timestamp;  // x-acs-date / Timestamp: "2024-01-01T00:00:00Z"
};

struct SignedRequest {
  // Path and query for the request line: "/?ClientToken=abc&..." or "/".
  std::string target;
  // In the SDK's order. Content-Length, user-agent and Connection are left
  // to the transport.
  std::vector<std::pair<std::string, std::string>> headers;
  std::string body;  // always empty: no SWAS operation sends a body
};

// Lays out and signs `request`.
//  V3: business params in the query in their order; headers host,
//    x-acs-version, x-acs-action, x-acs-date, x-acs-signature-nonce, accept,
//    x-acs-content-sha256, x-acs-credentials-provider (static_ak|static_sts),
//    with STS x-acs-accesskey-id and x-acs-security-token, then
//    Authorization. Every host/x-acs-* header is signed, sorted.
//  V1: everything in the query in openapi-core's order: Action,
//    Format=json (lowercase, as openapi-core sends it; pop-core sends JSON),
//    Version, Timestamp, SignatureNonce, the business params,
//    SignatureMethod, SignatureVersion, AccessKeyId, [SecurityToken],
//    Signature; headers host, x-acs-version, x-acs-action,
//    x-acs-credentials-provider.
// Query text is written with PercentEncode (stricter than the SDK's
// querystring, which leaves *()! raw; the server decodes either).
// Returns 400 InvalidParameter when a required field (host, action,
// version, access_key_id, nonce, timestamp, method) is empty, a header value
// would hold CR, LF or NUL, or (V1) a business parameter collides with a
// common parameter.
Result<SignedRequest> Sign(const SignRequest& request);

}  // namespace swasd::protocol

#endif  // SWASD_PROTOCOL_SIGNER_H_
