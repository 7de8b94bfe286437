#include <charconv>

#include <algorithm>
#include <map>

#include "gateway/operation.h"
#include "gateway/validate.h"

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
  if (v == nullptr) {
    // Sent as a repeat list instead (validate.cc): Name.1, Name.2 ...
    auto items = Repeated(name);
    if (items.empty()) return std::nullopt;
    return items;
  }
  if (v->empty()) return std::nullopt;
  auto r = protocol::ParseJsonStringArray(*v, name, SIZE_MAX);
  if (!r.ok()) return std::nullopt;
  return std::move(r).value();
}

std::vector<std::string> Args::Repeated(std::string_view name) const {
  std::map<int64_t, std::string> by_index;
  for (const FamilyMember& m : FamilyMembers(*params_, name, true)) {
    if (m.index > 0 && m.field.empty()) by_index[m.index] = *m.value;
  }
  std::vector<std::string> out;
  for (auto& [i, v] : by_index) out.push_back(std::move(v));
  return out;
}

std::vector<Args::Fields> Args::Objects(std::string_view name) const {
  std::map<int64_t, Fields> by_index;
  for (const FamilyMember& m : FamilyMembers(*params_, name, true)) {
    if (m.index > 0 && !m.field.empty()) {
      by_index[m.index].emplace_back(std::string(m.field), *m.value);
    }
  }
  std::vector<Fields> out;
  for (auto& [i, v] : by_index) out.push_back(std::move(v));
  return out;
}

Args::Fields Args::Flat(std::string_view name) const {
  Fields out;
  for (const FamilyMember& m : FamilyMembers(*params_, name, false)) {
    out.emplace_back(std::string(m.field), *m.value);
  }
  return out;
}

}  // namespace swasd::gateway
