#include "vpc/model.h"

#include <nlohmann/json.hpp>

#include "base/errors.h"
#include "store/document.h"

namespace swasd::vpc {
namespace {

using nlohmann::json;

json LifeJson(const Lifecycle& l) { return {l.status, l.next, l.at_ms}; }
void LifeFrom(const json& j, Lifecycle* l) {
  l->status = j.at(0).get<std::string>();
  l->next = j.at(1).get<std::string>();
  l->at_ms = j.at(2).get<int64_t>();
}

store::Resource Base(const char* kind, const std::string& id, const std::string& account,
                     const std::string& region, const std::string& name,
                     const std::string& parent, int64_t created_ms) {
  return store::Resource{kind, id, account, region, name, parent, 0, created_ms, ""};
}


}  // namespace

store::Resource ToResource(const Vpc& v) {
  auto r = Base(kVpcKind, v.id, v.account_id, v.region_id, v.name, "", v.created_ms);
  r.doc = json{{"description", v.description},       {"cidr_block", v.cidr_block},
               {"vrouter_id", v.vrouter_id},         {"route_table_id", v.route_table_id},
               {"resource_group_id", v.resource_group_id}, {"life", LifeJson(v.life)}}
              .dump();
  return r;
}

Result<Vpc> VpcFrom(const store::Resource& r) {
  return store::DecodeDocument<Vpc>(r, [](const json& j, Vpc& v) {
    v.description = j.at("description");
    v.cidr_block = j.at("cidr_block");
    v.vrouter_id = j.at("vrouter_id");
    v.route_table_id = j.at("route_table_id");
    v.resource_group_id = j.at("resource_group_id");
    LifeFrom(j.at("life"), &v.life);
  });
}

store::Resource ToResource(const VSwitch& v) {
  auto r = Base(kVSwitchKind, v.id, v.account_id, v.region_id, v.name, v.vpc_id, v.created_ms);
  r.doc = json{{"description", v.description}, {"zone_id", v.zone_id},
               {"cidr_block", v.cidr_block},   {"life", LifeJson(v.life)}}
              .dump();
  return r;
}

Result<VSwitch> VSwitchFrom(const store::Resource& r) {
  return store::DecodeDocument<VSwitch>(r, [&](const json& j, VSwitch& v) {
    v.vpc_id = r.parent_id;
    v.description = j.at("description");
    v.zone_id = j.at("zone_id");
    v.cidr_block = j.at("cidr_block");
    LifeFrom(j.at("life"), &v.life);
  });
}

}  // namespace swasd::vpc
