// The matching primitives of RAM policy evaluation: wildcard patterns,
// action names, resource ARNs, and the typed condition values (numbers,
// dates, booleans, IP addresses and CIDR blocks). Used both to validate a
// policy document when it is parsed and to evaluate it.
//
// Everything here is pure, allocation-light and thread-safe. Every function
// accepts arbitrary bytes and runs in time bounded by the product of its
// input lengths (no exponential backtracking).
#ifndef SWASD_RAM_MATCH_H_
#define SWASD_RAM_MATCH_H_

#include <array>
#include <cstdint>
#include <optional>
#include <string_view>

namespace swasd::ram {

// Returns true iff `text` matches `pattern`, where '*' matches any sequence
// of characters (including none) and '?' exactly one character (one UTF-8
// sequence; one byte where `text` is not valid UTF-8). No escapes: '*' and
// '?' are always wildcards. With `ignore_case`, ASCII letters compare
// case-insensitively (non-ASCII bytes compare exactly).
bool WildcardMatch(std::string_view pattern, std::string_view text,
                   bool ignore_case);

// Returns true iff `action` ("swas-open:ListInstances") matches `pattern`
// ("swas-open:List*", "*"). A lone "*" matches every action. Otherwise the
// pattern and the action are split at their first ':' and the service and
// action parts are matched separately (so no wildcard spans the ':'), both
// case-insensitively. An action without ':' matches only "*".
bool MatchAction(std::string_view pattern, std::string_view action);

// Returns true iff `resource` matches the Resource `pattern`.
//  - "*" matches every resource, including the non-ARN "*" that stands for
//    an action without resource-level authorization.
//  - An ARN pattern "acs:<service>:<region>:<account>:<relative-id>" and an
//    ARN resource are split at their first four ':'; each of the first four
//    segments is matched on its own (a '*' in the region never spans a ':'),
//    "acs" and the service case-insensitively, region and account
//    case-sensitively; the relative id (the rest, which may hold ':' and
//    '/') is matched case-sensitively with '*' spanning anything.
//  - An ARN pattern never matches a resource that is not an ARN (such as
//    "*"), and a pattern that is neither "*" nor an ARN never matches an
//    ARN. Two non-ARN strings match as one case-sensitive wildcard pattern.
bool MatchResource(std::string_view pattern, std::string_view resource);

// True iff `pattern` is a well-formed Action pattern: "*", or
// "<service>:<action>" where both parts are non-empty and made of ASCII
// letters, digits, '-', '_', '.', '*' and '?'.
bool IsValidActionPattern(std::string_view pattern);

// True iff `pattern` is a well-formed Resource pattern: "*", or an ARN
// "acs:<service>:<region>:<account>:<relative-id>" (wildcards allowed in
// every segment) whose first segment matches "acs", whose service and
// relative id are non-empty, and whose region and account hold no spaces or
// control characters (they may be empty: "acs:ram::123:role/x").
bool IsValidResourcePattern(std::string_view pattern);

// ---- Typed condition values --------------------------------------------

// A decimal number ("10", "-2.5", "1e3"). Returns nullopt for anything else,
// including hex, "inf", "nan", empty, surrounding spaces, or a value out of
// double range.
std::optional<double> ParseNumber(std::string_view text);

// "true" or "false", ASCII case-insensitively. nullopt otherwise.
std::optional<bool> ParseBool(std::string_view text);

// A point in time, as milliseconds since 1970-01-01T00:00:00Z. Accepts:
//  - epoch seconds: 1 to 12 ASCII digits ("1795636800");
//  - ISO-8601 date "YYYY-MM-DD" (midnight UTC);
//  - "YYYY-MM-DDThh:mm[:ss[.fraction]]" followed by "Z", "+hh:mm", "-hh:mm",
//    "+hhmm", "-hhmm" or nothing (UTC). Fractions beyond milliseconds are
//    truncated.
// Years 0000-9999; fields range-checked (Feb 29 only in leap years; no leap
// second). nullopt for anything else.
std::optional<int64_t> ParseDateMillis(std::string_view text);

// An IP address: 4 bytes for IPv4 (in bytes[0..3]), 16 for IPv6.
struct IpAddress {
  bool v6 = false;
  std::array<uint8_t, 16> bytes{};
};

// An address block: the address and its prefix length (0..32 or 0..128).
struct IpBlock {
  IpAddress base;
  int prefix = 0;
};

// Dotted-quad IPv4 (exactly four decimal octets 0-255, no leading zeros
// except "0") or RFC 4291 IPv6 text (hex groups, at most one "::", an
// optional dotted-quad tail; no zone id). nullopt otherwise. An
// IPv4-mapped IPv6 address (::ffff:a.b.c.d) is returned as IPv4.
std::optional<IpAddress> ParseIpAddress(std::string_view text);

// "address" (a block of one address) or "address/prefix" with a decimal
// prefix in range for the family. Host bits below the prefix are ignored
// ("10.1.2.3/8" is 10.0.0.0/8). An IPv4-mapped IPv6 block with prefix >= 96
// is returned as the equivalent IPv4 block.
std::optional<IpBlock> ParseIpBlock(std::string_view text);

// True iff `addr` is inside `block`. Different families never match.
bool IpInBlock(const IpAddress& addr, const IpBlock& block);

}  // namespace swasd::ram

#endif  // SWASD_RAM_MATCH_H_
