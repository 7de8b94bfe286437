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
