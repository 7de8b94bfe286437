#include "gateway/conform.h"

#include <charconv>
#include <cmath>

namespace swasd::gateway {
namespace {

using Kind = apimodel::Type::Kind;

std::string What(const Json& v) {
  switch (v.type()) {
    case Json::value_t::object: return "object";
    case Json::value_t::array: return "array";
    case Json::value_t::string: return "string";
    case Json::value_t::boolean: return "boolean";
    case Json::value_t::number_integer:
    case Json::value_t::number_unsigned: return "integer";
    case Json::value_t::number_float: return "number";
    default: return "null";
  }
}

std::string NumberText(const Json& v) {
  if (v.is_number_float()) {
    double d = v.get<double>();
    if (std::isfinite(d) && d == std::floor(d) && std::fabs(d) < 1e15) {
      return std::to_string(static_cast<int64_t>(d));
    }
  }
  return v.dump();
}

bool ParseInteger(const std::string& s, int64_t* out) {
  auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), *out);
  return !s.empty() && ec == std::errc() && p == s.data() + s.size();
}

bool ParseNumber(const std::string& s, double* out) {
  auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), *out);
  return !s.empty() && ec == std::errc() && p == s.data() + s.size();
}

void Conform(Json* v, const apimodel::Type& t, const std::string& path,
             std::vector<std::string>* problems) {
  if (v->is_null() || t.kind == Kind::kAny) return;
  auto mismatch = [&] {
    problems->push_back(path + ": " + What(*v) + " where the model has " +
                        t.Describe());
  };
  switch (t.kind) {
    case Kind::kString:
    case Kind::kBinary:
      if (v->is_string()) return;
      if (v->is_number()) { *v = NumberText(*v); return; }
      if (v->is_boolean()) { *v = v->get<bool>() ? "true" : "false"; return; }
      return mismatch();
    case Kind::kInteger:
    case Kind::kNumber: {
      if (v->is_number()) return;
      if (v->is_string()) {
        const std::string& s = v->get_ref<const std::string&>();
        int64_t i = 0;
        double d = 0;
        if (ParseInteger(s, &i)) { *v = i; return; }
        if (t.kind == Kind::kNumber && ParseNumber(s, &d)) { *v = d; return; }
      }
      return mismatch();
    }
    case Kind::kBoolean:
      if (v->is_boolean()) return;
      if (v->is_string() && (*v == "true" || *v == "false")) { *v = (*v == "true"); return; }
      if (v->is_number_integer() || v->is_number_unsigned()) {
        int64_t i = v->get<int64_t>();
        if (i == 0 || i == 1) { *v = (i == 1); return; }
      }
      return mismatch();
    case Kind::kArray: {
      if (!v->is_array()) return mismatch();
      size_t i = 0;
      for (auto& item : *v) {
        Conform(&item, t.Element(), path + "[" + std::to_string(i++) + "]", problems);
      }
      return;
    }
    case Kind::kMap:
      if (!v->is_object()) return mismatch();
      for (auto& [key, item] : v->items()) {
        Conform(&item, t.Element(), path + "." + key, problems);
      }
      return;
    case Kind::kObject:
      if (!v->is_object()) return mismatch();
      for (auto& [key, item] : v->items()) {
        const apimodel::Type* field = t.Field(key);
        std::string sub = path.empty() ? key : path + "." + key;
        if (field == nullptr) {
          problems->push_back(sub + ": not a field of the SDK's model");
          continue;
        }
        Conform(&item, *field, sub, problems);
      }
      return;
    case Kind::kAny:
      return;
  }
}

}  // namespace

std::vector<std::string> ConformToModel(Json* body,
                                        const apimodel::Type& model) {
  std::vector<std::string> problems;
  Conform(body, model, "", &problems);
  return problems;
}

}  // namespace swasd::gateway
