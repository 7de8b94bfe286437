// VPC domain rules: VPCs and vSwitches, the network an ECS launch script
// builds before RunInstances. Every method runs inside a store transaction
// the caller supplies and is scoped to one account: another account's VPC
// is indistinguishable from a missing one. No HTTP, no wire format.
//
// Rules (Alibaba's CreateVpc, CreateVSwitch, DeleteVpc, DeleteVSwitch pages):
// a VPC's block is RFC 1918 (10/8, 172.16/12, 192.168/16 or inside one),
// /8 to /28, default 172.16.0.0/12; a vSwitch's block is /16 to /29, inside
// its VPC's, overlapping no other vSwitch of the VPC; at most 150 vSwitches
// per VPC and (the default quota) 10 VPCs per region; both are Pending,
// then Available; only an Available VPC takes vSwitches or is deleted, and
// only one without vSwitches; only an Available vSwitch is deleted.
//
// Thread-safety: immutable after construction.
#ifndef SWASD_VPC_SERVICE_H_
#define SWASD_VPC_SERVICE_H_

#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "base/clock.h"
#include "base/error.h"
#include "store/paging.h"
#include "store/store.h"
#include "vpc/model.h"

namespace swasd::vpc {

struct ServiceOptions {
  int64_t ready_ms = 1000;  // Pending -> Available
  int max_vpcs_per_region = 10;
  int max_vswitches_per_vpc = 150;
};

struct CreateVpcRequest {
  std::optional<std::string> cidr_block;  // default 172.16.0.0/12
  std::string name, description, resource_group_id;
};

struct CreateVSwitchRequest {
  std::string vpc_id, zone_id, cidr_block, name, description;
};

struct VpcFilter {
  std::vector<std::string> ids;
  std::optional<std::string> name;
};

struct VSwitchFilter {
  std::vector<std::string> ids;
  std::optional<std::string> vpc_id, zone_id, name;
};

// What other products keep in a VPC's vSwitches, which VPC's rules must
// see without depending on those products: main wires ECS's instances in.
// A missing function counts nothing.
struct Dependents {
  // How many instances of `account` are on vSwitch `vswitch_id` (each uses
  // one of its private addresses; DeleteVSwitch refuses while any is).
  std::function<Result<int64_t>(store::Tx&, const std::string& account,
                                const std::string& vswitch_id)>
      instances_in_vswitch;
  // How many security groups of `account` are in VPC `vpc_id` (DeleteVpc
  // refuses while any is).
  std::function<Result<int64_t>(store::Tx&, const std::string& account, const std::string& region,
                                const std::string& vpc_id)>
      security_groups_in_vpc;
};

class Service {
 public:
  // `zone_in_region(zone, region)`: whether `zone` is a zone of `region`
  // (main: the ECS zone catalog, ecs/zones.h).
  Service(const Clock* clock, std::function<bool(std::string_view, std::string_view)> zone_in_region,
          ServiceOptions options)
      : clock_(clock), zone_in_region_(std::move(zone_in_region)), options_(options) {}

  // Set once by main, before the first call (the dependents' products are
  // built after this one, from it).
  void SetDependents(Dependents dependents) { dependents_ = std::move(dependents); }

  Result<Vpc> CreateVpc(store::Tx& tx, const std::string& account, const std::string& region,
                        const CreateVpcRequest& req) const;
  Result<store::Listed<Vpc>> ListVpcs(store::Tx& tx, const std::string& account,
                                      const std::string& region, const VpcFilter& filter,
                                      store::Page page) const;
  Status DeleteVpc(store::Tx& tx, const std::string& account, const std::string& region,
                   const std::string& id) const;
  // The VPC with its effective status, or InvalidVpcId.NotFound.
  Result<Vpc> GetVpc(store::Tx& tx, const std::string& account, const std::string& region,
                     const std::string& id) const;

  Result<std::string> CreateVSwitch(store::Tx& tx, const std::string& account,
                                    const std::string& region,
                                    const CreateVSwitchRequest& req) const;
  Result<store::Listed<VSwitch>> ListVSwitches(store::Tx& tx, const std::string& account,
                                               const std::string& region,
                                               const VSwitchFilter& filter,
                                               store::Page page) const;
  Status DeleteVSwitch(store::Tx& tx, const std::string& account, const std::string& region,
                       const std::string& id) const;
  // The vSwitch with its effective status, or InvalidVSwitchId.NotFound.
  Result<VSwitch> GetVSwitch(store::Tx& tx, const std::string& account,
                             const std::string& region, const std::string& id) const;

 private:
  int64_t NowMs() const { return clock_->NowUnixMillis(); }

  const Clock* clock_;
  Result<int64_t> InstancesIn(store::Tx& tx, const std::string& account,
                              const std::string& vswitch_id) const;

  std::function<bool(std::string_view, std::string_view)> zone_in_region_;
  ServiceOptions options_;
  Dependents dependents_;
};

// Names of VPCs and vSwitches: 1-128 characters, starting with a letter or
// a Chinese character; letters, digits, Chinese characters, '.', '_', '-';
// not starting with http:// or https://. Descriptions: 1-256 characters,
// not starting with http:// or https://.
bool ValidName(std::string_view name);

bool ValidDescription(std::string_view description);

}  // namespace swasd::vpc

#endif  // SWASD_VPC_SERVICE_H_
