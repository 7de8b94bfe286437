// Disks, snapshots and plan changes: DeleteSnapshots, UpdateSnapshotAttribute,
// UpdateDiskAttribute, ResetDisk, UpgradeInstance, RenewInstance and the
// Password of UpdateInstanceAttribute. Error codes from each operation's API
// page and the SWAS error-code list; where Alibaba is silent the decision is
// written beside the code and in docs/swas-disks.md.
#include <algorithm>

#include "base/errors.h"
#include "swas/catalog.h"
#include "swas/errors.h"
#include "swas/service.h"

namespace swasd::swas {
namespace {

constexpr int64_t kMonthMs = int64_t{30} * 86400 * 1000;

Result<Snapshot> LoadSnapshot(store::Tx& tx, const std::string& account,
                              const std::string& region, const std::string& id,
                              int64_t now_ms) {
  SWASD_ASSIGN_OR_RETURN(auto r, tx.GetResource(kSnapshotKind, account, id));
  if (!r || r->region_id != region) return errors::kInvalidSnapshotIdNotFound;
  SWASD_ASSIGN_OR_RETURN(Snapshot s, SnapshotFrom(*r));
  s.life.Settle(now_ms);
  return s;
}

Result<Disk> LoadDisk(store::Tx& tx, const std::string& account,
                      const std::string& region, const std::string& id) {
  SWASD_ASSIGN_OR_RETURN(auto r, tx.GetResource(kDiskKind, account, id));
  if (!r || r->region_id != region) return errors::kInvalidDiskIdNotFound;
  return DiskFrom(*r);
}

}  // namespace

bool ValidInstancePassword(std::string_view password, bool windows) {
  static constexpr std::string_view kSpecial = "()`~!@#$%^&*-_+=|{}[]:;'<>,.?/";
  if (password.size() < 8 || password.size() > 30) return false;
  if (windows && password.front() == '/') return false;
  bool lower = false, upper = false, digit = false, special = false;
  for (char c : password) {
    if (c >= 'a' && c <= 'z') {
      lower = true;
    } else if (c >= 'A' && c <= 'Z') {
      upper = true;
    } else if (c >= '0' && c <= '9') {
      digit = true;
    } else if (kSpecial.find(c) != std::string_view::npos) {
      special = true;
    } else {
      return false;  // a space, a non-ASCII byte, '"', '\\' ...
    }
  }
  return int{lower} + int{upper} + int{digit} + int{special} >= 3;
}

bool IsPlanUpgrade(const Plan& from, const Plan& to) {
  if (to.core < from.core || to.memory < from.memory ||
      to.disk_size < from.disk_size || to.bandwidth < from.bandwidth ||
      to.flow < from.flow) {
    return false;
  }
  return to.core > from.core || to.memory > from.memory ||
         to.disk_size > from.disk_size || to.bandwidth > from.bandwidth ||
         to.flow > from.flow;
}

Status Service::DeleteSnapshots(store::Tx& tx, const std::string& account,
                                const std::string& region,
                                const std::vector<std::string>& ids) const {
  const int64_t now = NowMs();
  for (const auto& id : ids) {
    SWASD_ASSIGN_OR_RETURN(Snapshot s, LoadSnapshot(tx, account, region, id, now));
    (void)s;
  }
  // A snapshot a custom image of the caller was made from stays (the
  // DeleteSnapshot page: delete the image first).
  for (const auto& id : ids) {
    for (bool data : {false, true}) {
      ImageFilter made_from;
      (data ? made_from.data_snapshot_id : made_from.system_snapshot_id) = id;
      SWASD_ASSIGN_OR_RETURN(auto used,
                             ListCustomImages(tx, account, region, made_from, {1, 1}));
      if (used.total > 0) return errors::kSnapshotCreatedImage;
    }
  }
  for (const auto& id : ids) {
    SWASD_ASSIGN_OR_RETURN(bool gone, tx.DeleteResource(kSnapshotKind, account, id));
    (void)gone;  // a repeated id in the list was deleted the first time
  }
  return Status::Ok();
}

Status Service::UpdateSnapshotRemark(store::Tx& tx, const std::string& account,
                                     const std::string& region,
                                     const std::string& snapshot_id,
                                     const std::string& remark) const {
  SWASD_ASSIGN_OR_RETURN(Snapshot s,
                         LoadSnapshot(tx, account, region, snapshot_id, NowMs()));
  s.remark = remark;
  return tx.PutResource(ToResource(s));
}

Status Service::UpdateDiskRemark(store::Tx& tx, const std::string& account,
                                 const std::string& region,
                                 const std::string& disk_id,
                                 const std::string& remark) const {
  SWASD_ASSIGN_OR_RETURN(Disk d, LoadDisk(tx, account, region, disk_id));
  d.remark = remark;
  return tx.PutResource(ToResource(d));
}

Status Service::ResetDisk(store::Tx& tx, const std::string& account,
                          const std::string& region, const std::string& disk_id,
                          const std::string& snapshot_id) const {
  const int64_t now = NowMs();
  SWASD_ASSIGN_OR_RETURN(Disk d, LoadDisk(tx, account, region, disk_id));
  SWASD_ASSIGN_OR_RETURN(Snapshot s,
                         LoadSnapshot(tx, account, region, snapshot_id, now));
  if (s.disk_id != d.id) return errors::kInvalidParameterMismatch;
  if (s.life.status != "Accomplished") return errors::kIncorrectSnapshotStatus;
  SWASD_ASSIGN_OR_RETURN(Instance inst,
                         GetInstance(tx, account, region, d.instance_id));
  if (inst.life.status != "Stopped") {
    return errors::kIncorrectInstanceStatusResetDisk;
  }
  // ResetSystem's rule: snapshots taken before a reset are kept but cannot
  // roll the disks back.
  if (inst.reset_ms != 0 && s.created_ms < inst.reset_ms) return errors::kSnapshotBeforeReset;
  inst.life.Begin("Resetting", "Stopped", now + options_.instance_transition_ms);
  s.rollback_ms = now;
  SWASD_RETURN_IF_ERROR(tx.PutResource(ToResource(inst)));
  return tx.PutResource(ToResource(s));
}

Status Service::UpgradeInstance(store::Tx& tx, const std::string& account,
                                const std::string& region,
                                const std::string& instance_id,
                                const std::string& plan_id) const {
  SWASD_ASSIGN_OR_RETURN(Instance inst,
                         GetInstance(tx, account, region, instance_id));
  const Plan* to = FindPlan(plan_id);
  if (to == nullptr) return errors::kInvalidPlanIdNotFound;
  const Plan* from = FindPlan(inst.plan_id);
  if (from != nullptr && !IsPlanUpgrade(*from, *to)) {
    return errors::kInvalidPlanIdUpgradeValueNotSupported;
  }
  if (inst.life.status != "Running" && inst.life.status != "Stopped") {
    return errors::kIncorrectInstanceStatus;
  }
  const int64_t now = NowMs();
  inst.plan_id = to->plan_id;
  inst.life.Begin("Upgrading", "Running", now + options_.instance_transition_ms);
  SWASD_RETURN_IF_ERROR(tx.PutResource(ToResource(inst)));
  auto sys = LoadDisk(tx, account, region, inst.system_disk_id);
  if (sys.ok() && sys->size < to->disk_size) {
    sys->size = to->disk_size;
    SWASD_RETURN_IF_ERROR(tx.PutResource(ToResource(*sys)));
  }
  return Status::Ok();
}

Status Service::RenewInstance(store::Tx& tx, const std::string& account,
                              const std::string& region,
                              const std::string& instance_id, int months) const {
  SWASD_ASSIGN_OR_RETURN(Instance inst,
                         GetInstance(tx, account, region, instance_id));
  // Renewal extends the subscription from its current end, or from now if
  // it has already ended.
  inst.expires_ms = std::max(inst.expires_ms, NowMs()) + months * kMonthMs;
  return tx.PutResource(ToResource(inst));
}

Status Service::CheckNewPassword(store::Tx& tx, const std::string& account,
                                 const std::string& region,
                                 const std::string& instance_id,
                                 const std::string& password) const {
  SWASD_ASSIGN_OR_RETURN(Instance inst,
                         GetInstance(tx, account, region, instance_id));
  if (!ValidInstancePassword(password, inst.os_type == "Windows")) {
    return errors::kInvalidPasswordValueNotSupported;
  }
  // The console resets a password only on a Running or Stopped server.
  if (inst.life.status != "Running" && inst.life.status != "Stopped") {
    return errors::kIncorrectInstanceStatus;
  }
  return Status::Ok();
}

}  // namespace swasd::swas
