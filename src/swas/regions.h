// The SWAS region catalog. Default: the regions Alibaba lists for Simple
// Application Server (the product's Endpoints page, read 2026-11;
// docs/coverage.md). Every operation validates RegionId against it.
#ifndef SWASD_SWAS_REGIONS_H_
#define SWASD_SWAS_REGIONS_H_

#include <string>
#include <string_view>
#include <vector>

namespace swasd::swas {

struct Region {
  std::string region_id;
  std::string name_zh;  // LocalName for AcceptLanguage=zh-CN (the default)
  std::string name_en;  // LocalName for en-US
};

class RegionCatalog {
 public:
  // Alibaba's SWAS regions.
  static RegionCatalog Default();
  // A catalog limited to `ids` (for operators who serve fewer regions).
  // Unknown ids are kept with their id as name.
  static RegionCatalog Only(const std::vector<std::string>& ids);

  const std::vector<Region>& regions() const { return regions_; }
  // nullptr when the region is not served.
  const Region* Find(std::string_view region_id) const;

 private:
  std::vector<Region> regions_;
};

}  // namespace swasd::swas

#endif  // SWASD_SWAS_REGIONS_H_
