#include "ecs/zones.h"

#include <cstdlib>
#include <iostream>
#include <nlohmann/json.hpp>

#include "apimodel/apimodel.h"
#include "base/errors.h"

namespace swasd::ecs {

Result<ZoneCatalog> ZoneCatalog::Parse(std::string_view text) {
  auto doc = nlohmann::json::parse(text.begin(), text.end(), nullptr, false);
  if (doc.is_discarded() || !doc.is_object() || !doc.contains("regions")) {
    return Error(errors::kInternalError).WithCause("zone catalog: not the expected JSON");
  }
  ZoneCatalog out;
  try {
    for (const auto& [region, zones] : doc.at("regions").items()) {
      auto& list = out.zones_[region];
      for (const auto& z : zones) {
        const auto& names = z.at("LocalName");
        list.push_back({z.at("ZoneId").get<std::string>(), names.at("en-US").get<std::string>(),
                        names.at("zh-CN").get<std::string>()});
      }
    }
  } catch (const nlohmann::json::exception& e) {
    return Error(errors::kInternalError).WithCause(std::string("zone catalog: ") + e.what());
  }
  return out;
}

const ZoneCatalog& ZoneCatalog::Builtin() {
  static const ZoneCatalog* catalog = [] {
    auto parsed = Parse(apimodel::EmbeddedCatalog("ecs-zones"));
    if (!parsed.ok()) {
      std::cerr << "swasd: embedded api/catalog/ecs-zones.json: " << parsed.error().internal_cause() << "\n";
      std::abort();
    }
    return new ZoneCatalog(std::move(parsed).value());
  }();
  return *catalog;
}

const std::vector<Zone>& ZoneCatalog::ZonesOf(std::string_view region) const {
  static const std::vector<Zone> kNone;
  auto it = zones_.find(region);
  return it == zones_.end() ? kNone : it->second;
}

bool ZoneCatalog::Has(std::string_view region, std::string_view zone) const {
  for (const Zone& z : ZonesOf(region)) {
    if (z.zone_id == zone) return true;
  }
  return false;
}

}  // namespace swasd::ecs
