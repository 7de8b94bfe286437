// ECS launches on a real SQLite store: the vSwitch, zone and private-IP
// rules of RunInstances, MinAmount, DescribeInstances' filters and token
// pages, and the VPC side (DeleteVSwitch, free addresses) that depends on
// them.
#include <gtest/gtest.h>

#include "base/clock.h"
#include "ecs/errors.h"
#include "ecs/service.h"
#include "store/sqlite/test_store.h"
#include "vpc/errors.h"
#include "vpc/service.h"

namespace swasd::ecs {
namespace {

constexpr char kAccount[] = "1000000000000001";
constexpr char kOther[] = "1000000000000002";
constexpr char kRegion[] = "cn-hangzhou";
constexpr char kImage[] = "aliyun_3_x64_20G_alibase_20240528.vhd";
constexpr char kType[] = "ecs.g7.large";

class InstancesTest : public store::SqliteStoreTest {
 protected:
  void SetUp() override {
    SqliteStoreTest::SetUp();
    AddAccounts({kAccount, kOther});
    vpc_.SetDependents({.instances_in_vswitch = [this](store::Tx& tx, const std::string& a,
                                                       const std::string& v) {
      return ecs_.CountInVSwitch(tx, a, v);
    }});
  }

  // An Available vSwitch with `cidr` in a new VPC 10.0.0.0/16 of kAccount.
  std::string MakeSwitch(const std::string& cidr, const std::string& zone = "cn-hangzhou-k") {
    auto vpc = Call([&](store::Tx& tx) {
      return vpc_.CreateVpc(tx, kAccount, kRegion, {.cidr_block = "10.0.0.0/16"});
    });
    EXPECT_TRUE(vpc.ok());
    Advance(1000);
    auto vsw = Call([&](store::Tx& tx) {
      return vpc_.CreateVSwitch(tx, kAccount, kRegion, {vpc->id, zone, cidr, "", ""});
    });
    EXPECT_TRUE(vsw.ok()) << vsw.error().message();
    Advance(1000);
    return *vsw;
  }

  CreateRequest Launch(const std::string& vswitch, int amount = 1) {
    CreateRequest req;
    req.region = kRegion;
    req.image_id = kImage;
    req.instance_type = kType;
    req.vswitch_id = vswitch;
    req.amount = amount;
    return req;
  }
  Result<std::vector<std::string>> Create(const CreateRequest& req,
                                          const std::string& account = kAccount) {
    return Call([&](store::Tx& tx) { return ecs_.CreateInstances(tx, account, req); });
  }
  Result<store::Listed<Instance>> List(const InstanceFilter& f, store::Page page = {1, 100}) {
    return Call([&](store::Tx& tx) { return ecs_.ListInstances(tx, kAccount, kRegion, f, page); });
  }
  void Advance(int ms) { clock_.Advance(std::chrono::milliseconds(ms)); }

  OffsetClock clock_;
  swas::RegionCatalog regions_ = swas::RegionCatalog::Default();
  swas::Service swas_{&regions_, &clock_, {}};
  vpc::Service vpc_{&clock_,
                    [](std::string_view zone, std::string_view region) {
                      return ZoneCatalog::Builtin().Has(region, zone);
                    },
                    {.ready_ms = 500}};
  SecurityGroups groups_{&vpc_, &clock_};
  KeyPairs keys_{&clock_};
  Service ecs_{&swas_, &vpc_, &groups_, &keys_, &regions_, &ZoneCatalog::Builtin(),
               &InstanceTypeCatalog::Builtin(), &clock_, {.instance_transition_ms = 500}};
};

TEST_F(InstancesTest, PrivateIpsComeFromTheVSwitchBlockInOrder) {
  const std::string vsw = MakeSwitch("10.0.1.0/24");
  auto ids = Create(Launch(vsw, 3));
  ASSERT_TRUE(ids.ok()) << ids.error().message();
  InstanceFilter f;
  f.vswitch_id = vsw;
  auto listed = List(f);
  ASSERT_TRUE(listed.ok());
  std::set<std::string> ips;
  for (const auto& v : listed->items) {
    ips.insert(v.private_ip);
    EXPECT_EQ(v.zone_id, "cn-hangzhou-k");  // the vSwitch's zone
    EXPECT_EQ(v.vswitch_id, vsw);
    EXPECT_TRUE(v.vpc_id.starts_with("vpc-"));
  }
  EXPECT_EQ(ips, (std::set<std::string>{"10.0.1.1", "10.0.1.2", "10.0.1.3"}));
}

TEST_F(InstancesTest, ChosenPrivateIpMustBeFreeAndInTheBlock) {
  const std::string vsw = MakeSwitch("10.0.2.0/24");
  auto req = Launch(vsw);
  req.private_ip = "10.0.2.50";
  ASSERT_TRUE(Create(req).ok());
  EXPECT_TRUE(Create(req).error().Is(errors::kInvalidPrivateIpAddressDuplicated));
  req.private_ip = "10.0.3.5";
  EXPECT_TRUE(Create(req).error().Is(errors::kInvalidPrivateIpAddress));
  req.private_ip = "10.0.2.255";  // reserved (the last three)
  EXPECT_TRUE(Create(req).error().Is(errors::kInvalidPrivateIpAddress));
  req.private_ip = "10.0.2";
  EXPECT_TRUE(Create(req).error().Is(errors::kInvalidPrivateIpAddressMalformed));
  req.private_ip = "10.0.2.60";
  req.amount = 2;
  EXPECT_TRUE(Create(req).error().Is(errors::kInvalidParameterConflict));
  // Without a vSwitch there is no block to take it from.
  auto bare = Launch("");
  bare.private_ip = "10.0.2.61";
  EXPECT_TRUE(Create(bare).error().Is(errors::kMissingVSwitchId));
}

TEST_F(InstancesTest, MinAmountTakesWhatAFullVSwitchHasRoomFor) {
  const std::string vsw = MakeSwitch("10.0.4.0/29");  // 8 addresses, 4 usable
  auto req = Launch(vsw, 6);
  EXPECT_TRUE(Create(req).error().Is(errors::kQuotaExceededPrivateIpAddress));
  req.min_amount = 3;
  auto ids = Create(req);
  ASSERT_TRUE(ids.ok()) << ids.error().message();
  EXPECT_EQ(ids->size(), 4u);
  EXPECT_TRUE(Create(Launch(vsw)).error().Is(errors::kQuotaExceededPrivateIpAddress));
  req.min_amount = 7;
  EXPECT_TRUE(Create(req).error().Is(errors::kInvalidMinAmountMalformed));
}

TEST_F(InstancesTest, VSwitchMustExistBeReadyAndMatchTheZone) {
  EXPECT_TRUE(Create(Launch("vsw-nope")).error().Is(vpc::errors::kInvalidVSwitchIdNotFound));
  const std::string vsw = MakeSwitch("10.0.5.0/24");
  auto req = Launch(vsw);
  req.zone = "cn-hangzhou-j";
  EXPECT_TRUE(Create(req).error().Is(errors::kVSwitchNotInZone));
  req.zone = "cn-hangzhou-zz";
  EXPECT_TRUE(Create(req).error().Is(errors::kInvalidZoneIdNotFound));
  // Another account's vSwitch does not exist for the caller.
  EXPECT_TRUE(Create(Launch(vsw), kOther).error().Is(vpc::errors::kInvalidVSwitchIdNotFound));
  // A vSwitch still Pending.
  auto vpc = Call([&](store::Tx& tx) {
    return vpc_.CreateVpc(tx, kAccount, kRegion, {.cidr_block = "192.168.0.0/16"});
  });
  Advance(1000);
  auto pending = Call([&](store::Tx& tx) {
    return vpc_.CreateVSwitch(tx, kAccount, kRegion,
                              {vpc->id, "cn-hangzhou-k", "192.168.0.0/24", "", ""});
  });
  ASSERT_TRUE(pending.ok());
  EXPECT_TRUE(Create(Launch(*pending)).error().Is(vpc::errors::kIncorrectVSwitchStatus));
}

TEST_F(InstancesTest, DeleteVSwitchWaitsForItsInstances) {
  const std::string vsw = MakeSwitch("10.0.6.0/24");
  auto ids = Create(Launch(vsw, 2));
  ASSERT_TRUE(ids.ok());
  auto del = [&] {
    return store_->Write(
        [&](store::Tx& tx) { return vpc_.DeleteVSwitch(tx, kAccount, kRegion, vsw); });
  };
  EXPECT_TRUE(del().error().Is(vpc::errors::kDependencyViolation));
  auto listed = Call([&](store::Tx& tx) {
    vpc::VSwitchFilter f;
    f.ids = {vsw};
    return vpc_.ListVSwitches(tx, kAccount, kRegion, f, {1, 10});
  });
  ASSERT_TRUE(listed.ok());
  EXPECT_EQ(listed->items.at(0).used_ips, 2);
  Advance(1000);
  for (const auto& id : *ids) {
    ASSERT_TRUE(store_->Write([&](store::Tx& tx) {
                  return ecs_.DeleteInstance(tx, kAccount, id, /*force=*/true);
                }).ok());
  }
  EXPECT_TRUE(del().ok());
}

TEST_F(InstancesTest, FiltersAndTokenPages) {
  const std::string a = MakeSwitch("10.0.7.0/24");
  auto req = Launch(a, 3);
  req.tags = {{"env", "prod"}};
  req.key_pair_name = "ops";
  ASSERT_TRUE(Call([&](store::Tx& tx) { return keys_.Create(tx, kAccount, kRegion, "ops"); }).ok());
  ASSERT_TRUE(Create(req).ok());
  ASSERT_TRUE(Create(Launch("", 2)).ok());  // default network, no tags

  InstanceFilter f;
  EXPECT_EQ(List(f)->total, 5);
  f.tags = {{"env", ""}};
  EXPECT_EQ(List(f)->total, 3);
  f.tags = {{"env", "dev"}};
  EXPECT_EQ(List(f)->total, 0);
  f = {};
  f.key_pair_name = "ops";
  EXPECT_EQ(List(f)->total, 3);
  f = {};
  f.instance_type_family = "ecs.g7";
  EXPECT_EQ(List(f)->total, 5);
  f = {};
  f.private_ips = {"10.0.7.2"};
  EXPECT_EQ(List(f)->total, 1);

  // Token pages of 2: 2, 2, 1, then no token.
  store::Page page{.size = 2, .by_token = true};
  std::set<std::string> seen;
  int pages = 0;
  for (;;) {
    auto p = List({}, page);
    ASSERT_TRUE(p.ok());
    ++pages;
    for (const auto& v : p->items) seen.insert(v.id);
    if (p->next_token.empty()) break;
    page.offset = *store::ParseOffsetToken(p->next_token);
  }
  EXPECT_EQ(pages, 3);
  EXPECT_EQ(seen.size(), 5u);
}

TEST_F(InstancesTest, HostNamesUserDataAndDataDisks) {
  auto req = Launch("", 2);
  req.host_name = "web-${instance_id}";
  req.user_data = "IyEvYmluL3NoCg==";
  req.data_disks = {{.category = "cloud_essd", .size = 40},
                    {.category = "cloud_essd", .size = 50, .delete_with_instance = false}};
  auto ids = Create(req);
  ASSERT_TRUE(ids.ok()) << ids.error().message();
  auto v = Call([&](store::Tx& tx) { return ecs_.GetInstance(tx, kAccount, ids->at(0)); });
  ASSERT_TRUE(v.ok());
  EXPECT_EQ(v->host_name, "web-" + v->id);
  EXPECT_EQ(v->user_data, req.user_data);
  auto disks = Call([&](store::Tx& tx) {
    return ecs_.ListDisks(tx, kAccount, kRegion, {}, v->id, std::nullopt, {1, 10});
  });
  ASSERT_TRUE(disks.ok());
  EXPECT_EQ(disks->total, 3);  // system + two data disks
  Advance(1000);
  ASSERT_TRUE(store_->Write([&](store::Tx& tx) {
                return ecs_.DeleteInstance(tx, kAccount, v->id, true);
              }).ok());
  // The DeleteWithInstance=false disk stays, detached.
  auto left = Call([&](store::Tx& tx) {
    return ecs_.ListDisks(tx, kAccount, kRegion, {}, std::string(), std::nullopt, {1, 10});
  });
  ASSERT_TRUE(left.ok());
  ASSERT_EQ(left->total, 1);
  EXPECT_EQ(left->items[0].size, 50);

  auto bad = Launch("");
  bad.host_name = "-bad";
  EXPECT_TRUE(Create(bad).error().Is(errors::kInvalidHostNameMalformed));
  bad = Launch("", 2);
  bad.host_names = {"a1"};
  EXPECT_TRUE(Create(bad).error().Is(errors::kInvalidParameterConflict));
  bad = Launch("");
  bad.user_data = "%%%";
  EXPECT_TRUE(Create(bad).error().Is(errors::kInvalidUserDataBase64));
}

TEST_F(InstancesTest, SecurityGroupsAndKeyPairsMustBeTheCallersAndAgree) {
  const std::string vsw = MakeSwitch("10.0.8.0/24");
  auto vswitch = Call([&](store::Tx& tx) { return vpc_.GetVSwitch(tx, kAccount, kRegion, vsw); });
  ASSERT_TRUE(vswitch.ok());
  auto group = Call([&](store::Tx& tx) {
    return groups_.Create(tx, kAccount, kRegion, {.vpc_id = vswitch->vpc_id});
  });
  ASSERT_TRUE(group.ok()) << group.error().message();
  const std::string other_vsw = MakeSwitch("10.0.9.0/24");  // another VPC
  auto req = Launch(other_vsw);
  req.security_group_ids = {group->id};
  EXPECT_TRUE(Create(req).error().Is(errors::kSecurityGroupNotInVSwitchVpc));
  req = Launch(vsw);
  req.security_group_ids = {"sg-nope"};
  EXPECT_TRUE(Create(req).error().Is(errors::kInvalidSecurityGroupIdNotFound));
  req.security_group_ids = {group->id};
  req.key_pair_name = "missing";
  EXPECT_TRUE(Create(req).error().Is(errors::kInvalidKeyPairNameNotFound));
  req.key_pair_name.clear();
  auto ids = Create(req);
  ASSERT_TRUE(ids.ok()) << ids.error().message();
  InstanceFilter f;
  f.security_group_id = group->id;
  EXPECT_EQ(List(f)->total, 1);
  // Without a vSwitch a group has no VPC to agree with.
  auto bare = Launch("");
  bare.security_group_ids = {group->id};
  EXPECT_TRUE(Create(bare).error().Is(errors::kMissingVSwitchId));
}

}  // namespace
}  // namespace swasd::ecs
