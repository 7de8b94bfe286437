// SWAS domain rules without HTTP: a real SQLite store in a temporary
// directory and a clock the tests move forward instead of sleeping.
#include "swas/service.h"

#include <gtest/gtest.h>


#include "store/sqlite/test_store.h"
#include "swas/catalog.h"
#include "swas/errors.h"

namespace swasd::swas {
namespace {

constexpr char kAccount[] = "1000000000000001";
constexpr char kOther[] = "1000000000000002";
constexpr char kThird[] = "1000000000000003";
constexpr char kRegion[] = "cn-hangzhou";

class SwasServiceTest : public store::SqliteStoreTest {
 protected:
  void SetUp() override {
    SqliteStoreTest::SetUp();
    AddAccounts({kAccount, kOther, kThird});
  }


  void Advance(int ms) { clock_.Advance(std::chrono::milliseconds(ms)); }

  // An available custom image of `account` made the whole way through.
  std::string MakeImage(const std::string& account, const std::string& name,
                        const std::string& region = kRegion) {
    CreateInstancesRequest req;
    req.plan_id = Plans().front().plan_id;
    req.image_id = PublicImages().front().image_id;
    auto ids = Call([&](store::Tx& tx) { return svc_.CreateInstances(tx, account, region, req); });
    EXPECT_TRUE(ids.ok());
    Advance(1000);
    auto inst = Call([&](store::Tx& tx) { return svc_.GetInstance(tx, account, region, ids->at(0)); });
    auto snap = Call([&](store::Tx& tx) {
      return svc_.CreateSnapshot(tx, account, region, inst->system_disk_id, "s");
    });
    EXPECT_TRUE(snap.ok()) << snap.error().message();
    Advance(1000);
    CreateImageRequest ir{ids->at(0), *snap, "", name, "d"};
    auto img = Call([&](store::Tx& tx) { return svc_.CreateCustomImage(tx, account, region, ir); });
    EXPECT_TRUE(img.ok()) << img.error().message();
    return *img;
  }

  Status Share(const std::string& account, const std::string& id, ShareOperation op,
               const std::string& region = kRegion) {
    return store_->Write([&](store::Tx& tx) {
      return svc_.ModifyImageShareStatus(tx, account, region, id, op);
    });
  }

  Result<CustomImage> Get(const std::string& account, const std::string& id) {
    return Call([&](store::Tx& tx) { return svc_.GetImage(tx, account, kRegion, id); });
  }

  OffsetClock clock_;
  RegionCatalog regions_ = RegionCatalog::Default();
  Service svc_{&regions_, &clock_, ServiceOptions{500, 500, 500, 3, 15}};
};

TEST_F(SwasServiceTest, LifecyclesFollowTheClock) {
  CreateInstancesRequest req;
  req.plan_id = Plans().front().plan_id;
  req.image_id = PublicImages().front().image_id;
  auto ids = Call([&](store::Tx& tx) { return svc_.CreateInstances(tx, kAccount, kRegion, req); });
  ASSERT_TRUE(ids.ok());
  auto get = [&] {
    return Call([&](store::Tx& tx) { return svc_.GetInstance(tx, kAccount, kRegion, ids->at(0)); });
  };
  EXPECT_EQ(get()->life.status, "Pending");
  Advance(600);
  EXPECT_EQ(get()->life.status, "Running");
  auto stop = store_->Write([&](store::Tx& tx) {
    return svc_.ChangePower(tx, kAccount, kRegion, ids->at(0), Service::Power::kStop);
  });
  ASSERT_TRUE(stop.ok());
  EXPECT_EQ(get()->life.status, "Stopping");
  auto again = store_->Write([&](store::Tx& tx) {
    return svc_.ChangePower(tx, kAccount, kRegion, ids->at(0), Service::Power::kStop);
  });
  EXPECT_TRUE(again.error().Is(errors::kIncorrectInstanceStatus));
  Advance(600);
  EXPECT_EQ(get()->life.status, "Stopped");
}

TEST_F(SwasServiceTest, ShareRules) {
  std::string id = MakeImage(kAccount, "img-1");
  // Still creating ("4"): the share is recorded (Terraform shares right
  // after CreateCustomImage), but ECS sees the image only once available.
  auto ecs_sees = [&] {
    return Call([&](store::Tx& tx) { return svc_.FindSharedImage(tx, kAccount, kRegion, id); })
        ->has_value();
  };
  ASSERT_TRUE(Share(kAccount, id, ShareOperation::kShare).ok());
  EXPECT_TRUE(Get(kAccount, id)->in_share);
  EXPECT_FALSE(ecs_sees());
  ASSERT_TRUE(Share(kAccount, id, ShareOperation::kUnShare).ok());
  EXPECT_FALSE(Get(kAccount, id)->in_share);
  ASSERT_TRUE(Share(kAccount, id, ShareOperation::kShare).ok());
  Advance(600);
  EXPECT_TRUE(ecs_sees());
  ASSERT_TRUE(Share(kAccount, id, ShareOperation::kUnShare).ok());
  EXPECT_EQ(Get(kAccount, id)->life.status, kImageAvailable);
  ASSERT_TRUE(Share(kAccount, id, ShareOperation::kShare).ok());
  EXPECT_TRUE(Get(kAccount, id)->in_share);
  // Repeating the current state succeeds and changes nothing.
  ASSERT_TRUE(Share(kAccount, id, ShareOperation::kShare).ok());
  EXPECT_TRUE(Get(kAccount, id)->in_share);
  ASSERT_TRUE(Share(kAccount, id, ShareOperation::kUnShare).ok());
  ASSERT_TRUE(Share(kAccount, id, ShareOperation::kUnShare).ok());
  EXPECT_FALSE(Get(kAccount, id)->in_share);
}

TEST_F(SwasServiceTest, OtherAccountsAndRegionsSeeNothing) {
  std::string id = MakeImage(kAccount, "img-1");
  Advance(600);
  EXPECT_TRUE(Share(kOther, id, ShareOperation::kShare).error().Is(errors::kInvalidImageIdNotFound));
  EXPECT_TRUE(Share(kAccount, id, ShareOperation::kShare, "cn-shanghai")
                  .error().Is(errors::kInvalidImageIdNotFound));
  EXPECT_TRUE(Share(kAccount, "m-nosuchimage", ShareOperation::kShare)
                  .error().Is(errors::kInvalidImageIdNotFound));
  EXPECT_FALSE(Get(kAccount, id)->in_share);
}

TEST_F(SwasServiceTest, SharedImagesAreWhatEcsSees) {
  std::string id = MakeImage(kAccount, "img-1");
  Advance(600);
  auto find = [&](const std::string& account, const std::string& region) {
    return Call([&](store::Tx& tx) { return svc_.FindSharedImage(tx, account, region, id); });
  };
  EXPECT_FALSE(find(kAccount, kRegion)->has_value());
  ASSERT_TRUE(Share(kAccount, id, ShareOperation::kShare).ok());
  EXPECT_TRUE(find(kAccount, kRegion)->has_value());
  EXPECT_FALSE(find(kAccount, "cn-shanghai")->has_value());
  EXPECT_FALSE(find(kOther, kRegion)->has_value());
  ASSERT_TRUE(Share(kAccount, id, ShareOperation::kUnShare).ok());
  EXPECT_FALSE(find(kAccount, kRegion)->has_value());
}

TEST_F(SwasServiceTest, DeleteIsAllOrNothingAndRefusesShared) {
  std::string a = MakeImage(kAccount, "img-a");
  std::string b = MakeImage(kAccount, "img-b");
  Advance(600);
  ASSERT_TRUE(Share(kAccount, b, ShareOperation::kShare).ok());
  auto del = store_->Write([&](store::Tx& tx) {
    return svc_.DeleteCustomImages(tx, kAccount, kRegion, {a, b});
  });
  EXPECT_TRUE(del.error().Is(errors::kCustomImageInShare));
  EXPECT_TRUE(Get(kAccount, a).ok());  // nothing deleted
  del = store_->Write([&](store::Tx& tx) {
    return svc_.DeleteCustomImages(tx, kAccount, kRegion, {a, "m-unknown"});
  });
  EXPECT_TRUE(del.error().Is(errors::kInvalidImageIdNotFound));
  EXPECT_TRUE(Get(kAccount, a).ok());
  ASSERT_TRUE(store_->Write([&](store::Tx& tx) {
    return svc_.DeleteCustomImages(tx, kAccount, kRegion, {a});
  }).ok());
  EXPECT_TRUE(Get(kAccount, a).error().Is(errors::kInvalidImageIdNotFound));
}

TEST_F(SwasServiceTest, SnapshotOfAnImageCannotBeDeleted) {
  std::string id = MakeImage(kAccount, "img-1");
  auto img = Get(kAccount, id);
  auto del = store_->Write([&](store::Tx& tx) {
    return svc_.DeleteSnapshot(tx, kAccount, kRegion, img->system_snapshot_id);
  });
  EXPECT_TRUE(del.error().Is(errors::kSnapshotCreatedImage));
}

TEST_F(SwasServiceTest, NamesAndQuota) {
  EXPECT_TRUE(ValidImageName("ok-name_1.2:x"));
  EXPECT_TRUE(ValidImageName("镜像1"));
  EXPECT_FALSE(ValidImageName("a"));
  EXPECT_FALSE(ValidImageName("-starts-with-dash"));
  EXPECT_FALSE(ValidImageName("has space"));
  EXPECT_FALSE(ValidImageName(std::string(129, 'a')));
  // One instance: quota 3 images; the 4th is refused.
  CreateInstancesRequest req;
  req.plan_id = Plans().front().plan_id;
  req.image_id = PublicImages().front().image_id;
  auto ids = Call([&](store::Tx& tx) { return svc_.CreateInstances(tx, kAccount, kRegion, req); });
  Advance(600);
  auto inst = Call([&](store::Tx& tx) { return svc_.GetInstance(tx, kAccount, kRegion, ids->at(0)); });
  auto snap = Call([&](store::Tx& tx) {
    return svc_.CreateSnapshot(tx, kAccount, kRegion, inst->system_disk_id, "s");
  });
  Advance(600);
  for (int i = 0; i < 4; ++i) {
    CreateImageRequest ir{ids->at(0), *snap, "", "img-" + std::to_string(i), ""};
    auto img = Call([&](store::Tx& tx) { return svc_.CreateCustomImage(tx, kAccount, kRegion, ir); });
    if (i < 3) {
      EXPECT_TRUE(img.ok()) << img.error().message();
    } else {
      EXPECT_TRUE(img.error().Is(errors::kCustomImageQuotaLimit));
    }
  }
  CreateImageRequest dup{ids->at(0), *snap, "", "img-0", ""};
  auto img = Call([&](store::Tx& tx) { return svc_.CreateCustomImage(tx, kAccount, kRegion, dup); });
  EXPECT_TRUE(img.error().Is(errors::kImageNameAlreadyExist));
}

// Sharing to accounts: the recipient uses what it is given and nothing
// more; the third account learns nothing; removal takes effect at once.
TEST_F(SwasServiceTest, AccountSharingRules) {
  std::string id = MakeImage(kAccount, "img-1");
  Advance(600);
  auto add = [&](const std::string& owner, std::vector<std::string> to) {
    return store_->Write([&](store::Tx& tx) {
      return svc_.AddShareAccounts(tx, owner, kRegion, id, to);
    });
  };
  auto remove = [&](const std::string& owner, std::vector<std::string> to) {
    return store_->Write([&](store::Tx& tx) {
      return svc_.RemoveShareAccounts(tx, owner, kRegion, id, to);
    });
  };
  auto usable = [&](const std::string& who) {
    return Call([&](store::Tx& tx) { return svc_.GetUsableImage(tx, who, kRegion, id); });
  };
  auto listed = [&](const std::string& who) {
    auto l = Call([&](store::Tx& tx) {
      return svc_.ListCustomImages(tx, who, kRegion, ImageFilter{}, Page{1, 100});
    });
    EXPECT_TRUE(l.ok());
    return l->total;
  };
  EXPECT_TRUE(usable(kOther).error().Is(errors::kInvalidImageIdNotFound));
  EXPECT_TRUE(add(kAccount, {"1000000000000009"}).error().Is(errors::kInvalidAccountNotFound));
  EXPECT_EQ(add(kAccount, {kAccount}).error().code(), "InvalidParameter");
  EXPECT_TRUE(add(kOther, {kThird}).error().Is(errors::kInvalidImageIdNotFound));
  ASSERT_TRUE(add(kAccount, {kOther}).ok());
  ASSERT_TRUE(add(kAccount, {kOther}).ok());  // already there: no change
  EXPECT_EQ(Get(kAccount, id)->share_accounts.size(), 1u);

  auto got = usable(kOther);
  ASSERT_TRUE(got.ok());
  EXPECT_TRUE(got->received);
  EXPECT_EQ(got->account_id, kAccount);
  EXPECT_EQ(got->instance_id, "");  // the owner's server is not the recipient's business
  EXPECT_EQ(listed(kOther), 1);
  EXPECT_EQ(listed(kThird), 0);
  EXPECT_TRUE(usable(kThird).error().Is(errors::kInvalidImageIdNotFound));
  EXPECT_TRUE(Call([&](store::Tx& tx) { return svc_.GetUsableImage(tx, kOther, "cn-shanghai", id); })
                  .error().Is(errors::kInvalidImageIdNotFound));

  // The recipient may not act as the owner.
  EXPECT_TRUE(add(kOther, {kThird}).error().Is(errors::kSharedImageNotOwned));
  EXPECT_TRUE(Share(kOther, id, ShareOperation::kShare).error().Is(errors::kSharedImageNotOwned));
  EXPECT_TRUE(store_->Write([&](store::Tx& tx) {
                return svc_.DeleteCustomImages(tx, kOther, kRegion, {id});
              }).error().Is(errors::kSharedImageNotOwned));
  // Nor may the owner delete it while shared.
  EXPECT_TRUE(store_->Write([&](store::Tx& tx) {
                return svc_.DeleteCustomImages(tx, kAccount, kRegion, {id});
              }).error().Is(errors::kCustomImageInShareAccounts));

  // At most 10 accounts.
  std::vector<std::string> many;
  for (int i = 10; i < 20; ++i) {
    std::string acct = "10000000000000" + std::to_string(i);
    ASSERT_TRUE(store_->Write([&](store::Tx& tx) { return tx.InsertAccount({acct, acct, 0}); }).ok());
    many.push_back(acct);
  }
  EXPECT_TRUE(add(kAccount, many).error().Is(errors::kShareAccountQuotaExceeded));
  EXPECT_EQ(Get(kAccount, id)->share_accounts.size(), 1u);  // all or nothing

  ASSERT_TRUE(remove(kAccount, {kOther}).ok());
  EXPECT_TRUE(usable(kOther).error().Is(errors::kInvalidImageIdNotFound));
  EXPECT_EQ(listed(kOther), 0);
  ASSERT_TRUE(store_->Write([&](store::Tx& tx) {
                return svc_.DeleteCustomImages(tx, kAccount, kRegion, {id});
              }).ok());
}

TEST_F(SwasServiceTest, ResetSystemLimits) {
  std::string own = MakeImage(kAccount, "img-own");
  Advance(600);
  auto img = Get(kAccount, own);
  ASSERT_TRUE(img.ok());
  auto reset = [&](const std::string& who, const std::string& inst,
                   std::optional<std::string> image) {
    return store_->Write([&](store::Tx& tx) {
      return svc_.ResetSystem(tx, who, kRegion, inst, image);
    });
  };
  // Not from the server the image was made from.
  EXPECT_TRUE(reset(kAccount, img->instance_id, own).error().Is(errors::kImageFromThisInstance));
  // Another server of the same plan: yes; Resetting, then Running.
  CreateInstancesRequest req;
  req.plan_id = Plans().front().plan_id;
  req.image_id = PublicImages().front().image_id;
  auto ids = Call([&](store::Tx& tx) { return svc_.CreateInstances(tx, kAccount, kRegion, req); });
  ASSERT_TRUE(ids.ok());
  EXPECT_TRUE(reset(kAccount, ids->at(0), own).error().Is(errors::kIncorrectInstanceStatus));
  Advance(1000);
  ASSERT_TRUE(reset(kAccount, ids->at(0), own).ok());
  auto inst = Call([&](store::Tx& tx) { return svc_.GetInstance(tx, kAccount, kRegion, ids->at(0)); });
  EXPECT_EQ(inst->life.status, "Resetting");
  EXPECT_EQ(inst->image_id, own);
  Advance(1000);
  ASSERT_TRUE(reset(kAccount, ids->at(0), std::nullopt).ok());  // its current image
  // Another account's image: only once shared with it.
  std::string theirs = MakeImage(kOther, "img-theirs");
  Advance(600);
  EXPECT_TRUE(reset(kAccount, ids->at(0), theirs).error().Is(errors::kInvalidImageIdNotFound));
  ASSERT_TRUE(store_->Write([&](store::Tx& tx) {
                return svc_.AddShareAccounts(tx, kOther, kRegion, theirs, {kAccount});
              }).ok());
  Advance(1000);
  ASSERT_TRUE(reset(kAccount, ids->at(0), theirs).ok());
  inst = Call([&](store::Tx& tx) { return svc_.GetInstance(tx, kAccount, kRegion, ids->at(0)); });
  EXPECT_EQ(inst->image_owner, kOther);
  Advance(1000);
  // Unshared: neither it nor "the current image" can be reinstalled.
  ASSERT_TRUE(store_->Write([&](store::Tx& tx) {
                return svc_.RemoveShareAccounts(tx, kOther, kRegion, theirs, {kAccount});
              }).ok());
  EXPECT_TRUE(reset(kAccount, ids->at(0), std::nullopt).error().Is(errors::kInvalidImageIdNotFound));
  // A bigger plan's image does not fit a smaller server.
  CreateInstancesRequest big = req;
  big.plan_id = Plans().back().plan_id;
  ASSERT_GT(Plans().back().disk_size, Plans().front().disk_size);
  auto big_ids = Call([&](store::Tx& tx) { return svc_.CreateInstances(tx, kAccount, kRegion, big); });
  Advance(1000);
  auto snap = Call([&](store::Tx& tx) {
    auto i = svc_.GetInstance(tx, kAccount, kRegion, big_ids->at(0));
    return svc_.CreateSnapshot(tx, kAccount, kRegion, i->system_disk_id, "big");
  });
  Advance(1000);
  CreateImageRequest ir{big_ids->at(0), *snap, "", "img-big", ""};
  auto big_img = Call([&](store::Tx& tx) { return svc_.CreateCustomImage(tx, kAccount, kRegion, ir); });
  ASSERT_TRUE(big_img.ok()) << big_img.error().message();
  Advance(1000);
  EXPECT_TRUE(reset(kAccount, ids->at(0), *big_img).error().Is(errors::kImageDiskTooLarge));
}

}  // namespace
}  // namespace swasd::swas
