// Regions, zones and instance types: what exists and can be created where.
#include <algorithm>
#include <charconv>

#include "base/errors.h"
#include "ecs/api/handlers.h"
#include "ecs/errors.h"
#include "gateway/common_params.h"

namespace swasd::ecs::api {
namespace {

constexpr std::string_view kNextTokenPrefix = "swasd-types-";

bool In(const std::vector<std::string>& list, std::string_view v) {
  return std::find(list.begin(), list.end(), v) != list.end();
}

// A float parameter (MemorySize bounds, DescribeAvailableResource's
// Memory): the SDK sends it as text; the gateway passes it as a string.
Result<std::optional<double>> DoubleArg(const Args& args, std::string_view name) {
  auto v = args.String(name);
  if (!v) return std::optional<double>();
  double d = 0;
  auto [end, ec] = std::from_chars(v->data(), v->data() + v->size(), d);
  if (v->empty() || ec != std::errc() || end != v->data() + v->size() || d < 0) {
    return swasd::errors::InvalidParam(name, "must be a non-negative number");
  }
  return std::optional<double>(d);
}

// `single` and `list` both narrow the same attribute (InstanceTypeFamily
// and InstanceTypeFamilies.N): the values both allow; nullopt when they
// allow none.
std::optional<std::vector<std::string>> Narrow(const std::optional<std::string>& single,
                                               std::vector<std::string> list) {
  if (!single) return list;
  if (list.empty() || In(list, *single)) return std::vector<std::string>{*single};
  return std::nullopt;
}

Json TypeJson(const InstanceTypeSpec& t, const InstanceTypeFamily& fam) {
  Json j = {{"InstanceTypeId", t.id},
            {"InstanceTypeFamily", t.family},
            {"CpuCoreCount", t.cpu},
            {"MemorySize", t.memory_gib},
            {"CpuArchitecture", t.architecture},
            {"GPUAmount", t.gpu_amount},
            {"GPUSpec", t.gpu_spec},
            {"EniQuantity", t.eni_quantity},
            {"InstanceCategory", fam.category},
            {"InstanceFamilyLevel", fam.level},
            {"LocalStorageCategory", ""}};
  if (t.eni_private_ips) j["EniPrivateIpAddressQuantity"] = *t.eni_private_ips;
  if (t.bandwidth_rx_kbps) j["InstanceBandwidthRx"] = *t.bandwidth_rx_kbps;
  if (t.bandwidth_tx_kbps) j["InstanceBandwidthTx"] = *t.bandwidth_tx_kbps;
  return j;
}

Json Supported(std::string_view value) {
  return {{"Value", value}, {"Status", "Available"}, {"StatusCategory", "WithStock"}};
}

Json DiskSupported(std::string_view category, int min, int max) {
  Json j = Supported(category);
  j["Min"] = min;
  j["Max"] = max;
  j["Unit"] = "GiB";
  return j;
}

// DescribeAvailableResource's answer for one zone: the SupportedResource
// list of `destination` given the types the request allows (already
// narrowed by InstanceType/Cores/Memory and disk categories).
Json ZoneResources(const InstanceTypeCatalog& catalog, std::string_view destination,
                   const std::vector<const InstanceTypeSpec*>& types, bool disk_only,
                   const std::optional<std::string>& system_disk,
                   const std::optional<std::string>& data_disk, const Zone& zone) {
  Json out = Json::array();
  if (destination == "Zone") {
    if (disk_only || !types.empty()) out.push_back(Supported(zone.zone_id));
  } else if (destination == "IoOptimized") {
    if (!types.empty()) out.push_back(Supported("optimized"));
  } else if (destination == "Network") {
    if (!types.empty()) out.push_back(Supported("vpc"));
  } else if (destination == "InstanceType") {
    for (const InstanceTypeSpec* t : types) out.push_back(Supported(t->id));
  } else if (destination == "SystemDisk" || destination == "DataDisk") {
    const bool system = destination == "SystemDisk";
    const std::optional<std::string>& wanted = system ? system_disk : data_disk;
    for (const std::string& c : InstanceTypeCatalog::DiskCategories()) {
      if (wanted && c != *wanted) continue;
      bool taken = disk_only && !system;
      for (const InstanceTypeSpec* t : types) taken = taken || In(catalog.DiskCategoriesOf(*t), c);
      if (!taken) continue;
      out.push_back(system ? DiskSupported(c, InstanceTypeCatalog::kSystemDiskMinGib,
                                           InstanceTypeCatalog::kSystemDiskMaxGib)
                           : DiskSupported(c, InstanceTypeCatalog::kDataDiskMinGib,
                                           InstanceTypeCatalog::kDataDiskMaxGib));
    }
  }
  // "ddh": swasd has no dedicated hosts, so nothing.
  return out;
}

}  // namespace

void AddCatalogOperations(Routes* r, const Services* s) {
  r->RawRead("DescribeRegions", [s](const CallContext& ctx, const Args& args) -> Result<Json> {
    bool english = args.String("AcceptLanguage").value_or("zh-CN") != "zh-CN";
    std::string endpoint = s->public_endpoint.empty() ? ctx.host : s->public_endpoint;
    Json list = Json::array();
    for (const auto& r : s->regions->regions()) {
      list.push_back({{"RegionId", r.region_id},
                      {"LocalName", english ? r.name_en : r.name_zh},
                      {"RegionEndpoint", endpoint},
                      {"Status", "available"}});
    }
    return Json{{"Regions", {{"Region", std::move(list)}}}};
  });

  // Every zone of the region from the catalog; with Verbose (the default)
  // what can be created there: the instance types offered in the zone and
  // the disk categories (swasd models no per-zone stock). AcceptLanguage ja
  // gets the English names (the catalog has no Japanese ones).
  r->RawRead("DescribeZones", [s](const CallContext&, const Args& args) -> Result<Json> {
    const std::string region = *args.String("RegionId");
    SWASD_RETURN_IF_ERROR(s->service->CheckRegion(region));
    const bool english = args.String("AcceptLanguage").value_or("zh-CN") != "zh-CN";
    const bool verbose = args.Boolean("Verbose").value_or(true);
    const InstanceTypeCatalog& catalog = s->service->instance_types();
    Json list = Json::array();
    for (const Zone& z : s->service->zones().ZonesOf(region)) {
      Json j = {{"ZoneId", z.zone_id},
                {"LocalName", english ? z.name_en : z.name_zh},
                {"ZoneType", "AvailabilityZone"}};
      if (verbose) {
        Json types = Json::array();
        for (const InstanceTypeSpec& t : catalog.types()) {
          if (catalog.OfferedIn(t, region, z.zone_id)) types.push_back(t.id);
        }
        j["AvailableResourceCreation"] = {
            {"ResourceTypes", {"Instance", "Disk", "VSwitch", "IoOptimized"}}};
        j["AvailableDiskCategories"] = {{"DiskCategories", InstanceTypeCatalog::DiskCategories()}};
        j["AvailableInstanceTypes"] = {{"InstanceTypes", std::move(types)}};
      }
      list.push_back(std::move(j));
    }
    return Json{{"Zones", {{"Zone", std::move(list)}}}};
  });

  // The catalog's types matching the filters, in catalog order, paged by
  // NextToken/MaxResults (default and most 1600, as ECS documents); the
  // last page answers NextToken "" as ECS does.
  r->RawRead("DescribeInstanceTypes", [s](const CallContext&, const Args& args) -> Result<Json> {
    const InstanceTypeCatalog& catalog = s->service->instance_types();
    InstanceTypeFilter f;
    f.ids = args.Repeated("InstanceTypes");
    auto families = Narrow(args.String("InstanceTypeFamily"), args.Repeated("InstanceTypeFamilies"));
    auto archs = Narrow(args.String("CpuArchitecture"), args.Repeated("CpuArchitectures"));
    auto gpus = Narrow(args.String("GPUSpec"), args.Repeated("GpuSpecs"));
    auto categories = Narrow(args.String("InstanceCategory"), args.Repeated("InstanceCategories"));
    f.family_level = args.String("InstanceFamilyLevel");
    f.min_cpu = args.Integer("MinimumCpuCoreCount");
    f.max_cpu = args.Integer("MaximumCpuCoreCount");
    f.min_gpu = args.Integer("MinimumGPUAmount");
    f.max_gpu = args.Integer("MaximumGPUAmount");
    f.min_eni = args.Integer("MinimumEniQuantity");
    f.min_eni_ips = args.Integer("MinimumEniPrivateIpAddressQuantity");
    f.min_bandwidth_rx = args.Integer("MinimumInstanceBandwidthRx");
    f.min_bandwidth_tx = args.Integer("MinimumInstanceBandwidthTx");
    SWASD_ASSIGN_OR_RETURN(f.min_memory, DoubleArg(args, "MinimumMemorySize"));
    SWASD_ASSIGN_OR_RETURN(f.max_memory, DoubleArg(args, "MaximumMemorySize"));
    size_t offset = 0;
    if (auto token = args.String("NextToken"); token && !token->empty()) {
      std::string_view digits = *token;
      auto [end, ec] = std::from_chars(digits.data() + std::min(digits.size(), kNextTokenPrefix.size()),
                                       digits.data() + digits.size(), offset);
      if (!digits.starts_with(kNextTokenPrefix) || digits.size() == kNextTokenPrefix.size() ||
          ec != std::errc() || end != digits.data() + digits.size()) {
        return swasd::errors::InvalidParam("NextToken", "not a token this server gave");
      }
    }
    const size_t max = static_cast<size_t>(args.Integer("MaxResults").value_or(1600));
    std::vector<const InstanceTypeSpec*> matched;
    if (families && archs && gpus && categories) {
      f.families = *families;
      f.architectures = *archs;
      f.gpu_specs = *gpus;
      f.categories = *categories;
      matched = catalog.Filter(f);
    }
    Json list = Json::array();
    for (size_t i = offset; i < matched.size() && i < offset + max; ++i) {
      list.push_back(TypeJson(*matched[i], *catalog.FindFamily(matched[i]->family)));
    }
    const std::string next =
        offset + max < matched.size() ? std::string(kNextTokenPrefix) + std::to_string(offset + max) : "";
    return Json{{"InstanceTypes", {{"InstanceType", std::move(list)}}}, {"NextToken", next}};
  });

  // The families with a type offered in the region, in catalog order;
  // Generation narrows them. Generation is "" for the families whose
  // generation no source states (api/catalog/SOURCES.md).
  r->RawRead("DescribeInstanceTypeFamilies", [s](const CallContext&, const Args& args) -> Result<Json> {
    const std::string region = *args.String("RegionId");
    SWASD_RETURN_IF_ERROR(s->service->CheckRegion(region));
    const auto generation = args.String("Generation");
    const InstanceTypeCatalog& catalog = s->service->instance_types();
    const auto& zones = s->service->zones().ZonesOf(region);
    Json list = Json::array();
    for (const InstanceTypeFamily& fam : catalog.families()) {
      if (generation && fam.generation != *generation) continue;
      bool offered = false;
      for (const InstanceTypeSpec& t : catalog.types()) {
        if (t.family != fam.id) continue;
        for (const Zone& z : zones) offered = offered || catalog.OfferedIn(t, region, z.zone_id);
      }
      if (!offered) continue;
      list.push_back({{"InstanceTypeFamilyId", fam.id}, {"Generation", fam.generation}});
    }
    return Json{{"InstanceTypeFamilies", {{"InstanceTypeFamily", std::move(list)}}}};
  });

  // What can be created in each zone of the region (or ZoneId), answered
  // for DestinationResource (Zone > IoOptimized > InstanceType = Network >
  // SystemDisk > DataDisk, as ECS orders them). The other parameters narrow
  // the instance types considered: InstanceType, or Cores/Memory (not
  // both); IoOptimized none and NetworkCategory classic leave none (every
  // type is I/O optimized and VPC only); SystemDiskCategory and
  // DataDiskCategory keep the types that take them. ResourceType disk asks
  // about data disks alone. A zone with nothing to offer is left out. Every
  // value answered is Available/WithStock: swasd models no stock.
  r->RawRead("DescribeAvailableResource", [s](const CallContext&, const Args& args) -> Result<Json> {
    const std::string region = *args.String("RegionId");
    SWASD_RETURN_IF_ERROR(s->service->CheckRegion(region));
    const auto destination = args.String("DestinationResource");
    if (!destination) return errors::kInvalidParamDestinationResource;
    static const std::vector<std::string> kDestinations = {
        "Zone", "IoOptimized", "InstanceType", "SystemDisk", "DataDisk", "Network", "ddh"};
    if (!In(kDestinations, *destination)) return errors::kInvalidDestinationResource;
    const std::string resource_type = args.String("ResourceType").value_or("instance");
    if (!In({"instance", "disk", "reservedinstance", "ddh"}, resource_type)) {
      return errors::kInvalidResourceType;
    }
    const std::string io = args.String("IoOptimized").value_or("optimized");
    if (!In({"optimized", "none"}, io)) return errors::kInvalidIoOptimized;
    const std::string charge = args.String("InstanceChargeType").value_or("PostPaid");
    if (!In({"PostPaid", "PrePaid"}, charge)) return errors::kInvalidInstanceChargeType;
    const std::string network = args.String("NetworkCategory").value_or("vpc");
    if (!In({"vpc", "classic"}, network)) return errors::kInvalidNetworkCategory;
    const auto instance_type = args.String("InstanceType");
    const auto cores = args.Integer("Cores");
    SWASD_ASSIGN_OR_RETURN(auto memory, DoubleArg(args, "Memory"));
    if (*destination == "InstanceType" && instance_type && (cores || memory)) {
      return errors::kInvalidParamTypeAndCpuMemConflict;
    }
    const auto system_disk = args.String("SystemDiskCategory");
    const auto data_disk = args.String("DataDiskCategory");
    const bool disk_only = resource_type == "disk";

    const InstanceTypeCatalog& catalog = s->service->instance_types();
    std::vector<const InstanceTypeSpec*> candidates;
    if (!disk_only && resource_type != "ddh" && io == "optimized" && network == "vpc") {
      for (const InstanceTypeSpec& t : catalog.types()) {
        if (instance_type && t.id != *instance_type) continue;
        if (cores && t.cpu != *cores) continue;
        if (memory && t.memory_gib != *memory) continue;
        const auto& disks = catalog.DiskCategoriesOf(t);
        if (system_disk && !In(disks, *system_disk)) continue;
        if (data_disk && !In(disks, *data_disk)) continue;
        candidates.push_back(&t);
      }
    }
    const auto zone_id = args.String("ZoneId");
    Json list = Json::array();
    for (const Zone& z : s->service->zones().ZonesOf(region)) {
      if (zone_id && z.zone_id != *zone_id) continue;
      std::vector<const InstanceTypeSpec*> offered;
      for (const InstanceTypeSpec* t : candidates) {
        if (catalog.OfferedIn(*t, region, z.zone_id)) offered.push_back(t);
      }
      Json supported = ZoneResources(catalog, *destination, offered, disk_only, system_disk,
                                     data_disk, z);
      if (supported.empty()) continue;
      list.push_back(
          {{"ZoneId", z.zone_id},
           {"RegionId", region},
           {"Status", "Available"},
           {"StatusCategory", "WithStock"},
           {"AvailableResources",
            {{"AvailableResource",
              Json::array({{{"Type", *destination},
                            {"SupportedResources", {{"SupportedResource", std::move(supported)}}}}})}}}});
    }
    return Json{{"AvailableZones", {{"AvailableZone", std::move(list)}}}};
  });
}

}  // namespace swasd::ecs::api
