#include <charconv>

#include "gateway/operation.h"

namespace swasd::gateway {

std::optional<std::string> Args::String(std::string_view name) const {
  const std::string* v = params_->Find(name);
  if (v == nullptr) return std::nullopt;
  return *v;
}

std::optional<int64_t> Args::Integer(std::string_view name) const {
  const std::string* v = params_->Find(name);
  if (v == nullptr || v->empty()) return std::nullopt;
  int64_t out = 0;
  std::from_chars(v->data(), v->data() + v->size(), out);
  return out;
}

std::optional<bool> Args::Boolean(std::string_view name) const {
  const std::string* v = params_->Find(name);
  if (v == nullptr || v->empty()) return std::nullopt;
  return v->size() == 4;  // validated: "true" (any case) or "false"
}

std::optional<std::vector<std::string>> Args::StringList(
    std::string_view name) const {
  const std::string* v = params_->Find(name);
  if (v == nullptr || v->empty()) return std::nullopt;
  auto r = protocol::ParseJsonStringArray(*v, name, SIZE_MAX);
  if (!r.ok()) return std::nullopt;
  return std::move(r).value();
}

}  // namespace swasd::gateway
