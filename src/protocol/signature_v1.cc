#include "protocol/signature_v1.h"

#include "base/crypto.h"
#include "base/encoding.h"
#include "protocol/canonical.h"

namespace swasd::protocol {

std::string V1StringToSign(std::string_view method, const Params& all_params) {
  static constexpr std::string_view kExclude[] = {"Signature"};
  std::string out(method);
  // "%2F" is ENC("/"): the RPC path is always "/" (README §5 step 3).
  out += "&%2F&";
  // The canonical string is encoded a second time, so a ':' in Timestamp
  // shows up as %253A (README §5 worked example).
  out += PercentEncode(CanonicalQueryString(all_params, kExclude));
  return out;
}

std::string V1Signature(std::string_view secret,
                        std::string_view string_to_sign) {
  // The key is the secret followed by '&' (an empty token secret), §5 step 4.
  std::string key(secret);
  key.push_back('&');
  return Base64Encode(crypto::HmacSha1(key, string_to_sign));
}

}  // namespace swasd::protocol
