#include "ecs/instance_types.h"

#include <algorithm>
#include <cstdlib>
#include <iostream>
#include <nlohmann/json.hpp>

#include "apimodel/apimodel.h"
#include "base/errors.h"
#include "ecs/errors.h"

namespace swasd::ecs {
namespace {

using nlohmann::json;

std::vector<std::string> Strings(const json& j, const char* key) {
  std::vector<std::string> out;
  if (!j.contains(key)) return out;
  for (const auto& v : j.at(key)) out.push_back(v.get<std::string>());
  return out;
}

template <typename T>
std::optional<T> Optional(const json& j, const char* key) {
  if (!j.contains(key)) return std::nullopt;
  return j.at(key).get<T>();
}

bool AnyOf(const std::vector<std::string>& wanted, const std::string& v) {
  return wanted.empty() || std::find(wanted.begin(), wanted.end(), v) != wanted.end();
}

bool Contains(const std::vector<std::string>& list, std::string_view v) {
  return std::find(list.begin(), list.end(), v) != list.end();
}

// Every category name ECS documents for RunInstances' SystemDisk.Category
// and DataDisk.N.Category, offered or not: a name outside this list is
// malformed (Invalid*DiskCategory.ValueNotSupported), a name in it that
// the family does not take is InvalidDiskCategory.NotSupported.
const std::vector<std::string>& KnownDiskCategories() {
  static const std::vector<std::string> kKnown = {
      "cloud_essd", "cloud_ssd", "cloud_efficiency", "cloud_auto", "cloud_essd_entry",
      "cloud",      "ephemeral_ssd"};
  return kKnown;
}

}  // namespace

const std::vector<std::string>& InstanceTypeCatalog::DiskCategories() {
  static const std::vector<std::string> kCategories = {
      "cloud_essd", "cloud_ssd", "cloud_efficiency", "cloud_auto", "cloud_essd_entry"};
  return kCategories;
}

Result<InstanceTypeCatalog> InstanceTypeCatalog::Parse(std::string_view text) {
  auto doc = json::parse(text.begin(), text.end(), nullptr, false);
  if (doc.is_discarded() || !doc.is_object() || !doc.contains("families") ||
      !doc.contains("types")) {
    return Error(swasd::errors::kInternalError).WithCause("instance type catalog: not the expected JSON");
  }
  InstanceTypeCatalog out;
  try {
    for (const auto& f : doc.at("families")) {
      InstanceTypeFamily fam;
      fam.id = f.at("InstanceTypeFamily").get<std::string>();
      fam.generation = f.value("Generation", "");
      fam.category = f.at("InstanceCategory").get<std::string>();
      fam.level = f.at("InstanceFamilyLevel").get<std::string>();
      fam.disk_categories = Strings(f, "DiskCategories");
      // Unless its data names them (a family page that was read for it),
      // a family takes every category the zones offer.
      if (fam.disk_categories.empty()) fam.disk_categories = DiskCategories();
      for (const std::string& c : fam.disk_categories) {
        if (!Contains(DiskCategories(), c)) {
          return Error(swasd::errors::kInternalError)
              .WithCause("instance type catalog: " + fam.id + ": unknown disk category " + c);
        }
      }
      if (!out.family_index_.emplace(fam.id, out.families_.size()).second) {
        return Error(swasd::errors::kInternalError)
            .WithCause("instance type catalog: family " + fam.id + " twice");
      }
      out.families_.push_back(std::move(fam));
    }
    for (const auto& t : doc.at("types")) {
      InstanceTypeSpec s;
      s.id = t.at("InstanceTypeId").get<std::string>();
      s.family = t.at("InstanceTypeFamily").get<std::string>();
      s.cpu = t.at("CpuCoreCount").get<int>();
      s.memory_gib = t.at("MemorySize").get<double>();
      s.architecture = t.at("CpuArchitecture").get<std::string>();
      s.gpu_amount = t.at("GPUAmount").get<int>();
      s.gpu_spec = t.at("GPUSpec").get<std::string>();
      s.eni_quantity = t.at("EniQuantity").get<int>();
      s.eni_private_ips = Optional<int>(t, "EniPrivateIpAddressQuantity");
      s.bandwidth_rx_kbps = Optional<int64_t>(t, "InstanceBandwidthRx");
      s.bandwidth_tx_kbps = Optional<int64_t>(t, "InstanceBandwidthTx");
      s.regions = Strings(t, "Regions");
      if (out.family_index_.find(s.family) == out.family_index_.end()) {
        return Error(swasd::errors::kInternalError)
            .WithCause("instance type catalog: " + s.id + ": unknown family " + s.family);
      }
      if (!out.type_index_.emplace(s.id, out.types_.size()).second) {
        return Error(swasd::errors::kInternalError)
            .WithCause("instance type catalog: type " + s.id + " twice");
      }
      out.types_.push_back(std::move(s));
    }
  } catch (const json::exception& e) {
    return Error(swasd::errors::kInternalError).WithCause(std::string("instance type catalog: ") + e.what());
  }
  return out;
}

const InstanceTypeCatalog& InstanceTypeCatalog::Builtin() {
  static const InstanceTypeCatalog* catalog = [] {
    auto parsed = Parse(apimodel::EmbeddedCatalog("ecs-instance-types"));
    if (!parsed.ok()) {
      std::cerr << "swasd: embedded api/catalog/ecs-instance-types.json: "
                << parsed.error().internal_cause() << "\n";
      std::abort();
    }
    return new InstanceTypeCatalog(std::move(parsed).value());
  }();
  return *catalog;
}

const InstanceTypeSpec* InstanceTypeCatalog::Find(std::string_view id) const {
  auto it = type_index_.find(id);
  return it == type_index_.end() ? nullptr : &types_[it->second];
}

const InstanceTypeFamily* InstanceTypeCatalog::FindFamily(std::string_view id) const {
  auto it = family_index_.find(id);
  return it == family_index_.end() ? nullptr : &families_[it->second];
}

std::vector<const InstanceTypeSpec*> InstanceTypeCatalog::Filter(
    const InstanceTypeFilter& f) const {
  std::vector<const InstanceTypeSpec*> out;
  for (const InstanceTypeSpec& t : types_) {
    const InstanceTypeFamily& fam = *FindFamily(t.family);
    if (!AnyOf(f.ids, t.id) || !AnyOf(f.families, t.family) ||
        !AnyOf(f.architectures, t.architecture) || !AnyOf(f.gpu_specs, t.gpu_spec) ||
        !AnyOf(f.categories, fam.category)) {
      continue;
    }
    if (f.family_level && *f.family_level != fam.level) continue;
    if ((f.min_cpu && t.cpu < *f.min_cpu) || (f.max_cpu && t.cpu > *f.max_cpu)) continue;
    if ((f.min_memory && t.memory_gib < *f.min_memory) ||
        (f.max_memory && t.memory_gib > *f.max_memory)) {
      continue;
    }
    if ((f.min_gpu && t.gpu_amount < *f.min_gpu) || (f.max_gpu && t.gpu_amount > *f.max_gpu)) {
      continue;
    }
    if (f.min_eni && t.eni_quantity < *f.min_eni) continue;
    // A bound on a figure the sources do not give excludes the type.
    if (f.min_eni_ips && t.eni_private_ips.value_or(0) < *f.min_eni_ips) continue;
    if (f.min_bandwidth_rx && t.bandwidth_rx_kbps.value_or(0) < *f.min_bandwidth_rx) continue;
    if (f.min_bandwidth_tx && t.bandwidth_tx_kbps.value_or(0) < *f.min_bandwidth_tx) continue;
    out.push_back(&t);
  }
  return out;
}

bool InstanceTypeCatalog::OfferedIn(const InstanceTypeSpec& type, std::string_view region,
                                    std::string_view /*zone*/) const {
  return type.regions.empty() || Contains(type.regions, region);
}

const std::vector<std::string>& InstanceTypeCatalog::DiskCategoriesOf(
    const InstanceTypeSpec& type) const {
  return FindFamily(type.family)->disk_categories;
}

Result<const InstanceTypeSpec*> InstanceTypeCatalog::CheckLaunch(
    std::string_view region, std::string_view zone, std::string_view type,
    std::string_view system_disk_category,
    const std::vector<std::string>& data_disk_categories) const {
  const InstanceTypeSpec* t = Find(type);
  if (t == nullptr) return errors::kInvalidInstanceTypeValueNotSupported;
  if (!OfferedIn(*t, region, zone)) return errors::kInvalidInstanceTypeZoneNotSupported;
  if (!Contains(KnownDiskCategories(), system_disk_category)) {
    return errors::kInvalidSystemDiskCategoryValueNotSupported;
  }
  for (const std::string& c : data_disk_categories) {
    if (!Contains(KnownDiskCategories(), c)) {
      return errors::kInvalidDataDiskCategoryValueNotSupported;
    }
  }
  const auto& takes = DiskCategoriesOf(*t);
  if (!Contains(takes, system_disk_category)) return errors::kInvalidDiskCategoryNotSupported;
  for (const std::string& c : data_disk_categories) {
    if (!Contains(takes, c)) return errors::kInvalidDiskCategoryNotSupported;
  }
  return t;
}

}  // namespace swasd::ecs
