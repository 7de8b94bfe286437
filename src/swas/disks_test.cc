// Disks, snapshots and plan changes (swas/disks.cc) on a real SQLite store
// and a clock the tests move.
#include <gtest/gtest.h>

#include <functional>
#include <optional>

#include "store/sqlite/test_store.h"
#include "swas/catalog.h"
#include "swas/errors.h"
#include "swas/service.h"

namespace swasd::swas {
namespace {

constexpr char kAcct[] = "1000000000000011";
constexpr char kStranger[] = "1000000000000012";
constexpr char kHere[] = "cn-hangzhou";
// Every transition's length in these tests: long enough that real time never
// completes one between two steps, however loaded the machine.
constexpr int kStep = 60000;

class DisksTest : public store::SqliteStoreTest {
 protected:
  void SetUp() override {
    SqliteStoreTest::SetUp();
    AddAccounts({kAcct, kStranger});
    // A Running server with an Accomplished snapshot of its system disk.
    ASSERT_TRUE(Do([&](store::Tx& tx) -> Status {
      CreateInstancesRequest req;
      req.plan_id = Plans().front().plan_id;
      req.image_id = PublicImages().front().image_id;
      SWASD_ASSIGN_OR_RETURN(auto ids, svc_.CreateInstances(tx, kAcct, kHere, req));
      server_ = ids.at(0);
      return Status::Ok();
    }).ok());
    Tick();
    disk_ = Server().system_disk_id;
    snap_ = Snap(disk_);
    Tick();
  }

  Status Do(const std::function<Status(store::Tx&)>& fn) { return store_->Write(fn); }
  void Tick() { clock_.Advance(std::chrono::milliseconds(kStep + 1)); }

  Instance Server() {
    Instance out;
    EXPECT_TRUE(Do([&](store::Tx& tx) -> Status {
      SWASD_ASSIGN_OR_RETURN(out, svc_.GetInstance(tx, kAcct, kHere, server_));
      return Status::Ok();
    }).ok());
    return out;
  }
  std::string Snap(const std::string& disk) {
    std::string id;
    EXPECT_TRUE(Do([&](store::Tx& tx) -> Status {
      SWASD_ASSIGN_OR_RETURN(id, svc_.CreateSnapshot(tx, kAcct, kHere, disk, "snap"));
      return Status::Ok();
    }).ok());
    return id;
  }
  std::optional<Snapshot> FindSnap(const std::string& id) {
    std::optional<Snapshot> out;
    EXPECT_TRUE(Do([&](store::Tx& tx) -> Status {
      SWASD_ASSIGN_OR_RETURN(auto l, svc_.ListSnapshots(tx, kAcct, kHere, {id}, std::nullopt,
                                                        std::nullopt, std::nullopt, {1, 10}));
      if (!l.items.empty()) out = l.items.front();
      return Status::Ok();
    }).ok());
    return out;
  }
  Disk TheDisk() {
    Disk out;
    EXPECT_TRUE(Do([&](store::Tx& tx) -> Status {
      SWASD_ASSIGN_OR_RETURN(auto l, svc_.ListDisks(tx, kAcct, kHere, {disk_}, std::nullopt,
                                                    std::nullopt, {1, 10}));
      out = l.items.at(0);
      return Status::Ok();
    }).ok());
    return out;
  }
  Status Stop() {
    Status s = Do([&](store::Tx& tx) {
      return svc_.ChangePower(tx, kAcct, kHere, server_, Service::Power::kStop);
    });
    Tick();
    return s;
  }
  Status Reset(const std::string& disk, const std::string& snap,
               const std::string& account = kAcct) {
    return Do([&](store::Tx& tx) { return svc_.ResetDisk(tx, account, kHere, disk, snap); });
  }
  Status Upgrade(const std::string& plan) {
    return Do([&](store::Tx& tx) { return svc_.UpgradeInstance(tx, kAcct, kHere, server_, plan); });
  }

  OffsetClock clock_;
  RegionCatalog regions_ = RegionCatalog::Default();
  Service svc_{&regions_, &clock_,
               {.instance_transition_ms = kStep, .snapshot_ready_ms = kStep,
                .image_ready_ms = kStep}};
  std::string server_, disk_, snap_;
};

bool Is(const Status& s, const ErrorSpec& spec) { return !s.ok() && s.error().Is(spec); }

TEST(PasswordRule, DocumentedRules) {
  EXPECT_TRUE(ValidInstancePassword("Test123!", false));
  EXPECT_TRUE(ValidInstancePassword("abcdEFGH1", false));       // three kinds
  EXPECT_TRUE(ValidInstancePassword("/bc123!@#x", false));
  EXPECT_FALSE(ValidInstancePassword("/bc123!@#x", true));       // Windows: no leading '/'
  EXPECT_FALSE(ValidInstancePassword("Tt1!", false));            // too short
  EXPECT_FALSE(ValidInstancePassword(std::string(31, 'a') + "A1", false));  // too long
  EXPECT_FALSE(ValidInstancePassword("abcdefgh12", false));      // two kinds
  EXPECT_FALSE(ValidInstancePassword("Test 123!", false));       // space is not allowed
  EXPECT_FALSE(ValidInstancePassword("Test123\"x", false));      // '"' is not in the list
}

TEST(PlanRule, OnlyBiggerPlansAreUpgrades) {
  const auto& p = Plans();
  EXPECT_TRUE(IsPlanUpgrade(p[0], p[1]));
  EXPECT_FALSE(IsPlanUpgrade(p[1], p[0]));  // downgrade
  EXPECT_FALSE(IsPlanUpgrade(p[1], p[1]));  // same plan
  Plan odd = p[2];
  odd.bandwidth = p[1].bandwidth - 1;       // bigger but one dimension smaller
  EXPECT_FALSE(IsPlanUpgrade(p[1], odd));
}

TEST_F(DisksTest, ResetDiskNeedsAStoppedServerAndRecordsRollbackTime) {
  EXPECT_TRUE(Is(Reset(disk_, snap_), errors::kIncorrectInstanceStatusResetDisk));
  ASSERT_TRUE(Stop().ok());
  EXPECT_TRUE(Is(Reset("d-nope", snap_), errors::kInvalidDiskIdNotFound));
  EXPECT_TRUE(Is(Reset(disk_, "s-nope"), errors::kInvalidSnapshotIdNotFound));
  EXPECT_TRUE(Is(Reset(disk_, snap_, kStranger), errors::kInvalidDiskIdNotFound));
  EXPECT_EQ(FindSnap(snap_)->rollback_ms, 0);
  const int64_t at = clock_.NowUnixMillis();
  ASSERT_TRUE(Reset(disk_, snap_).ok());
  EXPECT_EQ(Server().life.status, "Resetting");
  EXPECT_GE(FindSnap(snap_)->rollback_ms, at);
  EXPECT_LT(FindSnap(snap_)->rollback_ms, at + kStep);
  Tick();
  EXPECT_EQ(Server().life.status, "Stopped");
}

TEST_F(DisksTest, ResetDiskRefusesAnotherDisksOrAnUnfinishedSnapshot) {
  ASSERT_TRUE(Stop().ok());
  std::string fresh = Snap(disk_);  // Progressing
  EXPECT_TRUE(Is(Reset(disk_, fresh), errors::kIncorrectSnapshotStatus));
  // A second server's disk with the first one's snapshot.
  std::string other_disk;
  ASSERT_TRUE(Do([&](store::Tx& tx) -> Status {
    CreateInstancesRequest req;
    req.plan_id = Plans().front().plan_id;
    req.image_id = PublicImages().front().image_id;
    SWASD_ASSIGN_OR_RETURN(auto ids, svc_.CreateInstances(tx, kAcct, kHere, req));
    SWASD_ASSIGN_OR_RETURN(auto inst, svc_.GetInstance(tx, kAcct, kHere, ids.at(0)));
    other_disk = inst.system_disk_id;
    return Status::Ok();
  }).ok());
  EXPECT_TRUE(Is(Reset(other_disk, snap_), errors::kInvalidParameterMismatch));
}

TEST_F(DisksTest, RemarksRoundTripAndOldDocumentsDecode) {
  ASSERT_TRUE(Do([&](store::Tx& tx) {
    return svc_.UpdateSnapshotRemark(tx, kAcct, kHere, snap_, "before upgrade");
  }).ok());
  ASSERT_TRUE(Do([&](store::Tx& tx) {
    return svc_.UpdateDiskRemark(tx, kAcct, kHere, disk_, "root disk");
  }).ok());
  EXPECT_EQ(FindSnap(snap_)->remark, "before upgrade");
  EXPECT_EQ(TheDisk().remark, "root disk");
  EXPECT_TRUE(Is(Do([&](store::Tx& tx) {
                   return svc_.UpdateSnapshotRemark(tx, kStranger, kHere, snap_, "x");
                 }),
                 errors::kInvalidSnapshotIdNotFound));
  EXPECT_TRUE(Is(Do([&](store::Tx& tx) {
                   return svc_.UpdateDiskRemark(tx, kAcct, "cn-shanghai", disk_, "x");
                 }),
                 errors::kInvalidDiskIdNotFound));
  // A document written before these fields existed decodes to defaults.
  store::Resource r = ToResource(*FindSnap(snap_));
  r.doc = R"({"instance_id":"i","source_disk_type":"System",)"
          R"("life":{"status":"Accomplished","next":"","at_ms":0}})";
  auto old = SnapshotFrom(r);
  ASSERT_TRUE(old.ok());
  EXPECT_EQ(old->remark, "");
  EXPECT_EQ(old->rollback_ms, 0);
  store::Resource d = ToResource(TheDisk());
  d.doc = R"({"type":"System","size":40,"device":"/dev/xvda"})";
  auto old_disk = DiskFrom(d);
  ASSERT_TRUE(old_disk.ok());
  EXPECT_EQ(old_disk->remark, "");
}

TEST_F(DisksTest, DeleteSnapshotsIsAllOrNothing) {
  std::string second = Snap(disk_);
  Tick();
  auto del = [&](std::vector<std::string> ids) {
    return Do([&](store::Tx& tx) { return svc_.DeleteSnapshots(tx, kAcct, kHere, ids); });
  };
  EXPECT_TRUE(Is(del({snap_, "s-nope"}), errors::kInvalidSnapshotIdNotFound));
  EXPECT_TRUE(FindSnap(snap_).has_value());
  // An image made from `second` keeps both.
  ASSERT_TRUE(Do([&](store::Tx& tx) -> Status {
    CreateImageRequest req{server_, second, "", "img-1", ""};
    SWASD_ASSIGN_OR_RETURN(auto id, svc_.CreateCustomImage(tx, kAcct, kHere, req));
    (void)id;
    return Status::Ok();
  }).ok());
  EXPECT_TRUE(Is(del({snap_, second}), errors::kSnapshotCreatedImage));
  EXPECT_TRUE(FindSnap(snap_).has_value());
  ASSERT_TRUE(del({snap_, snap_}).ok());
  EXPECT_FALSE(FindSnap(snap_).has_value());
  EXPECT_TRUE(FindSnap(second).has_value());
}

TEST_F(DisksTest, UpgradeTakesOnlyBiggerPlansOfRunningOrStoppedServers) {
  const auto& p = Plans();
  EXPECT_TRUE(Is(Upgrade("swas.nope"), errors::kInvalidPlanIdNotFound));
  EXPECT_TRUE(Is(Upgrade(p[0].plan_id), errors::kInvalidPlanIdUpgradeValueNotSupported));
  ASSERT_TRUE(Upgrade(p[2].plan_id).ok());
  EXPECT_EQ(Server().life.status, "Upgrading");
  EXPECT_EQ(Server().plan_id, p[2].plan_id);
  EXPECT_EQ(TheDisk().size, p[2].disk_size);
  EXPECT_TRUE(Is(Upgrade(p[3].plan_id), errors::kIncorrectInstanceStatus));
  Tick();
  EXPECT_EQ(Server().life.status, "Running");
  EXPECT_TRUE(Is(Upgrade(p[1].plan_id), errors::kInvalidPlanIdUpgradeValueNotSupported));
  ASSERT_TRUE(Stop().ok());
  ASSERT_TRUE(Upgrade(p[3].plan_id).ok());
  Tick();
  EXPECT_EQ(Server().life.status, "Running");  // an upgrade starts the server
}

TEST_F(DisksTest, RenewMovesExpiryFromTheLaterOfItselfAndNow) {
  const int64_t month = int64_t{30} * 86400 * 1000;
  const int64_t before = Server().expires_ms;
  ASSERT_TRUE(Do([&](store::Tx& tx) {
    return svc_.RenewInstance(tx, kAcct, kHere, server_, 3);
  }).ok());
  EXPECT_EQ(Server().expires_ms, before + 3 * month);
  clock_.Advance(std::chrono::milliseconds(10 * month));  // long expired
  const int64_t now = clock_.NowUnixMillis();
  ASSERT_TRUE(Do([&](store::Tx& tx) {
    return svc_.RenewInstance(tx, kAcct, kHere, server_, 1);
  }).ok());
  EXPECT_GE(Server().expires_ms, now + month);
  EXPECT_LT(Server().expires_ms, now + month + kStep);
}

TEST_F(DisksTest, PasswordIsCheckedNeverStored) {
  auto check = [&](const std::string& pw) {
    return Do([&](store::Tx& tx) { return svc_.CheckNewPassword(tx, kAcct, kHere, server_, pw); });
  };
  EXPECT_TRUE(check("Test123!").ok());
  EXPECT_TRUE(Is(check("weak"), errors::kInvalidPasswordValueNotSupported));
  ASSERT_TRUE(Upgrade(Plans()[1].plan_id).ok());
  EXPECT_TRUE(Is(check("Test123!"), errors::kIncorrectInstanceStatus));
  ASSERT_TRUE(Do([&](store::Tx& tx) -> Status {
    SWASD_ASSIGN_OR_RETURN(auto r, tx.GetResource(kInstanceKind, kAcct, server_));
    EXPECT_EQ(r->doc.find("Test123!"), std::string::npos);
    return Status::Ok();
  }).ok());
}


TEST_F(DisksTest, FirewallStartsWithTheDefaultsAndKeepsTheirIds) {
  auto list = [&](std::optional<std::string> id = std::nullopt) {
    std::vector<FirewallRule> out;
    EXPECT_TRUE(Do([&](store::Tx& tx) -> Status {
      SWASD_ASSIGN_OR_RETURN(auto l, svc_.ListFirewallRules(tx, kAcct, kHere, server_, id, {1, 100}));
      out = l.items;
      return Status::Ok();
    }).ok());
    return out;
  };
  auto create = [&](const std::string& port, const std::string& proto) -> Result<std::string> {
    std::string id;
    Status s = Do([&](store::Tx& tx) -> Status {
      SWASD_ASSIGN_OR_RETURN(id, svc_.CreateFirewallRule(tx, kAcct, kHere, server_, port, proto, "r"));
      return Status::Ok();
    });
    if (!s.ok()) return s.error();
    return id;
  };
  auto del = [&](const std::string& id) {
    return Do([&](store::Tx& tx) { return svc_.DeleteFirewallRule(tx, kAcct, kHere, server_, id); });
  };
  auto defaults = list();
  ASSERT_EQ(defaults.size(), 3u);
  EXPECT_EQ(defaults[0].port, "22");
  EXPECT_EQ(defaults[0].protocol, "TCP");
  auto id = create("1024/1055", "TcpAndUdp");  // Terraform's spelling
  ASSERT_TRUE(id.ok());
  auto now = list();
  ASSERT_EQ(now.size(), 4u);
  EXPECT_EQ(now[0].id, defaults[0].id);  // the defaults keep their ids
  EXPECT_EQ(now[3].protocol, "TCP+UDP");
  EXPECT_EQ(list(*id).size(), 1u);
  EXPECT_TRUE(Is(create("1024/1055", "tcp+udp").error(), errors::kFirewallRuleAlreadyExist));
  EXPECT_TRUE(Is(create("22", "TCP").error(), errors::kFirewallRuleAlreadyExist));
  EXPECT_TRUE(Is(create("22", "ICMP").error(), errors::kInvalidProtocolValueNotSupported));
  for (const char* bad : {"0", "65536", "80/79", "a", "1/", "/2", ""}) {
    EXPECT_TRUE(Is(create(bad, "UDP").error(), errors::kInvalidPortValueNotSupported)) << bad;
  }
  ASSERT_TRUE(del(defaults[0].id).ok());
  EXPECT_TRUE(Is(del(defaults[0].id), errors::kInvalidFirewallRuleIdNotFound));
  EXPECT_EQ(list().size(), 3u);
  EXPECT_TRUE(Is(Do([&](store::Tx& tx) {
                   return svc_.DeleteFirewallRule(tx, kStranger, kHere, server_, *id);
                 }),
                 errors::kInvalidInstanceIdNotFound));
}

}  // namespace
}  // namespace swasd::swas
