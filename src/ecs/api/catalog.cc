// Regions and zones: what exists and can be created where.
#include "base/errors.h"
#include "ecs/api/handlers.h"
#include "ecs/errors.h"
#include "gateway/common_params.h"

namespace swasd::ecs::api {
void AddCatalogOperations(Routes* r, const Services* s) {
  r->Raw("DescribeRegions", [s](const CallContext& ctx, const Args& args) -> Result<Json> {
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
  // what can be created there: the instance types and disk categories
  // RunInstances accepts, identical in every zone (swasd models no
  // per-zone stock). AcceptLanguage ja gets the English names (the
  // catalog has no Japanese ones).
  r->Raw("DescribeZones", [s](const CallContext&, const Args& args) -> Result<Json> {
    const std::string region = *args.String("RegionId");
    SWASD_RETURN_IF_ERROR(s->service->CheckRegion(region));
    const bool english = args.String("AcceptLanguage").value_or("zh-CN") != "zh-CN";
    const bool verbose = args.Boolean("Verbose").value_or(true);
    Json types = Json::array();
    for (const InstanceType& t : InstanceTypes()) types.push_back(t.name);
    const Json categories = {"cloud_essd", "cloud_ssd", "cloud_efficiency", "cloud",
                             "cloud_auto", "cloud_essd_entry"};
    Json list = Json::array();
    for (const Zone& z : s->service->zones().ZonesOf(region)) {
      Json j = {{"ZoneId", z.zone_id},
                {"LocalName", english ? z.name_en : z.name_zh},
                {"ZoneType", "AvailabilityZone"}};
      if (verbose) {
        j["AvailableResourceCreation"] = {
            {"ResourceTypes", {"Instance", "Disk", "VSwitch", "IoOptimized"}}};
        j["AvailableDiskCategories"] = {{"DiskCategories", categories}};
        j["AvailableInstanceTypes"] = {{"InstanceTypes", types}};
      }
      list.push_back(std::move(j));
    }
    return Json{{"Zones", {{"Zone", std::move(list)}}}};
  });
}

}  // namespace swasd::ecs::api
