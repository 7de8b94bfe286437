// The audit trail's events on a real SQLite store: secret stripping,
// resource names, filters, order, paging, account scoping and pruning.
#include "actiontrail/events.h"

#include <gtest/gtest.h>

#include "store/sqlite/test_store.h"

namespace swasd::actiontrail {
namespace {

constexpr char kAccount[] = "1000000000000001";
constexpr char kOther[] = "1000000000000002";

TEST(SecretsTest, StripsSecretsByNameAndPattern) {
  Params in = {{"ImageId", "m-1"},
               {"Password", "p"},
               {"AccessKeySecret", "s"},
               {"Signature", "sig"},
               {"SecurityToken", "tok"},
               {"LoginCredentials.Password", "p2"},
               {"NewPassword", "p3"},
               {"KeyPairPrivateKey", "k"},
               {"ClientSecret", "c"},
               {"password", "lower"},
               {"Description", "a secretive server"},  // the value is not the name
               {"UserName", "alice"}};
  Params out = StripSecrets(in);
  EXPECT_EQ(out, (Params{{"ImageId", "m-1"}, {"Description", "a secretive server"},
                         {"UserName", "alice"}}));
  EXPECT_TRUE(IsSecretParam("OldPassword"));
  EXPECT_TRUE(IsSecretParam("privateKey"));
  EXPECT_TRUE(IsSecretParam("PasswordlessImage"));  // contains "password"
  EXPECT_FALSE(IsSecretParam("InstanceId"));
  EXPECT_FALSE(IsSecretParam("Policy"));
}

TEST(ResourceNamesTest, IdsAndNamesButNotRegionsOrTokens) {
  Params p = {{"RegionId", "cn-hangzhou"}, {"ImageId", "m-1"},
              {"InstanceIds", "[\"i-1\",\"i-2\"]"}, {"ClientToken", "t"},
              {"ResourceGroupId", "rg"}, {"DiskIds", "d-1,d-2"},
              {"UserName", "alice"}, {"Tag.1.Key", "k"}, {"Operation", "Share"}};
  EXPECT_EQ(ResourceNamesOf(p),
            (std::vector<std::string>{"m-1", "i-1", "i-2", "d-1", "d-2", "alice"}));
}

Event MakeEvent(std::string id, int64_t ms, std::string name, bool write, std::string user,
                std::string account = kAccount) {
  Event e;
  e.id = std::move(id);
  e.time_ms = ms;
  e.name = std::move(name);
  e.write = write;
  e.region = "cn-hangzhou";
  e.service = "SWAS-OPEN";
  e.params = {{"ImageId", "m-" + e.id}};
  e.identity = {"ram-user", user, std::move(account), "LTAI" + user, user};
  return e;
}

TEST(EventJsonTest, ActionTrailFields) {
  Event e = MakeEvent("E1", 1700000000500, "ModifyImageShareStatus", true, "alice");
  e.error_code = "Forbidden.RAM";
  e.error_message = "denied";
  Json j = ToJson(e);
  EXPECT_EQ(j["eventId"], "E1");
  EXPECT_EQ(j["eventName"], "ModifyImageShareStatus");
  EXPECT_EQ(j["eventTime"], "2023-11-14T22:13:20Z");
  EXPECT_EQ(j["eventRW"], "Write");
  EXPECT_EQ(j["acsRegion"], "cn-hangzhou");
  EXPECT_EQ(j["serviceName"], "SWAS-OPEN");
  EXPECT_EQ(j["requestParameters"]["ImageId"], "m-E1");
  EXPECT_EQ(j["resourceName"], "m-E1");
  EXPECT_EQ(j["errorCode"], "Forbidden.RAM");
  EXPECT_EQ(j["userIdentity"]["userName"], "alice");
  EXPECT_EQ(j["userIdentity"]["accountId"], kAccount);
  EXPECT_FALSE(ToJson(MakeEvent("E2", 0, "X", false, "bob")).contains("errorCode"));
}

class EventsTest : public store::SqliteStoreTest {
 protected:
  void SetUp() override {
    SqliteStoreTest::SetUp();
    AddAccounts({kAccount, kOther});
    // Times 1000, 2000, ... 6000 ms.
    Put(MakeEvent("E1", 1000, "ModifyImageShareStatus", true, "root"));
    Put(MakeEvent("E2", 2000, "CreateInstances", true, "alice"));
    Put(MakeEvent("E3", 3000, "ModifyImageShareStatus", true, "alice"));
    Put(MakeEvent("E4", 4000, "ListImages", false, "bob"));
    Put(MakeEvent("E5", 5000, "ModifyImageShareStatus", true, "root"));
    Put(MakeEvent("X1", 3500, "ModifyImageShareStatus", true, "root", kOther));
  }
  void Put(const Event& e) {
    ASSERT_TRUE(store_->Write([&](store::Tx& tx) { return actiontrail::Put(tx, e); }).ok());
  }
  std::vector<std::string> Ids(const LookupFilter& f, int64_t offset = 0, int64_t max = 50,
                               std::optional<int64_t>* next = nullptr) {
    std::vector<std::string> out;
    Status s = store_->Read([&](store::Tx& tx) -> Status {
      SWASD_ASSIGN_OR_RETURN(Page page, Lookup(tx, kAccount, f, offset, max));
      for (const auto& e : page.events) out.push_back(e["eventId"].get<std::string>());
      if (next) *next = page.next_offset;
      return Status::Ok();
    });
    EXPECT_TRUE(s.ok());
    return out;
  }
  LookupFilter All() {
    LookupFilter f;
    f.from_ms = 0;
    f.before_ms = 10000;
    return f;
  }
};

TEST_F(EventsTest, NewestFirstOwnAccountOnlyWithinTheRange) {
  EXPECT_EQ(Ids(All()), (std::vector<std::string>{"E5", "E4", "E3", "E2", "E1"}));
  LookupFilter f = All();
  f.forward = true;
  EXPECT_EQ(Ids(f), (std::vector<std::string>{"E1", "E2", "E3", "E4", "E5"}));
  f = All();
  f.from_ms = 2000;
  f.before_ms = 4000;  // exclusive
  EXPECT_EQ(Ids(f), (std::vector<std::string>{"E3", "E2"}));
}

TEST_F(EventsTest, FiltersByEachAttribute) {
  auto with = [&](Params attrs) {
    LookupFilter f = All();
    f.attributes = std::move(attrs);
    return Ids(f);
  };
  EXPECT_EQ(with({{"EventName", "ModifyImageShareStatus"}}),
            (std::vector<std::string>{"E5", "E3", "E1"}));
  EXPECT_EQ(with({{"User", "alice"}}), (std::vector<std::string>{"E3", "E2"}));
  EXPECT_EQ(with({{"EventRW", "Read"}}), (std::vector<std::string>{"E4"}));
  EXPECT_EQ(with({{"EventRW", "Write"}, {"User", "root"}}),
            (std::vector<std::string>{"E5", "E1"}));
  EXPECT_EQ(with({{"ResourceName", "m-E2"}}), (std::vector<std::string>{"E2"}));
  EXPECT_EQ(with({{"EventAccessKeyId", "LTAIbob"}}), (std::vector<std::string>{"E4"}));
  EXPECT_EQ(with({{"EventId", "E3"}}), (std::vector<std::string>{"E3"}));
  EXPECT_EQ(with({{"ServiceName", "SWAS-OPEN"}}).size(), 5u);
  // Every condition must hold, even two on one key.
  EXPECT_TRUE(with({{"User", "alice"}, {"User", "bob"}}).empty());
  EXPECT_TRUE(with({{"EventRW", "Sideways"}}).empty());
  EXPECT_TRUE(with({{"User", "nobody"}}).empty());
}

TEST_F(EventsTest, PagesInTheStoreAndInMemoryAlike) {
  std::optional<int64_t> next;
  EXPECT_EQ(Ids(All(), 0, 2, &next), (std::vector<std::string>{"E5", "E4"}));
  ASSERT_EQ(next.value_or(-1), 2);
  EXPECT_EQ(Ids(All(), 2, 2, &next), (std::vector<std::string>{"E3", "E2"}));
  ASSERT_EQ(next.value_or(-1), 4);
  EXPECT_EQ(Ids(All(), 4, 2, &next), (std::vector<std::string>{"E1"}));
  EXPECT_FALSE(next.has_value());
  // ResourceName is matched in memory; paging counts matching events only.
  LookupFilter f = All();
  f.attributes = {{"ServiceName", "SWAS-OPEN"}, {"EventRW", "Write"}};
  EXPECT_EQ(Ids(f, 0, 3, &next), (std::vector<std::string>{"E5", "E3", "E2"}));
  ASSERT_EQ(next.value_or(-1), 3);
  EXPECT_EQ(Ids(f, 3, 3, &next), (std::vector<std::string>{"E1"}));
  EXPECT_FALSE(next.has_value());
}

TEST_F(EventsTest, PruneRemovesOldEventsOfEveryAccount) {
  auto pruned = Prune(*store_, 3600);
  ASSERT_TRUE(pruned.ok());
  EXPECT_EQ(*pruned, 4);  // E1, E2, E3 and the other account's X1
  EXPECT_EQ(Ids(All()), (std::vector<std::string>{"E5", "E4"}));
  EXPECT_EQ(*Prune(*store_, 3600), 0);
}

}  // namespace
}  // namespace swasd::actiontrail
