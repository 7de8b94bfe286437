#include "gateway/region.h"

#include <cctype>

namespace swasd::gateway {
namespace {

// "cn-hangzhou", "ap-southeast-1", "rus-west-1": a lower-case prefix of
// 2-4 letters, '-', then at least one letter or digit, with '-' between.
bool LooksLikeRegion(std::string_view s) {
  size_t dash = s.find('-');
  if (dash < 2 || dash > 4 || dash == std::string_view::npos) return false;
  for (size_t i = 0; i < dash; ++i) {
    if (s[i] < 'a' || s[i] > 'z') return false;
  }
  std::string_view rest = s.substr(dash + 1);
  if (rest.empty() || rest.front() == '-' || rest.back() == '-') return false;
  for (char c : rest) {
    if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-')) return false;
  }
  return true;
}

}  // namespace

std::optional<std::string> RegionFromHost(std::string_view host) {
  std::string h(host.substr(0, host.find(':')));  // no IPv6 literal ends in .com
  for (char& c : h) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  if (!h.empty() && h.back() == '.') h.pop_back();  // the absolute form
  constexpr std::string_view kSuffix = ".aliyuncs.com";
  if (h.size() <= kSuffix.size() || !std::string_view(h).ends_with(kSuffix)) {
    return std::nullopt;
  }
  std::string_view name = std::string_view(h).substr(0, h.size() - kSuffix.size());
  // <product>.<region>: the region is the second label.
  if (size_t dot = name.find('.'); dot != std::string_view::npos) {
    std::string_view label = name.substr(dot + 1);
    if (label.find('.') != std::string_view::npos) return std::nullopt;
    if (LooksLikeRegion(label)) return std::string(label);
    return std::nullopt;
  }
  // <product>-<region> (ECS's older form): the region follows the product
  // code, which has no '-'.
  size_t dash = name.find('-');
  if (dash == std::string_view::npos) return std::nullopt;
  std::string_view label = name.substr(dash + 1);
  if (LooksLikeRegion(label)) return std::string(label);
  return std::nullopt;
}

}  // namespace swasd::gateway
