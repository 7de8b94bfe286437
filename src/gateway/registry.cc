#include "gateway/registry.h"

namespace swasd::gateway {
namespace {

const char* TypeName(ParamType t) {
  switch (t) {
    case ParamType::kString: return "String";
    case ParamType::kInteger: return "Integer";
    case ParamType::kBoolean: return "Boolean";
    case ParamType::kStringList: return "JsonArray";
  }
  return "String";
}

Error RegistryError(std::string message) {
  return Error("RegistryError", 0, std::move(message));
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

Status Registry::AddOperation(OperationSpec op) {
  if (FindProduct(op.version) == nullptr) {
    return RegistryError("operation " + std::string(op.action) +
                         " names unknown version " + std::string(op.version));
  }
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
        if (ps.max_length) j["MaxLength"] = ps.max_length;
        if (ps.type == ParamType::kInteger) {
          if (ps.min_value != std::numeric_limits<int64_t>::min())
            j["Min"] = ps.min_value;
          if (ps.max_value != std::numeric_limits<int64_t>::max())
            j["Max"] = ps.max_value;
        }
        if (ps.type == ParamType::kStringList) j["MaxItems"] = ps.max_items;
        params.push_back(std::move(j));
      }
      ops.push_back({{"Action", op.action},
                     {"Summary", op.summary},
                     {"Mutating", op.mutating},
                     {"RamAction", op.ram_action},
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
  std::string out;
  for (const auto& p : products_) {
    out += "### " + std::string(p.name) + " (`" + std::string(p.code) + "` " +
           std::string(p.version) + ")\n\n";
    out += "| Action | RAM action | Resource | Parameters (* = required) | Not supported yet |\n";
    out += "|---|---|---|---|---|\n";
    for (const auto& op : ops_) {
      if (op.version != p.version) continue;
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
      if (op.version != p.version || op.canned.empty()) continue;
      canned += "- " + std::string(op.action) + ": ";
      for (size_t i = 0; i < op.canned.size(); ++i) {
        canned += (i ? ", " : "") + std::string(op.canned[i]);
      }
      canned += "\n";
    }
    if (!canned.empty()) {
      out += "\nCanned response fields (the same answer for every resource, not modelled):\n\n" +
             canned;
    }
    out += "\n";
  }
  return out;
}

}  // namespace swasd::gateway
