// RAM (2015-05-01) and STS (2015-04-01) wire handlers. RAM manages the
// identities and policies the authorizer enforces; STS issues temporary
// credentials for roles. Both are global: no RegionId.
#ifndef SWASD_IAM_API_ROUTES_H_
#define SWASD_IAM_API_ROUTES_H_

#include "base/clock.h"
#include "gateway/routes.h"
#include "gateway/registry.h"
#include "iam/service.h"
#include "store/store.h"

namespace swasd::iam::api {

inline constexpr gateway::ProductSpec kRamProduct{"ram", "Ram", "2015-05-01"};
inline constexpr gateway::ProductSpec kStsProduct{"sts", "Sts", "2015-04-01"};

// What the wire handlers use, wired by main: the domain `Service` (iam/
// service.h: RAM identities and STS sessions) and its dependencies (as
// swas::api::Services).
struct Services : gateway::Backends {
  const Service* service = nullptr;
};

Status Register(gateway::Registry* registry, const Services* services);

}  // namespace swasd::iam::api

#endif  // SWASD_IAM_API_ROUTES_H_
