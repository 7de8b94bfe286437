// The gateway against the SDK-generated API model: answers brought to the
// model's wire types (conform.h), operations checked against the model at
// registration (Registry), known-but-unimplemented operations answered.
#include <gtest/gtest.h>

#include "apimodel/apimodel.h"
#include "gateway/conform.h"
#include "gateway/overlay.h"
#include "gateway/registry.h"
#include "gateway/routes.h"
#include "gateway/validate.h"

namespace swasd::gateway {
namespace {

apimodel::Type TypeOf(const char* json) {
  auto t = apimodel::Type::FromJson(nlohmann::json::parse(json));
  EXPECT_TRUE(t.ok());
  return std::move(t).value();
}

TEST(ConformTest, BringsScalarsToTheModelTypes) {
  auto model = TypeOf(R"({"RequestId":"string","TotalCount":"string","Size":"integer",
                         "Ratio":"number","Shared":"boolean","Ids":["string"],
                         "Labels":{"$map":"string"}})");
  Json body = {{"TotalCount", 3}, {"Size", "20"}, {"Ratio", "1.5"}, {"Shared", "true"},
               {"Ids", Json::array({1, "b", true})}, {"Labels", {{"a", 1}}}};
  EXPECT_TRUE(ConformToModel(&body, model).empty());
  EXPECT_EQ(body["TotalCount"], "3");
  EXPECT_EQ(body["Size"], 20);
  EXPECT_EQ(body["Ratio"], 1.5);
  EXPECT_EQ(body["Shared"], true);
  EXPECT_EQ(body["Ids"], Json::array({"1", "b", "true"}));
  EXPECT_EQ(body["Labels"]["a"], "1");

  Json flags = {{"Shared", 1}};
  EXPECT_TRUE(ConformToModel(&flags, model).empty());
  EXPECT_EQ(flags["Shared"], true);
  Json nulls = {{"Size", nullptr}, {"Ids", nullptr}};  // null fits anything
  EXPECT_TRUE(ConformToModel(&nulls, model).empty());
}

TEST(ConformTest, ReportsWhatTheSdkWouldRefuseOrDrop) {
  auto model = TypeOf(R"({"Images":{"Image":[{"ImageId":"string","Size":"integer"}]},
                         "Shared":"boolean"})");
  // ECS's wrapping is required: a bare array where the model has an object.
  Json bare = {{"Images", Json::array()}};
  auto p = ConformToModel(&bare, model);
  ASSERT_EQ(p.size(), 1u);
  EXPECT_EQ(p[0], "Images: array where the model has {Image}");

  Json deep = {{"Images", {{"Image", Json::array({{{"ImageId", "m-1"}, {"Size", "big"},
                                                   {"Extra", 1}}})}}},
               {"Shared", "yes"}};
  p = ConformToModel(&deep, model);
  ASSERT_EQ(p.size(), 3u);
  EXPECT_EQ(p[0], "Images.Image[0].Size: string where the model has integer");
  EXPECT_EQ(p[1], "Images.Image[0].Extra: not a field of the SDK's model");
  EXPECT_EQ(p[2], "Shared: string where the model has boolean");
}

const apimodel::Model& TestModel() {
  static const auto* m = [] {
    static const std::string spec =
        "{\"product\":\"demo\",\"version\":\"2099-01-01\",\"package\":\"@demo/sdk\","
        "\"packageVersion\":\"1.0.0\",\"operations\":[\n"
        "{\"action\":\"Describe\",\"method\":\"POST\",\"params\":["
        "{\"name\":\"RegionId\",\"type\":\"string\",\"in\":\"query\",\"style\":\"simple\"},"
        "{\"name\":\"PageSize\",\"type\":\"number\",\"in\":\"query\",\"style\":\"simple\"},"
        "{\"name\":\"Ids\",\"type\":\"string\",\"in\":\"query\",\"style\":\"simple\"},"
        "{\"name\":\"Tag\",\"type\":[{\"Key\":\"string\",\"Value\":\"string\"}],\"in\":\"query\",\"style\":\"repeat\"},"
        "{\"name\":\"Disk\",\"type\":{\"Size\":\"number\",\"Category\":\"string\"},\"in\":\"query\",\"style\":\"flat\"},"
        "{\"name\":\"Account\",\"type\":[\"number\"],\"in\":\"query\",\"style\":\"repeat\"}"
        "],\"response\":{\"RequestId\":\"string\"}},\n"
        "{\"action\":\"Other\",\"method\":\"POST\",\"params\":[],\"response\":{}}\n"
        "]}\n";
    auto parsed = apimodel::Model::Parse({spec});
    EXPECT_TRUE(parsed.ok());
    return new apimodel::Model(std::move(parsed).value());
  }();
  return *m;
}

OperationSpec Describe(std::vector<ParamSpec> params) {
  OperationSpec op;
  op.product = "demo";
  op.version = "2099-01-01";
  op.action = "Describe";
  op.params = std::move(params);
  return op;
}

TEST(RegistryModelTest, ListsWhatTheSdkSendsAndTheOperationDoesNotRead) {
  Registry r(&TestModel());
  ASSERT_TRUE(r.AddProduct({"demo", "DEMO", "2099-01-01"}).ok());
  ASSERT_TRUE(r.AddOperation(Describe({{.name = "RegionId"},
                                       {.name = "PageSize", .type = ParamType::kInteger},
                                       {.name = "Ids", .type = ParamType::kStringList},
                                       {.name = "Disk.Size", .type = ParamType::kInteger}}))
                  .ok());
  const OperationSpec* op = r.Find("2099-01-01", "Describe");
  ASSERT_NE(op, nullptr);
  ASSERT_NE(op->model, nullptr);
  std::vector<std::string> unsupported(op->unsupported.begin(), op->unsupported.end());
  EXPECT_EQ(unsupported, (std::vector<std::string>{"Tag", "Disk.Category", "Account"}));
  // The model's other operation is known, not implemented.
  EXPECT_EQ(r.Find("2099-01-01", "Other"), nullptr);
  ASSERT_NE(r.KnownProduct("2099-01-01"), nullptr);
  EXPECT_TRUE(r.KnownProduct("2099-01-01")->Has("Other"));
  std::string md = r.CoverageMarkdown();
  EXPECT_NE(md.find("1 of 2 operations implemented."), std::string::npos) << md;
  EXPECT_NE(md.find("Not implemented yet (answered `NotImplemented.Swasd`, HTTP 400): `Other`."),
            std::string::npos) << md;
}

TEST(RegistryModelTest, RefusesOperationsAndParametersTheSdkDoesNotHave) {
  Registry r(&TestModel());
  ASSERT_TRUE(r.AddProduct({"demo", "DEMO", "2099-01-01"}).ok());
  OperationSpec unknown = Describe({});
  unknown.action = "Invented";
  auto s = r.AddOperation(unknown);
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.error().message(), "Invented is not an operation of @demo/sdk@1.0.0");

  s = r.AddOperation(Describe({{.name = "Typo"}}));
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.error().message(),
            "Describe declares Typo, which the SDK's request model does not have");

  s = r.AddOperation(Describe({{.name = "Tag", .type = ParamType::kBoolean},
                               {.name = "Disk.Nope"}}));
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.error().message(),
            "Describe.Tag is Boolean here but [{Key,Value}] in the SDK; "
            "Describe declares Disk.Nope, which the SDK's request model does not have");

  Registry bare;  // no model: no checks (unit tests of other parts)
  ASSERT_TRUE(bare.AddProduct({"demo", "DEMO", "2099-01-01"}).ok());
  EXPECT_TRUE(bare.AddOperation(unknown).ok());
}

constexpr ErrorSpec kOddValue{"InvalidParam.Odd", 400, "odd"};

std::string OverlayText(const std::string& describe) {
  return R"({"product": "demo", "version": "2099-01-01",
             "commonParams": {"PageSize": {"min": 1, "max": 50, "description": "Entries."}},
             "operations": {"Describe": )" + describe + "}}";
}

TEST(OverlayTest, BuildsRowsFromTheOverlayAndTheSdkTypes) {
  const apimodel::Product& demo = *TestModel().ByCode("demo");
  auto o = Overlay::Parse(OverlayText(R"j({
      "resource": "acs:demo:{RegionId}:{AccountId}:thing/*",
      "params": [{"name": "RegionId", "required": true, "allowed": ["r1"], "error": "InvalidParam.Odd"},
                 {"name": "PageSize", "max": 20},
                 {"name": "Ids", "type": "JsonArray", "maxItems": 3},
                 {"name": "Disk.Size", "min": 20}],
      "unsupported": ["Ids (accepted, ignored)"]})j"),
                          demo, {kOddValue});
  ASSERT_TRUE(o.ok()) << o.error().message();
  const OperationSpec* row = (*o)->Row("Describe");
  ASSERT_NE(row, nullptr);
  EXPECT_EQ(row->ram_action, "demo:Describe");
  EXPECT_EQ(row->resource, "acs:demo:{RegionId}:{AccountId}:thing/*");
  EXPECT_TRUE(row->authorize);
  ASSERT_EQ(row->params.size(), 4u);
  EXPECT_TRUE(row->params[0].required);
  ASSERT_TRUE(row->params[0].invalid_error.has_value());
  EXPECT_EQ(row->params[0].invalid_error->code, "InvalidParam.Odd");
  // The common definition with this operation's keys on top; the type
  // from the SDK ("number" -> Integer).
  EXPECT_EQ(row->params[1].type, ParamType::kInteger);
  EXPECT_EQ(row->params[1].min_value, 1);
  EXPECT_EQ(row->params[1].max_value, 20);
  EXPECT_EQ(row->params[1].description, "Entries.");
  EXPECT_EQ(row->params[2].type, ParamType::kStringList);
  EXPECT_EQ(row->params[3].type, ParamType::kInteger);  // a flat model's field
  EXPECT_EQ(row->unsupported.size(), 1u);
  EXPECT_EQ(row->summary, "");  // the SDK's, empty in the test model
  EXPECT_EQ((*o)->Row("Other"), nullptr);
}

TEST(OverlayTest, RefusesWhatAHandWrittenFileGetsWrong) {
  const apimodel::Product& demo = *TestModel().ByCode("demo");
  auto message = [&](const std::string& describe) {
    auto o = Overlay::Parse(OverlayText(describe), demo, {kOddValue});
    return o.ok() ? std::string("ok") : o.error().message();
  };
  EXPECT_EQ(message(R"({"resorce": "*"})"),
            "api/overlay: demo.json Describe: unknown key \"resorce\"");
  EXPECT_EQ(message(R"({"params": [{"name": "Nope"}]})"),
            "api/overlay: demo.json Describe Nope: not a parameter of the SDK's request model");
  EXPECT_EQ(message(R"({"params": [{"name": "Tag", "fields": {"Color": {}}}]})"),
            "api/overlay: demo.json Describe Tag: no field Color in the SDK model");
  EXPECT_EQ(message(R"({"params": [{"name": "Tag", "fields": {"Key": {"maxLen": 1}}}]})"),
            "api/overlay: demo.json Describe Tag.Key: unknown key \"maxLen\"");
  EXPECT_EQ(message(R"({"params": [{"name": "Ids", "fields": {"Key": {}}}]})"),
            "api/overlay: demo.json Describe Ids: \"fields\" on a parameter without fields");
  EXPECT_EQ(message(R"({"params": [{"name": "RegionId", "requird": true}]})"),
            "api/overlay: demo.json Describe RegionId: unknown key \"requird\"");
  EXPECT_EQ(message(R"({"params": [{"name": "RegionId", "error": "Who.Knows"}]})"),
            "api/overlay: demo.json Describe RegionId: error Who.Knows is not in the catalog given");
  auto unknown_op = Overlay::Parse(
      R"({"product": "demo", "version": "2099-01-01", "operations": {"Invented": {}}})", demo, {});
  ASSERT_FALSE(unknown_op.ok());
  EXPECT_EQ(unknown_op.error().message(),
            "api/overlay: demo.json Invented: not an operation of @demo/sdk");
}

// The SDKs' repeat style (Name.N, Name.N.Field) and flat style
// (Name.Field), typed from the SDK model and bounded by the overlay.
TEST(OverlayTest, RepeatAndFlatParametersAreTypedAndValidated) {
  const apimodel::Product& demo = *TestModel().ByCode("demo");
  auto o = Overlay::Parse(OverlayText(R"j({
      "params": [{"name": "Account", "required": true, "maxItems": 3, "min": 1},
                 {"name": "Tag", "maxItems": 2,
                  "fields": {"Key": {"required": true, "maxLength": 4}, "Value": {"maxLength": 3}}},
                 {"name": "Disk"}]})j"),
                          demo, {});
  ASSERT_TRUE(o.ok()) << o.error().message();
  const OperationSpec& row = *(*o)->Row("Describe");
  ASSERT_EQ(row.params.size(), 3u);
  EXPECT_EQ(row.params[0].type, ParamType::kRepeatList);
  EXPECT_EQ(row.params[0].element, ParamType::kInteger);
  EXPECT_EQ(row.params[1].type, ParamType::kRepeatObjects);
  ASSERT_EQ(row.params[1].fields.size(), 2u);
  EXPECT_TRUE(row.params[1].fields[0].required);
  EXPECT_EQ(row.params[2].type, ParamType::kFlat);
  ASSERT_EQ(row.params[2].fields.size(), 2u);
  for (const ParamSpec& f : row.params[2].fields) {
    EXPECT_EQ(f.type, f.name == "Size" ? ParamType::kInteger : ParamType::kString);
  }

  auto check = [&](std::vector<std::pair<std::string, std::string>> kv) {
    protocol::Params p;
    for (auto& [k, v] : kv) EXPECT_TRUE(p.Add(k, v).ok());
    Status s = ValidateParams(row, p);
    return s.ok() ? std::string("ok") : s.error().code() + ": " + s.error().message();
  };
  EXPECT_EQ(check({{"Account.1", "12"}, {"Account.2", "13"}}), "ok");
  EXPECT_EQ(check({}).substr(0, 16), "MissingParameter");
  EXPECT_EQ(check({{"Account.0", "12"}}).substr(0, 16), "InvalidParameter");
  EXPECT_EQ(check({{"Account.4", "12"}}).substr(0, 16), "InvalidParameter");
  EXPECT_EQ(check({{"Account.01", "12"}}).substr(0, 16), "InvalidParameter");
  EXPECT_EQ(check({{"Account.1", "x"}}).substr(0, 16), "InvalidParameter");
  EXPECT_EQ(check({{"Account.1", "0"}}).substr(0, 16), "InvalidParameter");  // min 1
  EXPECT_EQ(check({{"Account.1", "5"}, {"Tag.1.Key", "k"}, {"Tag.1.Value", "v"},
                   {"Tag.2.Key", "k2"}, {"Disk.Size", "20"}}),
            "ok");
  EXPECT_EQ(check({{"Account.1", "5"}, {"Tag.1.Value", "v"}}).substr(0, 16), "MissingParameter");
  EXPECT_EQ(check({{"Account.1", "5"}, {"Tag.1.Key", "toolong"}}).substr(0, 16),
            "InvalidParameter");
  EXPECT_EQ(check({{"Account.1", "5"}, {"Tag.1.Color", "red"}}).substr(0, 16),
            "InvalidParameter");
  EXPECT_EQ(check({{"Account.1", "5"}, {"Tag.3.Key", "k"}}).substr(0, 16), "InvalidParameter");
  EXPECT_EQ(check({{"Account.1", "5"}, {"Disk.Size", "big"}}).substr(0, 16),
            "InvalidParameter");

  // A JSON-array parameter sent the repeat way (Terraform's tea-rpc).
  OperationSpec ids_row;
  ids_row.params.push_back({.name = "Ids", .type = ParamType::kStringList, .max_items = 2});
  auto check_ids = [&](std::vector<std::pair<std::string, std::string>> kv) {
    protocol::Params p;
    for (auto& [k, v] : kv) EXPECT_TRUE(p.Add(k, v).ok());
    Status s = ValidateParams(ids_row, p);
    return s.ok() ? std::string("ok") : s.error().code();
  };
  EXPECT_EQ(check_ids({{"Ids", "[\"a\"]"}}), "ok");
  EXPECT_EQ(check_ids({{"Ids.1", "a"}, {"Ids.2", "b"}}), "ok");
  EXPECT_EQ(check_ids({{"Ids.3", "a"}}), "InvalidParameter");
  {
    protocol::Params p;
    ASSERT_TRUE(p.Add("Ids.2", "b").ok());
    ASSERT_TRUE(p.Add("Ids.1", "a").ok());
    EXPECT_EQ(Args(&p).StringList("Ids"), (std::vector<std::string>{"a", "b"}));
  }

  protocol::Params p;
  for (auto [k, v] : std::vector<std::pair<std::string, std::string>>{
           {"Account.2", "b"}, {"Account.1", "a"}, {"Tag.2.Key", "k2"}, {"Tag.1.Key", "k1"},
           {"Tag.1.Value", "v1"}, {"Disk.Size", "20"}, {"Accounts", "x"}}) {
    ASSERT_TRUE(p.Add(k, v).ok());
  }
  Args args(&p);
  EXPECT_EQ(args.Repeated("Account"), (std::vector<std::string>{"a", "b"}));
  auto tags = args.Objects("Tag");
  ASSERT_EQ(tags.size(), 2u);
  EXPECT_EQ(tags[0], (Args::Fields{{"Key", "k1"}, {"Value", "v1"}}));
  EXPECT_EQ(tags[1], (Args::Fields{{"Key", "k2"}}));
  EXPECT_EQ(args.Flat("Disk"), (Args::Fields{{"Size", "20"}}));
}

TEST(RoutesTest, EveryOverlayOperationNeedsAHandlerAndEveryHandlerAnEntry) {
  const apimodel::Product& demo = *TestModel().ByCode("demo");
  auto o = Overlay::Parse(OverlayText(R"({"params": []})"), demo, {});
  ASSERT_TRUE(o.ok());
  Backends backends;
  Handler nothing = [](const CallContext&, const Args&) -> Result<Json> { return Json::object(); };
  {
    Registry r(&TestModel());
    Routes routes({"demo", "DEMO", "2099-01-01"}, o->get(), &backends);
    auto s = routes.Register(&r);
    ASSERT_FALSE(s.ok());
    EXPECT_EQ(s.error().message(),
              "demo: Describe is in api/overlay/demo.json but has no handler");
  }
  {
    Registry r(&TestModel());
    Routes routes({"demo", "DEMO", "2099-01-01"}, o->get(), &backends);
    routes.Raw("Describe", nothing);
    routes.Raw("Other", nothing);
    auto s = routes.Register(&r);
    ASSERT_FALSE(s.ok());
    EXPECT_EQ(s.error().message(),
              "demo: Other has a handler but no entry in api/overlay/demo.json");
  }
  {
    Registry r(&TestModel());
    Routes routes({"demo", "DEMO", "2099-01-01"}, o->get(), &backends);
    routes.Write("Describe", [](store::Tx&, const CallContext&, const Args&) -> Result<Json> {
      return Json::object();
    });
    ASSERT_TRUE(routes.Register(&r).ok());
    const OperationSpec* op = r.Find("2099-01-01", "Describe");
    ASSERT_NE(op, nullptr);
    EXPECT_TRUE(op->mutating);
    EXPECT_TRUE(op->claims_nonce);  // the Mutator commits the nonce with the work
    ASSERT_NE(op->model, nullptr);
  }
}

}  // namespace
}  // namespace swasd::gateway
