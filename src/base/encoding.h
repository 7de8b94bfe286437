// Byte encodings used on the wire: RFC 3986 percent-encoding (the form both
// Alibaba signature schemes canonicalize with), form/query decoding, hex,
// base64 and UTF-8 (the one decoder every module uses). Pure functions;
// thread-safe.
#ifndef SWASD_BASE_ENCODING_H_
#define SWASD_BASE_ENCODING_H_

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace swasd {

// Keeps A-Z a-z 0-9 - _ . ~ and writes every other byte as %XX (upper hex).
std::string PercentEncode(std::string_view in);

// Decodes %XX escapes. When plus_as_space, '+' becomes ' ' (form bodies and
// query strings written by browsers). Returns nullopt on a malformed escape.
std::optional<std::string> PercentDecode(std::string_view in,
                                         bool plus_as_space);

std::string HexLower(std::string_view bytes);
// Hex digits (either case) -> bytes; nullopt on an odd length or a non-digit.
std::optional<std::string> HexDecode(std::string_view hex);
std::string Base64Encode(std::string_view bytes);
// Returns nullopt unless `in` is canonical padded base64.
std::optional<std::string> Base64Decode(std::string_view in);

// True when every byte is 0x20..0x7e.
bool IsPrintableAscii(std::string_view s);
// One character decoded from UTF-8: its code point and its length in bytes.
struct Utf8Char {
  uint32_t code_point;
  size_t length;
};
// The well-formed UTF-8 sequence starting at s[i] (i < s.size()), or
// nullopt when there is none: a continuation or invalid lead byte, a
// truncated sequence, an overlong form, a surrogate or a code point above
// U+10FFFF.
std::optional<Utf8Char> DecodeUtf8(std::string_view s, size_t i);
// True when `s` is well-formed UTF-8.
bool IsValidUtf8(std::string_view s);
// The number of characters in `s`, counting every byte that is not a
// UTF-8 continuation byte (so an invalid byte counts as one).
size_t CountUtf8Chars(std::string_view s);

}  // namespace swasd

#endif  // SWASD_BASE_ENCODING_H_
