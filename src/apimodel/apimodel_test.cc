#include "apimodel/apimodel.h"

#include <gtest/gtest.h>

#include <chrono>

namespace swasd::apimodel {
namespace {

TEST(ApiModelTest, EmbedsEverySdkSpec) {
  const Model& m = Model::Builtin();
  struct Want { const char* code; const char* version; size_t min_ops; };
  for (const Want& w : {Want{"swas-open", "2020-06-01", 98}, Want{"ecs", "2014-05-26", 300},
                        Want{"vpc", "2016-04-28", 300}, Want{"ram", "2015-05-01", 60},
                        Want{"sts", "2015-04-01", 4}}) {
    const Product* p = m.ByCode(w.code);
    ASSERT_NE(p, nullptr) << w.code;
    EXPECT_EQ(p->version(), w.version);
    EXPECT_EQ(m.ByVersion(w.version), p);
    EXPECT_GE(p->actions().size(), w.min_ops) << w.code;
  }
  EXPECT_EQ(m.ByCode("swas-open")->actions().size(), 98u);
}

TEST(ApiModelTest, DescribesModifyImageShareStatus) {
  const Operation* op = Model::Builtin().ByCode("swas-open")->Find("ModifyImageShareStatus");
  ASSERT_NE(op, nullptr);
  EXPECT_EQ(op->method, "POST");
  for (const char* name : {"ClientToken", "ImageId", "Operation", "RegionId"}) {
    const Param* p = op->FindParam(name);
    ASSERT_NE(p, nullptr) << name;
    EXPECT_EQ(p->type.kind, Type::Kind::kString);
    EXPECT_EQ(p->style, Style::kSimple);
  }
  EXPECT_EQ(op->response.Describe(), "{RequestId}");
  // Parsed once, then the same object.
  EXPECT_EQ(op, Model::Builtin().ByCode("swas-open")->Find("ModifyImageShareStatus"));
}

TEST(ApiModelTest, KeepsRepeatListsNestingAndSdkTypes) {
  const Product* swas = Model::Builtin().ByCode("swas-open");
  const Operation* add = swas->Find("AddCustomImageShareAccount");
  ASSERT_NE(add, nullptr);
  const Param* account = add->FindParam("Account");
  ASSERT_NE(account, nullptr);
  EXPECT_EQ(account->style, Style::kRepeat);
  EXPECT_EQ(account->type.Describe(), "[number]");

  // ListCustomImages' paging fields are strings in the SDK model.
  const Operation* list = swas->Find("ListCustomImages");
  ASSERT_NE(list, nullptr);
  EXPECT_EQ(list->response.Field("TotalCount")->kind, Type::Kind::kString);
  EXPECT_EQ(list->response.Field("CustomImages")->kind, Type::Kind::kArray);

  // ECS wraps lists: {"Images":{"Image":[...]}}.
  const Operation* images = Model::Builtin().ByCode("ecs")->Find("DescribeImages");
  ASSERT_NE(images, nullptr);
  const Type* wrapper = images->response.Field("Images");
  ASSERT_NE(wrapper, nullptr);
  ASSERT_EQ(wrapper->kind, Type::Kind::kObject);
  ASSERT_NE(wrapper->Field("Image"), nullptr);
  EXPECT_EQ(wrapper->Field("Image")->kind, Type::Kind::kArray);
  EXPECT_EQ(images->FindParam("Filter")->style, Style::kRepeat);

  EXPECT_EQ(swas->Find("NoSuchOperation"), nullptr);
  EXPECT_FALSE(swas->Has("NoSuchOperation"));
}

TEST(ApiModelTest, EveryEmbeddedOperationParses) {
  for (const auto& p : Model::Builtin().products()) {
    for (const auto& action : p->actions()) {
      const Operation* op = p->Find(action);
      ASSERT_NE(op, nullptr) << p->code() << " " << action;
      EXPECT_EQ(op->action, action);
      EXPECT_TRUE(op->method == "POST" || op->method == "GET") << action;
      EXPECT_EQ(op->response.kind, Type::Kind::kObject) << action;
    }
  }
}

TEST(ApiModelTest, RefusesMalformedSpecs) {
  EXPECT_FALSE(Product::Parse("").ok());
  EXPECT_FALSE(Product::Parse("{\"product\":\"x\"}\n").ok());
  std::string head =
      "{\"product\":\"x\",\"version\":\"1\",\"package\":\"p\",\"packageVersion\":\"1\","
      "\"operations\":[\n";
  EXPECT_TRUE(Product::Parse(head + "]}\n").ok());
  EXPECT_FALSE(Product::Parse(head + "{\"nope\":1}\n]}\n").ok());
  std::string op = "{\"action\":\"A\",\"method\":\"POST\",\"params\":[],\"response\":{}}";
  EXPECT_FALSE(Product::Parse(head + op + ",\n" + op + "\n]}\n").ok());  // twice
  auto bad = Type::FromJson(nlohmann::json::parse(R"({"A":"strin"})"));
  EXPECT_FALSE(bad.ok());
  EXPECT_FALSE(Type::FromJson(nlohmann::json::parse(R"(["string","string"])")).ok());
}

}  // namespace
}  // namespace swasd::apimodel
