#include "vpc/service.h"

#include <algorithm>

#include "base/encoding.h"
#include "base/ids.h"
#include "store/document.h"
#include "vpc/cidr.h"
#include "vpc/errors.h"

namespace swasd::vpc {
namespace {

using store::Listed;
using store::Page;
using store::PageOf;

std::string NewId(const char* prefix) {
  return std::string(prefix) + ids::RandomAlnumLower(22, std::string("vpc/") + prefix);
}

using store::LoadAll;
constexpr auto Query = store::QueryOf;

bool IsCjk(uint32_t cp) { return cp >= 0x4E00 && cp <= 0x9FFF; }
bool IsLetter(uint32_t c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }
bool IsLink(std::string_view s) { return s.starts_with("http://") || s.starts_with("https://"); }

}  // namespace

bool ValidName(std::string_view name) {
  if (IsLink(name)) return false;
  size_t count = 0;
  for (size_t i = 0; i < name.size();) {
    auto ch = DecodeUtf8(name, i);
    if (!ch) return false;
    uint32_t c = ch->code_point;
    bool ok = IsLetter(c) || IsCjk(c) ||
              (count > 0 && ((c >= '0' && c <= '9') || c == '.' || c == '_' || c == '-'));
    if (!ok) return false;
    ++count;
    i += ch->length;
  }
  return count >= 1 && count <= 128;
}

bool ValidDescription(std::string_view d) {
  size_t count = 0;
  for (size_t i = 0; i < d.size(); ++count) {
    auto ch = DecodeUtf8(d, i);
    if (!ch) return false;
    i += ch->length;
  }
  return count >= 1 && count <= 256 && !IsLink(d);
}

// --- VPCs -----------------------------------------------------------------------

Result<Vpc> Service::GetVpc(store::Tx& tx, const std::string& account,
                            const std::string& region, const std::string& id) const {
  SWASD_ASSIGN_OR_RETURN(auto r, tx.GetResource(kVpcKind, account, id));
  if (!r || r->region_id != region) return errors::kInvalidVpcIdNotFound;
  SWASD_ASSIGN_OR_RETURN(Vpc v, VpcFrom(*r));
  v.life.Settle(NowMs());
  return v;
}

Result<Vpc> Service::CreateVpc(store::Tx& tx, const std::string& account,
                               const std::string& region, const CreateVpcRequest& req) const {
  auto cidr = Cidr::Parse(req.cidr_block.value_or("172.16.0.0/12"));
  if (!cidr || !IsPrivate(*cidr) || cidr->prefix > 28) return errors::kInvalidCidrBlockMalformed;
  if (!req.name.empty() && !ValidName(req.name)) return errors::kInvalidVpcNameMalformed;
  if (!req.description.empty() && !ValidDescription(req.description)) {
    return errors::kInvalidDescriptionMalformed;
  }
  SWASD_ASSIGN_OR_RETURN(int64_t have, tx.CountResources(Query(kVpcKind, account, region)));
  if (have >= options_.max_vpcs_per_region) return errors::kQuotaExceededVpc;
  const int64_t now = NowMs();
  Vpc v;
  v.id = NewId("vpc-");
  v.account_id = account;
  v.region_id = region;
  v.name = req.name;
  v.description = req.description;
  v.cidr_block = cidr->ToString();
  v.vrouter_id = NewId("vrt-");
  v.route_table_id = NewId("vtb-");
  v.resource_group_id = req.resource_group_id;
  v.created_ms = now;
  v.life.Begin("Pending", "Available", now + options_.ready_ms);
  SWASD_RETURN_IF_ERROR(tx.PutResource(ToResource(v)));
  return v;
}

Result<Listed<Vpc>> Service::ListVpcs(store::Tx& tx, const std::string& account,
                                      const std::string& region, const VpcFilter& filter,
                                      Page page) const {
  auto q = Query(kVpcKind, account, region);
  q.ids = filter.ids;
  if (filter.name) q.names = {*filter.name};
  SWASD_ASSIGN_OR_RETURN(auto all, LoadAll<Vpc>(tx, q, VpcFrom, NowMs()));
  return PageOf(std::move(all), page);
}

Status Service::DeleteVpc(store::Tx& tx, const std::string& account, const std::string& region,
                          const std::string& id) const {
  SWASD_ASSIGN_OR_RETURN(Vpc v, GetVpc(tx, account, region, id));
  if (v.life.status != "Available") return errors::kIncorrectVpcStatus;
  auto q = Query(kVSwitchKind, account, region);
  q.parent_id = id;
  SWASD_ASSIGN_OR_RETURN(int64_t switches, tx.CountResources(q));
  if (switches > 0) return errors::kDependencyViolationVSwitch;
  if (dependents_.security_groups_in_vpc) {
    SWASD_ASSIGN_OR_RETURN(int64_t groups,
                           dependents_.security_groups_in_vpc(tx, account, region, id));
    if (groups > 0) return errors::kDependencyViolationSecurityGroup;
  }
  SWASD_ASSIGN_OR_RETURN(bool gone, tx.DeleteResource(kVpcKind, account, id));
  (void)gone;
  return Status::Ok();
}

// --- vSwitches ------------------------------------------------------------------

Result<VSwitch> Service::GetVSwitch(store::Tx& tx, const std::string& account,
                                    const std::string& region, const std::string& id) const {
  SWASD_ASSIGN_OR_RETURN(auto r, tx.GetResource(kVSwitchKind, account, id));
  if (!r || r->region_id != region) return errors::kInvalidVSwitchIdNotFound;
  SWASD_ASSIGN_OR_RETURN(VSwitch v, VSwitchFrom(*r));
  v.life.Settle(NowMs());
  return v;
}

Result<std::string> Service::CreateVSwitch(store::Tx& tx, const std::string& account,
                                           const std::string& region,
                                           const CreateVSwitchRequest& req) const {
  if (!req.name.empty() && !ValidName(req.name)) return errors::kInvalidVSwitchNameMalformed;
  if (!req.description.empty() && !ValidDescription(req.description)) {
    return errors::kInvalidDescriptionMalformed;
  }
  SWASD_ASSIGN_OR_RETURN(Vpc vpc, GetVpc(tx, account, region, req.vpc_id));
  if (!zone_in_region_(req.zone_id, region)) return errors::kInvalidZoneIdNotFound;
  auto cidr = Cidr::Parse(req.cidr_block);
  if (!cidr || cidr->prefix < 16 || cidr->prefix > 29) return errors::kInvalidCidrBlockMalformed;
  if (!Cidr::Parse(vpc.cidr_block)->Contains(*cidr)) return errors::kCidrNotInVpc;
  if (vpc.life.status != "Available") return errors::kIncorrectVpcStatus;
  auto q = Query(kVSwitchKind, account, region);
  q.parent_id = vpc.id;
  SWASD_ASSIGN_OR_RETURN(auto siblings, LoadAll<VSwitch>(tx, q, VSwitchFrom, NowMs()));
  if (static_cast<int>(siblings.size()) >= options_.max_vswitches_per_vpc) {
    return errors::kQuotaExceededVSwitch;
  }
  for (const VSwitch& s : siblings) {
    if (Cidr::Parse(s.cidr_block)->Overlaps(*cidr)) return errors::kInvalidCidrBlockOverlapped;
  }
  const int64_t now = NowMs();
  VSwitch v;
  v.id = NewId("vsw-");
  v.account_id = account;
  v.region_id = region;
  v.name = req.name;
  v.description = req.description;
  v.vpc_id = vpc.id;
  v.zone_id = req.zone_id;
  v.cidr_block = cidr->ToString();
  v.created_ms = now;
  v.life.Begin("Pending", "Available", now + options_.ready_ms);
  SWASD_RETURN_IF_ERROR(tx.PutResource(ToResource(v)));
  return v.id;
}

Result<Listed<VSwitch>> Service::ListVSwitches(store::Tx& tx, const std::string& account,
                                               const std::string& region,
                                               const VSwitchFilter& filter, Page page) const {
  auto q = Query(kVSwitchKind, account, region);
  q.ids = filter.ids;
  q.parent_id = filter.vpc_id;
  if (filter.name) q.names = {*filter.name};
  SWASD_ASSIGN_OR_RETURN(auto all, LoadAll<VSwitch>(tx, q, VSwitchFrom, NowMs()));
  if (filter.zone_id) {
    std::erase_if(all, [&](const VSwitch& v) { return v.zone_id != *filter.zone_id; });
  }
  Listed<VSwitch> listed = PageOf(std::move(all), page);
  for (VSwitch& v : listed.items) {
    SWASD_ASSIGN_OR_RETURN(v.used_ips, InstancesIn(tx, account, v.id));
  }
  return listed;
}

Result<int64_t> Service::InstancesIn(store::Tx& tx, const std::string& account,
                                     const std::string& vswitch_id) const {
  if (!dependents_.instances_in_vswitch) return int64_t{0};
  return dependents_.instances_in_vswitch(tx, account, vswitch_id);
}

Status Service::DeleteVSwitch(store::Tx& tx, const std::string& account,
                              const std::string& region, const std::string& id) const {
  SWASD_ASSIGN_OR_RETURN(VSwitch v, GetVSwitch(tx, account, region, id));
  if (v.life.status != "Available") return errors::kIncorrectVSwitchStatus;
  SWASD_ASSIGN_OR_RETURN(int64_t instances, InstancesIn(tx, account, id));
  if (instances > 0) return errors::kDependencyViolation;
  SWASD_ASSIGN_OR_RETURN(bool gone, tx.DeleteResource(kVSwitchKind, account, id));
  (void)gone;
  return Status::Ok();
}

}  // namespace swasd::vpc
