#include "ecs/launch.h"

#include <algorithm>

#include "base/encoding.h"
#include "ecs/errors.h"

namespace swasd::ecs {
namespace {

bool IsLink(std::string_view s) { return s.starts_with("http://") || s.starts_with("https://"); }
bool HasLink(std::string_view s) {
  return s.find("http://") != std::string_view::npos ||
         s.find("https://") != std::string_view::npos;
}
bool IsCjk(uint32_t c) { return c >= 0x4E00 && c <= 0x9FFF; }
bool IsLetter(uint32_t c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }
bool IsDigit(uint32_t c) { return c >= '0' && c <= '9'; }

// The number of UTF-8 characters in `s`; -1 when it is not UTF-8.
int64_t CharCount(std::string_view s) {
  int64_t n = 0;
  for (size_t i = 0; i < s.size(); ++n) {
    auto ch = DecodeUtf8(s, i);
    if (!ch) return -1;
    i += ch->length;
  }
  return n;
}

}  // namespace

bool ValidInstanceName(std::string_view name) {
  if (IsLink(name)) return false;
  int64_t count = 0;
  for (size_t i = 0; i < name.size(); ++count) {
    auto ch = DecodeUtf8(name, i);
    if (!ch) return false;
    uint32_t c = ch->code_point;
    bool ok = IsLetter(c) || IsCjk(c) ||
              (count > 0 && (IsDigit(c) || c == '.' || c == '_' || c == '-' || c == ':'));
    if (!ok) return false;
    i += ch->length;
  }
  return count >= 2 && count <= 128;
}

bool ValidEcsDescription(std::string_view d) {
  int64_t n = CharCount(d);
  return n >= 2 && n <= 256 && !IsLink(d);
}

bool ValidHostName(std::string_view host, bool windows) {
  const size_t max = windows ? 15 : 64;
  if (host.size() < 2 || host.size() > max) return false;
  bool all_digits = true;
  char prev = 0;
  for (size_t i = 0; i < host.size(); ++i) {
    const char c = host[i];
    const bool sep = c == '-' || c == '.';
    if (c == '.' && windows) return false;
    if (!sep && !IsLetter(static_cast<unsigned char>(c)) && !IsDigit(static_cast<unsigned char>(c))) {
      return false;
    }
    if (sep && (i == 0 || i + 1 == host.size() || prev == '-' || prev == '.')) return false;
    if (!IsDigit(static_cast<unsigned char>(c))) all_digits = false;
    prev = c;
  }
  return !(windows && all_digits);
}

std::string ExpandHostName(std::string_view host, std::string_view instance_id) {
  constexpr std::string_view kPlaceholder = "${instance_id}";
  std::string out;
  for (size_t i = 0; i < host.size();) {
    if (host.substr(i).starts_with(kPlaceholder)) {
      out += instance_id;
      i += kPlaceholder.size();
    } else {
      out += host[i++];
    }
  }
  return out;
}

Status CheckUserData(std::string_view base64) {
  auto raw = Base64Decode(base64);
  if (!raw) return errors::kInvalidUserDataBase64;
  if (raw->size() > 32 * 1024) return errors::kInvalidUserDataSizeExceeded;
  return Status::Ok();
}

Status CheckTags(const std::vector<InstanceTag>& tags) {
  std::vector<std::string_view> keys;
  for (const auto& t : tags) {
    const int64_t k = CharCount(t.key), v = CharCount(t.value);
    if (k < 1 || k > 128 || t.key.starts_with("aliyun") || t.key.starts_with("acs:") ||
        HasLink(t.key)) {
      return errors::kInvalidTagKeyMalformed;
    }
    if (v < 0 || v > 128 || t.value.starts_with("acs:") || HasLink(t.value)) {
      return errors::kInvalidTagValueMalformed;
    }
    if (std::find(keys.begin(), keys.end(), t.key) != keys.end()) return errors::kDuplicateTagKey;
    keys.push_back(t.key);
  }
  return Status::Ok();
}

Status CheckDataDiskSize(std::string_view category, int size) {
  static constexpr std::string_view kCategories[] = {
      "cloud", "cloud_efficiency", "cloud_ssd", "cloud_essd", "cloud_auto", "cloud_essd_entry"};
  if (std::find(std::begin(kCategories), std::end(kCategories), category) ==
      std::end(kCategories)) {
    return errors::kInvalidDataDiskCategoryValueNotSupported;
  }
  int min = 20, max = 32768;
  if (category == "cloud") {
    min = 5;
    max = 2000;
  } else if (category == "cloud_essd_entry") {
    min = 10;
  } else if (category == "cloud_auto") {
    min = 1;
    max = 65536;
  }
  if (size < min || size > max) return errors::kInvalidDataDiskSize;
  return Status::Ok();
}

}  // namespace swasd::ecs
