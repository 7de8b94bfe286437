#include "base/ids.h"

#include "base/crypto.h"
#include "base/encoding.h"

namespace swasd::ids {
namespace {

std::string FromAlphabet(size_t n, std::string_view alphabet) {
  // Rejection sampling keeps the distribution uniform.
  std::string out;
  out.reserve(n);
  const unsigned limit = 256 - 256 % alphabet.size();
  while (out.size() < n) {
    std::string bytes = crypto::RandomBytes(n * 2);
    for (unsigned char c : bytes) {
      if (c >= limit) continue;
      out.push_back(alphabet[c % alphabet.size()]);
      if (out.size() == n) break;
    }
  }
  return out;
}

// 16 bytes as an upper-case 8-4-4-4-12 UUID, with its version nibble set
// and the RFC 4122 variant.
std::string FormatUuid(std::string b, int version) {
  b[6] = static_cast<char>((b[6] & 0x0f) | (version << 4));
  b[8] = static_cast<char>((b[8] & 0x3f) | 0x80);
  std::string hex = HexLower(b);
  for (char& c : hex) {
    if (c >= 'a' && c <= 'f') c = static_cast<char>(c - 'a' + 'A');
  }
  return hex.substr(0, 8) + "-" + hex.substr(8, 4) + "-" + hex.substr(12, 4) +
         "-" + hex.substr(16, 4) + "-" + hex.substr(20, 12);
}

}  // namespace

std::string NewRequestId() { return FormatUuid(crypto::RandomBytes(16), 4); }

std::string NewTimeOrderedId(int64_t unix_ms) {
  std::string b = crypto::RandomBytes(16);
  const uint64_t ms = static_cast<uint64_t>(unix_ms < 0 ? 0 : unix_ms);
  for (int i = 0; i < 6; ++i) b[i] = static_cast<char>((ms >> (8 * (5 - i))) & 0xff);
  return FormatUuid(std::move(b), 7);
}

std::string RandomAlnumLower(size_t n) {
  return FromAlphabet(n, "0123456789abcdefghijklmnopqrstuvwxyz");
}

std::string RandomAlnum(size_t n) {
  return FromAlphabet(
      n, "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz");
}

std::string RandomDigits(size_t n) {
  if (n == 0) return {};
  return FromAlphabet(1, "123456789") + FromAlphabet(n - 1, "0123456789");
}

}  // namespace swasd::ids
