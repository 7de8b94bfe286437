// The fuzz targets' bodies. Each function takes arbitrary bytes, runs one of
// swasd's input-facing parsers or writers on them and checks its documented
// invariants (round trips, canonical forms, bounds) with FUZZ_CHECK, which
// prints the failed condition and aborts.
//
// The same functions serve two drivers:
//  - libFuzzer (clang, -DSWASD_FUZZ=ON): fuzz/libfuzzer_main.cc makes one
//    binary per target (scripts/fuzz.sh runs them);
//  - GoogleTest (every build, gcc included): fuzz/replay_test.cc replays
//    fuzz/corpus/<target>/ and fuzz/regressions/<target>/ and a bounded,
//    seeded batch of mutations of them.
// See docs/reliability.md.
#ifndef SWASD_FUZZ_TARGETS_H_
#define SWASD_FUZZ_TARGETS_H_

#include <cstddef>
#include <cstdint>
#include <string_view>
#include <vector>

namespace swasd::fuzz {

using TargetFn = int (*)(const uint8_t* data, size_t size);

struct Target {
  std::string_view name;  // directory name under fuzz/corpus
  TargetFn fn;
};

// Every target compiled into this build (ram_policy only when src/ram is).
const std::vector<Target>& Targets();

// Query/form decoding (protocol::AppendUrlEncoded).
int FuzzUrlDecode(const uint8_t* data, size_t size);
// The V3 Authorization header parser (protocol::ParseV3Authorization).
int FuzzV3Authorization(const uint8_t* data, size_t size);
// The V3 canonical request and string to sign.
int FuzzV3Canonical(const uint8_t* data, size_t size);
// The V1 canonicalizer and string to sign.
int FuzzV1StringToSign(const uint8_t* data, size_t size);
// "JSON array" parameters (protocol::ParseJsonStringArray).
int FuzzJsonStringArray(const uint8_t* data, size_t size);
// The response envelope writer (gateway::RenderSuccess/RenderError, ToXml).
int FuzzEnvelope(const uint8_t* data, size_t size);
// RAM policy parsing and evaluation (ram::ParsePolicy, ram::Evaluate).
int FuzzRamPolicy(const uint8_t* data, size_t size);

}  // namespace swasd::fuzz

#endif  // SWASD_FUZZ_TARGETS_H_
