#include "ram/match.h"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstddef>
#include <system_error>
#include <vector>

#include "base/encoding.h"

namespace swasd::ram {
namespace {

char Lower(char c) { return (c >= 'A' && c <= 'Z') ? char(c - 'A' + 'a') : c; }

bool IsDigit(char c) { return c >= '0' && c <= '9'; }

int HexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

// Length of the character starting at text[i]: its UTF-8 sequence, or one
// byte where there is no well-formed sequence.
size_t CharLen(std::string_view text, size_t i) {
  auto ch = DecodeUtf8(text, i);
  return ch ? ch->length : 1;
}

// Splits "a:b:c:d:rest" at its first four ':'. False if it has fewer.
bool SplitArn(std::string_view s, std::string_view (&out)[5]) {
  for (int i = 0; i < 4; ++i) {
    size_t colon = s.find(':');
    if (colon == std::string_view::npos) return false;
    out[i] = s.substr(0, colon);
    s.remove_prefix(colon + 1);
  }
  out[4] = s;
  return true;
}

bool IsPatternChar(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || IsDigit(c) ||
         c == '-' || c == '_' || c == '.' || c == '*' || c == '?';
}

bool AllPatternChars(std::string_view s) {
  if (s.empty()) return false;
  for (char c : s) {
    if (!IsPatternChar(c)) return false;
  }
  return true;
}

bool NoSpaceOrControl(std::string_view s) {
  for (char c : s) {
    unsigned char u = static_cast<unsigned char>(c);
    if (u <= 0x20 || u == 0x7F) return false;
  }
  return true;
}

// Parses exactly `n` digits at s[*pos]; advances *pos.
bool Digits(std::string_view s, size_t* pos, int n, int* out) {
  if (*pos + n > s.size()) return false;
  int v = 0;
  for (int i = 0; i < n; ++i) {
    char c = s[*pos + i];
    if (!IsDigit(c)) return false;
    v = v * 10 + (c - '0');
  }
  *pos += n;
  *out = v;
  return true;
}

bool IsLeap(int y) { return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0; }

int DaysInMonth(int y, int m) {
  static constexpr int kDays[] = {31, 28, 31, 30, 31, 30,
                                  31, 31, 30, 31, 30, 31};
  return m == 2 && IsLeap(y) ? 29 : kDays[m - 1];
}

// Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant).
int64_t DaysFromCivil(int64_t y, int m, int d) {
  y -= m <= 2;
  const int64_t era = (y >= 0 ? y : y - 399) / 400;
  const int64_t yoe = y - era * 400;
  const int64_t doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
  const int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + doe - 719468;
}

bool ParseV4(std::string_view s, uint8_t* out) {
  int octets = 0;
  size_t i = 0;
  while (true) {
    if (octets == 4) return false;
    size_t start = i;
    int v = 0;
    while (i < s.size() && IsDigit(s[i]) && i - start < 3) {
      v = v * 10 + (s[i] - '0');
      ++i;
    }
    size_t len = i - start;
    if (len == 0 || v > 255) return false;
    if (len > 1 && s[start] == '0') return false;  // no leading zeros
    out[octets++] = static_cast<uint8_t>(v);
    if (i == s.size()) break;
    if (s[i] != '.') return false;
    ++i;
  }
  return octets == 4;
}

// Parses the ':'-separated hex groups of one side of an IPv6 address
// (`part` may be empty). A dotted-quad last group counts as two groups and
// is allowed only when `v4_last`.
bool ParseV6Groups(std::string_view part, bool v4_last,
                   std::vector<uint16_t>* out) {
  if (part.empty()) return true;
  while (true) {
    size_t colon = part.find(':');
    std::string_view group = part.substr(0, colon);
    bool last = colon == std::string_view::npos;
    if (last && v4_last && group.find('.') != std::string_view::npos) {
      uint8_t v4[4];
      if (!ParseV4(group, v4)) return false;
      out->push_back(static_cast<uint16_t>(v4[0] << 8 | v4[1]));
      out->push_back(static_cast<uint16_t>(v4[2] << 8 | v4[3]));
      return true;
    }
    if (group.empty() || group.size() > 4) return false;
    unsigned v = 0;
    for (char c : group) {
      int h = HexValue(c);
      if (h < 0) return false;
      v = v << 4 | static_cast<unsigned>(h);
    }
    out->push_back(static_cast<uint16_t>(v));
    if (out->size() > 8) return false;
    if (last) return true;
    part.remove_prefix(colon + 1);
  }
}

std::optional<IpAddress> ParseV6(std::string_view s) {
  if (s.size() > 45) return std::nullopt;  // longest textual form
  std::vector<uint16_t> head, tail;
  size_t dc = s.find("::");
  bool compressed = dc != std::string_view::npos;
  if (compressed) {
    if (s.find("::", dc + 1) != std::string_view::npos) return std::nullopt;
    if (!ParseV6Groups(s.substr(0, dc), /*v4_last=*/false, &head) ||
        !ParseV6Groups(s.substr(dc + 2), /*v4_last=*/true, &tail)) {
      return std::nullopt;
    }
    if (head.size() + tail.size() > 7) return std::nullopt;
  } else {
    if (!ParseV6Groups(s, /*v4_last=*/true, &head) || head.size() != 8) {
      return std::nullopt;
    }
  }
  std::array<uint16_t, 8> groups{};
  for (size_t i = 0; i < head.size(); ++i) groups[i] = head[i];
  for (size_t i = 0; i < tail.size(); ++i) {
    groups[8 - tail.size() + i] = tail[i];
  }
  IpAddress addr;
  addr.v6 = true;
  for (int i = 0; i < 8; ++i) {
    addr.bytes[2 * i] = static_cast<uint8_t>(groups[i] >> 8);
    addr.bytes[2 * i + 1] = static_cast<uint8_t>(groups[i] & 0xFF);
  }
  return addr;
}

bool IsV4Mapped(const IpAddress& a) {
  if (!a.v6) return false;
  for (int i = 0; i < 10; ++i) {
    if (a.bytes[i] != 0) return false;
  }
  return a.bytes[10] == 0xFF && a.bytes[11] == 0xFF;
}

IpAddress MappedToV4(const IpAddress& a) {
  IpAddress v4;
  for (int i = 0; i < 4; ++i) v4.bytes[i] = a.bytes[12 + i];
  return v4;
}

}  // namespace

bool WildcardMatch(std::string_view pattern, std::string_view text,
                   bool ignore_case) {
  // Greedy two-pointer matching with one backtrack point (the last '*'):
  // O(|pattern| * |text|) worst case, no recursion.
  size_t p = 0, t = 0;
  size_t star_p = std::string_view::npos, star_t = 0;
  while (t < text.size()) {
    if (p < pattern.size()) {
      char pc = pattern[p];
      if (pc == '*') {
        star_p = p++;
        star_t = t;
        continue;
      }
      if (pc == '?') {
        ++p;
        t += CharLen(text, t);
        continue;
      }
      char tc = text[t];
      if (pc == tc || (ignore_case && Lower(pc) == Lower(tc))) {
        ++p;
        ++t;
        continue;
      }
    }
    if (star_p == std::string_view::npos) return false;
    p = star_p + 1;
    star_t += CharLen(text, star_t);
    t = star_t;
  }
  while (p < pattern.size() && pattern[p] == '*') ++p;
  return p == pattern.size();
}

bool MatchAction(std::string_view pattern, std::string_view action) {
  if (pattern == "*") return true;
  size_t pc = pattern.find(':');
  size_t ac = action.find(':');
  if (pc == std::string_view::npos || ac == std::string_view::npos) {
    return false;
  }
  return WildcardMatch(pattern.substr(0, pc), action.substr(0, ac), true) &&
         WildcardMatch(pattern.substr(pc + 1), action.substr(ac + 1), true);
}

bool MatchResource(std::string_view pattern, std::string_view resource) {
  if (pattern == "*") return true;
  std::string_view p[5], r[5];
  bool p_arn = SplitArn(pattern, p);
  bool r_arn = SplitArn(resource, r);
  if (p_arn != r_arn) return false;
  if (!p_arn) return WildcardMatch(pattern, resource, false);
  return WildcardMatch(p[0], r[0], true) && WildcardMatch(p[1], r[1], true) &&
         WildcardMatch(p[2], r[2], false) && WildcardMatch(p[3], r[3], false) &&
         WildcardMatch(p[4], r[4], false);
}

bool IsValidActionPattern(std::string_view pattern) {
  if (pattern == "*") return true;
  size_t colon = pattern.find(':');
  if (colon == std::string_view::npos) return false;
  return AllPatternChars(pattern.substr(0, colon)) &&
         AllPatternChars(pattern.substr(colon + 1));
}

bool IsValidResourcePattern(std::string_view pattern) {
  if (pattern == "*") return true;
  std::string_view seg[5];
  if (!SplitArn(pattern, seg)) return false;
  if (!WildcardMatch(seg[0], "acs", true)) return false;
  if (seg[1].empty() || seg[4].empty()) return false;
  for (int i = 0; i < 4; ++i) {
    if (!NoSpaceOrControl(seg[i])) return false;
  }
  for (char c : seg[4]) {
    unsigned char u = static_cast<unsigned char>(c);
    if (u < 0x20 || u == 0x7F) return false;
  }
  return true;
}

std::optional<double> ParseNumber(std::string_view text) {
  if (text.empty() || text.size() > 64) return std::nullopt;
  // from_chars accepts "inf", "nan" and "infinity": refuse anything that
  // does not start like a decimal number.
  char c0 = text[0] == '-' && text.size() > 1 ? text[1] : text[0];
  if (!IsDigit(c0) && c0 != '.') return std::nullopt;
  double v = 0;
  auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), v,
                                   std::chars_format::general);
  if (ec != std::errc() || ptr != text.data() + text.size() ||
      !std::isfinite(v)) {
    return std::nullopt;
  }
  return v;
}

std::optional<bool> ParseBool(std::string_view text) {
  if (text.size() == 4 && Lower(text[0]) == 't' && Lower(text[1]) == 'r' &&
      Lower(text[2]) == 'u' && Lower(text[3]) == 'e') {
    return true;
  }
  if (text.size() == 5 && Lower(text[0]) == 'f' && Lower(text[1]) == 'a' &&
      Lower(text[2]) == 'l' && Lower(text[3]) == 's' && Lower(text[4]) == 'e') {
    return false;
  }
  return std::nullopt;
}

std::optional<int64_t> ParseDateMillis(std::string_view s) {
  if (s.empty() || s.size() > 40) return std::nullopt;
  bool all_digits = true;
  for (char c : s) all_digits = all_digits && IsDigit(c);
  if (all_digits) {
    if (s.size() > 12) return std::nullopt;
    int64_t secs = 0;
    for (char c : s) secs = secs * 10 + (c - '0');
    return secs * 1000;
  }

  size_t pos = 0;
  int year, month, day;
  if (!Digits(s, &pos, 4, &year) || pos >= s.size() || s[pos++] != '-' ||
      !Digits(s, &pos, 2, &month) || pos >= s.size() || s[pos++] != '-' ||
      !Digits(s, &pos, 2, &day)) {
    return std::nullopt;
  }
  if (month < 1 || month > 12 || day < 1 || day > DaysInMonth(year, month)) {
    return std::nullopt;
  }
  int64_t millis = DaysFromCivil(year, month, day) * 86400000;
  if (pos == s.size()) return millis;

  if (s[pos++] != 'T') return std::nullopt;
  int hour, minute, second = 0, frac_ms = 0;
  if (!Digits(s, &pos, 2, &hour) || pos >= s.size() || s[pos++] != ':' ||
      !Digits(s, &pos, 2, &minute)) {
    return std::nullopt;
  }
  if (pos < s.size() && s[pos] == ':') {
    ++pos;
    if (!Digits(s, &pos, 2, &second)) return std::nullopt;
    if (pos < s.size() && s[pos] == '.') {
      ++pos;
      size_t start = pos;
      while (pos < s.size() && IsDigit(s[pos]) && pos - start < 9) {
        if (pos - start < 3) {
          frac_ms = frac_ms * 10 + (s[pos] - '0');
        }
        ++pos;
      }
      size_t n = pos - start;
      if (n == 0) return std::nullopt;
      for (size_t i = n; i < 3; ++i) frac_ms *= 10;
    }
  }
  if (hour > 23 || minute > 59 || second > 59) return std::nullopt;
  millis += ((hour * 60LL + minute) * 60 + second) * 1000 + frac_ms;

  if (pos == s.size()) return millis;  // no zone: UTC
  char z = s[pos++];
  if (z == 'Z' || z == 'z') {
    return pos == s.size() ? std::optional<int64_t>(millis) : std::nullopt;
  }
  if (z != '+' && z != '-') return std::nullopt;
  int oh, om;
  if (!Digits(s, &pos, 2, &oh)) return std::nullopt;
  if (pos < s.size() && s[pos] == ':') ++pos;
  if (!Digits(s, &pos, 2, &om) || pos != s.size()) return std::nullopt;
  if (oh > 23 || om > 59) return std::nullopt;
  int64_t offset = (oh * 60LL + om) * 60000;
  // Local time = UTC + offset, so UTC = local - offset.
  return z == '+' ? millis - offset : millis + offset;
}

std::optional<IpAddress> ParseIpAddress(std::string_view text) {
  if (text.empty()) return std::nullopt;
  if (text.find(':') == std::string_view::npos) {
    IpAddress a;
    if (!ParseV4(text, a.bytes.data())) return std::nullopt;
    return a;
  }
  std::optional<IpAddress> a = ParseV6(text);
  if (a && IsV4Mapped(*a)) return MappedToV4(*a);
  return a;
}

std::optional<IpBlock> ParseIpBlock(std::string_view text) {
  size_t slash = text.find('/');
  std::string_view addr_text = text.substr(0, slash);
  // Parse the address without the v4-mapped folding, so a mapped block's
  // prefix can be translated consistently.
  std::optional<IpAddress> addr;
  if (addr_text.find(':') == std::string_view::npos) {
    addr = ParseIpAddress(addr_text);
  } else {
    addr = ParseV6(addr_text);
  }
  if (!addr) return std::nullopt;
  int max_prefix = addr->v6 ? 128 : 32;
  int prefix = max_prefix;
  if (slash != std::string_view::npos) {
    std::string_view p = text.substr(slash + 1);
    if (p.empty() || p.size() > 3) return std::nullopt;
    if (p.size() > 1 && p[0] == '0') return std::nullopt;
    prefix = 0;
    for (char c : p) {
      if (!IsDigit(c)) return std::nullopt;
      prefix = prefix * 10 + (c - '0');
    }
    if (prefix > max_prefix) return std::nullopt;
  }
  IpBlock block{*addr, prefix};
  if (IsV4Mapped(block.base) && prefix >= 96) {
    block.base = MappedToV4(block.base);
    block.prefix = prefix - 96;
  }
  return block;
}

bool IpInBlock(const IpAddress& addr, const IpBlock& block) {
  if (addr.v6 != block.base.v6) return false;
  int max_prefix = addr.v6 ? 128 : 32;
  if (block.prefix < 0 || block.prefix > max_prefix) return false;
  int full = block.prefix / 8;
  for (int i = 0; i < full; ++i) {
    if (addr.bytes[i] != block.base.bytes[i]) return false;
  }
  int rest = block.prefix % 8;
  if (rest == 0) return true;
  uint8_t mask = static_cast<uint8_t>(0xFF << (8 - rest));
  return (addr.bytes[full] & mask) == (block.base.bytes[full] & mask);
}

}  // namespace swasd::ram
