// Signature V1, HMAC-SHA1 over all RPC parameters (README §5; pop-core and
// the swas client with signatureAlgorithm 'v2'). Pure; thread-safe.
#ifndef SWASD_PROTOCOL_SIGNATURE_V1_H_
#define SWASD_PROTOCOL_SIGNATURE_V1_H_

#include <string>
#include <string_view>

#include "protocol/params.h"

namespace swasd::protocol {

// METHOD + "&%2F&" + ENC(CanonicalQueryString(all_params minus Signature)).
// `all_params` is every decoded query pair plus, for a form-encoded POST,
// every decoded body pair; "Signature" is skipped here, so callers need not
// remove it.
std::string V1StringToSign(std::string_view method, const Params& all_params);

// Base64(HMAC-SHA1(key = secret + "&", string_to_sign)).
std::string V1Signature(std::string_view secret,
                        std::string_view string_to_sign);

}  // namespace swasd::protocol

#endif  // SWASD_PROTOCOL_SIGNATURE_V1_H_
