// ECS domain rules for the part of ECS that SWAS image sharing touches:
// which images ECS can see and use, instances built from them, and their
// disks. A SWAS custom image is visible and usable here exactly while it
// is shared (swas::Service::FindSharedImage); instances made from it keep
// running after UnShare, but their system disk can no longer be
// re-initialized (the seed page).
//
// Instance- and disk-level calls carry no RegionId on ECS (the real
// service takes it from the endpoint), so those resources are found by id
// within the caller's account.
#ifndef SWASD_ECS_SERVICE_H_
#define SWASD_ECS_SERVICE_H_

#include <optional>
#include <string>
#include <vector>

#include "base/clock.h"
#include "ecs/model.h"
#include "store/store.h"
#include "swas/regions.h"
#include "swas/service.h"
#include "ecs/instance_types.h"
#include "ecs/key_pairs.h"
#include "ecs/security_groups.h"
#include "ecs/zones.h"
#include "vpc/service.h"

namespace swasd::ecs {

struct ServiceOptions {
  int64_t instance_transition_ms = 1000;  // Pending/Starting/Stopping -> ...
};

// DescribeImages' filters. An empty list or an absent value matches any
// image; statuses default to Available (every image ECS can see is).
struct ImageFilter {
  std::vector<std::string> ids;
  std::vector<std::string> statuses;
  std::optional<std::string> owner_alias, name, os_type;
  std::optional<std::string> owner_id, architecture, image_family;
  std::optional<bool> is_public;
  // "instance": images some instance of the caller's in the region runs
  // from; "none": the others.
  std::optional<std::string> usage;
  // Filter.N CreationStartTime / CreationEndTime, unix milliseconds.
  std::optional<int64_t> created_from_ms, created_to_ms;
};

// CreateImage / CopyImage / ModifyImageAttribute's name and description,
// unchecked; absent fields stay as they are.
struct ImageAttributes {
  std::optional<std::string> name, description, image_family;
};

struct DataDiskRequest {
  std::string category = "cloud_efficiency";  // ECS's default for I/O optimized
  int size = 0;
  std::string name, description;
  bool delete_with_instance = true;
};

struct CreateRequest {
  std::string region, zone, image_id, instance_type, name, description;
  std::string vswitch_id, private_ip, charge_type = "PostPaid";
  // SecurityGroupId or SecurityGroupIds.N (not both: the wire layer checks).
  std::vector<std::string> security_group_ids;
  std::string key_pair_name;
  // HostName (may hold ${instance_id}) or HostNames.N, one per instance.
  std::string host_name;
  std::vector<std::string> host_names;
  std::string user_data;  // base64
  std::vector<InstanceTag> tags;
  std::string disk_category = "cloud_essd";
  int disk_size = 0;  // 0: the image's size
  std::vector<DataDiskRequest> data_disks;
  int bandwidth_out = 0;
  int amount = 1;
  int min_amount = 0;  // 0: amount (all or nothing)
  bool run = true;  // RunInstances starts them; CreateInstance leaves them Stopped
};

// DescribeInstances' filters; an absent value or empty list matches all.
struct InstanceFilter {
  std::vector<std::string> ids, private_ips;
  std::optional<std::string> status, name, vpc_id, vswitch_id, zone_id;
  std::optional<std::string> security_group_id, instance_type, instance_type_family;
  std::optional<std::string> key_pair_name, image_id, charge_type;
  std::vector<InstanceTag> tags;  // every key (and value, when not empty)
};

class Service {
 public:
  Service(const swas::Service* swas, const vpc::Service* vpc,
          const SecurityGroups* security_groups, const KeyPairs* key_pairs,
          const swas::RegionCatalog* regions, const ZoneCatalog* zones,
          const InstanceTypeCatalog* types, const Clock* clock, ServiceOptions options)
      : swas_(swas),
        vpc_(vpc),
        security_groups_(security_groups),
        key_pairs_(key_pairs),
        regions_(regions),
        zones_(zones),
        types_(types),
        clock_(clock),
        options_(options) {}

  Status CheckRegion(std::string_view region) const;
  // The zones of each region (api/catalog/ecs-zones.json).
  const ZoneCatalog& zones() const { return *zones_; }
  // The instance types and where they are offered
  // (api/catalog/ecs-instance-types.json).
  const InstanceTypeCatalog& instance_types() const { return *types_; }

  // In `region`: public images, the caller's SWAS images shared to ECS, its
  // own ECS images and those other accounts share with it, in that order.
  Result<std::vector<Image>> VisibleImages(store::Tx& tx,
                                           const std::string& account,
                                           const std::string& region) const;
  // One page of the visible images in `region` that match `filter`, in
  // VisibleImages order, and how many match in all.
  Result<store::Listed<Image>> DescribeImages(store::Tx& tx,
                                             const std::string& account,
                                             const std::string& region,
                                             const ImageFilter& filter,
                                             store::Page page) const;
  // The image if the caller may use it in `region` (Available); nullopt
  // otherwise.
  Result<std::optional<Image>> ResolveImage(store::Tx& tx,
                                            const std::string& account,
                                            const std::string& region,
                                            const std::string& image_id) const;

  // --- The caller's own ECS images (images.cc) ----------------------------
  // An own image from an instance's system disk (Running or Stopped, in
  // `region`), Creating until the transition time; returns its id.
  Result<std::string> CreateImage(store::Tx& tx, const std::string& account,
                                  const std::string& region,
                                  const std::string& instance_id,
                                  const ImageAttributes& attrs) const;
  // A copy of an own image into `dest_region` (any served region), or of an
  // image shared with the caller (SWAS or another account) within `region`
  // only; the copy is the caller's own image. Returns its id.
  Result<std::string> CopyImage(store::Tx& tx, const std::string& account,
                                const std::string& region, const std::string& image_id,
                                const std::string& dest_region,
                                const ImageAttributes& attrs) const;
  // Deletes an own image; one in use by instances or shared with accounts
  // only with `force`.
  Status DeleteImage(store::Tx& tx, const std::string& account,
                     const std::string& region, const std::string& image_id,
                     bool force) const;
  Status ModifyImageAttribute(store::Tx& tx, const std::string& account,
                              const std::string& region, const std::string& image_id,
                              const ImageAttributes& attrs) const;
  // Shares an own image with (and stops sharing it with) other accounts.
  Status ModifyImageSharePermission(store::Tx& tx, const std::string& account,
                                    const std::string& region,
                                    const std::string& image_id,
                                    const std::vector<std::string>& add,
                                    const std::vector<std::string>& remove) const;
  // The accounts an own image is shared with, in the order they were added.
  Result<store::Listed<OwnImage::ShareAccount>> DescribeImageSharePermission(
      store::Tx& tx, const std::string& account, const std::string& region,
      const std::string& image_id, store::Page page) const;

  // Creates req.amount instances (or, when the vSwitch has room for fewer,
  // as many as it has, if at least req.min_amount) with their disks.
  // Checks, in ECS's order and with its codes: zone, instance type, image,
  // vSwitch (exists, Available, in the zone), security groups (exist, in
  // the vSwitch's VPC), key pair, private IP, host name, user data, disks.
  // Returns the new instances' ids.
  Result<std::vector<std::string>> CreateInstances(
      store::Tx& tx, const std::string& account, const CreateRequest& req) const;
  Result<store::Listed<Instance>> ListInstances(
      store::Tx& tx, const std::string& account, const std::string& region,
      const InstanceFilter& filter, store::Page page) const;
  // How many instances of `account` use vSwitch `vswitch_id` (for VPC's
  // DeleteVSwitch and free-address count).
  Result<int64_t> CountInVSwitch(store::Tx& tx, const std::string& account,
                                 const std::string& vswitch_id) const;
  // The instance with its effective status, or InvalidInstanceId.NotFound.
  Result<Instance> GetInstance(store::Tx& tx, const std::string& account,
                               const std::string& id) const;

  enum class Power { kStart, kStop, kReboot };
  // force_stop: a stop is immediate (Stopped at once, no Stopping).
  Status ChangePower(store::Tx& tx, const std::string& account,
                     const std::string& id, Power power,
                     bool force_stop = false) const;
  // Deletes a Stopped instance (any state with force) and its disks.
  Status DeleteInstance(store::Tx& tx, const std::string& account,
                        const std::string& id, bool force) const;

  Result<store::Listed<Disk>> ListDisks(
      store::Tx& tx, const std::string& account, const std::string& region,
      const std::vector<std::string>& ids,
      const std::optional<std::string>& instance_id,
      const std::optional<std::string>& type, store::Page page) const;
  // Re-initializes a disk of a Stopped instance from its source image. A
  // system disk whose SWAS source image is no longer shared is refused.
  Status ReInitDisk(store::Tx& tx, const std::string& account,
                    const std::string& disk_id, bool auto_start) const;
  // Gives a Stopped instance a new system disk from `image_id`; returns the
  // new disk's id.
  Result<std::string> ReplaceSystemDisk(store::Tx& tx,
                                        const std::string& account,
                                        const std::string& instance_id,
                                        const std::string& image_id) const;

 private:
  int64_t NowMs() const { return clock_->NowUnixMillis(); }

  // The network an instance joins: its VPC, vSwitch and private IPs.
  struct Placement {
    std::string zone, vpc_id, vswitch_id;
    std::vector<std::string> ips;  // one per instance to create
  };
  Result<Placement> Place(store::Tx& tx, const std::string& account,
                          const CreateRequest& req) const;

  const swas::Service* swas_;
  const vpc::Service* vpc_;
  const SecurityGroups* security_groups_;
  const KeyPairs* key_pairs_;
  const swas::RegionCatalog* regions_;
  const ZoneCatalog* zones_;
  const InstanceTypeCatalog* types_;
  const Clock* clock_;
  ServiceOptions options_;
};

}  // namespace swasd::ecs

#endif  // SWASD_ECS_SERVICE_H_
