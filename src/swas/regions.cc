#include "swas/regions.h"

namespace swasd::swas {

RegionCatalog RegionCatalog::Default() {
  RegionCatalog c;
  c.regions_ = {
      {"cn-qingdao", "华北1（青岛）", "China (Qingdao)"},
      {"cn-beijing", "华北2（北京）", "China (Beijing)"},
      {"cn-zhangjiakou", "华北3（张家口）", "China (Zhangjiakou)"},
      {"cn-huhehaote", "华北5（呼和浩特）", "China (Hohhot)"},
      {"cn-wulanchabu", "华北6（乌兰察布）", "China (Ulanqab)"},
      {"cn-hangzhou", "华东1（杭州）", "China (Hangzhou)"},
      {"cn-shanghai", "华东2（上海）", "China (Shanghai)"},
      {"cn-nanjing", "华东5（南京-本地地域）", "China (Nanjing - Local Region)"},
      {"cn-fuzhou", "华东6（福州-本地地域）", "China (Fuzhou - Local Region)"},
      {"cn-shenzhen", "华南1（深圳）", "China (Shenzhen)"},
      {"cn-heyuan", "华南2（河源）", "China (Heyuan)"},
      {"cn-guangzhou", "华南3（广州）", "China (Guangzhou)"},
      {"cn-wuhan-lr", "华中1（武汉-本地地域）", "China (Wuhan - Local Region)"},
      {"cn-chengdu", "西南1（成都）", "China (Chengdu)"},
      {"cn-hongkong", "中国香港", "China (Hong Kong)"},
      {"ap-southeast-1", "新加坡", "Singapore"},
      {"ap-southeast-3", "马来西亚（吉隆坡）", "Malaysia (Kuala Lumpur)"},
      {"ap-southeast-5", "印度尼西亚（雅加达）", "Indonesia (Jakarta)"},
      {"ap-southeast-6", "菲律宾（马尼拉）", "Philippines (Manila)"},
      {"ap-southeast-7", "泰国（曼谷）", "Thailand (Bangkok)"},
      {"ap-northeast-1", "日本（东京）", "Japan (Tokyo)"},
      {"ap-northeast-2", "韩国（首尔）", "South Korea (Seoul)"},
      {"us-west-1", "美国（硅谷）", "US (Silicon Valley)"},
      {"us-east-1", "美国（弗吉尼亚）", "US (Virginia)"},
      {"eu-central-1", "德国（法兰克福）", "Germany (Frankfurt)"},
      {"eu-west-1", "英国（伦敦）", "UK (London)"},
      {"me-east-1", "阿联酋（迪拜）", "UAE (Dubai)"},
  };
  return c;
}

RegionCatalog RegionCatalog::Only(const std::vector<std::string>& ids) {
  RegionCatalog all = Default();
  RegionCatalog c;
  for (const auto& id : ids) {
    if (const Region* r = all.Find(id)) {
      c.regions_.push_back(*r);
    } else {
      c.regions_.push_back({id, id, id});
    }
  }
  return c;
}

const Region* RegionCatalog::Find(std::string_view region_id) const {
  for (const auto& r : regions_) {
    if (r.region_id == region_id) return &r;
  }
  return nullptr;
}

}  // namespace swasd::swas
