// VPC resources as the domain sees them, and their encoding as store
// Resources. Both are created Pending and become Available after a short
// time, as the real service reports them (a Lifecycle, base/lifecycle.h).
#ifndef SWASD_VPC_MODEL_H_
#define SWASD_VPC_MODEL_H_

#include <cstdint>
#include <string>

#include "base/error.h"
#include "base/lifecycle.h"
#include "store/store.h"

namespace swasd::vpc {

inline constexpr char kVpcKind[] = "vpc.vpc";
inline constexpr char kVSwitchKind[] = "vpc.vswitch";

struct Vpc {
  std::string id, account_id, region_id, name, description;
  std::string cidr_block;
  std::string vrouter_id, route_table_id;  // created with it, as Alibaba's
  std::string resource_group_id;
  Lifecycle life;  // Pending -> Available
  int64_t created_ms = 0;
};

struct VSwitch {
  std::string id, account_id, region_id, name, description;
  std::string vpc_id, zone_id, cidr_block;
  Lifecycle life;  // Pending -> Available
  int64_t created_ms = 0;
  // Not stored: the private addresses instances use, filled by
  // Service::ListVSwitches.
  int64_t used_ips = 0;
};

store::Resource ToResource(const Vpc& v);
store::Resource ToResource(const VSwitch& v);
// Fail with InternalError when the stored document is corrupt.
Result<Vpc> VpcFrom(const store::Resource& r);
Result<VSwitch> VSwitchFrom(const store::Resource& r);

}  // namespace swasd::vpc

#endif  // SWASD_VPC_MODEL_H_
