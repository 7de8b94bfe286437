// Identifiers: request IDs (upper-case UUID v4, as Alibaba's RequestId),
// resource IDs, account and AccessKey IDs. Thread-safe.
//
// Random by default (the OS CSPRNG). Deterministic after
// UseDeterministicIds(seed) (swasd --deterministic-ids, for snapshot
// tests, docs/testing.md): every id is then drawn from a named *stream* --
// "request", "account", "swas/i-", ... -- whose n-th draw is
// HMAC-SHA256(SHA-256(seed), stream || n) (expanded as needed). A stream's
// ids depend only on the seed and on how many ids that stream gave before,
// so the same calls in the same order give the same ids on every run, and
// calls that draw from other streams (a poll loop's RequestIds, say) do not
// shift them. Concurrent calls drawing from one stream get its ids in the
// order they happen to reach it.
//
// Secrets are never deterministic: SecretAlnum always uses the CSPRNG, and
// so do crypto keys and nonces (base/crypto.h), which do not come from here.
#ifndef SWASD_BASE_IDS_H_
#define SWASD_BASE_IDS_H_

#include <cstdint>
#include <string>
#include <string_view>

namespace swasd::ids {

// Switches the whole process to deterministic ids seeded by `seed` (any
// non-empty text), every stream starting over from its first draw. Meant
// for start-up (and tests), before ids are drawn; calls drawing ids at the
// same time get either mode's ids.
void UseDeterministicIds(std::string_view seed);
// Back to random ids (tests).
void UseRandomIds();
// True after UseDeterministicIds.
bool Deterministic();

// "473469C7-AA6F-4DC5-B3DB-A3DC0DE3C1F0". Stream "request".
std::string NewRequestId();
// The same format (8-4-4-4-12 uppercase hex), laid out as a UUIDv7: the
// first 48 bits are `unix_ms`, the rest random. Ids made later sort later,
// so a B-tree keyed by them grows at its right edge instead of at random
// pages (the audit trail's events: docs/performance.md). Deterministic
// mode: stream "event", and the first 48 bits are the stream's draw
// number instead of the time (so the id does not depend on when the call
// ran, and still sorts by creation).
std::string NewTimeOrderedId(int64_t unix_ms);
// `n` characters from [0-9a-z], from `stream` ("" is a stream too).
std::string RandomAlnumLower(size_t n, std::string_view stream = {});
// `n` characters from [0-9A-Za-z], from `stream`.
std::string RandomAlnum(size_t n, std::string_view stream = {});
// A decimal string of `n` digits not starting with 0, from `stream`.
std::string RandomDigits(size_t n, std::string_view stream = {});
// `n` bytes for an id (hex ids, generated addresses), from `stream`. Not
// for keys or secrets: use crypto::RandomBytes.
std::string RandomBytes(size_t n, std::string_view stream);
// `n` characters from [0-9A-Za-z] from the CSPRNG, in every mode: for
// secrets (AccessKey secrets).
std::string SecretAlnum(size_t n);

}  // namespace swasd::ids

#endif  // SWASD_BASE_IDS_H_
