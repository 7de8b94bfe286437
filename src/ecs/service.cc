#include "ecs/service.h"

#include <algorithm>
#include <set>

#include "base/ids.h"
#include "ecs/errors.h"
#include "ecs/launch.h"
#include "vpc/cidr.h"
#include "vpc/errors.h"

namespace swasd::ecs {
namespace {

using store::PageOf;

std::string NewId(const char* prefix) {
  return std::string(prefix) + ids::RandomAlnumLower(20, std::string("ecs/") + prefix);
}

std::string RandomIp(int a, int b) {
  std::string r = ids::RandomBytes(2, "ecs/ip");
  return std::to_string(a) + "." + std::to_string(b) + "." +
         std::to_string(static_cast<unsigned char>(r[0])) + "." +
         std::to_string(1 + static_cast<unsigned char>(r[1]) % 254);
}

// A new disk of instance `v`, in its zone, created with it.
Disk NewDisk(const Instance& v) {
  Disk d;
  d.id = NewId("d-");
  d.account_id = v.account_id;
  d.region_id = v.region_id;
  d.zone_id = v.zone_id;
  d.instance_id = v.id;
  d.created_ms = v.created_ms;
  return d;
}

}  // namespace

Status Service::CheckRegion(std::string_view region) const {
  if (regions_->Find(region) == nullptr) return errors::kInvalidRegionIdNotFound;
  return Status::Ok();
}

Result<Service::Placement> Service::Place(store::Tx& tx, const std::string& account,
                                          const CreateRequest& req) const {
  Placement p;
  if (req.vswitch_id.empty()) {
    // The implied default network (model.h). A security group or a private
    // IP belongs to a VPC, so either needs the vSwitch that says which.
    if (!req.security_group_ids.empty() || !req.private_ip.empty()) {
      return errors::kMissingVSwitchId;
    }
    const auto& zones = zones_->ZonesOf(req.region);
    p.zone = req.zone;
    if (p.zone.empty() && !zones.empty()) p.zone = zones.front().zone_id;
    if (!zones_->Has(req.region, p.zone)) return errors::kInvalidZoneIdNotFound;
    p.vpc_id = "vpc-default";
    p.vswitch_id = "vsw-default";
    for (int i = 0; i < req.amount; ++i) p.ips.push_back(RandomIp(172, 17));
    return p;
  }
  if (!req.zone.empty() && !zones_->Has(req.region, req.zone)) {
    return errors::kInvalidZoneIdNotFound;
  }
  SWASD_ASSIGN_OR_RETURN(vpc::VSwitch vsw,
                         vpc_->GetVSwitch(tx, account, req.region, req.vswitch_id));
  if (vsw.life.status != "Available") return vpc::errors::kIncorrectVSwitchStatus;
  if (!req.zone.empty() && req.zone != vsw.zone_id) return errors::kVSwitchNotInZone;
  p.zone = vsw.zone_id;
  p.vpc_id = vsw.vpc_id;
  p.vswitch_id = vsw.id;
  // Every security group of the caller in the region and the vSwitch's VPC.
  for (const std::string& id : req.security_group_ids) {
    SWASD_ASSIGN_OR_RETURN(SecurityGroup g, security_groups_->Get(tx, account, req.region, id));
    if (g.vpc_id != vsw.vpc_id) return errors::kSecurityGroupNotInVSwitchVpc;
  }

  // Private IPs: the vSwitch's block less its first and last three
  // addresses (reserved, as Alibaba reserves them), less those in use.
  const std::optional<vpc::Cidr> block = vpc::Cidr::Parse(vsw.cidr_block);
  if (!block) return Error(swasd::errors::kInternalError).WithCause("bad block " + vsw.cidr_block);
  store::ResourceQuery q;
  q.kind = kInstanceKind;
  q.account_id = account;
  q.parent_id = vsw.id;
  SWASD_ASSIGN_OR_RETURN(auto rows, tx.ListResources(q));
  std::set<std::string> used;
  for (const auto& r : rows) {
    SWASD_ASSIGN_OR_RETURN(Instance v, InstanceFrom(r));
    used.insert(v.private_ip);
  }
  const uint64_t last = block->Size() - 4;  // offsets 1..last are usable
  if (!req.private_ip.empty()) {
    if (req.amount != 1) {
      return Error(errors::kInvalidParameterConflict,
                   "PrivateIpAddress can only be given when Amount is 1.");
    }
    auto ip = vpc::Cidr::Parse(req.private_ip + "/32");
    if (!ip) return errors::kInvalidPrivateIpAddressMalformed;
    const uint64_t offset = ip->network - block->network;
    if (!block->Contains(*ip) || offset < 1 || offset > last) {
      return errors::kInvalidPrivateIpAddress;
    }
    if (used.contains(req.private_ip)) return errors::kInvalidPrivateIpAddressDuplicated;
    p.ips.push_back(req.private_ip);
    return p;
  }
  for (uint64_t off = 1; off <= last && p.ips.size() < static_cast<size_t>(req.amount); ++off) {
    std::string ip = block->Address(static_cast<uint32_t>(off));
    if (!used.contains(ip)) p.ips.push_back(std::move(ip));
  }
  // Room for fewer than asked: as many as there is room for, if that is
  // at least MinAmount (RunInstances' MinAmount contract).
  const size_t min = static_cast<size_t>(req.min_amount > 0 ? req.min_amount : req.amount);
  if (p.ips.size() < min) return errors::kQuotaExceededPrivateIpAddress;
  return p;
}

Result<std::vector<std::string>> Service::CreateInstances(
    store::Tx& tx, const std::string& account, const CreateRequest& req) const {
  if (req.min_amount > req.amount) return errors::kInvalidMinAmountMalformed;
  if (types_->Find(req.instance_type) == nullptr) {
    return errors::kInvalidInstanceTypeValueNotSupported;
  }
  SWASD_ASSIGN_OR_RETURN(auto image,
                         ResolveImage(tx, account, req.region, req.image_id));
  if (!image) return errors::kInvalidImageIdNotFound;
  const bool windows = image->os_type == "windows";

  // What needs no stored state first: names, host names, user data, tags,
  // data disks (launch.h).
  if (!req.name.empty() && !ValidInstanceName(req.name)) {
    return errors::kInvalidInstanceNameMalformed;
  }
  if (!req.description.empty() && !ValidEcsDescription(req.description)) {
    return errors::kInvalidDescriptionMalformed;
  }
  if (!req.host_name.empty() && !req.host_names.empty()) {
    return Error(errors::kInvalidParameterConflict,
                 "HostName and HostNames.N cannot be given together.");
  }
  if (!req.host_names.empty() && req.host_names.size() != static_cast<size_t>(req.amount)) {
    return Error(errors::kInvalidParameterConflict,
                 "HostNames.N must name one host name per instance (Amount).");
  }
  // A host name is checked as it will be, with a placeholder id.
  const std::string sample_id = "i-" + std::string(20, 'x');
  if (!req.host_name.empty() &&
      !ValidHostName(ExpandHostName(req.host_name, sample_id), windows)) {
    return errors::kInvalidHostNameMalformed;
  }
  for (const auto& h : req.host_names) {
    if (!ValidHostName(h, windows)) return errors::kInvalidHostNameMalformed;
  }
  if (!req.user_data.empty()) SWASD_RETURN_IF_ERROR(CheckUserData(req.user_data));
  SWASD_RETURN_IF_ERROR(CheckTags(req.tags));
  for (const auto& d : req.data_disks) {
    SWASD_RETURN_IF_ERROR(CheckDataDiskSize(d.category, d.size));
    if (!d.name.empty() && !ValidInstanceName(d.name)) return errors::kInvalidDiskNameMalformed;
    if (!d.description.empty() && !ValidEcsDescription(d.description)) {
      return errors::kInvalidDescriptionMalformed;
    }
  }

  SWASD_ASSIGN_OR_RETURN(Placement place, Place(tx, account, req));
  // The type, offered in the instances' zone, and the disk categories it
  // takes (api/catalog/ecs-instance-types.json).
  std::vector<std::string> data_categories;
  for (const auto& d : req.data_disks) data_categories.push_back(d.category);
  SWASD_ASSIGN_OR_RETURN(const InstanceTypeSpec* type,
                         types_->CheckLaunch(req.region, place.zone, req.instance_type,
                                             req.disk_category, data_categories));
  // A key pair of the caller in the region; Windows images ignore it.
  if (!req.key_pair_name.empty() && !windows) {
    SWASD_ASSIGN_OR_RETURN(KeyPair key, key_pairs_->Get(tx, account, req.region, req.key_pair_name));
    (void)key;
  }
  const int64_t now = NowMs();
  std::vector<std::string> created;
  for (size_t i = 0; i < place.ips.size(); ++i) {
    Instance v;
    v.id = NewId("i-");
    v.account_id = account;
    v.region_id = req.region;
    v.zone_id = place.zone;
    v.name = req.name.empty() ? v.id : req.name;
    v.description = req.description;
    v.instance_type = type->id;
    v.image_id = image->id;
    v.image_from_swas = image->from_swas;
    v.os_type = image->os_type;
    v.os_name = image->os_name;
    if (req.run) {
      v.life.Begin("Pending", "Running", now + options_.instance_transition_ms);
    } else {
      v.life.Begin("Pending", "Stopped", now + options_.instance_transition_ms);
    }
    v.public_ip = req.bandwidth_out > 0 ? RandomIp(47, 98) : "";
    v.private_ip = place.ips[i];
    v.vpc_id = place.vpc_id;
    v.vswitch_id = place.vswitch_id;
    v.security_group_ids = req.security_group_ids;
    if (v.security_group_ids.empty()) v.security_group_ids = {"sg-default"};
    v.key_pair_name = windows ? "" : req.key_pair_name;
    if (!req.host_names.empty()) {
      v.host_name = req.host_names[i];
    } else if (!req.host_name.empty()) {
      v.host_name = ExpandHostName(req.host_name, v.id);
    } else {
      v.host_name = "iZ" + v.id.substr(2) + "Z";  // ECS's default form
    }
    v.user_data = req.user_data;
    v.tags = req.tags;
    v.charge_type = req.charge_type;
    v.bandwidth_out = req.bandwidth_out;
    v.created_ms = now + static_cast<int64_t>(i);
    Disk d = NewDisk(v);
    d.category = req.disk_category;
    d.size = std::max(req.disk_size, image->size);
    d.image_id = image->id;
    v.system_disk_id = d.id;
    SWASD_RETURN_IF_ERROR(tx.PutResource(ToResource(d)));
    char device = 'b';
    for (const auto& spec : req.data_disks) {
      Disk data = NewDisk(v);
      data.name = spec.name;
      data.description = spec.description;
      data.type = "data";
      data.category = spec.category;
      data.size = spec.size;
      data.device = std::string("/dev/xvd") + device++;
      data.delete_with_instance = spec.delete_with_instance;
      SWASD_RETURN_IF_ERROR(tx.PutResource(ToResource(data)));
    }
    SWASD_RETURN_IF_ERROR(tx.PutResource(ToResource(v)));
    created.push_back(v.id);
  }
  return created;
}

Result<Instance> Service::GetInstance(store::Tx& tx, const std::string& account,
                                      const std::string& id) const {
  SWASD_ASSIGN_OR_RETURN(auto r, tx.GetResource(kInstanceKind, account, id));
  if (!r) return errors::kInvalidInstanceIdNotFound;
  SWASD_ASSIGN_OR_RETURN(Instance v, InstanceFrom(*r));
  v.life.Settle(NowMs());
  return v;
}

namespace {

bool Matches(const InstanceFilter& f, const Instance& v) {
  auto is = [](const std::optional<std::string>& want, const std::string& have) {
    return !want || *want == have;
  };
  if (!is(f.status, v.life.status) || !is(f.name, v.name) || !is(f.vpc_id, v.vpc_id) ||
      !is(f.vswitch_id, v.vswitch_id) || !is(f.zone_id, v.zone_id) ||
      !is(f.instance_type, v.instance_type) || !is(f.key_pair_name, v.key_pair_name) ||
      !is(f.image_id, v.image_id) || !is(f.charge_type, v.charge_type) ||
      !is(f.instance_type_family, v.instance_type.substr(0, v.instance_type.rfind('.')))) {
    return false;
  }
  if (f.security_group_id &&
      std::find(v.security_group_ids.begin(), v.security_group_ids.end(),
                *f.security_group_id) == v.security_group_ids.end()) {
    return false;
  }
  if (!f.private_ips.empty() && std::find(f.private_ips.begin(), f.private_ips.end(),
                                          v.private_ip) == f.private_ips.end()) {
    return false;
  }
  for (const auto& want : f.tags) {
    bool found = false;
    for (const auto& t : v.tags) {
      found = found || (t.key == want.key && (want.value.empty() || t.value == want.value));
    }
    if (!found) return false;
  }
  return true;
}

}  // namespace

Result<store::Listed<Instance>> Service::ListInstances(
    store::Tx& tx, const std::string& account, const std::string& region,
    const InstanceFilter& filter, store::Page page) const {
  store::ResourceQuery q;
  q.kind = kInstanceKind;
  q.account_id = account;
  q.region_id = region;
  q.ids = filter.ids;
  if (filter.vswitch_id) q.parent_id = filter.vswitch_id;
  SWASD_ASSIGN_OR_RETURN(auto rows, tx.ListResources(q));
  const int64_t now = NowMs();
  std::vector<Instance> all;
  for (const auto& r : rows) {
    SWASD_ASSIGN_OR_RETURN(Instance v, InstanceFrom(r));
    v.life.Settle(now);
    if (Matches(filter, v)) all.push_back(std::move(v));
  }
  return PageOf(std::move(all), page);
}

Result<int64_t> Service::CountInVSwitch(store::Tx& tx, const std::string& account,
                                        const std::string& vswitch_id) const {
  store::ResourceQuery q;
  q.kind = kInstanceKind;
  q.account_id = account;
  q.parent_id = vswitch_id;
  return tx.CountResources(q);
}

Status Service::ChangePower(store::Tx& tx, const std::string& account,
                            const std::string& id, Power power,
                            bool force_stop) const {
  SWASD_ASSIGN_OR_RETURN(Instance v, GetInstance(tx, account, id));
  const int64_t at = NowMs() + options_.instance_transition_ms;
  const std::string& s = v.life.status;
  switch (power) {
    case Power::kStart:
      if (s != "Stopped") return errors::kIncorrectInstanceStatus;
      v.life.Begin("Starting", "Running", at);
      break;
    case Power::kStop:
      if (s != "Running") return errors::kIncorrectInstanceStatus;
      if (force_stop) {
        v.life.Begin("Stopped", "", 0);
      } else {
        v.life.Begin("Stopping", "Stopped", at);
      }
      break;
    case Power::kReboot:
      if (s != "Running") return errors::kIncorrectInstanceStatus;
      v.life.Begin("Starting", "Running", at);
      break;
  }
  return tx.PutResource(ToResource(v));
}

Status Service::DeleteInstance(store::Tx& tx, const std::string& account,
                               const std::string& id, bool force) const {
  SWASD_ASSIGN_OR_RETURN(Instance v, GetInstance(tx, account, id));
  if (!force && v.life.status != "Stopped") return errors::kIncorrectInstanceStatus;
  store::ResourceQuery q;
  q.kind = kDiskKind;
  q.account_id = account;
  q.parent_id = id;
  SWASD_ASSIGN_OR_RETURN(auto disks, tx.ListResources(q));
  // Its disks go with it, except data disks created with
  // DeleteWithInstance false: those stay, detached (Available).
  for (const auto& r : disks) {
    SWASD_ASSIGN_OR_RETURN(Disk d, DiskFrom(r));
    if (d.type == "data" && !d.delete_with_instance) {
      d.instance_id.clear();
      SWASD_RETURN_IF_ERROR(tx.PutResource(ToResource(d)));
      continue;
    }
    SWASD_ASSIGN_OR_RETURN(bool gone, tx.DeleteResource(kDiskKind, account, d.id));
    (void)gone;
  }
  SWASD_ASSIGN_OR_RETURN(bool gone, tx.DeleteResource(kInstanceKind, account, id));
  (void)gone;
  return Status::Ok();
}

Result<store::Listed<Disk>> Service::ListDisks(
    store::Tx& tx, const std::string& account, const std::string& region,
    const std::vector<std::string>& ids,
    const std::optional<std::string>& instance_id,
    const std::optional<std::string>& type, store::Page page) const {
  store::ResourceQuery q;
  q.kind = kDiskKind;
  q.account_id = account;
  q.region_id = region;
  q.ids = ids;
  q.parent_id = instance_id;
  SWASD_ASSIGN_OR_RETURN(auto rows, tx.ListResources(q));
  std::vector<Disk> all;
  for (const auto& r : rows) {
    SWASD_ASSIGN_OR_RETURN(Disk d, DiskFrom(r));
    if (type && *type != "all" && d.type != *type) continue;
    all.push_back(std::move(d));
  }
  return PageOf(std::move(all), page);
}

Status Service::ReInitDisk(store::Tx& tx, const std::string& account,
                           const std::string& disk_id, bool auto_start) const {
  SWASD_ASSIGN_OR_RETURN(auto r, tx.GetResource(kDiskKind, account, disk_id));
  if (!r) return errors::kInvalidDiskIdNotFound;
  SWASD_ASSIGN_OR_RETURN(Disk disk, DiskFrom(*r));
  SWASD_ASSIGN_OR_RETURN(Instance inst, GetInstance(tx, account, disk.instance_id));
  if (inst.life.status != "Stopped") return errors::kIncorrectInstanceStatus;
  if (disk.type == "system") {
    SWASD_ASSIGN_OR_RETURN(auto image,
                           ResolveImage(tx, account, inst.region_id, disk.image_id));
    if (!image) return errors::kSourceImageUnavailable;
  }
  if (auto_start) {
    inst.life.Begin("Starting", "Running", NowMs() + options_.instance_transition_ms);
    SWASD_RETURN_IF_ERROR(tx.PutResource(ToResource(inst)));
  }
  return Status::Ok();
}

Result<std::string> Service::ReplaceSystemDisk(store::Tx& tx,
                                               const std::string& account,
                                               const std::string& instance_id,
                                               const std::string& image_id) const {
  SWASD_ASSIGN_OR_RETURN(Instance inst, GetInstance(tx, account, instance_id));
  SWASD_ASSIGN_OR_RETURN(auto image,
                         ResolveImage(tx, account, inst.region_id, image_id));
  if (!image) return errors::kInvalidImageIdNotFound;
  if (inst.life.status != "Stopped") return errors::kIncorrectInstanceStatus;
  SWASD_ASSIGN_OR_RETURN(auto old, tx.GetResource(kDiskKind, account, inst.system_disk_id));
  Disk d;
  if (old) {
    SWASD_ASSIGN_OR_RETURN(d, DiskFrom(*old));
    SWASD_ASSIGN_OR_RETURN(bool gone, tx.DeleteResource(kDiskKind, account, d.id));
    (void)gone;
  } else {
    d.account_id = account;
    d.region_id = inst.region_id;
    d.zone_id = inst.zone_id;
    d.instance_id = inst.id;
  }
  d.id = NewId("d-");
  d.image_id = image->id;
  d.size = std::max(d.size, image->size);
  d.created_ms = NowMs();
  inst.system_disk_id = d.id;
  inst.image_id = image->id;
  inst.image_from_swas = image->from_swas;
  inst.os_type = image->os_type;
  inst.os_name = image->os_name;
  SWASD_RETURN_IF_ERROR(tx.PutResource(ToResource(d)));
  SWASD_RETURN_IF_ERROR(tx.PutResource(ToResource(inst)));
  return d.id;
}

}  // namespace swasd::ecs
