// The zones of each region, as ECS and VPC name them (ZoneId, LocalName).
// Data: api/catalog/ecs-zones.json (sources in api/catalog/SOURCES.md),
// embedded in the binary and parsed once.
#ifndef SWASD_ECS_ZONES_H_
#define SWASD_ECS_ZONES_H_

#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "base/error.h"

namespace swasd::ecs {

struct Zone {
  std::string zone_id;  // "cn-hangzhou-k", "ap-southeast-1a"
  std::string name_en, name_zh;
};

class ZoneCatalog {
 public:
  // The embedded catalog. A malformed embedded file is a build defect and
  // aborts.
  static const ZoneCatalog& Builtin();
  static Result<ZoneCatalog> Parse(std::string_view json_text);

  // The region's zones in the catalog's order; empty for an unknown region.
  const std::vector<Zone>& ZonesOf(std::string_view region) const;
  bool Has(std::string_view region, std::string_view zone) const;

 private:
  std::map<std::string, std::vector<Zone>, std::less<>> zones_;
};

}  // namespace swasd::ecs

#endif  // SWASD_ECS_ZONES_H_
