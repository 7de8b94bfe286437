#include "ecs/zones.h"

#include <gtest/gtest.h>

#include "swas/regions.h"

namespace swasd::ecs {
namespace {

TEST(ZoneCatalogTest, EveryServedRegionHasZonesOfItsOwn) {
  const ZoneCatalog& zones = ZoneCatalog::Builtin();
  const swas::RegionCatalog regions = swas::RegionCatalog::Default();
  for (const auto& r : regions.regions()) {
    const auto& list = zones.ZonesOf(r.region_id);
    EXPECT_FALSE(list.empty()) << r.region_id;
    for (const Zone& z : list) {
      EXPECT_TRUE(z.zone_id.starts_with(r.region_id)) << z.zone_id;
      EXPECT_FALSE(z.name_en.empty()) << z.zone_id;
      EXPECT_FALSE(z.name_zh.empty()) << z.zone_id;
    }
  }
  EXPECT_TRUE(zones.Has("cn-hangzhou", "cn-hangzhou-k"));
  EXPECT_TRUE(zones.Has("ap-southeast-1", "ap-southeast-1a"));
  EXPECT_FALSE(zones.Has("cn-hangzhou", "cn-hangzhou-a"));  // retired
  EXPECT_FALSE(zones.Has("cn-hangzhou", "cn-shanghai-b"));
  EXPECT_TRUE(zones.ZonesOf("xx-nowhere-1").empty());
}

TEST(ZoneCatalogTest, RefusesMalformedData) {
  EXPECT_FALSE(ZoneCatalog::Parse("[]").ok());
  EXPECT_FALSE(ZoneCatalog::Parse(R"({"regions": {"r": [{"ZoneId": "r-a"}]}})").ok());
  auto ok = ZoneCatalog::Parse(
      R"({"regions": {"r-1": [{"ZoneId": "r-1a", "LocalName": {"en-US": "A", "zh-CN": "甲"}}]}})");
  ASSERT_TRUE(ok.ok());
  EXPECT_TRUE(ok->Has("r-1", "r-1a"));
}

}  // namespace
}  // namespace swasd::ecs
