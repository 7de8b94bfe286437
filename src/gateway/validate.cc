#include "gateway/validate.h"

#include <algorithm>
#include <charconv>

#include "base/encoding.h"
#include "base/errors.h"
#include "base/strings.h"

namespace swasd::gateway {
Status ValidateValue(const ParamSpec& spec, const std::string& value) {
  switch (spec.type) {
    case ParamType::kString: {
      if (value.size() < spec.min_length ||
          (spec.max_length && value.size() > spec.max_length)) {
        return errors::InvalidParam(
            spec.name, "length must be between " +
                           std::to_string(spec.min_length) + " and " +
                           std::to_string(spec.max_length) + " bytes");
      }
      if (spec.ascii_only && !IsPrintableAscii(value)) {
        return errors::InvalidParam(spec.name,
                                    "only printable ASCII characters allowed");
      }
      if (!spec.allowed.empty() &&
          std::find(spec.allowed.begin(), spec.allowed.end(), value) ==
              spec.allowed.end()) {
        if (spec.invalid_error) return Error(*spec.invalid_error);
        std::string list;
        for (auto a : spec.allowed) list += (list.empty() ? "" : ", ") + std::string(a);
        return errors::InvalidParam(spec.name, "valid values are " + list);
      }
      return Status::Ok();
    }
    case ParamType::kInteger: {
      int64_t v = 0;
      auto [ptr, ec] = std::from_chars(value.data(), value.data() + value.size(), v);
      if (value.empty() || ec != std::errc() ||
          ptr != value.data() + value.size()) {
        return errors::InvalidParam(spec.name, "must be an integer");
      }
      if (v < spec.min_value || v > spec.max_value) {
        return errors::InvalidParam(
            spec.name, "must be between " + std::to_string(spec.min_value) +
                           " and " + std::to_string(spec.max_value));
      }
      return Status::Ok();
    }
    case ParamType::kBoolean:
      if (EqualsIgnoreCase(value, "true") || EqualsIgnoreCase(value, "false")) {
        return Status::Ok();
      }
      return errors::InvalidParam(spec.name, "must be true or false");
    case ParamType::kStringList: {
      auto r = protocol::ParseJsonStringArray(value, spec.name, spec.max_items);
      if (!r.ok()) return std::move(r).error();
      return Status::Ok();
    }
    case ParamType::kRepeatList:
    case ParamType::kRepeatObjects:
    case ParamType::kFlat:
      // Families are checked member by member (ValidateFamily).
      return Status::Ok();
  }
  return Status::Ok();
}

std::vector<FamilyMember> FamilyMembers(const protocol::Params& params,
                                        std::string_view family, bool indexed) {
  std::vector<FamilyMember> out;
  for (const auto& [name, value] : params) {
    std::string_view key = name;
    if (key.size() <= family.size() + 1 || !key.starts_with(family) ||
        key[family.size()] != '.') {
      continue;
    }
    FamilyMember m;
    m.key = key;
    m.value = &value;
    std::string_view rest = key.substr(family.size() + 1);
    if (!indexed) {
      m.field = rest;
      out.push_back(m);
      continue;
    }
    size_t dot = rest.find('.');
    std::string_view num = rest.substr(0, dot);
    if (dot != std::string_view::npos) m.field = rest.substr(dot + 1);
    int64_t index = -1;
    auto [ptr, ec] = std::from_chars(num.data(), num.data() + num.size(), index);
    if (num.empty() || ec != std::errc() || ptr != num.data() + num.size() ||
        num[0] == '0' || (dot != std::string_view::npos && m.field.empty())) {
      index = -1;
    }
    m.index = index;
    out.push_back(m);
  }
  return out;
}

namespace {

// A repeat or flat family against its spec: indexes 1..max_items, the
// shape the style implies, every value checked as its element or field.
Status ValidateFamily(const ParamSpec& spec, const protocol::Params& params,
                      bool* present) {
  const bool indexed = spec.type != ParamType::kFlat;
  const bool objects = spec.type != ParamType::kRepeatList;
  auto members = FamilyMembers(params, spec.name, indexed);
  *present = false;
  for (const FamilyMember& m : members) {
    if (indexed && (m.index < 1 || m.index > static_cast<int64_t>(spec.max_items))) {
      return errors::InvalidParam(
          m.key, "the index must be between 1 and " + std::to_string(spec.max_items));
    }
    if (objects != !m.field.empty()) {
      return errors::InvalidParam(
          m.key, objects ? "expected " + std::string(spec.name) +
                               (indexed ? ".N.<Field>" : ".<Field>")
                         : "expected " + std::string(spec.name) + ".N");
    }
    if (!objects) {
      ParamSpec item = spec;
      item.type = spec.element;
      item.name = m.key;
      SWASD_RETURN_IF_ERROR(ValidateValue(item, *m.value));
      *present = true;
      continue;
    }
    const ParamSpec* field = nullptr;
    for (const ParamSpec& f : spec.fields) {
      if (f.name == m.field) field = &f;
    }
    if (field == nullptr) {
      return errors::InvalidParam(m.key, "not a field of " + std::string(spec.name));
    }
    ParamSpec item = *field;
    item.name = m.key;
    SWASD_RETURN_IF_ERROR(ValidateValue(item, *m.value));
    *present = true;
  }
  if (!objects || spec.fields.empty()) return Status::Ok();
  // A required field must be in every item that is there.
  for (const ParamSpec& f : spec.fields) {
    if (!f.required) continue;
    std::vector<int64_t> have, need;
    for (const FamilyMember& m : members) {
      need.push_back(m.index);
      if (m.field == f.name && !m.value->empty()) have.push_back(m.index);
    }
    for (int64_t i : need) {
      if (std::find(have.begin(), have.end(), i) == have.end()) {
        return errors::MissingOperationParam(
            std::string(spec.name) + (indexed ? "." + std::to_string(i) : "") + "." +
            std::string(f.name));
      }
    }
  }
  return Status::Ok();
}

}  // namespace

Status ValidateParams(const OperationSpec& op, const protocol::Params& params) {
  for (const ParamSpec& spec : op.params) {
    if (spec.type == ParamType::kRepeatList || spec.type == ParamType::kRepeatObjects ||
        spec.type == ParamType::kFlat) {
      bool present = false;
      SWASD_RETURN_IF_ERROR(ValidateFamily(spec, params, &present));
      if (!present && spec.required) {
        return errors::MissingOperationParam(
            std::string(spec.name) + (spec.type == ParamType::kFlat ? "" : ".1"));
      }
      continue;
    }
    const std::string* v = params.Find(spec.name);
    // A JSON-array parameter may also come as a repeat list (Name.1,
    // Name.2): Terraform's tea-rpc client flattens a list it was given that
    // way (ListDisks DiskIds), and Alibaba accepts it.
    if (v == nullptr && spec.type == ParamType::kStringList) {
      ParamSpec as_repeat = spec;
      as_repeat.type = ParamType::kRepeatList;
      as_repeat.element = ParamType::kString;
      bool present = false;
      SWASD_RETURN_IF_ERROR(ValidateFamily(as_repeat, params, &present));
      if (present) continue;
    }
    // The SDKs send an empty string for a field set to "" (sdk/README.md §3);
    // for a required parameter that is as good as absent.
    if (v == nullptr || v->empty()) {
      if (spec.required) return errors::MissingOperationParam(spec.name);
      continue;
    }
    SWASD_RETURN_IF_ERROR(ValidateValue(spec, *v));
  }
  return Status::Ok();
}

}  // namespace swasd::gateway
