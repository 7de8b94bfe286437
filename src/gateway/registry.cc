#include "gateway/registry.h"

#include <cctype>

namespace swasd::gateway {
namespace {

const char* TypeName(ParamType t) {
  switch (t) {
    case ParamType::kString: return "String";
    case ParamType::kInteger: return "Integer";
    case ParamType::kBoolean: return "Boolean";
    case ParamType::kStringList: return "JsonArray";
    case ParamType::kRepeatList: return "RepeatList";
    case ParamType::kRepeatObjects: return "RepeatList<Object>";
    case ParamType::kFlat: return "Object";
  }
  return "String";
}

Error RegistryError(std::string message) {
  return Error("RegistryError", 0, std::move(message));
}

using Kind = apimodel::Type::Kind;

// Whether a declared ParamType reads what the SDK sends for `t`.
bool Compatible(ParamType declared, const apimodel::Param& sdk,
                const apimodel::Type& t) {
  switch (declared) {
    case ParamType::kString:
      return t.scalar();
    case ParamType::kInteger:
      return t.kind == Kind::kInteger || t.kind == Kind::kNumber ||
             t.kind == Kind::kString;
    case ParamType::kBoolean:
      return t.kind == Kind::kBoolean || t.kind == Kind::kString;
    case ParamType::kStringList:
      // A JSON array in one value: typed string by the SDK ("ImageIds"),
      // or an array it JSON-encodes itself (a "shrink" field).
      return t.kind == Kind::kString ||
             (t.kind == Kind::kArray && sdk.style == apimodel::Style::kJson);
    case ParamType::kRepeatList:
      return sdk.style == apimodel::Style::kRepeat && t.kind == Kind::kArray &&
             t.Element().scalar();
    case ParamType::kRepeatObjects:
      return sdk.style == apimodel::Style::kRepeat && t.kind == Kind::kArray &&
             t.Element().kind == Kind::kObject;
    case ParamType::kFlat:
      return sdk.style == apimodel::Style::kFlat && t.kind == Kind::kObject;
  }
  return false;
}

bool Declares(const OperationSpec& op, std::string_view name) {
  for (const auto& p : op.params) {
    if (p.name == name) return true;
  }
  // An unsupported entry may say more: "Tag.N.Key/Value", "Password (...)".
  for (auto u : op.unsupported) {
    if (u.substr(0, u.find_first_of(" .")) == name || u == name) return true;
  }
  return false;
}

}  // namespace

Status Registry::AddProduct(const ProductSpec& product) {
  if (FindProduct(product.version) != nullptr) {
    return RegistryError("duplicate product version " +
                         std::string(product.version));
  }
  products_.push_back(product);
  return Status::Ok();
}

Status Registry::CheckAgainstModel(OperationSpec* op) const {
  const apimodel::Product* product = KnownProduct(op->version);
  if (product == nullptr) {
    return RegistryError("no SDK in the API model has version " +
                         std::string(op->version));
  }
  op->model = product->Find(op->action);
  if (op->model == nullptr) {
    return RegistryError(std::string(op->action) + " is not an operation of " +
                         product->package() + "@" + product->package_version());
  }
  // Each declared parameter is the SDK's, or a field of one of its flat
  // models ("SystemDisk.Size"), with a type that reads what the SDK sends.
  std::string problems;
  for (const ParamSpec& ps : op->params) {
    std::string_view name = ps.name;
    const apimodel::Param* sdk = op->model->FindParam(name);
    const apimodel::Type* type = sdk ? &sdk->type : nullptr;
    if (sdk == nullptr) {
      size_t dot = name.find('.');
      if (dot != std::string_view::npos) {
        sdk = op->model->FindParam(name.substr(0, dot));
        if (sdk && sdk->style == apimodel::Style::kFlat) {
          type = sdk->type.Field(name.substr(dot + 1));
        }
      }
    }
    if (type == nullptr) {
      problems += std::string(problems.empty() ? "" : "; ") + std::string(op->action) +
                  " declares " + std::string(name) +
                  ", which the SDK's request model does not have";
    } else if (!Compatible(ps.type, *sdk, *type)) {
      problems += std::string(problems.empty() ? "" : "; ") + std::string(op->action) + "." +
                  std::string(name) + " is " + TypeName(ps.type) + " here but " +
                  type->Describe() + " in the SDK";
    }
  }
  if (!problems.empty()) return RegistryError(problems);
  // Everything else the SDK can send is not supported yet.
  for (const apimodel::Param& sdk : op->model->params) {
    if (Declares(*op, sdk.name)) continue;
    if (sdk.style == apimodel::Style::kFlat && sdk.type.kind == Kind::kObject) {
      bool any = false;
      for (const auto& p : op->params) {
        any = any || std::string_view(p.name).substr(0, sdk.name.size() + 1) == sdk.name + ".";
      }
      if (any) {
        for (const std::string& field : sdk.type.field_names) {
          // The model outlives the registry: a stable name to point at.
          const std::string& full = *flat_names_.emplace(sdk.name + "." + field).first;
          if (!Declares(*op, full)) op->unsupported.push_back(full);
        }
        continue;
      }
    }
    op->unsupported.push_back(sdk.name);
  }
  return Status::Ok();
}

Status Registry::AddOperation(OperationSpec op) {
  if (FindProduct(op.version) == nullptr) {
    return RegistryError("operation " + std::string(op.action) +
                         " names unknown version " + std::string(op.version));
  }
  if (model_ != nullptr) SWASD_RETURN_IF_ERROR(CheckAgainstModel(&op));
  auto key = std::make_pair(std::string(op.version), std::string(op.action));
  if (index_.count(key)) {
    return RegistryError("duplicate operation " + std::string(op.action));
  }
  // ops_ may reallocate: index by position, not pointer.
  index_.emplace(std::move(key), ops_.size());
  ops_.push_back(std::move(op));
  return Status::Ok();
}

const ProductSpec* Registry::FindProduct(std::string_view version) const {
  for (const auto& p : products_) {
    if (p.version == version) return &p;
  }
  return nullptr;
}

const apimodel::Product* Registry::KnownProduct(std::string_view version) const {
  return model_ ? model_->ByVersion(version) : nullptr;
}

const OperationSpec* Registry::Find(std::string_view version,
                                    std::string_view action) const {
  auto it = index_.find(std::make_pair(std::string(version), std::string(action)));
  return it == index_.end() ? nullptr : &ops_[it->second];
}

std::vector<const OperationSpec*> Registry::Operations() const {
  std::vector<const OperationSpec*> out;
  for (const auto& p : products_) {
    for (const auto& op : ops_) {
      if (op.version == p.version) out.push_back(&op);
    }
  }
  return out;
}

Json Registry::Describe() const {
  Json products = Json::array();
  for (const auto& p : products_) {
    Json ops = Json::array();
    for (const auto& op : ops_) {
      if (op.version != p.version) continue;
      Json params = Json::array();
      for (const auto& ps : op.params) {
        Json j = {{"Name", ps.name},
                  {"Type", TypeName(ps.type)},
                  {"Required", ps.required},
                  {"Description", ps.description}};
        if (!ps.allowed.empty()) j["Allowed"] = ps.allowed;
        if (ps.min_length) j["MinLength"] = ps.min_length;
        if (ps.max_length) j["MaxLength"] = ps.max_length;
        if (ps.ascii_only) j["AsciiOnly"] = true;
        if (ps.invalid_error) j["InvalidError"] = ps.invalid_error->code;
        if (ps.type == ParamType::kInteger) {
          if (ps.min_value != std::numeric_limits<int64_t>::min())
            j["Min"] = ps.min_value;
          if (ps.max_value != std::numeric_limits<int64_t>::max())
            j["Max"] = ps.max_value;
        }
        if (ps.type == ParamType::kStringList || ps.type == ParamType::kRepeatList ||
            ps.type == ParamType::kRepeatObjects) {
          j["MaxItems"] = ps.max_items;
        }
        if (ps.type == ParamType::kRepeatList) j["Element"] = TypeName(ps.element);
        if (!ps.fields.empty()) {
          Json fields = Json::array();
          for (const ParamSpec& f : ps.fields) {
            Json fj = {{"Name", f.name}, {"Type", TypeName(f.type)}};
            if (f.required) fj["Required"] = true;
            if (f.max_length) fj["MaxLength"] = f.max_length;
            fields.push_back(std::move(fj));
          }
          j["Fields"] = std::move(fields);
        }
        params.push_back(std::move(j));
      }
      ops.push_back({{"Action", op.action},
                     {"Summary", op.summary},
                     {"Mutating", op.mutating},
                     {"RamAction", op.ram_action},
                     {"Authorize", op.authorize},
                     {"Resource", op.resource},
                     {"Parameters", std::move(params)},
                     {"Unsupported", op.unsupported},
                     {"Canned", op.canned}});
    }
    products.push_back({{"Product", p.code},
                        {"Name", p.name},
                        {"Version", p.version},
                        {"Operations", std::move(ops)}});
  }
  return {{"Products", std::move(products)}};
}

std::string Registry::CoverageMarkdown() const {
  // Products in registration order, then those only the model knows.
  struct Section {
    std::string name, code, version;
    const apimodel::Product* known;
  };
  std::vector<Section> sections;
  for (const auto& p : products_) {
    sections.push_back({std::string(p.name), std::string(p.code),
                        std::string(p.version), KnownProduct(p.version)});
  }
  if (model_ != nullptr) {
    for (const auto& kp : model_->products()) {
      if (FindProduct(kp->version()) != nullptr) continue;
      std::string name = kp->code();
      for (char& c : name) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
      sections.push_back({name, kp->code(), kp->version(), kp.get()});
    }
  }
  auto implemented = [&](const Section& sec) {
    size_t n = 0;
    for (const auto& op : ops_) n += op.version == sec.version;
    return n;
  };

  std::string out;
  if (model_ != nullptr) {
    out += "| Product | Version | SDK the model is generated from | Implemented | Known operations |\n";
    out += "|---|---|---|---|---|\n";
    for (const auto& sec : sections) {
      out += "| " + sec.name + " (`" + sec.code + "`) | " + sec.version + " | `" +
             (sec.known ? sec.known->package() + "@" + sec.known->package_version()
                        : std::string("—")) +
             "` | " + std::to_string(implemented(sec)) + " | " +
             (sec.known ? std::to_string(sec.known->actions().size()) : std::string("—")) +
             " |\n";
    }
    out += "\n";
  }
  for (const auto& sec : sections) {
    out += "### " + sec.name + " (`" + sec.code + "` " + sec.version + ")\n\n";
    size_t n = implemented(sec);
    if (sec.known) {
      out += std::to_string(n) + " of " + std::to_string(sec.known->actions().size()) +
             " operations implemented.\n\n";
    }
    if (n > 0) {
      out += "| Action | RAM action | Resource | Parameters (* = required) | Not supported yet |\n";
      out += "|---|---|---|---|---|\n";
    }
    for (const auto& op : ops_) {
      if (op.version != sec.version) continue;
      std::string params;
      for (const auto& ps : op.params) {
        if (!params.empty()) params += ", ";
        params += "`" + std::string(ps.name) + "`";
        if (ps.required) params += "*";
        params += std::string(" ") + TypeName(ps.type);
        if (!ps.allowed.empty()) {
          params += " (";
          for (size_t i = 0; i < ps.allowed.size(); ++i) {
            params += (i ? "\\|" : "") + std::string(ps.allowed[i]);
          }
          params += ")";
        }
      }
      std::string unsupported;
      for (auto u : op.unsupported) {
        unsupported += (unsupported.empty() ? "`" : ", `") + std::string(u) + "`";
      }
      out += "| " + std::string(op.action) + " | `" + std::string(op.ram_action) +
             "` | `" + std::string(op.resource) + "` | " +
             (params.empty() ? "—" : params) + " | " +
             (unsupported.empty() ? "—" : unsupported) + " |\n";
    }
    std::string canned;
    for (const auto& op : ops_) {
      if (op.version != sec.version || op.canned.empty()) continue;
      canned += "- " + std::string(op.action) + ": ";
      for (size_t i = 0; i < op.canned.size(); ++i) {
        canned += (i ? ", " : "") + std::string(op.canned[i]);
      }
      canned += "\n";
    }
    if (n > 0) out += "\n";
    if (!canned.empty()) {
      out += "Canned response fields (the same answer for every resource, not modelled):\n\n" +
             canned + "\n";
    }
    if (sec.known && sec.known->actions().size() > n) {
      std::string list;
      for (const auto& a : sec.known->actions()) {
        if (Find(sec.version, a) != nullptr) continue;
        list += (list.empty() ? "`" : ", `") + a + "`";
      }
      out += "Not implemented yet (answered `NotImplemented.Swasd`, HTTP 400): " + list + ".\n\n";
    }
  }
  return out;
}

}  // namespace swasd::gateway
