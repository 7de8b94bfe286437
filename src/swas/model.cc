#include "swas/model.h"

#include <nlohmann/json.hpp>
#include <type_traits>

#include "base/errors.h"
#include "store/document.h"

namespace swasd::swas {
namespace {

using nlohmann::json;

json LifeJson(const Lifecycle& l) {
  return {{"status", l.status}, {"next", l.next}, {"at_ms", l.at_ms}};
}
void LifeFrom(const json& j, Lifecycle* l) {
  l->status = j.at("status").get<std::string>();
  l->next = j.at("next").get<std::string>();
  l->at_ms = j.at("at_ms").get<int64_t>();
}

store::Resource Base(const char* kind, const std::string& id,
                     const std::string& account, const std::string& region,
                     const std::string& name, const std::string& parent,
                     int64_t created_ms) {
  store::Resource r;
  r.kind = kind;
  r.id = id;
  r.account_id = account;
  r.region_id = region;
  r.name = name;
  r.parent_id = parent;
  r.created_at = created_ms;
  return r;
}

// Tags as [[key, value], ...] and the group under "rg"; both omitted when
// empty, so an untagged resource's document is what it was before tags.
std::string WithTagging(json doc, const Tagging& t) {
  if (!t.tags.empty()) {
    json tags = json::array();
    for (const Tag& tag : t.tags) tags.push_back({tag.key, tag.value});
    doc["tags"] = std::move(tags);
  }
  if (!t.resource_group_id.empty()) doc["rg"] = t.resource_group_id;
  return doc.dump();
}

void TaggingFrom(const json& j, Tagging* t) {
  if (j.contains("tags")) {
    for (const auto& pair : j.at("tags")) {
      t->tags.push_back({pair.at(0).get<std::string>(), pair.at(1).get<std::string>()});
    }
  }
  if (j.contains("rg")) t->resource_group_id = j.at("rg").get<std::string>();
}

// Decodes r.doc with `fill` (store/document.h), then the tags and group
// of the resources that carry them.
template <typename T, typename F>
Result<T> Decode(const store::Resource& r, F fill) {
  return store::DecodeDocument<T>(r, [&](const json& j, T& v) {
    fill(j, v);
    if constexpr (std::is_base_of_v<Tagging, T>) TaggingFrom(j, &v);
  });
}

}  // namespace

store::Resource ToResource(const Instance& v) {
  auto r = Base(kInstanceKind, v.id, v.account_id, v.region_id, v.name, "",
                v.created_ms);
  json doc{{"plan_id", v.plan_id},
               {"image_id", v.image_id},
               {"image_name", v.image_name},
               {"os_type", v.os_type},
               {"os_name", v.os_name},
               {"os_version", v.os_version},
               {"charge_type", v.charge_type},
               {"period", v.period},
               {"auto_renew", v.auto_renew},
               {"life", LifeJson(v.life)},
               {"public_ip", v.public_ip},
               {"inner_ip", v.inner_ip},
               {"system_disk_id", v.system_disk_id},
               {"data_disk_id", v.data_disk_id},
               {"expires_ms", v.expires_ms}};
  // Written only when set, so documents stay as before for most instances.
  if (!v.image_owner.empty()) doc["image_owner"] = v.image_owner;
  if (v.reset_ms != 0) doc["reset_ms"] = v.reset_ms;
  if (v.image_has_data) doc["image_has_data"] = true;
  r.doc = WithTagging(std::move(doc), v);
  return r;
}

Result<Instance> InstanceFrom(const store::Resource& r) {
  return Decode<Instance>(r, [](const json& j, Instance& v) {
    v.plan_id = j.at("plan_id");
    v.image_id = j.at("image_id");
    v.image_name = j.at("image_name");
    v.os_type = j.at("os_type");
    v.os_name = j.at("os_name");
    v.os_version = j.at("os_version");
    v.charge_type = j.at("charge_type");
    v.period = j.at("period");
    v.auto_renew = j.at("auto_renew");
    LifeFrom(j.at("life"), &v.life);
    v.public_ip = j.at("public_ip");
    v.inner_ip = j.at("inner_ip");
    v.system_disk_id = j.at("system_disk_id");
    v.data_disk_id = j.at("data_disk_id");
    v.expires_ms = j.at("expires_ms");
    v.image_owner = j.value("image_owner", std::string());
    v.reset_ms = j.value("reset_ms", int64_t{0});
    v.image_has_data = j.value("image_has_data", false);
  });
}

store::Resource ToResource(const Disk& v) {
  auto r = Base(kDiskKind, v.id, v.account_id, v.region_id, v.name,
                v.instance_id, v.created_ms);
  r.doc = WithTagging(json{{"type", v.type}, {"size", v.size}, {"device", v.device}, {"remark", v.remark}}, v);
  return r;
}

Result<Disk> DiskFrom(const store::Resource& r) {
  return Decode<Disk>(r, [&](const json& j, Disk& v) {
    v.instance_id = r.parent_id;
    v.type = j.at("type");
    v.size = j.at("size");
    v.device = j.at("device");
    v.remark = j.value("remark", "");  // absent before UpdateDiskAttribute
  });
}

store::Resource ToResource(const Snapshot& v) {
  auto r = Base(kSnapshotKind, v.id, v.account_id, v.region_id, v.name,
                v.disk_id, v.created_ms);
  r.doc = WithTagging(json{{"instance_id", v.instance_id},
               {"source_disk_type", v.source_disk_type},
               {"life", LifeJson(v.life)},
               {"remark", v.remark},
               {"rollback_ms", v.rollback_ms}}, v);
  return r;
}

Result<Snapshot> SnapshotFrom(const store::Resource& r) {
  return Decode<Snapshot>(r, [&](const json& j, Snapshot& v) {
    v.disk_id = r.parent_id;
    v.instance_id = j.at("instance_id");
    v.source_disk_type = j.at("source_disk_type");
    LifeFrom(j.at("life"), &v.life);
    // Absent in documents written before UpdateSnapshotAttribute/ResetDisk.
    v.remark = j.value("remark", "");
    v.rollback_ms = j.value("rollback_ms", int64_t{0});
  });
}

store::Resource ToResource(const CustomImage& v) {
  auto r = Base(kImageKind, v.id, v.account_id, v.region_id, v.name,
                v.instance_id, v.created_ms);
  r.flag = v.in_share ? 1 : 0;
  json doc{{"description", v.description},
               {"instance_name", v.instance_name},
               {"system_snapshot_id", v.system_snapshot_id},
               {"system_snapshot_name", v.system_snapshot_name},
               {"data_snapshot_id", v.data_snapshot_id},
               {"data_snapshot_name", v.data_snapshot_name},
               {"os_type", v.os_type},
               {"source_image_name", v.source_image_name},
               {"source_image_version", v.source_image_version},
               {"required_system_disk_size", v.required_system_disk_size},
               {"required_data_disk_size", v.required_data_disk_size},
               {"life", LifeJson(v.life)},
               {"create_instances", v.create_instances}};
  if (!v.share_accounts.empty()) {
    json shares = json::array();
    for (const auto& a : v.share_accounts) {
      shares.push_back({{"account_id", a.account_id}, {"shared_ms", a.shared_ms}});
    }
    doc["share_accounts"] = std::move(shares);
  }
  r.doc = WithTagging(std::move(doc), v);
  return r;
}

store::Resource ToResource(const ImageGrant& v) {
  auto r = Base(kImageGrantKind, v.id, v.account_id, v.region_id, v.name, v.image_id,
                v.created_ms);
  r.doc = json{{"owner_account_id", v.owner_account_id}}.dump();
  return r;
}

Result<ImageGrant> GrantFrom(const store::Resource& r) {
  return Decode<ImageGrant>(r, [&](const json& j, ImageGrant& v) {
    v.image_id = r.parent_id;
    v.owner_account_id = j.at("owner_account_id");
  });
}

Result<CustomImage> ImageFrom(const store::Resource& r) {
  return Decode<CustomImage>(r, [&](const json& j, CustomImage& v) {
    v.instance_id = r.parent_id;
    v.in_share = r.flag != 0;
    v.description = j.at("description");
    v.instance_name = j.at("instance_name");
    v.system_snapshot_id = j.at("system_snapshot_id");
    v.system_snapshot_name = j.at("system_snapshot_name");
    v.data_snapshot_id = j.at("data_snapshot_id");
    v.data_snapshot_name = j.at("data_snapshot_name");
    v.os_type = j.at("os_type");
    v.source_image_name = j.at("source_image_name");
    v.source_image_version = j.at("source_image_version");
    v.required_system_disk_size = j.at("required_system_disk_size");
    v.required_data_disk_size = j.at("required_data_disk_size");
    LifeFrom(j.at("life"), &v.life);
    v.create_instances = j.at("create_instances").get<std::vector<std::string>>();
    // Absent in documents written before account sharing existed.
    for (const auto& a : j.value("share_accounts", json::array())) {
      v.share_accounts.push_back({a.at("account_id"), a.at("shared_ms")});
    }
  });
}

store::Resource FirewallResource(const Instance& server,
                                 const std::vector<FirewallRule>& rules) {
  auto r = Base(kFirewallKind, server.id, server.account_id, server.region_id, "",
                server.id, server.created_ms);
  json list = json::array();
  for (const auto& f : rules) {
    list.push_back({{"id", f.id}, {"port", f.port}, {"protocol", f.protocol},
                    {"remark", f.remark}});
  }
  r.doc = json{{"rules", std::move(list)}}.dump();
  return r;
}

Result<std::vector<FirewallRule>> FirewallRulesFrom(const store::Resource& r) {
  try {
    const json doc = json::parse(r.doc);
    std::vector<FirewallRule> out;
    for (const auto& j : doc.at("rules")) {
      out.push_back({j.at("id"), j.at("port"), j.at("protocol"), j.at("remark")});
    }
    return out;
  } catch (const std::exception& e) {
    return Error(::swasd::errors::kInternalError)
        .WithCause("corrupt " + r.kind + " " + r.id + ": " + e.what());
  }
}

}  // namespace swasd::swas
