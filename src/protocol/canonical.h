// The canonical query string both Alibaba signature schemes sign
// (README §4 step 3, §5 step 2). Pure; thread-safe.
#ifndef SWASD_PROTOCOL_CANONICAL_H_
#define SWASD_PROTOCOL_CANONICAL_H_

#include <span>
#include <string>
#include <string_view>

#include "protocol/params.h"

namespace swasd::protocol {

// Every pair of `params` whose name is not in `exclude`, sorted by name in
// byte order, written `ENC(name)=ENC(value)` and joined by '&'. ENC is
// RFC 3986 percent-encoding (base/encoding.h PercentEncode). An empty value
// gives "name="; no pairs give "".
//
// V1 excludes "Signature". V3 excludes nothing. README §4 says the V3 SDK
// writes names unencoded; we encode them in both schemes. For every name an
// SDK sends (A-Z a-z 0-9 - _ . only: "Tag.1.Key") the bytes are identical,
// and for any other name encoding keeps the string unambiguous: a raw name
// "a=1&b" with value "2" would otherwise canonicalize exactly like the two
// pairs a=1, b=2, letting a captured signature be replayed over a different
// parameter set.
std::string CanonicalQueryString(
    const Params& params, std::span<const std::string_view> exclude = {});

}  // namespace swasd::protocol

#endif  // SWASD_PROTOCOL_CANONICAL_H_
