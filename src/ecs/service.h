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
#include "ecs/zones.h"

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
};

struct CreateRequest {
  std::string region, zone, image_id, instance_type, name;
  std::string security_group_id, vswitch_id, charge_type = "PostPaid";
  std::string disk_category = "cloud_essd";
  int disk_size = 0;  // 0: the image's size
  int bandwidth_out = 0;
  int amount = 1;
  bool run = true;  // RunInstances starts them; CreateInstance leaves them Stopped
};

class Service {
 public:
  Service(const swas::Service* swas, const swas::RegionCatalog* regions,
          const ZoneCatalog* zones, const Clock* clock, ServiceOptions options)
      : swas_(swas), regions_(regions), zones_(zones), clock_(clock), options_(options) {}

  Status CheckRegion(std::string_view region) const;
  // The zones of each region (api/catalog/ecs-zones.json).
  const ZoneCatalog& zones() const { return *zones_; }

  // Public images plus the caller's SWAS images shared to ECS in `region`.
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
  // The image if the caller may use it in `region`; nullopt otherwise.
  Result<std::optional<Image>> ResolveImage(store::Tx& tx,
                                            const std::string& account,
                                            const std::string& region,
                                            const std::string& image_id) const;

  Result<std::vector<std::string>> CreateInstances(
      store::Tx& tx, const std::string& account, const CreateRequest& req) const;
  Result<store::Listed<Instance>> ListInstances(
      store::Tx& tx, const std::string& account, const std::string& region,
      const std::vector<std::string>& ids, const std::optional<std::string>& status,
      const std::optional<std::string>& name, store::Page page) const;
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

  const swas::Service* swas_;
  const swas::RegionCatalog* regions_;
  const ZoneCatalog* zones_;
  const Clock* clock_;
  ServiceOptions options_;
};

}  // namespace swasd::ecs

#endif  // SWASD_ECS_SERVICE_H_
