#include "ecs/model.h"

#include <nlohmann/json.hpp>

#include "base/errors.h"
#include "store/document.h"

namespace swasd::ecs {
namespace {

using nlohmann::json;


}  // namespace

const std::vector<Image>& PublicImages() {
  // Alibaba's public images, named as ECS names them.
  static const std::vector<Image> kImages = {
      {"aliyun_3_x64_20G_alibase_20240528.vhd", "aliyun_3_x64_20G_alibase_20240528.vhd",
       "Alibaba Cloud Linux 3.2104 LTS 64 bit", "system", "linux",
       "Alibaba Cloud Linux 3.2104 LTS 64位", "Aliyun", 20, 1716854400000, true, false},
      {"ubuntu_22_04_x64_20G_alibase_20240508.vhd", "ubuntu_22_04_x64_20G_alibase_20240508.vhd",
       "Ubuntu 22.04 64 bit", "system", "linux", "Ubuntu  22.04 64位", "Ubuntu", 20,
       1715126400000, true, false},
      {"centos_7_9_x64_20G_alibase_20240628.vhd", "centos_7_9_x64_20G_alibase_20240628.vhd",
       "CentOS 7.9 64 bit", "system", "linux", "CentOS  7.9 64位", "CentOS", 20, 1719532800000,
       true, false},
      {"debian_12_5_x64_20G_alibase_20240530.vhd", "debian_12_5_x64_20G_alibase_20240530.vhd",
       "Debian 12.5 64 bit", "system", "linux", "Debian  12.5 64位", "Debian", 20,
       1717027200000, true, false},
      {"win2022_21H2_x64_dtc_en-us_40G_alibase_20240515.vhd",
       "win2022_21H2_x64_dtc_en-us_40G_alibase_20240515.vhd",
       "Windows Server 2022 Datacenter 64 bit (English)", "system", "windows",
       "Windows Server  2022 数据中心版 64位英文版", "Windows Server 2022", 40, 1715731200000,
       true, false},
  };
  return kImages;
}

store::Resource ToResource(const Instance& v) {
  store::Resource r;
  r.kind = kInstanceKind;
  r.id = v.id;
  r.account_id = v.account_id;
  r.region_id = v.region_id;
  r.name = v.name;
  r.parent_id = v.vswitch_id;
  r.created_at = v.created_ms;
  json tags = json::array();
  for (const auto& t : v.tags) tags.push_back({t.key, t.value});
  r.doc = json{{"zone_id", v.zone_id},
               {"description", v.description},
               {"instance_type", v.instance_type},
               {"image_id", v.image_id},
               {"image_from_swas", v.image_from_swas},
               {"os_type", v.os_type},
               {"os_name", v.os_name},
               {"life", {{"status", v.life.status}, {"next", v.life.next}, {"at_ms", v.life.at_ms}}},
               {"public_ip", v.public_ip},
               {"private_ip", v.private_ip},
               {"vpc_id", v.vpc_id},
               {"vswitch_id", v.vswitch_id},
               {"security_group_ids", v.security_group_ids},
               {"key_pair_name", v.key_pair_name},
               {"host_name", v.host_name},
               {"user_data", v.user_data},
               {"tags", std::move(tags)},
               {"charge_type", v.charge_type},
               {"bandwidth_out", v.bandwidth_out},
               {"system_disk_id", v.system_disk_id}}
              .dump();
  return r;
}

Result<Instance> InstanceFrom(const store::Resource& r) {
  return store::DecodeDocument<Instance>(r, [](const json& j, Instance& v) {
    v.zone_id = j.at("zone_id");
    v.instance_type = j.at("instance_type");
    v.image_id = j.at("image_id");
    v.image_from_swas = j.at("image_from_swas");
    v.os_type = j.at("os_type");
    v.os_name = j.at("os_name");
    const json& l = j.at("life");
    v.life.status = l.at("status");
    v.life.next = l.at("next");
    v.life.at_ms = l.at("at_ms");
    v.public_ip = j.at("public_ip");
    v.private_ip = j.at("private_ip");
    v.vpc_id = j.at("vpc_id");
    v.vswitch_id = j.at("vswitch_id");
    // Documents written before security groups were real hold one id.
    if (j.contains("security_group_ids")) {
      v.security_group_ids = j.at("security_group_ids").get<std::vector<std::string>>();
    } else {
      v.security_group_ids = {j.at("security_group_id").get<std::string>()};
    }
    v.description = j.value("description", "");
    v.key_pair_name = j.value("key_pair_name", "");
    v.host_name = j.value("host_name", "");
    v.user_data = j.value("user_data", "");
    for (const auto& t : j.value("tags", json::array())) {
      v.tags.push_back({t.at(0).get<std::string>(), t.at(1).get<std::string>()});
    }
    v.charge_type = j.at("charge_type");
    v.bandwidth_out = j.at("bandwidth_out");
    v.system_disk_id = j.at("system_disk_id");
  });
}

store::Resource ToResource(const Disk& v) {
  store::Resource r;
  r.kind = kDiskKind;
  r.id = v.id;
  r.account_id = v.account_id;
  r.region_id = v.region_id;
  r.name = v.name;
  r.parent_id = v.instance_id;
  r.created_at = v.created_ms;
  r.doc = json{{"zone_id", v.zone_id},
               {"type", v.type},
               {"category", v.category},
               {"size", v.size},
               {"image_id", v.image_id},
               {"device", v.device},
               {"description", v.description},
               {"delete_with_instance", v.delete_with_instance}}
              .dump();
  return r;
}

Result<Disk> DiskFrom(const store::Resource& r) {
  return store::DecodeDocument<Disk>(r, [&](const json& j, Disk& v) {
    v.instance_id = r.parent_id;
    v.zone_id = j.at("zone_id");
    v.type = j.at("type");
    v.category = j.at("category");
    v.size = j.at("size");
    v.image_id = j.at("image_id");
    v.device = j.at("device");
    v.description = j.value("description", "");
    v.delete_with_instance = j.value("delete_with_instance", true);
  });
}

store::Resource ToResource(const OwnImage& v) {
  store::Resource r;
  r.kind = kOwnImageKind;
  r.id = v.id;
  r.account_id = v.account_id;
  r.region_id = v.region_id;
  r.name = v.name;
  r.parent_id = v.source_instance_id;
  r.created_at = v.created_ms;
  json shares = json::array();
  for (const auto& a : v.share_accounts) {
    shares.push_back({{"account_id", a.account_id}, {"shared_ms", a.shared_ms}});
  }
  r.doc = json{{"description", v.description},
               {"os_type", v.os_type},
               {"os_name", v.os_name},
               {"platform", v.platform},
               {"architecture", v.architecture},
               {"image_family", v.image_family},
               {"size", v.size},
               {"source_image_id", v.source_image_id},
               {"is_copied", v.is_copied},
               {"life", {{"status", v.life.status}, {"next", v.life.next}, {"at_ms", v.life.at_ms}}},
               {"share_accounts", std::move(shares)}}
              .dump();
  return r;
}

Result<OwnImage> OwnImageFrom(const store::Resource& r) {
  return store::DecodeDocument<OwnImage>(r, [&](const json& j, OwnImage& v) {
    v.source_instance_id = r.parent_id;
    v.description = j.at("description");
    v.os_type = j.at("os_type");
    v.os_name = j.at("os_name");
    v.platform = j.at("platform");
    v.architecture = j.at("architecture");
    v.image_family = j.at("image_family");
    v.size = j.at("size");
    v.source_image_id = j.at("source_image_id");
    v.is_copied = j.at("is_copied");
    const json& l = j.at("life");
    v.life.status = l.at("status");
    v.life.next = l.at("next");
    v.life.at_ms = l.at("at_ms");
    for (const json& a : j.at("share_accounts")) {
      v.share_accounts.push_back({a.at("account_id"), a.at("shared_ms")});
    }
  });
}

store::Resource ToResource(const ImageGrant& v) {
  store::Resource r;
  r.kind = kImageGrantKind;
  r.id = v.id;
  r.account_id = v.account_id;
  r.region_id = v.region_id;
  r.parent_id = v.image_id;
  r.created_at = v.created_ms;
  r.doc = json{{"owner_account_id", v.owner_account_id}}.dump();
  return r;
}

Result<ImageGrant> ImageGrantFrom(const store::Resource& r) {
  return store::DecodeDocument<ImageGrant>(r, [&](const json& j, ImageGrant& v) {
    v.id = r.id;  // (no name: DecodeDocument leaves the common fields)
    v.account_id = r.account_id;
    v.region_id = r.region_id;
    v.created_ms = r.created_at;
    v.image_id = r.parent_id;
    v.owner_account_id = j.at("owner_account_id");
  });
}

}  // namespace swasd::ecs
