// Tags and resource groups (swas/tags.cc) on a real SQLite store.
#include <gtest/gtest.h>

#include <set>

#include "store/sqlite/test_store.h"
#include "swas/catalog.h"
#include "swas/errors.h"
#include "swas/service.h"

namespace swasd::swas {
namespace {

constexpr char kMine[] = "1000000000000011";
constexpr char kTheirs[] = "1000000000000012";
constexpr char kHz[] = "cn-hangzhou";
using Type = TagResourceType;

class TagsTest : public store::SqliteStoreTest {
 protected:
  void SetUp() override {
    SqliteStoreTest::SetUp();
    AddAccounts({kMine, kTheirs});
    CreateInstancesRequest req;
    req.plan_id = Plans().front().plan_id;
    req.image_id = PublicImages().front().image_id;
    req.amount = 2;
    ASSERT_TRUE(store_->Write([&](store::Tx& tx) -> Status {
      SWASD_ASSIGN_OR_RETURN(instances_, svc_.CreateInstances(tx, kMine, kHz, req));
      return Status::Ok();
    }).ok());
  }

  Status Tag(const std::vector<std::string>& ids, std::vector<swas::Tag> tags,
             const char* account = kMine) {
    return store_->Write([&](store::Tx& tx) {
      return svc_.TagResources(tx, account, kHz, Type::kInstance, ids, tags);
    });
  }
  Status Untag(const std::vector<std::string>& ids, std::vector<std::string> keys, bool all) {
    return store_->Write([&](store::Tx& tx) {
      return svc_.UntagResources(tx, kMine, kHz, Type::kInstance, ids, keys, all);
    });
  }
  TagResourcePage List(const TagFilter& f, const std::string& token = "",
                       const std::vector<std::string>& ids = {},
                       const char* account = kMine) {
    TagResourcePage out;
    Status s = store_->Read([&](store::Tx& tx) -> Status {
      SWASD_ASSIGN_OR_RETURN(out, svc_.ListTagResources(tx, account, kHz, Type::kInstance, ids, f, token));
      return Status::Ok();
    });
    EXPECT_TRUE(s.ok()) << s.error().message();
    return out;
  }
  std::vector<std::string> Matching(const TagFilter& f) {
    InstanceFilter filter;
    filter.tagging = f;
    std::vector<std::string> ids;
    EXPECT_TRUE(store_->Read([&](store::Tx& tx) -> Status {
      SWASD_ASSIGN_OR_RETURN(auto listed, svc_.ListInstances(tx, kMine, kHz, filter, {1, 100}));
      for (const auto& v : listed.items) ids.push_back(v.id);
      return Status::Ok();
    }).ok());
    return ids;
  }

  OffsetClock clock_;
  RegionCatalog regions_ = RegionCatalog::Default();
  Service svc_{&regions_, &clock_, ServiceOptions{}};
  std::vector<std::string> instances_;
};

TEST_F(TagsTest, TagOverwriteUntagAndList) {
  const std::string a = instances_[0], b = instances_[1];
  ASSERT_TRUE(Tag({a, b}, {{"env", "dev"}, {"team", "x"}}).ok());
  ASSERT_TRUE(Tag({a}, {{"env", "prod"}}).ok());  // overwrites, keeps order
  auto page = List({});
  ASSERT_EQ(page.rows.size(), 4u);
  EXPECT_EQ(page.rows[0].resource_id, a);
  EXPECT_EQ(page.rows[0].key, "env");
  EXPECT_EQ(page.rows[0].value, "prod");
  EXPECT_EQ(page.rows[0].resource_type, "instance");
  EXPECT_TRUE(page.next_token.empty());

  TagFilter prod;
  prod.tags = {{"env", std::string("prod")}};
  EXPECT_EQ(Matching(prod), std::vector<std::string>{a});
  TagFilter any_env;
  any_env.tags = {{"env", std::nullopt}};
  EXPECT_EQ(Matching(any_env), (std::vector<std::string>{a, b}));
  EXPECT_EQ(List(prod).rows.size(), 2u);  // every tag of the matching resource

  ASSERT_TRUE(Untag({a, b}, {"team", "absent"}, false).ok());
  EXPECT_EQ(List({}).rows.size(), 2u);
  ASSERT_TRUE(Untag({a}, {}, false).ok());  // neither keys nor All: nothing
  EXPECT_EQ(List({}).rows.size(), 2u);
  ASSERT_TRUE(Untag({a}, {}, true).ok());
  EXPECT_EQ(List({}).rows.size(), 1u);
}

TEST_F(TagsTest, LimitsAndOwnership) {
  const std::string a = instances_[0];
  EXPECT_TRUE(Tag({a}, {{"aliyun-x", ""}}).error().Is(errors::kInvalidTagKeyMalformed));
  EXPECT_TRUE(Tag({a}, {{"ACS:x", ""}}).error().Is(errors::kInvalidTagKeyMalformed));
  EXPECT_TRUE(Tag({a}, {{std::string(65, 'k'), ""}}).error().Is(errors::kInvalidTagKeyMalformed));
  EXPECT_TRUE(Tag({a}, {{"k", "see http://x"}}).error().Is(errors::kInvalidTagValueMalformed));
  EXPECT_TRUE(Tag({a}, {{"k", "1"}, {"k", "2"}}).error().Is(errors::kDuplicateTagKey));
  // 64 characters of 3-byte UTF-8 is still 64 characters.
  std::string wide;
  for (int i = 0; i < 64; ++i) wide += "\xe6\xa0\x87";
  EXPECT_TRUE(Tag({a}, {{wide, wide}}).ok());

  std::vector<swas::Tag> nineteen;
  for (int i = 0; i < 19; ++i) nineteen.push_back({"k" + std::to_string(i), ""});
  ASSERT_TRUE(Tag({a}, nineteen).ok());  // 20 with `wide`
  EXPECT_TRUE(Tag({a}, {{"one-more", ""}}).error().Is(errors::kTagQuotaExceed));
  EXPECT_TRUE(Tag({a}, {{"k0", "overwrite is fine"}}).ok());

  // All or none: an unknown id, or another account's, tags nothing.
  EXPECT_TRUE(Tag({instances_[1], "nope"}, {{"x", ""}}).error().Is(errors::kInvalidResourceIdNotFound));
  EXPECT_TRUE(Tag({a}, {{"x", ""}}, kTheirs).error().Is(errors::kInvalidResourceIdNotFound));
  EXPECT_TRUE(List({}, "", {instances_[1]}).rows.empty());
  EXPECT_TRUE(List({}, "", {}, kTheirs).rows.empty());
}

TEST_F(TagsTest, PagesOfFifty) {
  CreateInstancesRequest req;
  req.plan_id = Plans().front().plan_id;
  req.image_id = PublicImages().front().image_id;
  ASSERT_TRUE(store_->Write([&](store::Tx& tx) -> Status {
    SWASD_ASSIGN_OR_RETURN(auto more, svc_.CreateInstances(tx, kMine, kHz, req));
    instances_.push_back(more.at(0));
    return Status::Ok();
  }).ok());
  std::vector<swas::Tag> twenty;
  for (int i = 0; i < 20; ++i) twenty.push_back({"k" + std::to_string(i), "v"});
  ASSERT_TRUE(Tag(instances_, twenty).ok());
  auto first = List({});
  ASSERT_EQ(first.rows.size(), 50u);
  ASSERT_FALSE(first.next_token.empty());
  auto second = List({}, first.next_token);
  ASSERT_EQ(second.rows.size(), 10u);
  EXPECT_TRUE(second.next_token.empty());
  // Every (resource, key) once across the pages, each resource's tags in order.
  std::set<std::string> seen;
  for (const auto* p : {&first, &second}) {
    for (const auto& row : p->rows) seen.insert(row.resource_id + "/" + row.key);
  }
  EXPECT_EQ(seen.size(), 60u);
  EXPECT_EQ(first.rows[0].key, "k0");
  EXPECT_EQ(second.rows.back().key, "k19");

  auto bad = store_->Read([&](store::Tx& tx) -> Status {
    auto page = svc_.ListTagResources(tx, kMine, kHz, Type::kInstance, {}, {}, "garbage");
    return page.ok() ? Status::Ok() : Status(page.error());
  });
  ASSERT_FALSE(bad.ok());
  EXPECT_TRUE(bad.error().Is(errors::kInvalidNextToken));
}

TEST(TaggingDocumentTest, OldDocumentsDecodeUntaggedAndRoundTrip) {
  Snapshot s;
  s.id = "s-1";
  s.account_id = kMine;
  s.region_id = kHz;
  store::Resource untagged = ToResource(s);
  // An untagged resource's document is what it was before tags existed.
  EXPECT_EQ(untagged.doc.find("tags"), std::string::npos);
  EXPECT_EQ(untagged.doc.find("\"rg\""), std::string::npos);
  auto back = SnapshotFrom(untagged);
  ASSERT_TRUE(back.ok());
  EXPECT_TRUE(back->tags.empty());
  EXPECT_EQ(ResourceGroupOf(kMine, *back), DefaultResourceGroupId(kMine));

  s.tags = {{"b", "2"}, {"a", ""}};
  s.resource_group_id = "rg-x";
  auto tagged = SnapshotFrom(ToResource(s));
  ASSERT_TRUE(tagged.ok());
  EXPECT_EQ(tagged->tags, s.tags);
  EXPECT_EQ(tagged->resource_group_id, "rg-x");
}

TEST_F(TagsTest, ResourceGroupsAndTypes) {
  EXPECT_EQ(DefaultResourceGroupId(kMine), DefaultResourceGroupId(kMine));
  EXPECT_NE(DefaultResourceGroupId(kMine), DefaultResourceGroupId(kTheirs));
  EXPECT_EQ(DefaultResourceGroupId(kMine).substr(0, 7), "rg-acfm");
  EXPECT_EQ(DefaultResourceGroupId(kMine).size(), 22u);

  ASSERT_TRUE(store_->Write([&](store::Tx& tx) {
    return svc_.SetTagging(tx, kMine, kHz, Type::kInstance, instances_[1],
                           {{{"a", "b"}}, "rg-custom"});
  }).ok());
  TagFilter by_default;
  by_default.resource_group_id = DefaultResourceGroupId(kMine);
  EXPECT_EQ(Matching(by_default), std::vector<std::string>{instances_[0]});
  TagFilter by_custom;
  by_custom.resource_group_id = "rg-custom";
  EXPECT_EQ(Matching(by_custom), std::vector<std::string>{instances_[1]});

  EXPECT_TRUE(Service::ParseTagResourceType("customimage").ok());
  EXPECT_TRUE(Service::ParseTagResourceType("firewallrule").error().Is(
      errors::kInvalidResourceTypeNotSupported));
  EXPECT_TRUE(Service::ParseTagResourceType("Instance").error().Is(
      errors::kInvalidResourceTypeNotFound));
}

}  // namespace
}  // namespace swasd::swas
