// ECS wire handlers, one file per area, registered by routes.cc. Internal
// to ecs/api: each Add*Operations adds its area's rows to `r`.
#ifndef SWASD_ECS_API_HANDLERS_H_
#define SWASD_ECS_API_HANDLERS_H_

#include <optional>
#include <sstream>
#include <string>
#include <vector>

#include "ecs/api/routes.h"
#include "gateway/routes.h"

namespace swasd::ecs::api {

using gateway::Args;
using gateway::CallContext;
using gateway::Json;
using gateway::ListArg;
using gateway::Routes;

// Regions, zones, instance types and what is available where.
void AddCatalogOperations(Routes* r, const Services* s);
// Images ECS can see, SWAS images shared to ECS among them.
void AddImageOperations(Routes* r, const Services* s);
// Instances and their disks.
void AddInstanceOperations(Routes* r, const Services* s);
// Security groups and their rules, SSH key pairs.
void AddNetworkOperations(Routes* r, const Services* s);

// ECS's comma-separated lists (ImageId, Status).
inline std::vector<std::string> CommaList(const std::optional<std::string>& v) {
  std::vector<std::string> out;
  if (!v) return out;
  std::stringstream ss(*v);
  for (std::string item; std::getline(ss, item, ',');) {
    if (!item.empty()) out.push_back(item);
  }
  return out;
}

inline Json IpList(const std::string& ip) {
  return Json{{"IpAddress", ip.empty() ? Json::array() : Json::array({ip})}};
}

}  // namespace swasd::ecs::api

#endif  // SWASD_ECS_API_HANDLERS_H_
