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
  }
  return Status::Ok();
}

Status ValidateParams(const OperationSpec& op, const protocol::Params& params) {
  for (const ParamSpec& spec : op.params) {
    const std::string* v = params.Find(spec.name);
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
