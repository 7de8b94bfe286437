// VPC rules on a real SQLite store: CIDR blocks, zones, states, quotas,
// dependencies and account scoping.
#include "vpc/service.h"

#include <gtest/gtest.h>


#include "base/clock.h"
#include "store/sqlite/test_store.h"
#include "vpc/cidr.h"
#include "vpc/errors.h"

namespace swasd::vpc {
namespace {

constexpr char kAccount[] = "1000000000000001";
constexpr char kOther[] = "1000000000000002";
constexpr char kRegion[] = "cn-hangzhou";

TEST(CidrTest, ParsesCanonicalBlocksOnly) {
  auto c = Cidr::Parse("172.16.0.0/12");
  ASSERT_TRUE(c.has_value());
  EXPECT_EQ(c->ToString(), "172.16.0.0/12");
  EXPECT_EQ(c->Size(), 1u << 20);
  for (const char* bad : {"172.16.0.1/12", "172.16.0.0", "172.16.0/16", "256.0.0.0/8",
                          "10.0.0.0/33", "10.00.0.0/16", "10.0.0.0/", "a.b.c.d/8", "10.0.0.0/8x",
                          "10.0.0.0.0/8", ""}) {
    EXPECT_FALSE(Cidr::Parse(bad).has_value()) << bad;
  }
  EXPECT_TRUE(Cidr::Parse("0.0.0.0/0").has_value());
}

TEST(CidrTest, ContainsOverlapsAndPrivate) {
  auto vpc = *Cidr::Parse("192.168.0.0/16");
  EXPECT_TRUE(vpc.Contains(*Cidr::Parse("192.168.1.0/24")));
  EXPECT_FALSE(vpc.Contains(*Cidr::Parse("192.169.0.0/24")));
  EXPECT_FALSE(Cidr::Parse("192.168.1.0/24")->Contains(vpc));
  EXPECT_TRUE(Cidr::Parse("192.168.1.0/24")->Overlaps(*Cidr::Parse("192.168.1.128/25")));
  EXPECT_FALSE(Cidr::Parse("192.168.1.0/24")->Overlaps(*Cidr::Parse("192.168.2.0/24")));
  EXPECT_TRUE(IsPrivate(*Cidr::Parse("10.1.0.0/16")));
  EXPECT_TRUE(IsPrivate(*Cidr::Parse("172.31.0.0/16")));
  EXPECT_FALSE(IsPrivate(*Cidr::Parse("172.32.0.0/16")));
  EXPECT_FALSE(IsPrivate(*Cidr::Parse("8.8.8.0/24")));
  EXPECT_EQ(Cidr::Parse("10.0.1.0/24")->Address(5), "10.0.1.5");
}

TEST(NamesTest, VpcNamesAndDescriptions) {
  EXPECT_TRUE(ValidName("prod-vpc_1.a"));
  EXPECT_TRUE(ValidName("生产"));
  EXPECT_FALSE(ValidName("1vpc"));
  EXPECT_FALSE(ValidName("-vpc"));
  EXPECT_FALSE(ValidName("http://x"));
  EXPECT_FALSE(ValidName("vpc name"));
  EXPECT_FALSE(ValidName(std::string(129, 'a')));
  EXPECT_TRUE(ValidDescription("any text, even spaces"));
  EXPECT_FALSE(ValidDescription("https://x"));
  EXPECT_FALSE(ValidDescription(std::string(257, 'a')));
}

class VpcServiceTest : public store::SqliteStoreTest {
 protected:
  void SetUp() override {
    SqliteStoreTest::SetUp();
    AddAccounts({kAccount, kOther});
  }


  Result<Vpc> MakeVpc(const std::string& account, std::optional<std::string> cidr) {
    CreateVpcRequest req;
    req.cidr_block = std::move(cidr);
    return Call([&](store::Tx& tx) { return svc_.CreateVpc(tx, account, kRegion, req); });
  }
  Result<std::string> MakeSwitch(const std::string& account, const std::string& vpc,
                                 const std::string& cidr, const std::string& zone = "cn-hangzhou-k") {
    CreateVSwitchRequest req{vpc, zone, cidr, "", ""};
    return Call([&](store::Tx& tx) { return svc_.CreateVSwitch(tx, account, kRegion, req); });
  }
  Status Run(const std::function<Status(store::Tx&)>& fn) { return store_->Write(fn); }
  void Advance(int ms) { clock_.Advance(std::chrono::milliseconds(ms)); }

  OffsetClock clock_;
  // Two zones of kRegion (the real catalog is ecs/zones.h, wired by main).
  Service svc_{&clock_,
               [](std::string_view zone, std::string_view region) {
                 return region == kRegion && (zone == "cn-hangzhou-k" || zone == "cn-hangzhou-j");
               },
               ServiceOptions{500, 3, 150}};
};

TEST_F(VpcServiceTest, VpcBlocksStatesAndQuota) {
  auto v = MakeVpc(kAccount, std::nullopt);
  ASSERT_TRUE(v.ok()) << v.error().message();
  EXPECT_EQ(v->cidr_block, "172.16.0.0/12");
  EXPECT_EQ(v->life.status, "Pending");
  for (const char* bad : {"8.8.0.0/16", "10.0.0.0/29", "10.0.0.1/16", "nonsense"}) {
    EXPECT_TRUE(MakeVpc(kAccount, bad).error().Is(errors::kInvalidCidrBlockMalformed)) << bad;
  }
  // Pending: neither vSwitches nor deletion.
  EXPECT_TRUE(MakeSwitch(kAccount, v->id, "172.16.0.0/24").error().Is(errors::kIncorrectVpcStatus));
  EXPECT_TRUE(Run([&](store::Tx& tx) { return svc_.DeleteVpc(tx, kAccount, kRegion, v->id); })
                  .error().Is(errors::kIncorrectVpcStatus));
  Advance(600);
  ASSERT_TRUE(MakeVpc(kAccount, "10.0.0.0/8").ok());
  ASSERT_TRUE(MakeVpc(kAccount, "192.168.0.0/16").ok());
  EXPECT_TRUE(MakeVpc(kAccount, "10.0.0.0/16").error().Is(errors::kQuotaExceededVpc));
  ASSERT_TRUE(MakeVpc(kOther, "10.0.0.0/16").ok());  // quotas are per account
  auto mine = Call([&](store::Tx& tx) { return svc_.ListVpcs(tx, kAccount, kRegion, {}, {1, 10}); });
  EXPECT_EQ(mine->total, 3);
  EXPECT_EQ(mine->items[0].life.status, "Available");
  EXPECT_TRUE(Call([&](store::Tx& tx) { return svc_.GetVpc(tx, kOther, kRegion, v->id); })
                  .error().Is(errors::kInvalidVpcIdNotFound));
  EXPECT_TRUE(Call([&](store::Tx& tx) { return svc_.GetVpc(tx, kAccount, "cn-shanghai", v->id); })
                  .error().Is(errors::kInvalidVpcIdNotFound));
}

TEST_F(VpcServiceTest, VSwitchBlocksZonesAndDependencies) {
  auto v = MakeVpc(kAccount, "192.168.0.0/16");
  Advance(600);
  EXPECT_TRUE(MakeSwitch(kAccount, v->id, "192.168.0.0/15").error().Is(errors::kInvalidCidrBlockMalformed));
  EXPECT_TRUE(MakeSwitch(kAccount, v->id, "192.168.0.0/30").error().Is(errors::kInvalidCidrBlockMalformed));
  EXPECT_TRUE(MakeSwitch(kAccount, v->id, "10.0.0.0/24").error().Is(errors::kCidrNotInVpc));
  EXPECT_TRUE(MakeSwitch(kAccount, v->id, "192.168.1.0/24", "cn-shanghai-b")
                  .error().Is(errors::kInvalidZoneIdNotFound));
  EXPECT_TRUE(MakeSwitch(kOther, v->id, "192.168.1.0/24").error().Is(errors::kInvalidVpcIdNotFound));
  auto sw = MakeSwitch(kAccount, v->id, "192.168.1.0/24");
  ASSERT_TRUE(sw.ok()) << sw.error().message();
  EXPECT_TRUE(MakeSwitch(kAccount, v->id, "192.168.1.128/25").error().Is(errors::kInvalidCidrBlockOverlapped));
  EXPECT_TRUE(MakeSwitch(kAccount, v->id, "192.168.0.0/16").error().Is(errors::kInvalidCidrBlockOverlapped));
  ASSERT_TRUE(MakeSwitch(kAccount, v->id, "192.168.2.0/24", "cn-hangzhou-j").ok());
  VSwitchFilter f;
  f.zone_id = "cn-hangzhou-j";
  auto listed = Call([&](store::Tx& tx) { return svc_.ListVSwitches(tx, kAccount, kRegion, f, {1, 10}); });
  EXPECT_EQ(listed->total, 1);
  // A VPC with vSwitches stays; a Pending vSwitch stays.
  EXPECT_TRUE(Run([&](store::Tx& tx) { return svc_.DeleteVpc(tx, kAccount, kRegion, v->id); })
                  .error().Is(errors::kDependencyViolationVSwitch));
  EXPECT_TRUE(Run([&](store::Tx& tx) { return svc_.DeleteVSwitch(tx, kAccount, kRegion, *sw); })
                  .error().Is(errors::kIncorrectVSwitchStatus));
  Advance(600);
  f.zone_id.reset();
  auto all = Call([&](store::Tx& tx) { return svc_.ListVSwitches(tx, kAccount, kRegion, f, {1, 10}); });
  ASSERT_EQ(all->total, 2);
  for (const auto& s : all->items) {
    ASSERT_TRUE(Run([&](store::Tx& tx) { return svc_.DeleteVSwitch(tx, kAccount, kRegion, s.id); }).ok());
  }
  ASSERT_TRUE(Run([&](store::Tx& tx) { return svc_.DeleteVpc(tx, kAccount, kRegion, v->id); }).ok());
  EXPECT_TRUE(Run([&](store::Tx& tx) { return svc_.DeleteVpc(tx, kAccount, kRegion, v->id); })
                  .error().Is(errors::kInvalidVpcIdNotFound));
}

}  // namespace
}  // namespace swasd::vpc
