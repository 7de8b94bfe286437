#include "vpc/cidr.h"

#include <charconv>

namespace swasd::vpc {
namespace {

// One decimal part in [0, max] without a leading zero.
bool ParsePart(std::string_view s, int max, int* out) {
  if (s.empty() || s.size() > 3 || (s.size() > 1 && s[0] == '0')) return false;
  auto [ptr, ec] = std::from_chars(s.data(), s.data() + s.size(), *out);
  return ec == std::errc() && ptr == s.data() + s.size() && *out >= 0 && *out <= max;
}

std::string Dotted(uint32_t a) {
  return std::to_string(a >> 24) + "." + std::to_string((a >> 16) & 255) + "." +
         std::to_string((a >> 8) & 255) + "." + std::to_string(a & 255);
}

}  // namespace

std::optional<Cidr> Cidr::Parse(std::string_view text) {
  size_t slash = text.find('/');
  if (slash == std::string_view::npos) return std::nullopt;
  Cidr c;
  if (!ParsePart(text.substr(slash + 1), 32, &c.prefix)) return std::nullopt;
  std::string_view addr = text.substr(0, slash);
  uint32_t value = 0;
  for (int i = 0; i < 4; ++i) {
    size_t dot = addr.find('.');
    if ((i < 3) == (dot == std::string_view::npos)) return std::nullopt;
    int part = 0;
    if (!ParsePart(addr.substr(0, dot), 255, &part)) return std::nullopt;
    value = (value << 8) | static_cast<uint32_t>(part);
    addr = i < 3 ? addr.substr(dot + 1) : std::string_view();
  }
  c.network = value;
  if ((value & ~c.Mask()) != 0) return std::nullopt;
  return c;
}

std::string Cidr::ToString() const { return Dotted(network) + "/" + std::to_string(prefix); }

std::string Cidr::Address(uint32_t offset) const { return Dotted(network + offset); }

bool IsPrivate(const Cidr& c) {
  for (const char* block : {"10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16"}) {
    if (Cidr::Parse(block)->Contains(c)) return true;
  }
  return false;
}

}  // namespace swasd::vpc
