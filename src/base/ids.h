// Identifiers: request IDs (upper-case UUID v4, as Alibaba's RequestId),
// nonces and resource IDs. Backed by the OS CSPRNG; thread-safe.
#ifndef SWASD_BASE_IDS_H_
#define SWASD_BASE_IDS_H_

#include <string>
#include <string_view>

namespace swasd::ids {

// "473469C7-AA6F-4DC5-B3DB-A3DC0DE3C1F0"
std::string NewRequestId();
// `n` random characters from [0-9a-z].
std::string RandomAlnumLower(size_t n);
// `n` random characters from [0-9A-Za-z].
std::string RandomAlnum(size_t n);
// A random decimal string of `n` digits not starting with 0.
std::string RandomDigits(size_t n);

}  // namespace swasd::ids

#endif  // SWASD_BASE_IDS_H_
