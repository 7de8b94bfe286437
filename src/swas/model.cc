#include "swas/model.h"

#include <nlohmann/json.hpp>

#include "base/errors.h"

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

// Decodes r.doc with `fill`, turning any JSON error into InternalError.
template <typename T, typename F>
Result<T> Decode(const store::Resource& r, F fill) {
  try {
    json j = json::parse(r.doc);
    T v;
    v.id = r.id;
    v.account_id = r.account_id;
    v.region_id = r.region_id;
    v.name = r.name;
    v.created_ms = r.created_at;
    fill(j, v);
    return v;
  } catch (const std::exception& e) {
    return Error(::swasd::errors::kInternalError)
        .WithCause("corrupt " + r.kind + " " + r.id + ": " + e.what());
  }
}

}  // namespace

store::Resource ToResource(const Instance& v) {
  auto r = Base(kInstanceKind, v.id, v.account_id, v.region_id, v.name, "",
                v.created_ms);
  r.doc = json{{"plan_id", v.plan_id},
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
               {"expires_ms", v.expires_ms}}
              .dump();
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
  });
}

store::Resource ToResource(const Disk& v) {
  auto r = Base(kDiskKind, v.id, v.account_id, v.region_id, v.name,
                v.instance_id, v.created_ms);
  r.doc = json{{"type", v.type},
               {"size", v.size},
               {"device", v.device},
               {"remark", v.remark}}
              .dump();
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
  r.doc = json{{"instance_id", v.instance_id},
               {"source_disk_type", v.source_disk_type},
               {"life", LifeJson(v.life)},
               {"remark", v.remark},
               {"rollback_ms", v.rollback_ms}}
              .dump();
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
  r.doc = json{{"description", v.description},
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
               {"create_instances", v.create_instances}}
              .dump();
  return r;
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
