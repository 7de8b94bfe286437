// ECS security groups and their inbound rules. A group lives in one VPC of
// the caller's account and region (looked up through vpc::Service); its
// rules are stored in the group's own document. Another account's group is
// indistinguishable from a missing one (InvalidSecurityGroupId.NotFound).
//
// Rules (AuthorizeSecurityGroup, CreateSecurityGroup, DeleteSecurityGroup
// pages): IpProtocol is TCP, UDP, ICMP, GRE or ALL in any case; TCP and UDP
// take a port range "a/b" with 1 <= a <= b <= 65535, the others exactly
// "-1/-1"; the source is an IPv4 address or canonical CIDR block; Policy
// accept|drop (default accept); Priority 1-100 (default 1); NicType is
// intranet in a VPC group (internet is accepted and stored as intranet);
// at most 200 rules per group and (the default quota) 100 groups per
// region. Authorizing a rule the group already has is a no-op, and
// revoking one it does not have succeeds, as ECS answers both.
//
// Thread-safety: immutable after construction.
#ifndef SWASD_ECS_SECURITY_GROUPS_H_
#define SWASD_ECS_SECURITY_GROUPS_H_

#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "base/clock.h"
#include "base/error.h"
#include "store/paging.h"
#include "store/store.h"
#include "vpc/service.h"

namespace swasd::ecs {

inline constexpr char kSecurityGroupKind[] = "ecs.security_group";

struct SecurityGroupRule {
  std::string id;  // sgr-...
  std::string direction = "ingress";
  std::string ip_protocol;     // TCP | UDP | ICMP | GRE | ALL
  std::string port_range;      // "22/22", "-1/-1"
  std::string source_cidr_ip;  // as sent (address or block)
  std::string policy = "Accept";  // Accept | Drop
  int priority = 1;
  std::string nic_type = "intranet";
  std::string description;
  int64_t created_ms = 0;

  // Two rules are the same rule when everything but id, description and
  // creation time agrees (what ECS compares for Authorize and Revoke).
  bool SameAs(const SecurityGroupRule& o) const;
};

struct SecurityGroup {
  std::string id, account_id, region_id, name, description;
  std::string vpc_id;
  std::string type = "normal";  // normal | enterprise
  std::vector<std::pair<std::string, std::string>> tags;
  std::vector<SecurityGroupRule> rules;
  int64_t created_ms = 0;
};

// A rule as sent: the legacy flat parameters or one Permissions.N entry.
// Absent fields take ECS's defaults.
struct RuleInput {
  std::optional<std::string> ip_protocol, port_range, source_cidr_ip, policy, priority,
      nic_type, description;
};

// The validated, normalized rule (id and created_ms unset), or the first
// of Alibaba's errors that applies.
Result<SecurityGroupRule> NormalizeRule(const RuleInput& in);

struct SecurityGroupOptions {
  int max_groups_per_region = 100;
  int max_rules_per_group = 200;
};

struct CreateSecurityGroupRequest {
  std::string vpc_id, name, description, type = "normal";
  std::vector<std::pair<std::string, std::string>> tags;
};

struct SecurityGroupFilter {
  std::vector<std::string> ids;
  std::optional<std::string> vpc_id, name, type;
};

class SecurityGroups {
 public:
  SecurityGroups(const vpc::Service* vpc, const Clock* clock, SecurityGroupOptions options = {})
      : vpc_(vpc), clock_(clock), options_(options) {}

  Result<SecurityGroup> Create(store::Tx& tx, const std::string& account,
                               const std::string& region,
                               const CreateSecurityGroupRequest& req) const;
  Result<std::vector<SecurityGroup>> List(store::Tx& tx, const std::string& account,
                                          const std::string& region,
                                          const SecurityGroupFilter& filter) const;
  // The caller's group in any region (RunInstances takes the region from
  // its own RegionId and compares), or InvalidSecurityGroupId.NotFound.
  Result<SecurityGroup> Get(store::Tx& tx, const std::string& account,
                            const std::string& id) const;
  // The caller's group in `region`, or InvalidSecurityGroupId.NotFound.
  Result<SecurityGroup> Get(store::Tx& tx, const std::string& account,
                            const std::string& region, const std::string& id) const;
  // How many of the caller's instances in `region` are in group `id`.
  Result<int64_t> CountInstances(store::Tx& tx, const std::string& account,
                                 const std::string& region, const std::string& id) const;
  // Refused with DependencyViolation while an instance uses the group.
  Status Delete(store::Tx& tx, const std::string& account, const std::string& region,
                const std::string& id) const;
  // Adds the rules the group does not have yet. `rules` come from one call:
  // two equal ones are InvalidParam.DuplicatePermissions.
  Status Authorize(store::Tx& tx, const std::string& account, const std::string& region,
                   const std::string& id, const std::vector<RuleInput>& rules) const;
  // Removes the rules equal to `rules` and those with the ids `rule_ids`
  // (an unknown id is InvalidSecurityGroupRuleId.NotFound).
  Status Revoke(store::Tx& tx, const std::string& account, const std::string& region,
                const std::string& id, const std::vector<RuleInput>& rules,
                const std::vector<std::string>& rule_ids) const;

 private:
  int64_t NowMs() const { return clock_->NowUnixMillis(); }

  const vpc::Service* vpc_;
  const Clock* clock_;
  SecurityGroupOptions options_;
};

// Whether the stored ECS instance `instance` (kind ecs.instance) is in
// security group `group_id`. The one place that reads an instance's groups
// from its document: `security_group_ids` (a list) or the older single
// `security_group_id`.
bool InstanceUsesGroup(const store::Resource& instance, const std::string& group_id);

// Security group names, as CreateSecurityGroup's and
// ModifySecurityGroupAttribute's pages give them: 2-128 characters, starting
// with a letter (Unicode letters, Chinese characters among them); letters,
// digits, ':', '_', '.', '-'; not starting with http:// or https://. No
// spaces: the pages do not list them (docs/coverage.md).
bool ValidSecurityGroupName(std::string_view name);

}  // namespace swasd::ecs

#endif  // SWASD_ECS_SECURITY_GROUPS_H_
