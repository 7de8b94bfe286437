// SWAS domain rules: instances, disks, snapshots, custom images and their
// sharing to ECS. Every method runs inside a store transaction supplied by
// the caller (so a ClientToken record commits with the change) and is
// scoped to one account: another account's resource is indistinguishable
// from a missing one. No HTTP, no wire format.
//
// Thread-safety: a Service is immutable after construction; calls are
// serialized by the store's transactions.
#ifndef SWASD_SWAS_SERVICE_H_
#define SWASD_SWAS_SERVICE_H_

#include <optional>
#include <string>
#include <vector>

#include "base/clock.h"
#include "base/error.h"
#include "store/paging.h"
#include "store/store.h"
#include "swas/model.h"
#include "swas/regions.h"

namespace swasd::swas {

struct ServiceOptions {
  // How long the asynchronous steps take. Short by default, so a whole SDK
  // flow finishes in seconds; raise them to exercise polling code.
  int64_t instance_transition_ms = 1000;  // Pending/Starting/Stopping -> ...
  int64_t snapshot_ready_ms = 1000;       // Progressing -> Accomplished
  int64_t image_ready_ms = 1000;          // "4" -> "1"
  // Custom images per region: 3 per instance owned there, at most 15
  // (alibaba-api.md §2.1).
  int images_per_instance = 3;
  int max_images_per_region = 15;
};

using store::Listed;
using store::Page;

struct Plan;  // swas/catalog.h

struct CreateInstancesRequest {
  std::string plan_id, image_id, charge_type = "PrePaid";
  int period = 1;
  int amount = 1;
  bool auto_renew = false;
};

struct InstanceFilter {
  std::vector<std::string> ids, public_ips;
  std::optional<std::string> status, name, charge_type;
};

struct CreateImageRequest {
  std::string instance_id, system_snapshot_id, data_snapshot_id, name,
      description;
};

struct ImageFilter {
  std::vector<std::string> ids, names;
  std::optional<bool> shared;
  std::optional<std::string> instance_id, system_snapshot_id, data_snapshot_id;
};

enum class ShareOperation { kShare, kUnShare };

class Service {
 public:
  Service(const RegionCatalog* regions, const Clock* clock,
          ServiceOptions options)
      : regions_(regions), clock_(clock), options_(options) {}

  // InvalidRegionId.NotFound unless the region is served.
  Status CheckRegion(std::string_view region_id) const;

  // --- Instances ------------------------------------------------------------
  Result<std::vector<std::string>> CreateInstances(
      store::Tx& tx, const std::string& account, const std::string& region,
      const CreateInstancesRequest& req) const;
  Result<Listed<Instance>> ListInstances(store::Tx& tx,
                                         const std::string& account,
                                         const std::string& region,
                                         const InstanceFilter& filter,
                                         Page page) const;
  enum class Power { kStart, kStop, kReboot };
  Status ChangePower(store::Tx& tx, const std::string& account,
                     const std::string& region, const std::string& instance_id,
                     Power action) const;
  Status UpdateInstance(store::Tx& tx, const std::string& account,
                        const std::string& region,
                        const std::string& instance_id,
                        const std::optional<std::string>& name) const;
  // The instance with its effective status, or InvalidInstanceId.NotFound.
  Result<Instance> GetInstance(store::Tx& tx, const std::string& account,
                               const std::string& region,
                               const std::string& id) const;

  // --- Disks ------------------------------------------------------------------
  Result<Listed<Disk>> ListDisks(store::Tx& tx, const std::string& account,
                                 const std::string& region,
                                 const std::vector<std::string>& ids,
                                 const std::optional<std::string>& instance_id,
                                 const std::optional<std::string>& disk_type,
                                 Page page) const;

  // --- Snapshots --------------------------------------------------------------
  Result<std::string> CreateSnapshot(store::Tx& tx, const std::string& account,
                                     const std::string& region,
                                     const std::string& disk_id,
                                     const std::string& name) const;
  Result<Listed<Snapshot>> ListSnapshots(
      store::Tx& tx, const std::string& account, const std::string& region,
      const std::vector<std::string>& ids,
      const std::optional<std::string>& disk_id,
      const std::optional<std::string>& instance_id,
      const std::optional<std::string>& source_disk_type, Page page) const;
  Status DeleteSnapshot(store::Tx& tx, const std::string& account,
                        const std::string& region,
                        const std::string& snapshot_id) const;

  // --- Custom images ------------------------------------------------------------
  Result<std::string> CreateCustomImage(store::Tx& tx,
                                        const std::string& account,
                                        const std::string& region,
                                        const CreateImageRequest& req) const;
  Result<Listed<CustomImage>> ListCustomImages(store::Tx& tx,
                                               const std::string& account,
                                               const std::string& region,
                                               const ImageFilter& filter,
                                               Page page) const;
  // Deletes all of `ids` or none: any unknown id is InvalidImageId.NotFound,
  // any shared image CustomImageInShare.
  Status DeleteCustomImages(store::Tx& tx, const std::string& account,
                            const std::string& region,
                            const std::vector<std::string>& ids) const;
  // Share/UnShare to ECS in the image's region. Repeating the current state
  // succeeds and changes nothing: the call states the desired state, which
  // is what retrying clients and Terraform's status attribute expect, and
  // Alibaba documents no error for it. An image that is not available yet
  // (still "4") can be neither shared nor unshared: IncorrectImageStatus.
  Status ModifyImageShareStatus(store::Tx& tx, const std::string& account,
                                const std::string& region,
                                const std::string& image_id,
                                ShareOperation op) const;
  // --- What ECS sees (the seed: shared images are usable from ECS in their
  // region; after UnShare they can be neither listed nor used) -------------
  // The caller's custom image `id` if it is shared to ECS in `region`;
  // nullopt otherwise (unknown, unshared, deleted, another region or
  // account: all look the same).
  Result<std::optional<CustomImage>> FindSharedImage(store::Tx& tx,
                                                     const std::string& account,
                                                     const std::string& region,
                                                     const std::string& id) const;
  // Every image the caller shares to ECS in `region`, oldest first.
  Result<std::vector<CustomImage>> ListSharedImages(store::Tx& tx,
                                                    const std::string& account,
                                                    const std::string& region) const;

  // The caller's custom image in `region` with its effective status, or
  // InvalidImageId.NotFound.
  Result<CustomImage> GetImage(store::Tx& tx, const std::string& account,
                               const std::string& region,
                               const std::string& id) const;

  // --- Disks, snapshots and plan changes (swas/disks.cc) ---------------------
  // Deletes all of `ids` or none: an unknown id is InvalidSnapshotId.NotFound,
  // one a custom image was made from SnapshotCreatedImage.
  Status DeleteSnapshots(store::Tx& tx, const std::string& account,
                         const std::string& region,
                         const std::vector<std::string>& ids) const;
  Status UpdateSnapshotRemark(store::Tx& tx, const std::string& account,
                              const std::string& region,
                              const std::string& snapshot_id,
                              const std::string& remark) const;
  Status UpdateDiskRemark(store::Tx& tx, const std::string& account,
                          const std::string& region, const std::string& disk_id,
                          const std::string& remark) const;
  // Rolls `disk_id` back to its Accomplished snapshot `snapshot_id`; the
  // server must be Stopped (IncorrectInstanceStatus.ResetDisk) and shows
  // Resetting, then Stopped again. The snapshot's RollbackTime is now.
  Status ResetDisk(store::Tx& tx, const std::string& account,
                   const std::string& region, const std::string& disk_id,
                   const std::string& snapshot_id) const;
  // A bigger plan (no dimension smaller, one bigger) for a Running or
  // Stopped server: Upgrading, then Running; the system disk grows to the
  // plan's size.
  Status UpgradeInstance(store::Tx& tx, const std::string& account,
                         const std::string& region,
                         const std::string& instance_id,
                         const std::string& plan_id) const;
  // Moves ExpiredTime `months` months (30 days each, as CreateInstances
  // counts them) further.
  Status RenewInstance(store::Tx& tx, const std::string& account,
                       const std::string& region,
                       const std::string& instance_id, int months) const;
  // UpdateInstanceAttribute's Password: checked against the documented
  // rules and the server's state, then forgotten (swasd runs no server
  // whose password could change, so nothing is stored, not even a hash).
  // --- Firewall rules (swas/firewall.cc) ------------------------------------
  // A server starts with TCP 22, 80 and 443 open, as on Alibaba.
  Result<Listed<FirewallRule>> ListFirewallRules(
      store::Tx& tx, const std::string& account, const std::string& region,
      const std::string& instance_id, const std::optional<std::string>& rule_id,
      Page page) const;
  // The new rule's id. `protocol` as Alibaba and Terraform send it (TCP,
  // UDP, TCP+UDP; Tcp, Udp, TcpAndUdp), any case.
  Result<std::string> CreateFirewallRule(store::Tx& tx, const std::string& account,
                                         const std::string& region,
                                         const std::string& instance_id,
                                         const std::string& port,
                                         const std::string& protocol,
                                         const std::string& remark) const;
  Status DeleteFirewallRule(store::Tx& tx, const std::string& account,
                            const std::string& region,
                            const std::string& instance_id,
                            const std::string& rule_id) const;

  Status CheckNewPassword(store::Tx& tx, const std::string& account,
                          const std::string& region,
                          const std::string& instance_id,
                          const std::string& password) const;

 private:
  int64_t NowMs() const { return clock_->NowUnixMillis(); }

  const RegionCatalog* regions_;
  const Clock* clock_;
  ServiceOptions options_;
};

// "2024-01-01T00:00:00Z" for a unix-milliseconds time.
std::string FormatMs(int64_t ms);
// ImageName rule (2-128 chars, starting with a letter, digit or CJK
// character; then letters, digits, CJK, ':', '_', '-', '.').
bool ValidImageName(std::string_view name);
// Password rule of UpdateInstanceAttribute: 8-30 characters of letters,
// digits and ()`~!@#$%^&*-_+=|{}[]:;'<>,.?/, at least three of the four
// kinds; on Windows not starting with '/'.
bool ValidInstancePassword(std::string_view password, bool windows);
// Whether `to` is an upgrade of `from`: no dimension smaller, one bigger.
bool IsPlanUpgrade(const Plan& from, const Plan& to);

}  // namespace swasd::swas

#endif  // SWASD_SWAS_SERVICE_H_
