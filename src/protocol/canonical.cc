#include "protocol/canonical.h"

#include <algorithm>

#include "base/encoding.h"

namespace swasd::protocol {

std::string CanonicalQueryString(const Params& params,
                                 std::span<const std::string_view> exclude) {
  std::string out;
  params.ForEachSorted([&](const Params::Pair& p) {
    if (std::find(exclude.begin(), exclude.end(), p.first) != exclude.end()) {
      return;
    }
    if (!out.empty()) out.push_back('&');
    out += PercentEncode(p.first);
    out.push_back('=');
    out += PercentEncode(p.second);
  });
  return out;
}

}  // namespace swasd::protocol
