// Signature V3, ACS3-HMAC-SHA256 (README §4): the Authorization header, the
// canonical request, the string to sign and the signature. Server and
// client share these functions. Pure; thread-safe.
#ifndef SWASD_PROTOCOL_SIGNATURE_V3_H_
#define SWASD_PROTOCOL_SIGNATURE_V3_H_

#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "base/error.h"
#include "protocol/params.h"

namespace swasd::protocol {

// The only V3 algorithm we implement (README §4; ACS3-HMAC-SM3 and
// ACS3-RSA-SHA256 exist but are refused).
inline constexpr std::string_view kV3Algorithm = "ACS3-HMAC-SHA256";

// Lowercase hex SHA-256 of the empty body: x-acs-content-sha256 of every
// request the SWAS SDK sends (no operation has a body, README §3).
inline constexpr std::string_view kEmptyPayloadSha256 =
    "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";

struct V3Authorization {
  std::string algorithm;      // always kV3Algorithm after a successful parse
  std::string access_key_id;  // Credential=
  // SignedHeaders=, as lowercase names sorted in byte order, no duplicates.
  std::vector<std::string> signed_headers;
  std::string signature;  // 64 lowercase hex digits
};

// Parses "ACS3-HMAC-SHA256 Credential=<AK>,SignedHeaders=<h1;h2>,
// Signature=<hex>". Tolerates surrounding whitespace, several spaces after
// the algorithm, spaces around the commas and the fields in any order. Header
// names in SignedHeaders must be lowercase ([a-z0-9._-]); any order is
// accepted and the result is sorted, as the SDK signs them sorted. Hex in
// Signature may be of either case and is returned lowercased.
// Returns 400 IncompleteSignature on anything malformed or missing, the
// message saying what; an algorithm other than ACS3-HMAC-SHA256 gives the
// same code with "signature algorithm X is not supported".
Result<V3Authorization> ParseV3Authorization(std::string_view header);

// Renders the Authorization header value the SDK sends (README §4 step 9):
// one space after the algorithm, no spaces after the commas.
// REQUIRES: signed_headers lowercase and sorted.
std::string V3AuthorizationValue(std::string_view access_key_id,
                                 const std::vector<std::string>& signed_headers,
                                 std::string_view signature);

// The canonical request (README §4 steps 1-6):
//   METHOD \n PATH \n CanonicalQueryString(query) \n
//   name:trimmed-value \n ... (sorted by name) \n SignedHeaders \n
//   hashed_payload            (no trailing newline)
// `method` and `path` are used as sent: the RPC path is always "/", which
// the SDK's path rewriting leaves as is (README §4 step 2).
// `signed_header_values` holds (name, raw value) for each signed header, in
// any order; names are lowercased, values trimmed of ASCII whitespace, and a
// name given more than once has its values sorted and joined with ','
// (README §4 step 5). The gateway builds it from the names in the
// Authorization header, so what is signed is what the client listed.
std::string V3CanonicalRequest(
    std::string_view method, std::string_view path, const Params& query,
    const std::vector<std::pair<std::string, std::string>>&
        signed_header_values,
    std::string_view hashed_payload);

// "ACS3-HMAC-SHA256\n" + lowercase hex SHA-256(canonical_request).
std::string V3StringToSign(std::string_view canonical_request);

// Lowercase hex HMAC-SHA256(key = secret as is, string_to_sign).
std::string V3Signature(std::string_view secret,
                        std::string_view string_to_sign);

}  // namespace swasd::protocol

#endif  // SWASD_PROTOCOL_SIGNATURE_V3_H_
