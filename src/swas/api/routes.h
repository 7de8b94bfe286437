// SWAS (swas-open 2020-06-01) wire handlers: one function per Action,
// registered with the gateway together with its parameters, RAM action and
// resource. Domain rules live in swas/, not here.
#ifndef SWASD_SWAS_API_ROUTES_H_
#define SWASD_SWAS_API_ROUTES_H_

#include <string>

#include "base/error.h"
#include "gateway/idempotency.h"
#include "gateway/registry.h"
#include "store/store.h"
#include "swas/regions.h"
#include "swas/service.h"

namespace swasd::swas::api {

inline constexpr gateway::ProductSpec kProduct{"swas-open", "SWAS-OPEN",
                                               "2020-06-01"};

struct Services {
  store::Store* store = nullptr;
  const RegionCatalog* regions = nullptr;
  const Service* service = nullptr;
  const gateway::Mutator* mutator = nullptr;
  // RegionEndpoint answered by ListRegions. Empty: echo the Host the caller
  // used, so a client that follows RegionEndpoint keeps talking to swasd.
  std::string public_endpoint;
};

// Adds the product and its operations. `services` must outlive registry use.
Status Register(gateway::Registry* registry, const Services* services);

}  // namespace swasd::swas::api

#endif  // SWASD_SWAS_API_ROUTES_H_
