// ASCII case-insensitive comparisons, for the protocol's case-insensitive
// words (Format, Content-Type, Boolean values) and the RAM policy
// language's (condition keys, StringEqualsIgnoreCase, ARNs). Only A-Z fold;
// other bytes compare as they are, independent of the C locale.
#ifndef SWASD_BASE_STRINGS_H_
#define SWASD_BASE_STRINGS_H_

#include <cstddef>
#include <string_view>

namespace swasd {

constexpr char AsciiLower(char c) {
  return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
}

constexpr bool EqualsIgnoreCase(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i) {
    if (AsciiLower(a[i]) != AsciiLower(b[i])) return false;
  }
  return true;
}

constexpr bool StartsWithIgnoreCase(std::string_view s,
                                    std::string_view prefix) {
  return s.size() >= prefix.size() &&
         EqualsIgnoreCase(s.substr(0, prefix.size()), prefix);
}

}  // namespace swasd

#endif  // SWASD_BASE_STRINGS_H_
