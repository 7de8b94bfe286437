// Fixtures, reset, export and import on a real SQLite store.
#include "state/fixture.h"

#include <gtest/gtest.h>

#include "base/crypto.h"
#include "iam/service.h"
#include "state/state.h"
#include "store/sqlite/test_store.h"
#include "swas/service.h"

namespace swasd::state {
namespace {

using json = nlohmann::ordered_json;

constexpr char kGood[] = R"({
  "FixtureVersion": 1,
  "Accounts": [
    {"Name": "ops", "Root": true,
     "AccessKeys": [{"AccessKeyId": "root-id", "AccessKeySecret": "root-secret"}]},
    {"Name": "team-a", "AccountId": "1234567890123456",
     "AccessKeys": [{"AccessKeyId": "team-a-id", "AccessKeySecret": "team-a-secret"}],
     "RamPolicies": [{"PolicyName": "ReadImages",
                      "PolicyDocument": {"Version": "1", "Statement": [
                        {"Effect": "Allow", "Action": "swas-open:ListCustomImages", "Resource": "*"}]}}],
     "RamUsers": [{"UserName": "alice", "Policies": [{"PolicyName": "ReadImages"}],
                   "AccessKeys": [{"AccessKeyId": "alice-id", "AccessKeySecret": "alice-secret"}]}],
     "Instances": [{"InstanceName": "web"}],
     "Snapshots": [{"SnapshotName": "web-sys", "Instance": "web"}],
     "CustomImages": [{"ImageName": "golden", "Instance": "web", "Snapshot": "web-sys",
                       "ShareToEcs": true, "ShareWithAccounts": ["team-b"]}]},
    {"Name": "team-b"}
  ]
})";

class FixtureTest : public store::SqliteStoreTest {
 protected:
  Result<json> SeedText(const std::string& text) {
    SWASD_ASSIGN_OR_RETURN(Fixture f, Fixture::Parse(text, "f.json"));
    return Seed(*store_, f, ctx_);
  }
  std::vector<swas::CustomImage> Images(const std::string& account) {
    auto listed = Call([&](store::Tx& tx) {
      return svc_.ListCustomImages(tx, account, "cn-hangzhou", {}, {});
    });
    EXPECT_TRUE(listed.ok());
    return listed.ok() ? listed->items : std::vector<swas::CustomImage>{};
  }
  size_t Accounts() {
    size_t n = 0;
    EXPECT_TRUE(store_->Read([&](store::Tx& tx) -> Status {
      SWASD_ASSIGN_OR_RETURN(auto all, tx.ListAccounts());
      n = all.size();
      return Status::Ok();
    }).ok());
    return n;
  }

  SystemClock clock_;
  swas::RegionCatalog regions_ = swas::RegionCatalog::Default();
  FixtureContext ctx_{&regions_, &clock_};
  swas::Service svc_{&regions_, &clock_, swas::ServiceOptions{}};
};

TEST_F(FixtureTest, SeedsEverythingInOneGo) {
  auto made = SeedText(kGood);
  ASSERT_TRUE(made.ok()) << made.error().message();
  const json& a = (*made)["Accounts"];
  ASSERT_EQ(a.size(), 3u);
  EXPECT_TRUE(a[0]["Root"].get<bool>());
  EXPECT_EQ(a[1]["AccountId"], "1234567890123456");
  EXPECT_EQ(a[1]["AccessKeys"][0]["AccessKeyId"], "team-a-id");
  EXPECT_EQ(a[1]["RamUsers"][0]["AccessKeys"][0]["AccessKeyId"], "alice-id");
  EXPECT_EQ(a[2]["AccessKeys"].size(), 1u);  // generated
  const std::string image = a[1]["CustomImages"]["golden"];

  // The root is the first account; the image is ready, shared to ECS and
  // to team-b.
  ASSERT_TRUE(store_->Read([&](store::Tx& tx) -> Status {
    auto all = *tx.ListAccounts();
    EXPECT_EQ(all[0].name, "ops");
    auto key = *tx.GetAccessKey("alice-id");
    EXPECT_TRUE(key && key->principal_type == store::PrincipalType::kRamUser &&
                key->principal_name == "alice" && key->secret == "alice-secret");
    return Status::Ok();
  }).ok());
  auto images = Images("1234567890123456");
  ASSERT_EQ(images.size(), 1u);
  EXPECT_EQ(images[0].id, image);
  EXPECT_EQ(images[0].life.status, "1");
  EXPECT_TRUE(images[0].in_share);
  auto received = Images(a[2]["AccountId"].get<std::string>());
  ASSERT_EQ(received.size(), 1u);
  EXPECT_EQ(received[0].id, image);
  iam::Service iam(&clock_);
  auto attached = Call([&](store::Tx& tx) {
    return iam.AttachmentsOf(tx, "1234567890123456", iam::PrincipalKind::kUser, "alice");
  });
  ASSERT_TRUE(attached.ok());
  ASSERT_EQ(attached->size(), 1u);
  EXPECT_EQ((*attached)[0].policy_type, "Custom");

  // Seeding again is refused: it would make everything twice.
  auto again = SeedText(kGood);
  ASSERT_FALSE(again.ok());
  EXPECT_NE(again.error().message().find("exists already"), std::string::npos);
}

TEST_F(FixtureTest, BadFileIsRefusedWholeWithItsLine) {
  struct Case {
    std::string text, want;
  };
  const std::vector<Case> cases = {
      {"{\n \"FixtureVersion\": 1,\n \"Accounts\": [\n", "f.json:4: not JSON"},
      {"{\"FixtureVersion\": 2, \"Accounts\": []}", "f.json:1: FixtureVersion: this swasd reads fixture version 1, not 2"},
      {"{\"Accounts\": []}", "FixtureVersion: this swasd reads fixture version 1 (the key is required)"},
      {"{\"FixtureVersion\": 1,\n \"Accounts\": [\n  {\"Name\": \"a\",\n   \"Instancs\": []}]}",
       "f.json:4: Accounts[0].Instancs: is not a fixture key"},
      {"{\"FixtureVersion\": 1, \"Accounts\": [{\"Name\": \"a\",\n \"CustomImages\": [\n {\"ImageName\": \"x\",\n \"Instance\": \"nope\"}]}]}",
       "f.json:4: Accounts[0].CustomImages[0].Instance: no instance named nope"},
      {"{\"FixtureVersion\": 1, \"Accounts\": [{\"Name\": \"a\", \"AccessKeys\": [{\"AccessKeyId\": \"x\"}]}]}",
       "AccessKeys[0]: give AccessKeyId and AccessKeySecret together"},
      {"{\"FixtureVersion\": 1, \"Accounts\": [\n{\"AccessKeys\": [{}],\n \"Name\": \"team a\"}]}",
       "f.json:3: Accounts[0].Name: The specified parameter \"Name\" is not valid"},
      {"{\"FixtureVersion\": 1, \"Accounts\": [{\"Name\": \"a\"}, {\"Name\": \"b\", \"Root\": true}]}",
       "Accounts[1].Root: only the first account may be the root account"},
  };
  for (const Case& c : cases) {
    auto r = SeedText(c.text);
    ASSERT_FALSE(r.ok()) << c.text;
    EXPECT_EQ(r.error().code(), "InvalidParameter");
    EXPECT_NE(r.error().message().find(c.want), std::string::npos)
        << "got: " << r.error().message() << "\nwant: " << c.want;
  }
  EXPECT_EQ(Accounts(), 0u);
}

TEST_F(FixtureTest, DomainFailureRollsEverythingBack) {
  // The second account's plan does not exist: the first is not created.
  const std::string text = R"({"FixtureVersion": 1, "Accounts": [
    {"Name": "a", "Instances": [{"InstanceName": "ok"}]},
    {"Name": "b",
     "Instances": [{"InstanceName": "bad", "PlanId": "no-such-plan"}]}]})";
  auto r = SeedText(text);
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.error().message().find("f.json:4: Accounts[1].Instances[0]:"), std::string::npos)
      << r.error().message();
  EXPECT_EQ(Accounts(), 0u);
}

TEST_F(FixtureTest, ResetEmptiesAndRestoresTheFixture) {
  auto f = Fixture::Parse(kGood, "f.json");
  ASSERT_TRUE(f.ok());
  ASSERT_TRUE(Seed(*store_, *f, ctx_).ok());
  EXPECT_EQ(Images("1234567890123456").size(), 1u);

  // One account, back to empty: keys stay, RAM users' keys and images go.
  auto one = Reset(*store_, ResetRequest{.account_id = "1234567890123456"}, ctx_);
  ASSERT_TRUE(one.ok()) << one.error().message();
  EXPECT_TRUE(Images("1234567890123456").empty());
  ASSERT_TRUE(store_->Read([&](store::Tx& tx) -> Status {
    EXPECT_TRUE(tx.GetAccessKey("team-a-id")->has_value());
    EXPECT_FALSE(tx.GetAccessKey("alice-id")->has_value());
    return Status::Ok();
  }).ok());

  // The same account back to the fixture: the same keys, a new image.
  auto back = Reset(*store_, ResetRequest{.account_id = "1234567890123456", .fixture = &*f}, ctx_);
  ASSERT_TRUE(back.ok()) << back.error().message();
  EXPECT_EQ(Images("1234567890123456").size(), 1u);
  EXPECT_EQ((*back)["Fixture"]["Accounts"].size(), 1u);

  // Everything, to empty: only the root account is left, with its key.
  auto all = Reset(*store_, ResetRequest{}, ctx_);
  ASSERT_TRUE(all.ok());
  EXPECT_EQ(Accounts(), 1u);
  EXPECT_EQ((*all)["Deleted"].size(), 2u);

  // Everything, to the fixture.
  auto seeded = Reset(*store_, ResetRequest{.fixture = &*f}, ctx_);
  ASSERT_TRUE(seeded.ok()) << seeded.error().message();
  EXPECT_EQ(Accounts(), 3u);
  EXPECT_EQ(Images("1234567890123456").size(), 1u);

  auto unknown = Reset(*store_, ResetRequest{.account_id = "9999999999999999"}, ctx_);
  ASSERT_FALSE(unknown.ok());
  EXPECT_EQ(unknown.error().code(), "InvalidParameter");
}

class ExportTest : public FixtureTest {};

TEST_F(ExportTest, RoundTripsIntoAFreshStore) {
  auto f = Fixture::Parse(kGood, "f.json");
  ASSERT_TRUE(f.ok());
  ASSERT_TRUE(Seed(*store_, *f, ctx_).ok());
  ASSERT_TRUE(store_->Write([](store::Tx& tx) {
    return tx.PutIdempotency({"1234567890123456", "swas-open:X", "tok", "h", 200, "{\"a\":1}", 5});
  }).ok());
  const std::string key = crypto::RandomBytes(32);
  auto doc = Export(*store_, key);
  ASSERT_TRUE(doc.ok()) << doc.error().message();
  // No secret in the clear.
  EXPECT_EQ(doc->dump().find("alice-secret"), std::string::npos);

  char tmpl[] = "/tmp/swasd-import-XXXXXX";
  std::string dir = mkdtemp(tmpl);
  {
    auto target = store::SqliteStore::Open({.data_dir = dir});
    ASSERT_TRUE(target.ok());
    auto counts = Import(**target, *doc, key);
    ASSERT_TRUE(counts.ok()) << counts.error().message();
    EXPECT_EQ((*counts)["Accounts"], 3);
    EXPECT_EQ((*counts)["ClientTokens"], 1);
    // The target exports the same state (but for its time stamp and the
    // fresh nonces of sealing).
    auto again = Export(**target, key);
    ASSERT_TRUE(again.ok());
    auto strip = [](json d) {
      d.erase("ExportedAt");
      d.erase("KeyCheck");
      for (auto& s : d["Secrets"]) s.erase("Sealed");
      for (auto& a : d["Accounts"])
        for (auto& k : a["AccessKeys"]) k.erase("SealedSecret");
      return d;
    };
    EXPECT_EQ(strip(*doc), strip(*again));
    ASSERT_TRUE((*target)->Read([](store::Tx& tx) -> Status {
      auto key = *tx.GetAccessKey("alice-id");
      EXPECT_TRUE(key && key->secret == "alice-secret");
      return Status::Ok();
    }).ok());

    // A non-empty target is refused unless replaced; a wrong key and an
    // unknown version are refused; none of them changes anything.
    auto refused = Import(**target, *doc, key);
    ASSERT_FALSE(refused.ok());
    EXPECT_EQ(refused.error().code(), "FailedPrecondition.NotEmpty");
    auto wrong = Import(**target, *doc, crypto::RandomBytes(32), {.replace = true});
    ASSERT_FALSE(wrong.ok());
    EXPECT_NE(wrong.error().message().find("does not open"), std::string::npos);
    json future = *doc;
    future["Version"] = 2;
    auto unknown = Import(**target, future, key, {.replace = true});
    ASSERT_FALSE(unknown.ok());
    EXPECT_NE(unknown.error().message().find("version 2"), std::string::npos);
    auto replaced = Import(**target, *doc, key, {.replace = true});
    ASSERT_TRUE(replaced.ok()) << replaced.error().message();
  }
  std::filesystem::remove_all(dir);
}

}  // namespace
}  // namespace swasd::state
