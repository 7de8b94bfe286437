#include "gateway/overlay.h"

#include <mutex>
#include <optional>
#include <set>

namespace swasd::apimodel {
std::vector<std::string_view> EmbeddedOverlays();  // apimodel/embedded.cc
}  // namespace swasd::apimodel

namespace swasd::gateway {
namespace {

using nlohmann::json;
using Kind = apimodel::Type::Kind;

Error Bad(const std::string& where, const std::string& what) {
  return Error("OverlayError", 0, "api/overlay: " + where + ": " + what);
}

Status OnlyKeys(const json& j, std::initializer_list<std::string_view> keys,
                const std::string& where) {
  if (!j.is_object()) return Bad(where, "must be an object");
  for (const auto& [k, v] : j.items()) {
    bool known = false;
    for (auto key : keys) known = known || key == k;
    if (!known) return Bad(where, "unknown key \"" + k + "\"");
  }
  return Status::Ok();
}

// The SDK type of a parameter, or of a field of a flat model ("A.B").
const apimodel::Type* SdkType(const apimodel::Operation& op, std::string_view name) {
  if (const apimodel::Param* p = op.FindParam(name)) return &p->type;
  size_t dot = name.find('.');
  if (dot == std::string_view::npos) return nullptr;
  const apimodel::Param* p = op.FindParam(name.substr(0, dot));
  if (p == nullptr || p->style != apimodel::Style::kFlat) return nullptr;
  return p->type.Field(name.substr(dot + 1));
}

Result<ParamType> TypeNamed(const std::string& name, const std::string& where) {
  if (name == "String") return ParamType::kString;
  if (name == "Integer") return ParamType::kInteger;
  if (name == "Boolean") return ParamType::kBoolean;
  if (name == "JsonArray") return ParamType::kStringList;
  return Bad(where, "unknown type \"" + name + "\"");
}


// One parameter's spec from its overlay entry `p` and its SDK type. Keys
// of `p` are checked by the caller. A repeat or flat parameter's items or
// fields take their bounds from "fields" (or, for a list of scalars, from
// the entry itself).
Result<ParamSpec> ParamFrom(const json& p, const apimodel::Type& t, apimodel::Style style,
                            const std::string& name, const std::string& pwhere,
                            Overlay* out, const std::vector<ErrorSpec>& errors) {
  ParamSpec ps;
  ps.name = out->Keep(name);
  auto scalar_type = [](const apimodel::Type& x) -> std::optional<ParamType> {
    if (x.kind == Kind::kString) return ParamType::kString;
    if (x.kind == Kind::kInteger || x.kind == Kind::kNumber) return ParamType::kInteger;
    if (x.kind == Kind::kBoolean) return ParamType::kBoolean;
    return std::nullopt;
  };
  const apimodel::Type* model = nullptr;  // the fields' model, if any
  if (p.contains("type")) {
    SWASD_ASSIGN_OR_RETURN(ps.type, TypeNamed(p["type"].get<std::string>(), pwhere));
  } else if (auto st = scalar_type(t)) {
    ps.type = *st;
  } else if (style == apimodel::Style::kRepeat && t.kind == Kind::kArray &&
             scalar_type(t.Element())) {
    ps.type = ParamType::kRepeatList;
    ps.element = *scalar_type(t.Element());
  } else if (style == apimodel::Style::kRepeat && t.kind == Kind::kArray &&
             t.Element().kind == Kind::kObject) {
    ps.type = ParamType::kRepeatObjects;
    model = &t.Element();
  } else if (style == apimodel::Style::kFlat && t.kind == Kind::kObject) {
    ps.type = ParamType::kFlat;
    model = &t;
  } else {
    return Bad(pwhere, "SDK type " + t.Describe() + " needs an explicit \"type\"");
  }
  ps.required = p.value("required", false);
  ps.description = out->Keep(p.value("description", std::string()));
  ps.min_length = p.value("minLength", size_t{0});
  ps.max_length = p.value("maxLength", size_t{0});
  ps.ascii_only = p.value("asciiOnly", false);
  for (const auto& a : p.value("allowed", json::array())) {
    ps.allowed.push_back(out->Keep(a.get<std::string>()));
  }
  if (p.contains("min")) ps.min_value = p["min"].get<int64_t>();
  if (p.contains("max")) ps.max_value = p["max"].get<int64_t>();
  if (p.contains("maxItems")) ps.max_items = p["maxItems"].get<size_t>();
  if (p.contains("error")) {
    const std::string code = p["error"].get<std::string>();
    for (const ErrorSpec& e : errors) {
      if (e.code == code) ps.invalid_error = e;
    }
    if (!ps.invalid_error) return Bad(pwhere, "error " + code + " is not in the catalog given");
  }
  const json fields = p.value("fields", json::object());
  if (model == nullptr) {
    if (!fields.empty()) return Bad(pwhere, "\"fields\" on a parameter without fields");
    return ps;
  }
  for (const auto& [fname, _] : fields.items()) {
    if (model->Field(fname) == nullptr) return Bad(pwhere, "no field " + fname + " in the SDK model");
  }
  for (size_t i = 0; i < model->field_names.size(); ++i) {
    const std::string& fname = model->field_names[i];
    json fp = fields.contains(fname) ? fields.at(fname) : json::object();
    SWASD_RETURN_IF_ERROR(OnlyKeys(fp,
        {"required", "description", "minLength", "maxLength", "asciiOnly", "allowed", "min", "max"},
        pwhere + "." + fname));
    if (!scalar_type(model->fields[i])) {
      return Bad(pwhere + "." + fname, "only scalar fields are supported");
    }
    SWASD_ASSIGN_OR_RETURN(ParamSpec f, ParamFrom(fp, model->fields[i], apimodel::Style::kSimple,
                                                  fname, pwhere + "." + fname, out, errors));
    ps.fields.push_back(std::move(f));
  }
  return ps;
}
}  // namespace

std::string_view Overlay::Keep(std::string s) {
  strings_.push_back(std::move(s));
  return strings_.back();
}

const OperationSpec* Overlay::Row(std::string_view action) const {
  auto it = rows_.find(action);
  return it == rows_.end() ? nullptr : &it->second;
}

Result<std::unique_ptr<Overlay>> Overlay::Parse(std::string_view text,
                                                const apimodel::Product& product,
                                                const std::vector<ErrorSpec>& errors) {
  json doc = json::parse(text.begin(), text.end(), nullptr, false);
  const std::string file = product.code() + ".json";
  if (doc.is_discarded()) return Bad(file, "not valid JSON");
  SWASD_RETURN_IF_ERROR(OnlyKeys(doc, {"product", "version", "commonParams", "operations"}, file));
  auto out = std::make_unique<Overlay>();
  try {
    out->code_ = doc.at("product").get<std::string>();
    out->version_ = doc.at("version").get<std::string>();
    if (out->code_ != product.code() || out->version_ != product.version()) {
      return Bad(file, "names " + out->code_ + " " + out->version_ + ", the SDK model " +
                           product.code() + " " + product.version());
    }
    const json common = doc.value("commonParams", json::object());
    for (const auto& [action, o] : doc.at("operations").items()) {
      const std::string where = file + " " + action;
      SWASD_RETURN_IF_ERROR(OnlyKeys(
          o, {"summary", "ramAction", "resource", "authorize", "params", "unsupported", "canned"}, where));
      const apimodel::Operation* sdk = product.Find(action);
      if (sdk == nullptr) return Bad(where, "not an operation of " + product.package());
      OperationSpec row;
      row.product = out->Keep(product.code());
      row.version = out->Keep(product.version());
      row.action = out->Keep(action);
      row.summary = out->Keep(o.value("summary", sdk->summary));
      row.ram_action = o.value("ramAction", product.code() + ":" + action);
      row.resource = out->Keep(o.value("resource", std::string("*")));
      row.authorize = o.value("authorize", true);
      for (const json& entry : o.value("params", json::array())) {
        const std::string name = entry.at("name").get<std::string>();
        const std::string pwhere = where + " " + name;
        // A common parameter's definition, with this entry's keys on top.
        json p = common.contains(name) ? common.at(name) : json::object();
        for (const auto& [k, v] : entry.items()) p[k] = v;
        SWASD_RETURN_IF_ERROR(OnlyKeys(p,
            {"name", "type", "required", "description", "minLength", "maxLength",
             "asciiOnly", "allowed", "min", "max", "maxItems", "error", "fields"},
            pwhere));
        const apimodel::Type* t = SdkType(*sdk, name);
        if (t == nullptr) return Bad(pwhere, "not a parameter of the SDK's request model");
        const apimodel::Param* sp = sdk->FindParam(name);
        const apimodel::Style style = sp ? sp->style : apimodel::Style::kSimple;
        SWASD_ASSIGN_OR_RETURN(ParamSpec ps,
                               ParamFrom(p, *t, style, name, pwhere, out.get(), errors));
        row.params.push_back(std::move(ps));
      }
      for (const auto& u : o.value("unsupported", json::array())) {
        row.unsupported.push_back(out->Keep(u.get<std::string>()));
      }
      for (const auto& c : o.value("canned", json::array())) {
        row.canned.push_back(out->Keep(c.get<std::string>()));
      }
      out->actions_.push_back(action);
      out->rows_.emplace(action, std::move(row));
    }
  } catch (const json::exception& e) {
    return Bad(file, e.what());
  }
  return out;
}

Result<const Overlay*> Overlay::Builtin(std::string_view code,
                                        const std::vector<ErrorSpec>& errors) {
  static std::mutex mu;
  static std::map<std::string, std::unique_ptr<Overlay>, std::less<>> parsed;
  std::lock_guard<std::mutex> lock(mu);
  if (auto it = parsed.find(code); it != parsed.end()) return it->second.get();
  const apimodel::Product* product = apimodel::Model::Builtin().ByCode(code);
  if (product == nullptr) return Bad(std::string(code), "no SDK model");
  // The embedded overlays are few and small: find ours by its product key.
  const std::string key = "\"product\": \"" + std::string(code) + "\"";
  for (std::string_view text : apimodel::EmbeddedOverlays()) {
    if (text.find(key) == std::string_view::npos) continue;
    SWASD_ASSIGN_OR_RETURN(auto overlay, Parse(text, *product, errors));
    const Overlay* out = overlay.get();
    parsed.emplace(std::string(code), std::move(overlay));
    return out;
  }
  return Bad(std::string(code), "no overlay is embedded");
}

}  // namespace swasd::gateway
