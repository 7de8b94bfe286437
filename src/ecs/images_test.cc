// ECS images without HTTP: a SWAS image shared to ECS, an instance launched
// from it, an own ECS image made from that instance, and what ECS allows
// and refuses for each. A real SQLite store and a clock the tests move.
#include <gtest/gtest.h>

#include "ecs/errors.h"
#include "ecs/service.h"
#include "store/sqlite/test_store.h"
#include "swas/catalog.h"

namespace swasd::ecs {
namespace {

constexpr char kAccount[] = "1000000000000001";
constexpr char kOther[] = "1000000000000002";
constexpr char kRegion[] = "cn-hangzhou";
constexpr char kRegion2[] = "cn-shanghai";
constexpr char kType[] = "ecs.g7.large";

class EcsImagesTest : public store::SqliteStoreTest {
 protected:
  void SetUp() override {
    SqliteStoreTest::SetUp();
    AddAccounts({kAccount, kOther});
  }

  void Advance(int ms) { clock_.Advance(std::chrono::milliseconds(ms)); }

  // A SWAS custom image of kAccount, Available and shared to ECS.
  std::string SharedSwasImage() {
    swas::CreateInstancesRequest req;
    req.plan_id = swas::Plans().front().plan_id;
    req.image_id = swas::PublicImages().front().image_id;
    auto ids = Call([&](store::Tx& tx) { return swas_.CreateInstances(tx, kAccount, kRegion, req); });
    EXPECT_TRUE(ids.ok());
    Advance(1000);
    auto inst = Call([&](store::Tx& tx) { return swas_.GetInstance(tx, kAccount, kRegion, ids->at(0)); });
    auto snap = Call([&](store::Tx& tx) {
      return swas_.CreateSnapshot(tx, kAccount, kRegion, inst->system_disk_id, "s");
    });
    EXPECT_TRUE(snap.ok()) << snap.error().message();
    Advance(1000);
    swas::CreateImageRequest ir{ids->at(0), *snap, "", "swas-image", "d"};
    auto img = Call([&](store::Tx& tx) { return swas_.CreateCustomImage(tx, kAccount, kRegion, ir); });
    EXPECT_TRUE(img.ok()) << img.error().message();
    Advance(1000);
    EXPECT_TRUE(Share(*img, swas::ShareOperation::kShare).ok());
    return *img;
  }

  Status Share(const std::string& id, swas::ShareOperation op) {
    return store_->Write([&](store::Tx& tx) {
      return swas_.ModifyImageShareStatus(tx, kAccount, kRegion, id, op);
    });
  }

  // A Running ECS instance of `account` from `image`.
  Result<std::string> Launch(const std::string& account, const std::string& image,
                             const std::string& region = kRegion) {
    CreateRequest req;
    req.region = region;
    req.image_id = image;
    req.instance_type = kType;
    auto ids = Call([&](store::Tx& tx) { return ecs_.CreateInstances(tx, account, req); });
    if (!ids.ok()) return ids.error();
    Advance(1000);
    return ids->at(0);
  }

  Result<std::string> CreateImage(const std::string& instance, ImageAttributes a = {}) {
    return Call([&](store::Tx& tx) { return ecs_.CreateImage(tx, kAccount, kRegion, instance, a); });
  }

  Result<store::Listed<Image>> Describe(const std::string& account, ImageFilter f,
                                        const std::string& region = kRegion) {
    return Call([&](store::Tx& tx) {
      return ecs_.DescribeImages(tx, account, region, f, store::Page{1, 100});
    });
  }

  std::optional<Image> Find(const std::string& account, const std::string& id,
                            ImageFilter f = {}) {
    f.ids = {id};
    auto got = Describe(account, f);
    EXPECT_TRUE(got.ok());
    if (!got.ok() || got->items.empty()) return std::nullopt;
    return got->items.front();
  }

  Status Delete(const std::string& id, bool force = false) {
    return store_->Write([&](store::Tx& tx) {
      return ecs_.DeleteImage(tx, kAccount, kRegion, id, force);
    });
  }

  Status SharePermission(const std::string& id, std::vector<std::string> add,
                         std::vector<std::string> remove = {}) {
    return store_->Write([&](store::Tx& tx) {
      return ecs_.ModifyImageSharePermission(tx, kAccount, kRegion, id, add, remove);
    });
  }

  // An own Available image made from an instance launched from a public image.
  std::string OwnImage(const std::string& name) {
    auto inst = Launch(kAccount, PublicImages().front().id);
    EXPECT_TRUE(inst.ok());
    auto img = CreateImage(*inst, {.name = name});
    EXPECT_TRUE(img.ok()) << img.error().message();
    Advance(1000);
    return *img;
  }

  OffsetClock clock_;
  swas::RegionCatalog regions_ = swas::RegionCatalog::Default();
  swas::Service swas_{&regions_, &clock_, swas::ServiceOptions{500, 500, 500, 3, 15}};
  vpc::Service vpc_{&clock_, [](std::string_view, std::string_view) { return true; }, {}};
  SecurityGroups groups_{&vpc_, &clock_};
  KeyPairs keys_{&clock_};
  Service ecs_{&swas_,    &vpc_,
               &groups_,  &keys_,
               &regions_, &ZoneCatalog::Builtin(),
               &InstanceTypeCatalog::Builtin(), &clock_,
               ServiceOptions{1000}};
};

TEST_F(EcsImagesTest, SharedSwasImageCarriesOwnerAndIsUsable) {
  std::string id = SharedSwasImage();
  auto img = Find(kAccount, id);
  ASSERT_TRUE(img);
  EXPECT_EQ(img->owner_alias, "others");
  EXPECT_EQ(img->owner_id, kAccount);
  EXPECT_EQ(img->is_self_shared, "");
  EXPECT_FALSE(img->is_public);
  // Public images have no owner id; the filters pick by owner and by IsPublic.
  EXPECT_TRUE(Describe(kAccount, {.owner_alias = "system"})->items.front().owner_id.empty());
  auto mine = Describe(kAccount, {.owner_id = std::string(kAccount)});
  ASSERT_EQ(mine->total, 1);
  EXPECT_EQ(mine->items.front().id, id);
  EXPECT_EQ(Describe(kAccount, {.is_public = false})->total, 1);
  EXPECT_EQ(Describe(kAccount, {.is_public = true})->total,
            static_cast<int64_t>(PublicImages().size()));
}

TEST_F(EcsImagesTest, UsageAndCreationTimeFilters) {
  std::string id = SharedSwasImage();
  EXPECT_FALSE(Find(kAccount, id, {.usage = "instance"}));
  EXPECT_TRUE(Find(kAccount, id, {.usage = "none"}));
  ASSERT_TRUE(Launch(kAccount, id).ok());
  EXPECT_TRUE(Find(kAccount, id, {.usage = "instance"}));
  EXPECT_FALSE(Find(kAccount, id, {.usage = "none"}));

  const int64_t created = Find(kAccount, id)->created_ms;
  EXPECT_TRUE(Find(kAccount, id, {.created_from_ms = created, .created_to_ms = created}));
  EXPECT_FALSE(Find(kAccount, id, {.created_from_ms = created + 1}));
  EXPECT_FALSE(Find(kAccount, id, {.created_to_ms = created - 1}));
}

TEST_F(EcsImagesTest, SharedSwasImageCannotBeChangedDeletedOrShared) {
  std::string id = SharedSwasImage();
  EXPECT_TRUE(Delete(id).error().Is(errors::kImageNotOwned));
  EXPECT_TRUE(store_->Write([&](store::Tx& tx) {
                return ecs_.ModifyImageAttribute(tx, kAccount, kRegion, id, {.name = "x-new"});
              }).error().Is(errors::kImageNotOwned));
  EXPECT_TRUE(SharePermission(id, {kOther}).error().Is(errors::kImageNotOwned));
  auto perms = Call([&](store::Tx& tx) {
    return ecs_.DescribeImageSharePermission(tx, kAccount, kRegion, id, store::Page{});
  });
  EXPECT_TRUE(perms.error().Is(errors::kImageNotOwned));
  // Public images likewise; an unknown id is simply not found.
  EXPECT_TRUE(Delete(PublicImages().front().id).error().Is(errors::kImageNotOwned));
  EXPECT_TRUE(Delete("m-nosuchimage").error().Is(errors::kInvalidImageIdNotFound));
}

TEST_F(EcsImagesTest, SharedSwasImageCopiesWithinItsRegionOnly) {
  std::string id = SharedSwasImage();
  auto copy = [&](const std::string& dest, const std::string& name) {
    return Call([&](store::Tx& tx) {
      return ecs_.CopyImage(tx, kAccount, kRegion, id, dest, {.name = name});
    });
  };
  EXPECT_TRUE(copy(kRegion2, "Elsewhere").error().Is(errors::kOperationDeniedSameRegionOnly));
  EXPECT_TRUE(copy("xx-nowhere-1", "Nowhere").error().Is(errors::kDestinationRegionNotFound));
  auto mine = copy(kRegion, "Kept");
  ASSERT_TRUE(mine.ok()) << mine.error().message();
  EXPECT_EQ(Find(kAccount, *mine, {.statuses = {"Creating"}})->is_copied, true);
  Advance(1000);
  // The copy is the caller's own and outlives the share.
  ASSERT_TRUE(Share(id, swas::ShareOperation::kUnShare).ok());
  auto own = Find(kAccount, *mine);
  ASSERT_TRUE(own);
  EXPECT_EQ(own->owner_alias, "self");
  EXPECT_TRUE(Launch(kAccount, *mine).ok());
}

TEST_F(EcsImagesTest, CreateImageFromAnInstanceOfTheSharedImage) {
  std::string swas_image = SharedSwasImage();
  auto inst = Launch(kAccount, swas_image);
  ASSERT_TRUE(inst.ok()) << inst.error().message();

  EXPECT_TRUE(CreateImage(*inst, {.name = "1bad"}).error().Is(errors::kInvalidImageNameMalformed));
  EXPECT_TRUE(CreateImage(*inst, {.name = "a"}).error().Is(errors::kInvalidImageNameMalformed));
  EXPECT_TRUE(CreateImage(*inst, {.name = "aliyun-x"}).error().Is(errors::kInvalidImageNameMalformed));
  EXPECT_TRUE(CreateImage(*inst, {.name = "has space"}).error().Is(errors::kInvalidImageNameMalformed));
  EXPECT_TRUE(CreateImage(*inst, {.name = std::string(129, 'a')}).error().Is(errors::kInvalidImageNameMalformed));
  EXPECT_TRUE(CreateImage(*inst, {.description = "https://x"}).error().Is(errors::kInvalidDescriptionMalformed));
  EXPECT_TRUE(CreateImage("i-nosuch").error().Is(errors::kInvalidInstanceIdNotFound));

  auto img = CreateImage(*inst, {.name = "Moved:to_ecs-1.0", .description = "from SWAS"});
  ASSERT_TRUE(img.ok()) << img.error().message();
  EXPECT_TRUE(CreateImage(*inst, {.name = "Moved:to_ecs-1.0"}).error().Is(errors::kInvalidImageNameDuplicated));

  // Creating: listed only when asked for, not usable, not deletable.
  EXPECT_FALSE(Find(kAccount, *img));
  auto creating = Find(kAccount, *img, {.statuses = {"Creating"}});
  ASSERT_TRUE(creating);
  EXPECT_EQ(creating->owner_alias, "self");
  EXPECT_TRUE(Launch(kAccount, *img).error().Is(errors::kInvalidImageIdNotFound));
  EXPECT_TRUE(Delete(*img).error().Is(errors::kImageIsCreating));
  EXPECT_TRUE(SharePermission(*img, {kOther}).error().Is(errors::kIncorrectImageStatus));

  Advance(1000);
  auto own = Find(kAccount, *img, {.owner_alias = "self"});
  ASSERT_TRUE(own);
  auto source = Find(kAccount, swas_image);
  EXPECT_EQ(own->os_type, source->os_type);
  EXPECT_EQ(own->size, source->size);
  EXPECT_EQ(own->owner_id, kAccount);
  EXPECT_EQ(own->is_self_shared, "False");
  EXPECT_EQ(own->description, "from SWAS");

  // After UnShare the SWAS image is gone from ECS; the own image is not.
  ASSERT_TRUE(Share(swas_image, swas::ShareOperation::kUnShare).ok());
  EXPECT_FALSE(Find(kAccount, swas_image));
  auto second = Launch(kAccount, *img);
  ASSERT_TRUE(second.ok()) << second.error().message();
  auto stop = store_->Write([&](store::Tx& tx) {
    return ecs_.ChangePower(tx, kAccount, *second, Service::Power::kStop, true);
  });
  ASSERT_TRUE(stop.ok());
  auto inst2 = Call([&](store::Tx& tx) { return ecs_.GetInstance(tx, kAccount, *second); });
  EXPECT_TRUE(store_->Write([&](store::Tx& tx) {
                return ecs_.ReInitDisk(tx, kAccount, inst2->system_disk_id, false);
              }).ok());

  // In use: refused without Force; deleted with it, and then ReInitDisk of
  // its instance is refused as for an unshared SWAS image.
  EXPECT_TRUE(Delete(*img).error().Is(errors::kImageUsingByInstance));
  EXPECT_TRUE(Delete(*img, true).ok());
  EXPECT_FALSE(Find(kAccount, *img));
  EXPECT_TRUE(store_->Write([&](store::Tx& tx) {
                return ecs_.ReInitDisk(tx, kAccount, inst2->system_disk_id, false);
              }).error().Is(errors::kSourceImageUnavailable));
}

TEST_F(EcsImagesTest, CreateImageNeedsARunningOrStoppedInstance) {
  CreateRequest req;
  req.region = kRegion;
  req.image_id = PublicImages().front().id;
  req.instance_type = kType;
  auto ids = Call([&](store::Tx& tx) { return ecs_.CreateInstances(tx, kAccount, req); });
  ASSERT_TRUE(ids.ok());
  // Still Pending.
  EXPECT_TRUE(CreateImage(ids->at(0)).error().Is(errors::kCreateImageIncorrectInstanceStatus));
  Advance(1000);
  EXPECT_TRUE(CreateImage(ids->at(0)).ok());
  // Another region's call does not see the instance.
  auto elsewhere = Call([&](store::Tx& tx) {
    return ecs_.CreateImage(tx, kAccount, kRegion2, ids->at(0), {});
  });
  EXPECT_TRUE(elsewhere.error().Is(errors::kInvalidInstanceIdNotFound));
}

TEST_F(EcsImagesTest, ModifyImageAttributeRenamesOwnImages) {
  std::string a = OwnImage("First");
  std::string b = OwnImage("Second");
  auto modify = [&](const std::string& id, ImageAttributes attrs) {
    return store_->Write([&](store::Tx& tx) {
      return ecs_.ModifyImageAttribute(tx, kAccount, kRegion, id, attrs);
    });
  };
  EXPECT_TRUE(modify(a, {.name = "Second"}).error().Is(errors::kInvalidImageNameDuplicated));
  EXPECT_TRUE(modify(a, {.name = "-x"}).error().Is(errors::kInvalidImageNameMalformed));
  EXPECT_TRUE(modify(a, {.name = "First"}).ok());  // its own name again
  EXPECT_TRUE(modify(a, {.name = "Renamed", .description = "new words",
                         .image_family = "fam"}).ok());
  auto got = Find(kAccount, a);
  EXPECT_EQ(got->name, "Renamed");
  EXPECT_EQ(got->description, "new words");
  EXPECT_TRUE(Find(kAccount, a, {.image_family = "fam"}));
  EXPECT_FALSE(Find(kAccount, b, {.image_family = "fam"}));
}

TEST_F(EcsImagesTest, OwnImagesCopyAcrossRegions) {
  std::string a = OwnImage("Source");
  auto copied = Call([&](store::Tx& tx) {
    return ecs_.CopyImage(tx, kAccount, kRegion, a, kRegion2, {.name = "Source"});
  });
  ASSERT_TRUE(copied.ok()) << copied.error().message();
  Advance(1000);
  auto there = Describe(kAccount, {.ids = {*copied}}, kRegion2);
  ASSERT_EQ(there->total, 1);
  EXPECT_TRUE(there->items.front().is_copied);
  // Same region, same name: duplicated.
  auto dup = Call([&](store::Tx& tx) {
    return ecs_.CopyImage(tx, kAccount, kRegion, a, kRegion, {.name = "Source"});
  });
  EXPECT_TRUE(dup.error().Is(errors::kInvalidImageNameDuplicated));
  EXPECT_TRUE(Launch(kAccount, *copied, kRegion2).ok());
}

TEST_F(EcsImagesTest, SharePermissionLetsAnotherAccountSeeAndLaunch) {
  std::string a = OwnImage("Shared");
  EXPECT_FALSE(Find(kOther, a));
  EXPECT_TRUE(Launch(kOther, a).error().Is(errors::kInvalidImageIdNotFound));

  EXPECT_TRUE(SharePermission(a, {kAccount}).error().Is(errors::kInvalidAccountForbidden));
  EXPECT_TRUE(SharePermission(a, {"1999999999999999"}).error().Is(errors::kInvalidAccountNotFound));
  ASSERT_TRUE(SharePermission(a, {kOther}).ok());
  ASSERT_TRUE(SharePermission(a, {kOther}).ok());  // again: no change

  auto perms = Call([&](store::Tx& tx) {
    return ecs_.DescribeImageSharePermission(tx, kAccount, kRegion, a, store::Page{});
  });
  ASSERT_TRUE(perms.ok());
  ASSERT_EQ(perms->total, 1);
  EXPECT_EQ(perms->items.front().account_id, kOther);
  EXPECT_EQ(Find(kAccount, a)->is_self_shared, "True");

  auto seen = Find(kOther, a, {.owner_alias = "others"});
  ASSERT_TRUE(seen);
  EXPECT_EQ(seen->owner_id, kAccount);
  EXPECT_EQ(seen->is_self_shared, "");
  EXPECT_TRUE(Launch(kOther, a).ok());
  // The recipient cannot delete, change or re-share it.
  EXPECT_TRUE(store_->Write([&](store::Tx& tx) {
                return ecs_.DeleteImage(tx, kOther, kRegion, a, true);
              }).error().Is(errors::kImageNotOwned));

  // Shared: not deleted without Force.
  EXPECT_TRUE(Delete(a).error().Is(errors::kImageUseShared));
  ASSERT_TRUE(SharePermission(a, {}, {kOther}).ok());
  EXPECT_FALSE(Find(kOther, a));
  EXPECT_TRUE(Launch(kOther, a).error().Is(errors::kInvalidImageIdNotFound));
  ASSERT_TRUE(SharePermission(a, {kOther}).ok());
  EXPECT_TRUE(Delete(a, true).ok());
  EXPECT_FALSE(Find(kOther, a));
}

}  // namespace
}  // namespace swasd::ecs
