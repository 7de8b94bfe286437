// Tags and resource groups on SWAS resources: TagResources,
// UntagResources, ListTagResources, the create calls' Tag.N and
// ResourceGroupId, and the List* calls' filters. Kept apart from
// service.cc: the tags live in each resource's own document (model.h
// Tagging), so this file only reads and rewrites records.
#include <algorithm>
#include <charconv>

#include "base/crypto.h"
#include "base/encoding.h"
#include "base/strings.h"
#include "swas/errors.h"
#include "swas/service.h"

namespace swasd::swas {
namespace {

const char* KindOf(TagResourceType type) {
  switch (type) {
    case TagResourceType::kInstance: return kInstanceKind;
    case TagResourceType::kDisk: return kDiskKind;
    case TagResourceType::kSnapshot: return kSnapshotKind;
    case TagResourceType::kCustomImage: return kImageKind;
  }
  return "";
}

const char* WireName(TagResourceType type) {
  switch (type) {
    case TagResourceType::kInstance: return "instance";
    case TagResourceType::kDisk: return "disk";
    case TagResourceType::kSnapshot: return "snapshot";
    case TagResourceType::kCustomImage: return "customimage";
  }
  return "";
}

// The record decoded as its own type, its Tagging replaced by `edit`'s
// result, and encoded again: every other field goes back as it came.
template <typename T, typename From, typename Edit>
Result<store::Resource> Retyped(const store::Resource& r, From from, Edit edit) {
  SWASD_ASSIGN_OR_RETURN(T v, from(r));
  SWASD_ASSIGN_OR_RETURN(Tagging t, edit(static_cast<const Tagging&>(v)));
  static_cast<Tagging&>(v) = std::move(t);
  return ToResource(v);
}

// Runs `edit` (const Tagging& -> Result<Tagging>) on the record's tagging
// and returns the record to write.
template <typename Edit>
Result<store::Resource> EditTagging(TagResourceType type,
                                    const store::Resource& r, Edit edit) {
  switch (type) {
    case TagResourceType::kInstance: return Retyped<Instance>(r, InstanceFrom, edit);
    case TagResourceType::kDisk: return Retyped<Disk>(r, DiskFrom, edit);
    case TagResourceType::kSnapshot: return Retyped<Snapshot>(r, SnapshotFrom, edit);
    case TagResourceType::kCustomImage: return Retyped<CustomImage>(r, ImageFrom, edit);
  }
  return Error(::swasd::errors::kInternalError).WithCause("unknown tag resource type");
}

Result<Tagging> ReadTagging(TagResourceType type, const store::Resource& r) {
  Tagging out;
  SWASD_ASSIGN_OR_RETURN(auto unused, EditTagging(type, r, [&](const Tagging& t) -> Result<Tagging> {
    out = t;
    return t;
  }));
  (void)unused;
  return out;
}

bool HasUrlScheme(std::string_view s) {
  return s.find("http://") != std::string_view::npos ||
         s.find("https://") != std::string_view::npos;
}

std::vector<std::string> Unique(const std::vector<std::string>& ids) {
  std::vector<std::string> out;
  for (const auto& id : ids) {
    if (std::find(out.begin(), out.end(), id) == out.end()) out.push_back(id);
  }
  return out;
}

constexpr std::string_view kTokenPrefix = "swasd-tags-";

std::optional<size_t> ParseNextToken(const std::string& token) {
  if (!token.starts_with(kTokenPrefix)) return std::nullopt;
  std::string_view digits = std::string_view(token).substr(kTokenPrefix.size());
  size_t offset = 0;
  auto [end, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), offset);
  if (digits.empty() || ec != std::errc() || end != digits.data() + digits.size()) {
    return std::nullopt;
  }
  return offset;
}

}  // namespace

std::string DefaultResourceGroupId(const std::string& account) {
  return "rg-acfm" + crypto::Sha256Hex("swasd default resource group " + account).substr(0, 15);
}

std::string ResourceGroupOf(const std::string& account, const Tagging& t) {
  return t.resource_group_id.empty() ? DefaultResourceGroupId(account)
                                     : t.resource_group_id;
}

bool TagFilter::Matches(const std::string& account, const Tagging& t) const {
  if (resource_group_id && *resource_group_id != ResourceGroupOf(account, t)) {
    return false;
  }
  for (const auto& [key, value] : tags) {
    auto it = std::find_if(t.tags.begin(), t.tags.end(),
                           [&](const Tag& tag) { return tag.key == key; });
    if (it == t.tags.end() || (value && it->value != *value)) return false;
  }
  return true;
}

Result<TagResourceType> Service::ParseTagResourceType(std::string_view type) {
  if (type == "instance") return TagResourceType::kInstance;
  if (type == "disk") return TagResourceType::kDisk;
  if (type == "snapshot") return TagResourceType::kSnapshot;
  if (type == "customimage") return TagResourceType::kCustomImage;
  if (type == "command" || type == "firewallrule") {
    return errors::kInvalidResourceTypeNotSupported;
  }
  return errors::kInvalidResourceTypeNotFound;
}

Status Service::ValidateTags(const std::vector<Tag>& tags) {
  if (tags.size() > kMaxTagsPerResource) return errors::kTagQuotaExceed;
  for (size_t i = 0; i < tags.size(); ++i) {
    const Tag& t = tags[i];
    size_t key_chars = CountUtf8Chars(t.key);
    if (key_chars < 1 || key_chars > kMaxTagKeyChars || HasUrlScheme(t.key) ||
        StartsWithIgnoreCase(t.key, "aliyun") || StartsWithIgnoreCase(t.key, "acs:")) {
      return errors::kInvalidTagKeyMalformed;
    }
    if (CountUtf8Chars(t.value) > kMaxTagValueChars || HasUrlScheme(t.value)) {
      return errors::kInvalidTagValueMalformed;
    }
    for (size_t j = 0; j < i; ++j) {
      if (tags[j].key == t.key) return errors::kDuplicateTagKey;
    }
  }
  return Status::Ok();
}

namespace {

// Loads every resource of `ids` (all or none), applies `edit` to each and
// writes them back.
template <typename Edit>
Status EditAll(store::Tx& tx, const std::string& account,
               const std::string& region, TagResourceType type,
               const std::vector<std::string>& ids, Edit edit) {
  std::vector<store::Resource> updated;
  for (const auto& id : Unique(ids)) {
    SWASD_ASSIGN_OR_RETURN(auto r, tx.GetResource(KindOf(type), account, id));
    if (!r || r->region_id != region) return errors::kInvalidResourceIdNotFound;
    SWASD_ASSIGN_OR_RETURN(store::Resource next, EditTagging(type, *r, edit));
    updated.push_back(std::move(next));
  }
  for (const auto& r : updated) SWASD_RETURN_IF_ERROR(tx.PutResource(r));
  return Status::Ok();
}

}  // namespace

Status Service::TagResources(store::Tx& tx, const std::string& account,
                             const std::string& region, TagResourceType type,
                             const std::vector<std::string>& ids,
                             const std::vector<Tag>& tags) const {
  SWASD_RETURN_IF_ERROR(ValidateTags(tags));
  return EditAll(tx, account, region, type, ids, [&](const Tagging& t) -> Result<Tagging> {
    Tagging next = t;
    for (const Tag& tag : tags) {
      auto it = std::find_if(next.tags.begin(), next.tags.end(),
                             [&](const Tag& have) { return have.key == tag.key; });
      if (it != next.tags.end()) {
        it->value = tag.value;
      } else {
        next.tags.push_back(tag);
      }
    }
    if (next.tags.size() > kMaxTagsPerResource) return errors::kTagQuotaExceed;
    return next;
  });
}

Status Service::UntagResources(store::Tx& tx, const std::string& account,
                               const std::string& region, TagResourceType type,
                               const std::vector<std::string>& ids,
                               const std::vector<std::string>& keys,
                               bool all) const {
  return EditAll(tx, account, region, type, ids, [&](const Tagging& t) -> Result<Tagging> {
    Tagging next = t;
    if (keys.empty()) {
      if (all) next.tags.clear();
      return next;
    }
    std::erase_if(next.tags, [&](const Tag& tag) {
      return std::find(keys.begin(), keys.end(), tag.key) != keys.end();
    });
    return next;
  });
}

Status Service::SetTagging(store::Tx& tx, const std::string& account,
                           const std::string& region, TagResourceType type,
                           const std::string& id, Tagging tagging) const {
  SWASD_RETURN_IF_ERROR(ValidateTags(tagging.tags));
  return EditAll(tx, account, region, type, {id},
                 [&](const Tagging&) -> Result<Tagging> { return tagging; });
}

Result<TagResourcePage> Service::ListTagResources(
    store::Tx& tx, const std::string& account, const std::string& region,
    TagResourceType type, const std::vector<std::string>& ids,
    const TagFilter& filter, const std::string& next_token) const {
  size_t offset = 0;
  if (!next_token.empty()) {
    auto parsed = ParseNextToken(next_token);
    if (!parsed) return errors::kInvalidNextToken;
    offset = *parsed;
  }
  store::ResourceQuery q;
  q.kind = KindOf(type);
  q.account_id = account;
  q.region_id = region;
  q.ids = Unique(ids);
  SWASD_ASSIGN_OR_RETURN(auto records, tx.ListResources(q));
  std::vector<TagResourceRow> rows;
  for (const auto& r : records) {
    SWASD_ASSIGN_OR_RETURN(Tagging t, ReadTagging(type, r));
    if (!filter.Matches(account, t)) continue;
    for (const Tag& tag : t.tags) {
      rows.push_back({r.id, WireName(type), tag.key, tag.value});
    }
  }
  TagResourcePage page;
  for (size_t i = offset; i < rows.size() && i < offset + kTagRowsPerPage; ++i) {
    page.rows.push_back(std::move(rows[i]));
  }
  if (offset + kTagRowsPerPage < rows.size()) {
    page.next_token = std::string(kTokenPrefix) + std::to_string(offset + kTagRowsPerPage);
  }
  return page;
}

}  // namespace swasd::swas
