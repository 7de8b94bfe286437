// Identifiers: request IDs (upper-case UUID v4, as Alibaba's RequestId),
// nonces and resource IDs. Backed by the OS CSPRNG; thread-safe.
#ifndef SWASD_BASE_IDS_H_
#define SWASD_BASE_IDS_H_

#include <cstdint>
#include <string>
#include <string_view>

namespace swasd::ids {

// "473469C7-AA6F-4DC5-B3DB-A3DC0DE3C1F0"
std::string NewRequestId();
// The same format (8-4-4-4-12 uppercase hex), laid out as a UUIDv7: the
// first 48 bits are `unix_ms`, the rest random. Ids made later sort later,
// so a B-tree keyed by them grows at its right edge instead of at random
// pages (the audit trail's events: docs/performance.md).
std::string NewTimeOrderedId(int64_t unix_ms);
// `n` random characters from [0-9a-z].
std::string RandomAlnumLower(size_t n);
// `n` random characters from [0-9A-Za-z].
std::string RandomAlnum(size_t n);
// A random decimal string of `n` digits not starting with 0.
std::string RandomDigits(size_t n);

}  // namespace swasd::ids

#endif  // SWASD_BASE_IDS_H_
