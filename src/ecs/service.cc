#include "ecs/service.h"

#include <algorithm>

#include "base/crypto.h"
#include "base/ids.h"
#include "ecs/errors.h"

namespace swasd::ecs {
namespace {

using store::PageOf;

std::string NewId(const char* prefix) {
  return std::string(prefix) + ids::RandomAlnumLower(20);
}

std::string RandomIp(int a, int b) {
  std::string r = crypto::RandomBytes(2);
  return std::to_string(a) + "." + std::to_string(b) + "." +
         std::to_string(static_cast<unsigned char>(r[0])) + "." +
         std::to_string(1 + static_cast<unsigned char>(r[1]) % 254);
}

}  // namespace

Status Service::CheckRegion(std::string_view region) const {
  if (regions_->Find(region) == nullptr) return errors::kInvalidRegionIdNotFound;
  return Status::Ok();
}

Result<std::vector<std::string>> Service::CreateInstances(
    store::Tx& tx, const std::string& account, const CreateRequest& req) const {
  // A zone of the region (api/catalog/ecs-zones.json); none given: the
  // region's first.
  const auto& zones = zones_->ZonesOf(req.region);
  std::string zone = req.zone;
  if (zone.empty() && !zones.empty()) zone = zones.front().zone_id;
  if (!zones_->Has(req.region, zone)) return errors::kInvalidZoneIdNotFound;
  const InstanceType* type = FindInstanceType(req.instance_type);
  if (type == nullptr) return errors::kInvalidInstanceTypeValueNotSupported;
  SWASD_ASSIGN_OR_RETURN(auto image,
                         ResolveImage(tx, account, req.region, req.image_id));
  if (!image) return errors::kInvalidImageIdNotFound;
  const int64_t now = NowMs();
  std::vector<std::string> created;
  for (int i = 0; i < req.amount; ++i) {
    Instance v;
    v.id = NewId("i-");
    v.account_id = account;
    v.region_id = req.region;
    v.zone_id = zone;
    v.name = req.name.empty() ? v.id : req.name;
    v.instance_type = type->name;
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
    v.private_ip = RandomIp(172, 17);
    v.vpc_id = "vpc-default";
    v.vswitch_id = req.vswitch_id.empty() ? "vsw-default" : req.vswitch_id;
    v.security_group_id = req.security_group_id.empty() ? "sg-default" : req.security_group_id;
    v.charge_type = req.charge_type;
    v.bandwidth_out = req.bandwidth_out;
    v.created_ms = now + i;
    Disk d;
    d.id = NewId("d-");
    d.account_id = account;
    d.region_id = req.region;
    d.zone_id = v.zone_id;
    d.instance_id = v.id;
    d.category = req.disk_category;
    d.size = std::max(req.disk_size, image->size);
    d.image_id = image->id;
    d.created_ms = v.created_ms;
    v.system_disk_id = d.id;
    SWASD_RETURN_IF_ERROR(tx.PutResource(ToResource(d)));
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

Result<store::Listed<Instance>> Service::ListInstances(
    store::Tx& tx, const std::string& account, const std::string& region,
    const std::vector<std::string>& ids, const std::optional<std::string>& status,
    const std::optional<std::string>& name, store::Page page) const {
  store::ResourceQuery q;
  q.kind = kInstanceKind;
  q.account_id = account;
  q.region_id = region;
  q.ids = ids;
  SWASD_ASSIGN_OR_RETURN(auto rows, tx.ListResources(q));
  const int64_t now = NowMs();
  std::vector<Instance> all;
  for (const auto& r : rows) {
    SWASD_ASSIGN_OR_RETURN(Instance v, InstanceFrom(r));
    v.life.Settle(now);
    if ((status && v.life.status != *status) || (name && v.name != *name)) continue;
    all.push_back(std::move(v));
  }
  return PageOf(std::move(all), page);
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
  for (const auto& d : disks) {
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
