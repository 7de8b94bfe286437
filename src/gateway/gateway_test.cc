// The gateway pipeline end to end without sockets: signed requests built
// with protocol::Sign go through a real Dispatcher backed by a real SQLite
// store in a temporary directory.
#include <gtest/gtest.h>
#include <stdlib.h>

#include <filesystem>

#include "base/clock.h"
#include "base/errors.h"
#include "base/ids.h"
#include "gateway/authn.h"
#include "gateway/authz.h"
#include "gateway/dispatcher.h"
#include "gateway/envelope.h"
#include "gateway/registry.h"
#include "gateway/validate.h"
#include "protocol/signer.h"
#include "store/accounts.h"
#include "store/sqlite/sqlite_store.h"

namespace swasd::gateway {
namespace {

constexpr char kAk[] = "LTAItestkey000000000001";
constexpr char kSecret[] = "testsecret0000000000000000000a";

class GatewayTest : public ::testing::Test {
 protected:
  void SetUp() override {
    char tmpl[] = "/tmp/swasd-gateway-XXXXXX";
    dir_ = mkdtemp(tmpl);
    auto s = store::SqliteStore::Open({.data_dir = dir_});
    ASSERT_TRUE(s.ok()) << s.error().message();
    store_ = std::move(s).value();
    auto acc = store::CreateAccount(*store_, clock_, "root", std::nullopt,
                                    std::make_pair(std::string(kAk), std::string(kSecret)));
    ASSERT_TRUE(acc.ok()) << acc.error().message();
    account_id_ = acc->account.account_id;

    ASSERT_TRUE(registry_.AddProduct({"test", "TEST", "2020-06-01"}).ok());
    OperationSpec op;
    op.product = "test";
    op.version = "2020-06-01";
    op.action = "Echo";
    op.ram_action = "test:Echo";
    op.resource = "acs:test:{RegionId}:{AccountId}:thing/{ThingId}";
    op.params = {
        ParamSpec{.name = "RegionId", .required = true},
        ParamSpec{.name = "ThingId", .required = true},
        ParamSpec{.name = "Operation", .allowed = {"Share", "UnShare"},
                  .invalid_error = ErrorSpec{"InvalidParam.OperationIllegal", 400,
                                             "The specified parameter operation is illegal."}},
        ParamSpec{.name = "PageSize", .type = ParamType::kInteger, .min_value = 1, .max_value = 100},
        ParamSpec{.name = "Ids", .type = ParamType::kStringList, .max_items = 2},
        ParamSpec{.name = "ClientToken", .max_length = 64, .ascii_only = true},
    };
    op.handler = [this](const CallContext& ctx, const Args& args) -> Result<Json> {
      if (args.String("ThingId") == "boom") throw std::runtime_error("kaboom");
      if (args.String("ThingId") == "broken") {
        return Error(errors::kInternalError).WithCause("disk on fire");
      }
      Json out{{"Account", ctx.principal.account_id},
               {"Arn", ResourceArn(*registry_.Find("2020-06-01", "Echo"), ctx, args)}};
      if (auto p = args.Integer("PageSize")) out["PageSize"] = *p;
      return out;
    };
    ASSERT_TRUE(registry_.AddOperation(std::move(op)).ok());
    authn_ = std::make_unique<Authenticator>(store_.get(), &clock_, AuthnOptions{});
    dispatcher_ = std::make_unique<Dispatcher>(&registry_, authn_.get(), &authz_, &clock_,
                                               DispatcherOptions{});
  }
  void TearDown() override {
    dispatcher_.reset();
    authn_.reset();
    store_.reset();
    std::filesystem::remove_all(dir_);
  }

  struct Call {
    protocol::SignatureScheme scheme = protocol::SignatureScheme::kV3;
    std::vector<std::pair<std::string, std::string>> params = {
        {"RegionId", "cn-hangzhou"}, {"ThingId", "t-1"}};
    std::string ak = kAk;
    std::string secret = kSecret;
    std::string action = "Echo";
    std::string version = "2020-06-01";
    std::string nonce;
    std::string timestamp;
  };

  http::HttpRequest Build(const Call& c) {
    protocol::SignRequest r;
    r.host = "127.0.0.1:8080";
    r.action = c.action;
    r.version = c.version;
    r.access_key_id = c.ak;
    r.secret = c.secret;
    r.scheme = c.scheme;
    for (const auto& [k, v] : c.params) EXPECT_TRUE(r.params.Add(k, v).ok());
    r.nonce = c.nonce.empty() ? ids::NewRequestId() : c.nonce;
    r.timestamp = c.timestamp.empty() ? FormatIso8601(clock_.Now()) : c.timestamp;
    auto signed_req = protocol::Sign(r);
    EXPECT_TRUE(signed_req.ok());
    http::HttpRequest req;
    req.method = r.method;
    req.target = signed_req->target;
    for (auto& [k, v] : signed_req->headers) {
      std::string lower = k;
      for (char& ch : lower) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
      req.headers.emplace_back(lower, v);
    }
    req.body = signed_req->body;
    return req;
  }

  Json Send(const http::HttpRequest& req, int* status) {
    http::HttpResponse resp = dispatcher_->Handle(req);
    *status = resp.status;
    if (resp.content_type.find("json") == std::string::npos) return Json{{"Raw", resp.body}};
    return Json::parse(resp.body);
  }

  // Sends and expects an error with `code` and `status`.
  void ExpectError(const http::HttpRequest& req, const std::string& code, int status) {
    int got = 0;
    Json body = Send(req, &got);
    EXPECT_EQ(got, status) << body.dump();
    EXPECT_EQ(body.value("Code", ""), code) << body.dump();
    EXPECT_EQ(body.value("RequestId", "").size(), 36u);
    EXPECT_TRUE(body.contains("HostId"));
    EXPECT_TRUE(body.contains("Recommend"));
  }

  OffsetClock clock_;
  std::string dir_;
  std::string account_id_;
  std::unique_ptr<store::SqliteStore> store_;
  Registry registry_;
  RootOnlyAuthorizer authz_;
  std::unique_ptr<Authenticator> authn_;
  std::unique_ptr<Dispatcher> dispatcher_;
};

TEST_F(GatewayTest, V3AndV1Succeed) {
  for (auto scheme : {protocol::SignatureScheme::kV3, protocol::SignatureScheme::kV1}) {
    Call c;
    c.scheme = scheme;
    c.params.push_back({"PageSize", "20"});
    int status = 0;
    Json body = Send(Build(c), &status);
    EXPECT_EQ(status, 200) << body.dump();
    EXPECT_FALSE(body.contains("Code"));
    EXPECT_EQ(body["Account"], account_id_);
    EXPECT_EQ(body["PageSize"], 20);
    EXPECT_EQ(body["Arn"], "acs:test:cn-hangzhou:" + account_id_ + ":thing/t-1");
  }
}

TEST_F(GatewayTest, CallRecordSaysWhatTheCallWas) {
  Call c;
  c.nonce = "record-nonce";
  CallRecord ok;
  http::HttpResponse resp = dispatcher_->Handle(Build(c), &ok);
  EXPECT_EQ(resp.status, 200);
  EXPECT_EQ(Json::parse(resp.body)["RequestId"], ok.request_id);
  EXPECT_EQ(ok.product, "TEST");
  EXPECT_EQ(ok.version, "2020-06-01");
  EXPECT_EQ(ok.action, "Echo");
  EXPECT_TRUE(ok.known_operation);
  EXPECT_EQ(ok.code, "");
  EXPECT_TRUE(ok.authenticated);
  EXPECT_EQ(ok.principal_type, Principal::Type::kRoot);
  EXPECT_EQ(ok.account_id, account_id_);
  EXPECT_EQ(ok.access_key_id, kAk);
  EXPECT_TRUE(ok.nonce_claimed);

  // A replay: authenticated, refused, its nonce not claimed again.
  CallRecord replay;
  resp = dispatcher_->Handle(Build(c), &replay);
  EXPECT_EQ(replay.code, "SignatureNonceUsed");
  EXPECT_TRUE(replay.authenticated);
  EXPECT_FALSE(replay.nonce_claimed);

  // Refused at authentication: no caller.
  c = Call{};
  c.secret = "wrong";
  CallRecord bad;
  resp = dispatcher_->Handle(Build(c), &bad);
  EXPECT_EQ(resp.status, 400);
  EXPECT_EQ(bad.code, "SignatureDoesNotMatch");
  EXPECT_FALSE(bad.authenticated);
  EXPECT_EQ(bad.account_id, "");
  EXPECT_EQ(Json::parse(resp.body)["RequestId"], bad.request_id);

  // An unknown action: recorded as sent, but not a known operation.
  c = Call{};
  c.action = "NoSuchAction";
  CallRecord unknown;
  dispatcher_->Handle(Build(c), &unknown);
  EXPECT_EQ(unknown.code, "InvalidAction.NotFound");
  EXPECT_EQ(unknown.action, "NoSuchAction");
  EXPECT_FALSE(unknown.known_operation);

  // A handler failure.
  c = Call{};
  c.params = {{"RegionId", "cn-hangzhou"}, {"ThingId", "broken"}};
  CallRecord failed;
  resp = dispatcher_->Handle(Build(c), &failed);
  EXPECT_EQ(resp.status, 500);
  EXPECT_EQ(failed.code, "InternalError");

  CallRecord transport;
  resp = dispatcher_->TransportError(431, "too big", &transport);
  EXPECT_EQ(transport.code, "RequestHeaderFieldsTooLarge");
  EXPECT_EQ(Json::parse(resp.body)["RequestId"], transport.request_id);
}

TEST_F(GatewayTest, WrongSecretIsSignatureDoesNotMatchWithStringToSign) {
  for (auto scheme : {protocol::SignatureScheme::kV3, protocol::SignatureScheme::kV1}) {
    Call c;
    c.scheme = scheme;
    c.secret = "wrong";
    int status = 0;
    Json body = Send(Build(c), &status);
    EXPECT_EQ(status, 400);
    EXPECT_EQ(body["Code"], "SignatureDoesNotMatch");
    EXPECT_NE(body["Message"].get<std::string>().find("server string to sign is:"),
              std::string::npos);
  }
}

TEST_F(GatewayTest, TamperedQueryFailsSignature) {
  http::HttpRequest req = Build(Call{});
  req.target.replace(req.target.find("t-1"), 3, "t-2");
  ExpectError(req, "SignatureDoesNotMatch", 400);
}

TEST_F(GatewayTest, UnknownAndInactiveKeys) {
  Call c;
  c.ak = "LTAInosuchkey";
  ExpectError(Build(c), "InvalidAccessKeyId.NotFound", 404);
  ASSERT_TRUE(store_->Write([](store::Tx& tx) -> Status {
                auto r = tx.SetAccessKeyActive(kAk, false);
                if (!r.ok()) return std::move(r).error();
                return Status::Ok();
              }).ok());
  ExpectError(Build(Call{}), "InvalidAccessKeyId.Inactive", 400);
}

TEST_F(GatewayTest, NonceReplayRefusedPerKey) {
  Call c;
  c.nonce = "fixed-nonce-1";
  int status = 0;
  Send(Build(c), &status);
  EXPECT_EQ(status, 200);
  ExpectError(Build(c), "SignatureNonceUsed", 400);
  c.scheme = protocol::SignatureScheme::kV1;
  ExpectError(Build(c), "SignatureNonceUsed", 400);
}

TEST_F(GatewayTest, TimestampWindowAndFormat) {
  Call c;
  c.timestamp = FormatIso8601(clock_.Now() - std::chrono::minutes(16));
  ExpectError(Build(c), "InvalidTimeStamp.Expired", 400);
  c.timestamp = FormatIso8601(clock_.Now() + std::chrono::minutes(16));
  ExpectError(Build(c), "InvalidTimeStamp.Expired", 400);
  c.timestamp = FormatIso8601(clock_.Now() - std::chrono::minutes(14));
  int status = 0;
  Send(Build(c), &status);
  EXPECT_EQ(status, 200);
  c.timestamp = "2024-13-45T99:00:00Z";
  ExpectError(Build(c), "InvalidTimeStamp.Format", 400);
  c.scheme = protocol::SignatureScheme::kV1;
  c.timestamp = "yesterday";
  ExpectError(Build(c), "InvalidTimeStamp.Format", 400);
}

TEST_F(GatewayTest, RoutingErrors) {
  Call c;
  c.action = "NoSuchAction";
  ExpectError(Build(c), "InvalidAction.NotFound", 404);
  c = Call{};
  c.version = "2099-01-01";
  ExpectError(Build(c), "InvalidVersion", 400);
  http::HttpRequest req = Build(Call{});
  req.method = "PUT";
  ExpectError(req, "UnsupportedHTTPMethod", 400);
  req = Build(Call{});
  req.target = "/other" + req.target.substr(1);
  ExpectError(req, "InvalidAction.NotFound", 404);
}

TEST_F(GatewayTest, MissingAndMalformedSignatureMaterial) {
  http::HttpRequest req = Build(Call{});
  std::erase_if(req.headers, [](const auto& h) { return h.first == "authorization"; });
  ExpectError(req, "MissingSignature", 400);
  req = Build(Call{});
  for (auto& h : req.headers) {
    if (h.first == "authorization") h.second = "ACS3-HMAC-SHA256 Credential=x";
  }
  ExpectError(req, "IncompleteSignature", 400);
  req = Build(Call{});
  req.body = "tampered";
  ExpectError(req, "InvalidParameter.ContentSha256", 400);
}

TEST_F(GatewayTest, V1MissingCommonParameters) {
  for (std::string name : {"Timestamp", "SignatureNonce", "AccessKeyId"}) {
    Call c;
    c.scheme = protocol::SignatureScheme::kV1;
    http::HttpRequest req = Build(c);
    size_t p = req.target.find(name + "=");
    ASSERT_NE(p, std::string::npos) << req.target;
    size_t e = req.target.find('&', p);
    req.target.erase(p, e == std::string::npos ? std::string::npos : e - p + 1);
    ExpectError(req, "Missing" + name, 400);
  }
}

TEST_F(GatewayTest, ParameterValidation) {
  Call c;
  c.params = {{"RegionId", "cn-hangzhou"}};
  ExpectError(Build(c), "MissingParameter", 400);
  c.params = {{"RegionId", "cn-hangzhou"}, {"ThingId", "t"}, {"Operation", "share"}};
  ExpectError(Build(c), "InvalidParam.OperationIllegal", 400);
  c.params = {{"RegionId", "cn-hangzhou"}, {"ThingId", "t"}, {"PageSize", "101"}};
  ExpectError(Build(c), "InvalidParameter", 400);
  c.params = {{"RegionId", "cn-hangzhou"}, {"ThingId", "t"}, {"PageSize", "ten"}};
  ExpectError(Build(c), "InvalidParameter", 400);
  c.params = {{"RegionId", "cn-hangzhou"}, {"ThingId", "t"}, {"Ids", "[\"a\",\"b\",\"c\"]"}};
  ExpectError(Build(c), "InvalidParameter", 400);
  c.params = {{"RegionId", "cn-hangzhou"}, {"ThingId", "t"}, {"ClientToken", std::string(65, 'a')}};
  ExpectError(Build(c), "InvalidParameter", 400);
  c.params = {{"RegionId", "cn-hangzhou"}, {"ThingId", "t"}, {"ClientToken", "中文"}};
  ExpectError(Build(c), "InvalidParameter", 400);
  http::HttpRequest req = Build(Call{});
  req.target += "&ThingId=again";
  ExpectError(req, "InvalidParameter", 400);
}

TEST_F(GatewayTest, UnexpectedFailuresAreInternalErrorWithoutCause) {
  for (std::string thing : {"boom", "broken"}) {
    Call c;
    c.params = {{"RegionId", "cn-hangzhou"}, {"ThingId", thing}};
    int status = 0;
    Json body = Send(Build(c), &status);
    EXPECT_EQ(status, 500);
    EXPECT_EQ(body["Code"], "InternalError");
    EXPECT_EQ(body.dump().find("kaboom"), std::string::npos);
    EXPECT_EQ(body.dump().find("disk on fire"), std::string::npos);
  }
}

TEST_F(GatewayTest, XmlFormat) {
  Call c;
  c.scheme = protocol::SignatureScheme::kV1;
  c.params.push_back({"Format", "XML"});
  http::HttpResponse resp = dispatcher_->Handle(Build(c));
  EXPECT_EQ(resp.status, 200);
  EXPECT_EQ(resp.content_type, "text/xml;charset=utf-8");
  EXPECT_NE(resp.body.find("<EchoResponse><RequestId>"), std::string::npos) << resp.body;
  c.secret = "wrong";
  resp = dispatcher_->Handle(Build(c));
  EXPECT_EQ(resp.status, 400);
  EXPECT_NE(resp.body.find("<Error><RequestId>"), std::string::npos) << resp.body;
  EXPECT_NE(resp.body.find("<Code>SignatureDoesNotMatch</Code>"), std::string::npos);
}

TEST(Envelope, XmlEscapesAndRepeatsArrays) {
  Json body = {{"A", "<&>"}, {"L", {1, 2}}, {"O", {{"B", true}}}};
  EXPECT_EQ(ToXml(body, "R"),
            "<?xml version='1.0' encoding='UTF-8'?><R><A>&lt;&amp;&gt;</A><L>1</L><L>2</L>"
            "<O><B>true</B></O></R>");
}

TEST(Envelope, HostIdIsSanitized) {
  EXPECT_EQ(SanitizeHostId("127.0.0.1:8080", "swasd"), "127.0.0.1:8080");
  EXPECT_EQ(SanitizeHostId("evil\r\nSet-Cookie: x", "swasd"), "swasd");
  EXPECT_EQ(SanitizeHostId("", "swasd"), "swasd");
}

TEST(Envelope, ErrorCarriesDetail) {
  EnvelopeContext ctx;
  ctx.request_id = "R";
  ctx.host_id = "h";
  Error e("Forbidden.RAM", 403, "no");
  e.WithDetail("AccessDeniedDetail", {{"NoPermissionType", "ImplicitDeny"}});
  http::HttpResponse r = RenderError(e, ctx);
  EXPECT_EQ(r.status, 403);
  Json j = Json::parse(r.body);
  EXPECT_EQ(j["AccessDeniedDetail"]["NoPermissionType"], "ImplicitDeny");
  EXPECT_EQ(j["Code"], "Forbidden.RAM");
}

}  // namespace
}  // namespace swasd::gateway
