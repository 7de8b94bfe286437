// RAM service rules without HTTP: a real SQLite store in a temporary
// directory. Here: STS AssumeRole's trust evaluation, whose ExternalId
// reaches the trust policy as the condition key sts:ExternalId.
#include "iam/service.h"

#include <gtest/gtest.h>

#include <optional>

#include "iam/errors.h"
#include "store/sqlite/test_store.h"

namespace swasd::iam {
namespace {

constexpr char kAccount[] = "1000000000000001";
constexpr char kOther[] = "1000000000000002";

// A trust policy letting `account`'s identities assume the role, with an
// optional extra Condition block (JSON).
std::string Trust(const std::string& account, const std::string& condition = "") {
  return R"({"Version":"1","Statement":[{"Effect":"Allow","Action":"sts:AssumeRole",)"
         R"("Principal":{"RAM":["acs:ram::)" +
         account + R"(:root"]})" + (condition.empty() ? "" : ",\"Condition\":" + condition) +
         "}]}";
}

class IamServiceTest : public store::SqliteStoreTest {
 protected:
  void MakeRole(const std::string& name, const std::string& trust) {
    Role r;
    r.name = name;
    r.trust_document = trust;
    ASSERT_TRUE(store_->Write([&](store::Tx& tx) -> Status {
                  SWASD_ASSIGN_OR_RETURN(r, svc_.CreateRole(tx, kAccount, r));
                  return Status::Ok();
                }).ok());
  }

  // AssumeRole of kAccount's `role` by the root of `caller_account`.
  Result<AssumedRole> Assume(const std::string& role, std::optional<std::string> external_id,
                             const std::string& caller_account = kAccount) {
    AssumeRoleRequest req;
    req.account = kAccount;
    req.role_name = role;
    req.session_name = "test-session";
    req.external_id = std::move(external_id);
    req.caller_arn = "acs:ram::" + caller_account + ":root";
    req.caller_account = caller_account;
    req.source_ip = "127.0.0.1";
    std::optional<Result<AssumedRole>> out;
    Status s = store_->Write([&](store::Tx& tx) -> Status {
      out.emplace(svc_.AssumeRole(tx, req));
      return Status::Ok();
    });
    if (!s.ok()) return s.error();
    return std::move(*out);
  }

  OffsetClock clock_;
  Service svc_{&clock_};
};

TEST_F(IamServiceTest, AssumeRoleMintsASessionOfTheRole) {
  MakeRole("plain", Trust(kAccount));
  int64_t before = clock_.NowUnixSeconds();
  auto a = Assume("plain", std::nullopt);
  ASSERT_TRUE(a.ok()) << a.error().message();
  EXPECT_EQ(a->arn, std::string("acs:ram::") + kAccount + ":role/plain/test-session");
  EXPECT_EQ(a->access_key_id.rfind("STS.", 0), 0u) << a->access_key_id;
  EXPECT_FALSE(a->access_key_secret.empty());
  EXPECT_FALSE(a->security_token.empty());
  EXPECT_GE(a->expires_at, before + 3600);
  EXPECT_LE(a->expires_at, clock_.NowUnixSeconds() + 3600);
  // A trust policy without an ExternalId condition ignores one given.
  EXPECT_TRUE(Assume("plain", "anything").ok());
}

TEST_F(IamServiceTest, AssumeRoleRefusesWhatTheTrustPolicyDoesNotAllow) {
  MakeRole("plain", Trust(kAccount));
  auto other = Assume("plain", std::nullopt, kOther);
  ASSERT_FALSE(other.ok());
  EXPECT_TRUE(other.error().Is(errors::kNoPermission));
  auto missing = Assume("nosuchrole", std::nullopt);
  ASSERT_FALSE(missing.ok());
  EXPECT_TRUE(missing.error().Is(errors::kRoleNotExist));
}

TEST_F(IamServiceTest, ExternalIdReachesTheTrustPolicy) {
  MakeRole("ext", Trust(kAccount, R"({"StringEquals":{"sts:ExternalId":"ext-4711"}})"));
  auto match = Assume("ext", "ext-4711");
  EXPECT_TRUE(match.ok()) << match.error().message();
  auto mismatch = Assume("ext", "ext-4712");
  ASSERT_FALSE(mismatch.ok());
  EXPECT_TRUE(mismatch.error().Is(errors::kNoPermission));
  auto absent = Assume("ext", std::nullopt);
  ASSERT_FALSE(absent.ok());
  EXPECT_TRUE(absent.error().Is(errors::kNoPermission));
}

TEST_F(IamServiceTest, ExternalIdInADenyStatement) {
  MakeRole("deny",
           R"({"Version":"1","Statement":[{"Effect":"Allow","Action":"sts:AssumeRole",)"
           R"("Principal":{"RAM":["acs:ram::)" +
               std::string(kAccount) +
               R"(:root"]}},{"Effect":"Deny","Action":"sts:AssumeRole",)"
               R"("Principal":{"RAM":["acs:ram::)" +
               kAccount +
               R"(:root"]},"Condition":{"StringEquals":{"sts:ExternalId":"blocked"}}}]})");
  EXPECT_TRUE(Assume("deny", std::nullopt).ok());
  EXPECT_TRUE(Assume("deny", "fine").ok());
  auto blocked = Assume("deny", "blocked");
  ASSERT_FALSE(blocked.ok());
  EXPECT_TRUE(blocked.error().Is(errors::kNoPermission));
}

}  // namespace
}  // namespace swasd::iam
