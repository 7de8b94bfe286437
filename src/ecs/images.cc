// The images ECS can see and use: its public catalog plus the caller's
// SWAS custom images shared to ECS in the region.
#include <algorithm>

#include "ecs/errors.h"
#include "ecs/service.h"

namespace swasd::ecs {
namespace {

using store::PageOf;

Image FromSwas(const swas::CustomImage& i) {
  Image out;
  out.id = i.id;
  out.name = i.name;
  out.description = i.description;
  out.owner_alias = "others";
  out.os_type = i.os_type == "Windows" ? "windows" : "linux";
  out.os_name = i.source_image_name + " " + i.source_image_version;
  out.platform = i.source_image_name;
  out.size = i.required_system_disk_size > 0 ? i.required_system_disk_size : 40;
  out.created_ms = i.created_ms;
  out.is_public = false;
  out.from_swas = true;
  return out;
}

// True when `v` is empty (no filter) or holds `s`.
bool In(const std::vector<std::string>& v, const std::string& s) {
  return v.empty() || std::find(v.begin(), v.end(), s) != v.end();
}

}  // namespace

Result<std::vector<Image>> Service::VisibleImages(
    store::Tx& tx, const std::string& account, const std::string& region) const {
  std::vector<Image> out = PublicImages();
  SWASD_ASSIGN_OR_RETURN(auto shared, swas_->ListSharedImages(tx, account, region));
  for (const auto& i : shared) out.push_back(FromSwas(i));
  return out;
}

Result<store::Listed<Image>> Service::DescribeImages(
    store::Tx& tx, const std::string& account, const std::string& region,
    const ImageFilter& filter, store::Page page) const {
  SWASD_ASSIGN_OR_RETURN(auto all, VisibleImages(tx, account, region));
  std::vector<Image> match;
  for (auto& i : all) {
    if (!In(filter.ids, i.id) || !In(filter.statuses, "Available")) continue;
    if (filter.owner_alias && *filter.owner_alias != i.owner_alias) continue;
    if (filter.name && *filter.name != i.name) continue;
    if (filter.os_type && *filter.os_type != i.os_type) continue;
    match.push_back(std::move(i));
  }
  return PageOf(std::move(match), page);
}

Result<std::optional<Image>> Service::ResolveImage(
    store::Tx& tx, const std::string& account, const std::string& region,
    const std::string& image_id) const {
  for (const auto& i : PublicImages()) {
    if (i.id == image_id) return std::optional<Image>(i);
  }
  SWASD_ASSIGN_OR_RETURN(auto shared,
                         swas_->FindSharedImage(tx, account, region, image_id));
  if (!shared) return std::optional<Image>();
  return std::optional<Image>(FromSwas(*shared));
}

}  // namespace swasd::ecs
