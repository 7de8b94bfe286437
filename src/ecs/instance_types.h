// The ECS instance type catalog: families (generation, category) and
// types (vCPU, memory, architecture, GPU, ENIs, bandwidth), where each type
// is offered, and which disk categories each family takes.
// Data: api/catalog/ecs-instance-types.json (sources in
// api/catalog/SOURCES.md), embedded in the binary and parsed once.
//
// Availability: a type is offered in every zone of every region, except a
// type whose data names "Regions": it is offered in every zone of those
// regions only (Alibaba's instance family pages name such limits, e.g.
// ecs.e-c2m1.large is sold in 12 regions outside the mainland). swasd models
// no stock: an offered type is always Available/WithStock.
#ifndef SWASD_ECS_INSTANCE_TYPES_H_
#define SWASD_ECS_INSTANCE_TYPES_H_

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/error.h"

namespace swasd::ecs {

struct InstanceTypeFamily {
  std::string id;          // "ecs.g6"
  std::string generation;  // "ecs-5"; empty where the sources do not say
  std::string category;    // InstanceCategory: "General-purpose", "Shared", ...
  std::string level;       // InstanceFamilyLevel: EnterpriseLevel, EntryLevel, CreditEntryLevel
  // The disk categories the family's instances take, system and data
  // alike (InstanceTypeCatalog::DiskCategories() unless the data says).
  std::vector<std::string> disk_categories;
};

struct InstanceTypeSpec {
  std::string id;      // "ecs.g6.large"
  std::string family;  // "ecs.g6"
  int cpu = 0;
  double memory_gib = 0;
  std::string architecture;  // "X86" | "ARM"
  int gpu_amount = 0;
  std::string gpu_spec;
  int eni_quantity = 0;
  std::optional<int> eni_private_ips;
  std::optional<int64_t> bandwidth_rx_kbps, bandwidth_tx_kbps;
  std::vector<std::string> regions;  // empty: every region

  // DescribeInstances' Memory (MiB).
  int memory_mib() const { return static_cast<int>(memory_gib * 1024 + 0.5); }
};

// DescribeInstanceTypes' filters; an empty list or absent bound matches any.
struct InstanceTypeFilter {
  std::vector<std::string> ids, families, architectures, gpu_specs, categories;
  std::optional<std::string> family_level;
  std::optional<int64_t> min_cpu, max_cpu, min_gpu, max_gpu, min_eni, min_eni_ips;
  std::optional<int64_t> min_bandwidth_rx, min_bandwidth_tx;
  std::optional<double> min_memory, max_memory;
};

class InstanceTypeCatalog {
 public:
  // The embedded catalog. A malformed embedded file is a build defect and
  // aborts.
  static const InstanceTypeCatalog& Builtin();
  static Result<InstanceTypeCatalog> Parse(std::string_view json_text);

  // Every disk category a zone offers, in DescribeZones' order. Basic disks
  // ("cloud") are not among them: no family of the catalog takes them.
  static const std::vector<std::string>& DiskCategories();
  // System disk size bounds (GiB) for DescribeAvailableResource.
  static constexpr int kSystemDiskMinGib = 20, kSystemDiskMaxGib = 2048;
  static constexpr int kDataDiskMinGib = 20, kDataDiskMaxGib = 32768;

  const std::vector<InstanceTypeFamily>& families() const { return families_; }
  const std::vector<InstanceTypeSpec>& types() const { return types_; }
  const InstanceTypeSpec* Find(std::string_view id) const;
  const InstanceTypeFamily* FindFamily(std::string_view id) const;

  // The types matching `filter`, in catalog order.
  std::vector<const InstanceTypeSpec*> Filter(const InstanceTypeFilter& filter) const;
  // Whether `type` is offered in `zone` of `region` (see the file comment;
  // the zone itself is the caller's to check against the ZoneCatalog).
  bool OfferedIn(const InstanceTypeSpec& type, std::string_view region,
                 std::string_view zone) const;
  // The disk categories `type` takes.
  const std::vector<std::string>& DiskCategoriesOf(const InstanceTypeSpec& type) const;

  // RunInstances/CreateInstance's checks of a launch in an existing zone:
  // unknown type InvalidInstanceType.ValueNotSupported; type not offered
  // there InvalidInstanceType.ZoneNotSupported; a category that is no disk
  // category Invalid{System,Data}DiskCategory.ValueNotSupported; a
  // category the family does not take InvalidDiskCategory.NotSupported.
  Result<const InstanceTypeSpec*> CheckLaunch(
      std::string_view region, std::string_view zone, std::string_view type,
      std::string_view system_disk_category,
      const std::vector<std::string>& data_disk_categories) const;

 private:
  std::vector<InstanceTypeFamily> families_;
  std::vector<InstanceTypeSpec> types_;
  std::map<std::string, size_t, std::less<>> type_index_, family_index_;
};

}  // namespace swasd::ecs

#endif  // SWASD_ECS_INSTANCE_TYPES_H_
