#include "ecs/instance_types.h"

#include <gtest/gtest.h>

#include <set>

#include "ecs/errors.h"
#include "ecs/zones.h"

namespace swasd::ecs {
namespace {

const InstanceTypeCatalog& Catalog() { return InstanceTypeCatalog::Builtin(); }

std::set<std::string> Ids(const std::vector<const InstanceTypeSpec*>& types) {
  std::set<std::string> out;
  for (const InstanceTypeSpec* t : types) out.insert(t->id);
  return out;
}

TEST(InstanceTypeCatalogTest, LoadsTheEmbeddedData) {
  EXPECT_EQ(Catalog().families().size(), 22u);
  EXPECT_EQ(Catalog().types().size(), 207u);
  const InstanceTypeSpec* g6 = Catalog().Find("ecs.g6.large");
  ASSERT_NE(g6, nullptr);
  EXPECT_EQ(g6->family, "ecs.g6");
  EXPECT_EQ(g6->cpu, 2);
  EXPECT_EQ(g6->memory_gib, 8);
  EXPECT_EQ(g6->memory_mib(), 8192);
  EXPECT_EQ(g6->architecture, "X86");
  EXPECT_EQ(g6->gpu_amount, 0);
  EXPECT_EQ(g6->eni_quantity, 2);
  const InstanceTypeFamily* fam = Catalog().FindFamily("ecs.g6");
  ASSERT_NE(fam, nullptr);
  EXPECT_EQ(fam->generation, "ecs-5");
  EXPECT_EQ(fam->category, "General-purpose");
  EXPECT_EQ(fam->level, "EnterpriseLevel");
  // Half a GiB is 512 MiB (DescribeInstances' Memory).
  EXPECT_EQ(Catalog().Find("ecs.e-c4m1.large")->memory_mib(), 512);
  const InstanceTypeSpec* gpu = Catalog().Find("ecs.gn6i-c4g1.xlarge");
  ASSERT_NE(gpu, nullptr);
  EXPECT_EQ(gpu->gpu_amount, 1);
  EXPECT_EQ(gpu->gpu_spec, "NVIDIA T4");
  EXPECT_EQ(Catalog().Find("ecs.g8y.large")->architecture, "ARM");
  EXPECT_EQ(Catalog().Find("ecs.nope.large"), nullptr);
  EXPECT_EQ(Catalog().FindFamily("ecs.t5")->level, "CreditEntryLevel");
  EXPECT_EQ(Catalog().FindFamily("ecs.e")->level, "EntryLevel");
}

TEST(InstanceTypeCatalogTest, EveryTypeHasAKnownFamilyAndSaneNumbers) {
  for (const InstanceTypeSpec& t : Catalog().types()) {
    EXPECT_NE(Catalog().FindFamily(t.family), nullptr) << t.id;
    EXPECT_TRUE(t.id.starts_with(t.family + ".") || t.id.starts_with(t.family + "-")) << t.id;
    EXPECT_GT(t.cpu, 0) << t.id;
    EXPECT_GT(t.memory_gib, 0) << t.id;
    EXPECT_TRUE(t.architecture == "X86" || t.architecture == "ARM") << t.id;
    EXPECT_EQ(t.gpu_amount > 0, !t.gpu_spec.empty()) << t.id;
  }
}

TEST(InstanceTypeCatalogTest, Filters) {
  InstanceTypeFilter f;
  f.families = {"ecs.g6"};
  EXPECT_EQ(Catalog().Filter(f).size(), 9u);
  f.min_cpu = 4;
  f.max_cpu = 8;
  EXPECT_EQ(Ids(Catalog().Filter(f)), (std::set<std::string>{"ecs.g6.xlarge", "ecs.g6.2xlarge"}));
  f = {};
  f.ids = {"ecs.g6.large", "ecs.c7.large", "ecs.unknown"};
  EXPECT_EQ(Ids(Catalog().Filter(f)), (std::set<std::string>{"ecs.g6.large", "ecs.c7.large"}));
  f = {};
  f.architectures = {"ARM"};
  for (const InstanceTypeSpec* t : Catalog().Filter(f)) EXPECT_EQ(t->family, "ecs.g8y");
  EXPECT_EQ(Catalog().Filter(f).size(), 8u);
  f = {};
  f.min_gpu = 1;
  for (const InstanceTypeSpec* t : Catalog().Filter(f)) EXPECT_TRUE(t->family.starts_with("ecs.gn"));
  EXPECT_EQ(Catalog().Filter(f).size(), 12u);
  f.gpu_specs = {"NVIDIA A10"};
  for (const InstanceTypeSpec* t : Catalog().Filter(f)) EXPECT_EQ(t->family, "ecs.gn7i");
  f = {};
  f.min_memory = 0.5;
  f.max_memory = 0.5;
  EXPECT_EQ(Ids(Catalog().Filter(f)),
            (std::set<std::string>{"ecs.e-c4m1.large", "ecs.t5-lc2m1.nano", "ecs.t6-c4m1.large"}));
  f = {};
  f.categories = {"Shared"};
  for (const InstanceTypeSpec* t : Catalog().Filter(f)) {
    EXPECT_TRUE(t->family == "ecs.e" || t->family == "ecs.t5" || t->family == "ecs.t6") << t->id;
  }
  f = {};
  EXPECT_EQ(Catalog().Filter(f).size(), Catalog().types().size());
}

// A type whose data names regions is offered in those regions' zones only;
// the others everywhere.
TEST(InstanceTypeCatalogTest, AvailabilityRule) {
  const InstanceTypeSpec& small = *Catalog().Find("ecs.e-c2m1.large");
  const InstanceTypeSpec& g6 = *Catalog().Find("ecs.g6.large");
  EXPECT_FALSE(Catalog().OfferedIn(small, "cn-hangzhou", "cn-hangzhou-k"));
  EXPECT_TRUE(Catalog().OfferedIn(small, "ap-southeast-1", "ap-southeast-1a"));
  const ZoneCatalog& zones = ZoneCatalog::Builtin();
  for (const char* region : {"cn-hangzhou", "cn-shanghai", "ap-southeast-1", "us-west-1"}) {
    for (const Zone& z : zones.ZonesOf(region)) {
      EXPECT_TRUE(Catalog().OfferedIn(g6, region, z.zone_id)) << z.zone_id;
    }
  }
  // Every type is offered somewhere the zone catalog knows.
  for (const InstanceTypeSpec& t : Catalog().types()) {
    for (const std::string& r : t.regions) EXPECT_FALSE(zones.ZonesOf(r).empty()) << t.id << " " << r;
  }
}

TEST(InstanceTypeCatalogTest, CheckLaunch) {
  auto ok = Catalog().CheckLaunch("cn-hangzhou", "cn-hangzhou-k", "ecs.g6.large", "cloud_essd",
                                  {"cloud_efficiency"});
  ASSERT_TRUE(ok.ok());
  EXPECT_EQ((*ok)->id, "ecs.g6.large");
  auto code = [](const Result<const InstanceTypeSpec*>& r) {
    return r.ok() ? std::string("ok") : std::string(r.error().code());
  };
  auto status = [](const Result<const InstanceTypeSpec*>& r) {
    return r.ok() ? 200 : r.error().http_status();
  };
  auto unknown = Catalog().CheckLaunch("cn-hangzhou", "cn-hangzhou-k", "ecs.g6.huge", "cloud_essd", {});
  EXPECT_EQ(code(unknown), "InvalidInstanceType.ValueNotSupported");
  EXPECT_EQ(status(unknown), 400);
  auto elsewhere =
      Catalog().CheckLaunch("cn-hangzhou", "cn-hangzhou-k", "ecs.e-c2m1.large", "cloud_essd", {});
  EXPECT_EQ(code(elsewhere), "InvalidInstanceType.ZoneNotSupported");
  EXPECT_EQ(status(elsewhere), 403);
  EXPECT_EQ(code(Catalog().CheckLaunch("ap-southeast-1", "ap-southeast-1a", "ecs.e-c2m1.large",
                                       "cloud_essd_entry", {})),
            "ok");
  auto bad_system = Catalog().CheckLaunch("cn-hangzhou", "cn-hangzhou-k", "ecs.g6.large", "floppy", {});
  EXPECT_EQ(code(bad_system), "InvalidSystemDiskCategory.ValueNotSupported");
  EXPECT_EQ(status(bad_system), 400);
  auto bad_data =
      Catalog().CheckLaunch("cn-hangzhou", "cn-hangzhou-k", "ecs.g6.large", "cloud_essd", {"floppy"});
  EXPECT_EQ(code(bad_data), "InvalidDataDiskCategory.ValueNotSupported");
  EXPECT_EQ(status(bad_data), 400);
  // Basic disks: a category ECS knows that no family of the catalog takes.
  auto basic = Catalog().CheckLaunch("cn-hangzhou", "cn-hangzhou-k", "ecs.g6.large", "cloud", {});
  EXPECT_EQ(code(basic), "InvalidDiskCategory.NotSupported");
  EXPECT_EQ(status(basic), 403);
  // The economy family e takes ESSD Entry, ESSD and ESSD AutoPL only.
  EXPECT_EQ(code(Catalog().CheckLaunch("cn-hangzhou", "cn-hangzhou-k", "ecs.e-c1m2.large",
                                       "cloud_ssd", {})),
            "InvalidDiskCategory.NotSupported");
  EXPECT_EQ(code(Catalog().CheckLaunch("cn-hangzhou", "cn-hangzhou-k", "ecs.e-c1m2.large",
                                       "cloud_essd_entry", {"cloud_efficiency"})),
            "InvalidDiskCategory.NotSupported");
  EXPECT_EQ(code(Catalog().CheckLaunch("cn-hangzhou", "cn-hangzhou-k", "ecs.e-c1m2.large",
                                       "cloud_essd_entry", {"cloud_auto"})),
            "ok");
}

TEST(InstanceTypeCatalogTest, RefusesMalformedData) {
  EXPECT_FALSE(InstanceTypeCatalog::Parse("[]").ok());
  const char* family =
      R"({"InstanceTypeFamily": "ecs.x1", "InstanceCategory": "General-purpose",
          "InstanceFamilyLevel": "EnterpriseLevel"})";
  const char* type =
      R"({"InstanceTypeId": "ecs.x1.large", "InstanceTypeFamily": "ecs.x1", "CpuCoreCount": 2,
          "MemorySize": 8, "CpuArchitecture": "X86", "GPUAmount": 0, "GPUSpec": "",
          "EniQuantity": 2})";
  auto doc = [](const std::string& families, const std::string& types) {
    return R"({"families": [)" + families + R"(], "types": [)" + types + "]}";
  };
  auto ok = InstanceTypeCatalog::Parse(doc(family, type));
  ASSERT_TRUE(ok.ok());
  EXPECT_NE(ok->Find("ecs.x1.large"), nullptr);
  EXPECT_EQ(ok->DiskCategoriesOf(*ok->Find("ecs.x1.large")), InstanceTypeCatalog::DiskCategories());
  // A type of an unknown family, a type twice, a family with an unknown
  // disk category.
  EXPECT_FALSE(InstanceTypeCatalog::Parse(doc("", type)).ok());
  EXPECT_FALSE(InstanceTypeCatalog::Parse(doc(family, std::string(type) + "," + type)).ok());
  EXPECT_FALSE(InstanceTypeCatalog::Parse(
                   doc(R"({"InstanceTypeFamily": "ecs.x1", "InstanceCategory": "G",
                          "InstanceFamilyLevel": "E", "DiskCategories": ["floppy"]})",
                       type))
                   .ok());
}

}  // namespace
}  // namespace swasd::ecs
