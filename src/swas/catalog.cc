#include "swas/catalog.h"

namespace swasd::swas {

const std::vector<Plan>& Plans() {
  static const std::vector<Plan> kPlans = {
      {"swas.s2.c2m1s40b3t04", 2, 1, 40, 3, 400, "34.0", R"(["Linux"])"},
      {"swas.s2.c2m2s40b3t08", 2, 2, 40, 3, 800, "60.0", R"(["Linux","Windows"])"},
      {"swas.s2.c2m4s60b5t10", 2, 4, 60, 5, 1000, "96.0", R"(["Linux","Windows"])"},
      {"swas.s2.c4m8s80b8t20", 4, 8, 80, 8, 2000, "198.0", R"(["Linux","Windows"])"},
      {"swas.s2.c8m16s160b10t30", 8, 16, 160, 10, 3000, "480.0", R"(["Linux","Windows"])"},
  };
  return kPlans;
}

const Plan* FindPlan(std::string_view plan_id) {
  for (const auto& p : Plans()) {
    if (p.plan_id == plan_id) return &p;
  }
  return nullptr;
}

const std::vector<CatalogImage>& PublicImages() {
  static const std::vector<CatalogImage> kImages = {
      {"6ab1e5d2ffc04b3a8c0e6f1d2a3b4c01", "Alibaba Cloud Linux 3.2104 LTS 64bit", "system",
       "Alibaba Cloud Linux 3", "Linux", "Alibaba Cloud Linux", "3.2104"},
      {"6ab1e5d2ffc04b3a8c0e6f1d2a3b4c02", "CentOS 7.9 64bit", "system", "CentOS 7.9",
       "Linux", "CentOS", "7.9"},
      {"6ab1e5d2ffc04b3a8c0e6f1d2a3b4c03", "Ubuntu 22.04 64bit", "system", "Ubuntu 22.04",
       "Linux", "Ubuntu", "22.04"},
      {"6ab1e5d2ffc04b3a8c0e6f1d2a3b4c04", "Debian 12.2 64bit", "system", "Debian 12.2",
       "Linux", "Debian", "12.2"},
      {"6ab1e5d2ffc04b3a8c0e6f1d2a3b4c05", "Windows Server 2022 DataCenter 64bit", "system",
       "Windows Server 2022", "Windows", "Windows Server", "2022"},
      {"7c2f0a9e1b3d4e5f8a6b7c8d9e0f1a01", "WordPress 6.4", "app",
       "WordPress on Alibaba Cloud Linux 3", "Linux", "Alibaba Cloud Linux", "3.2104"},
      {"7c2f0a9e1b3d4e5f8a6b7c8d9e0f1a02", "LAMP 8.2", "app",
       "Apache, MySQL and PHP on Alibaba Cloud Linux 3", "Linux", "Alibaba Cloud Linux",
       "3.2104"},
      {"7c2f0a9e1b3d4e5f8a6b7c8d9e0f1a03", "Docker CE 26", "app", "Docker CE on Ubuntu 22.04",
       "Linux", "Ubuntu", "22.04"},
  };
  return kImages;
}

const CatalogImage* FindPublicImage(std::string_view image_id) {
  for (const auto& i : PublicImages()) {
    if (i.image_id == image_id) return &i;
  }
  return nullptr;
}

}  // namespace swasd::swas
