// The SWAS catalog: plans and public (system and application) images.
// Identical in every region. Values follow Alibaba's published SWAS plans
// and images in shape; prices are list prices in CNY per month.
#ifndef SWASD_SWAS_CATALOG_H_
#define SWASD_SWAS_CATALOG_H_

#include <string>
#include <string_view>
#include <vector>

namespace swasd::swas {

struct Plan {
  std::string plan_id;
  int core;
  double memory;   // GiB
  int disk_size;   // GiB, system disk
  int bandwidth;   // Mbit/s
  int flow;        // GiB per month
  std::string origin_price;
  std::string support_platform;  // JSON text, e.g. ["Linux","Windows"]
};

struct CatalogImage {
  std::string image_id;  // 32 hex digits
  std::string name;
  std::string type;      // "system" | "app"
  std::string description;
  std::string platform;  // "Linux" | "Windows"
  std::string os_name;   // SourceImageName of images made from it
  std::string os_version;
};

const std::vector<Plan>& Plans();
const Plan* FindPlan(std::string_view plan_id);
const std::vector<CatalogImage>& PublicImages();
const CatalogImage* FindPublicImage(std::string_view image_id);

}  // namespace swasd::swas

#endif  // SWASD_SWAS_CATALOG_H_
