// Security group rules on a real SQLite store: rule validation with
// Alibaba's codes, duplicates and revocation, the VPC a group lives in,
// instances that keep a group alive, and account scoping.
#include "ecs/security_groups.h"

#include <gtest/gtest.h>

#include "base/clock.h"
#include "ecs/errors.h"
#include "ecs/model.h"
#include "store/sqlite/test_store.h"

namespace swasd::ecs {
namespace {

constexpr char kAccount[] = "1000000000000001";
constexpr char kOther[] = "1000000000000002";
constexpr char kRegion[] = "cn-hangzhou";

RuleInput Rule(const char* proto, const char* ports, const char* source) {
  RuleInput in;
  in.ip_protocol = proto;
  in.port_range = ports;
  if (source != nullptr) in.source_cidr_ip = source;
  return in;
}

TEST(NormalizeRuleTest, ProtocolsPortsAndDefaults) {
  auto r = NormalizeRule(Rule("tcp", "22/22", "0.0.0.0/0"));
  ASSERT_TRUE(r.ok()) << r.error().message();
  EXPECT_EQ(r->ip_protocol, "TCP");
  EXPECT_EQ(r->port_range, "22/22");
  EXPECT_EQ(r->policy, "Accept");
  EXPECT_EQ(r->priority, 1);
  EXPECT_EQ(r->nic_type, "intranet");
  EXPECT_EQ(r->direction, "ingress");
  EXPECT_TRUE(NormalizeRule(Rule("All", "-1/-1", "10.0.0.1")).ok());
  EXPECT_TRUE(NormalizeRule(Rule("ICMP", "-1/-1", "10.0.0.0/8")).ok());
  EXPECT_TRUE(NormalizeRule(Rule("udp", "1/65535", "192.168.1.0/24")).ok());

  EXPECT_TRUE(NormalizeRule(Rule("sctp", "1/2", "0.0.0.0/0"))
                  .error().Is(errors::kInvalidIpProtocolValueNotSupported));
  EXPECT_TRUE(NormalizeRule(Rule("tcp", "", "0.0.0.0/0")).error().Is(errors::kInvalidPortRangeMissing));
  for (const char* bad : {"22", "22-23", "0/22", "22/65536", "30/20", "a/b", "22/22/22"}) {
    EXPECT_TRUE(NormalizeRule(Rule("tcp", bad, "0.0.0.0/0")).error().Is(errors::kInvalidParamPortRange))
        << bad;
  }
  // all/icmp/gre take only -1/-1; tcp/udp never do.
  EXPECT_TRUE(NormalizeRule(Rule("icmp", "22/22", "0.0.0.0/0"))
                  .error().Is(errors::kProtocolPortRangeMismatch));
  EXPECT_TRUE(NormalizeRule(Rule("all", "1/65535", "0.0.0.0/0"))
                  .error().Is(errors::kProtocolPortRangeMismatch));
  EXPECT_TRUE(NormalizeRule(Rule("tcp", "-1/-1", "0.0.0.0/0"))
                  .error().Is(errors::kProtocolPortRangeMismatch));
  EXPECT_TRUE(NormalizeRule(Rule("tcp", "22/22", nullptr)).error().Is(errors::kMissingSource));
  for (const char* bad : {"10.0.0.1/8", "300.0.0.0/8", "10.0.0.0/33", "any"}) {
    EXPECT_TRUE(NormalizeRule(Rule("tcp", "22/22", bad)).error().Is(errors::kInvalidSourceCidrIpMalformed))
        << bad;
  }
}

TEST(NormalizeRuleTest, PolicyPriorityNicTypeDescription) {
  RuleInput in = Rule("tcp", "80/80", "0.0.0.0/0");
  in.policy = "DROP";
  in.priority = "100";
  in.nic_type = "internet";
  auto r = NormalizeRule(in);
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->policy, "Drop");
  EXPECT_EQ(r->priority, 100);
  EXPECT_EQ(r->nic_type, "intranet");  // a VPC group's rules are intranet
  in.policy = "allow";
  EXPECT_TRUE(NormalizeRule(in).error().Is(errors::kInvalidPolicyMalformed));
  in.policy.reset();
  for (const char* bad : {"0", "101", "x", "-1"}) {
    in.priority = bad;
    EXPECT_TRUE(NormalizeRule(in).error().Is(errors::kInvalidPriorityMalformed)) << bad;
  }
  in.priority.reset();
  in.nic_type = "public";
  EXPECT_TRUE(NormalizeRule(in).error().Is(errors::kInvalidNicTypeValueNotSupported));
  in.nic_type.reset();
  in.description = "https://example.com";
  EXPECT_TRUE(NormalizeRule(in).error().Is(errors::kInvalidRuleDescriptionMalformed));
}

TEST(SecurityGroupNameTest, Names) {
  EXPECT_TRUE(ValidSecurityGroupName("web-sg_1.a"));
  EXPECT_TRUE(ValidSecurityGroupName("ab"));
  EXPECT_TRUE(ValidSecurityGroupName("安全组"));
  EXPECT_FALSE(ValidSecurityGroupName("a"));
  EXPECT_FALSE(ValidSecurityGroupName("1sg"));
  EXPECT_FALSE(ValidSecurityGroupName("http://sg"));
  EXPECT_FALSE(ValidSecurityGroupName("sg name"));
  EXPECT_FALSE(ValidSecurityGroupName(std::string(129, 'a')));
}

// The pages' own rule, not VPC's: colons too, Unicode letters beyond CJK,
// and still no spaces of any kind.
TEST(SecurityGroupNameTest, DocumentedRuleNotVpcs) {
  EXPECT_TRUE(ValidSecurityGroupName("web:prod"));
  EXPECT_TRUE(ValidSecurityGroupName("sg:1.a_b-c"));
  EXPECT_TRUE(ValidSecurityGroupName("Größe"));
  EXPECT_TRUE(ValidSecurityGroupName("группа"));
  EXPECT_TRUE(ValidSecurityGroupName(std::string(128, 'a')));
  EXPECT_TRUE(ValidSecurityGroupName("安1"));
  EXPECT_FALSE(ValidSecurityGroupName(":sg"));
  EXPECT_FALSE(ValidSecurityGroupName("_sg"));
  EXPECT_FALSE(ValidSecurityGroupName("https://sg"));
  EXPECT_FALSE(ValidSecurityGroupName("sg\tname"));
  EXPECT_FALSE(ValidSecurityGroupName("sg\xc2\xa0name"));      // no-break space
  EXPECT_FALSE(ValidSecurityGroupName("sg\xe3\x80\x80name"));  // ideographic space
  EXPECT_FALSE(ValidSecurityGroupName("sg/name"));
  EXPECT_FALSE(ValidSecurityGroupName("sg,name"));
  EXPECT_FALSE(ValidSecurityGroupName("sg\xff"));  // not UTF-8
  // 128 characters counted as characters, not bytes.
  std::string wide;
  for (int i = 0; i < 128; ++i) wide += "安";
  EXPECT_TRUE(ValidSecurityGroupName(wide));
  EXPECT_FALSE(ValidSecurityGroupName(wide + "a"));
}

class SecurityGroupsTest : public store::SqliteStoreTest {
 protected:
  void SetUp() override {
    SqliteStoreTest::SetUp();
    AddAccounts({kAccount, kOther});
    auto v = Call([&](store::Tx& tx) {
      return vpc_.CreateVpc(tx, kAccount, kRegion, vpc::CreateVpcRequest{"10.0.0.0/8"});
    });
    ASSERT_TRUE(v.ok());
    vpc_id_ = v->id;
  }

  Result<SecurityGroup> Make(const std::string& account, const std::string& vpc_id,
                             const std::string& name = "") {
    CreateSecurityGroupRequest req;
    req.vpc_id = vpc_id;
    req.name = name;
    return Call([&](store::Tx& tx) { return sgs_.Create(tx, account, kRegion, req); });
  }
  Status Run(const std::function<Status(store::Tx&)>& fn) { return store_->Write(fn); }
  Result<SecurityGroup> Load(const std::string& id) {
    return Call([&](store::Tx& tx) { return sgs_.Get(tx, kAccount, kRegion, id); });
  }

  OffsetClock clock_;
  vpc::Service vpc_{&clock_, [](std::string_view, std::string_view) { return true; },
                    vpc::ServiceOptions{500, 10, 150}};
  SecurityGroups sgs_{&vpc_, &clock_, SecurityGroupOptions{2, 3}};
  std::string vpc_id_;
};

TEST_F(SecurityGroupsTest, CreateChecksVpcNameAndQuota) {
  // The VPC is still Pending.
  EXPECT_TRUE(Make(kAccount, vpc_id_).error().Is(errors::kIncorrectVpcStatus));
  clock_.Advance(std::chrono::milliseconds(600));
  EXPECT_TRUE(Make(kAccount, "").error().Is(errors::kVpcIdRequired));
  EXPECT_TRUE(Make(kAccount, "vpc-missing").error().Is(errors::kInvalidVpcIdNotFound));
  EXPECT_TRUE(Make(kOther, vpc_id_).error().Is(errors::kInvalidVpcIdNotFound));
  EXPECT_TRUE(Make(kAccount, vpc_id_, "9lives").error().Is(errors::kInvalidSecurityGroupNameMalformed));
  auto g = Make(kAccount, vpc_id_, "web");
  ASSERT_TRUE(g.ok()) << g.error().message();
  EXPECT_TRUE(g->id.starts_with("sg-"));
  EXPECT_EQ(g->vpc_id, vpc_id_);
  ASSERT_TRUE(Make(kAccount, vpc_id_).ok());
  EXPECT_TRUE(Make(kAccount, vpc_id_).error().Is(errors::kQuotaExceedSecurityGroup));

  SecurityGroupFilter f;
  f.name = "web";
  auto listed = Call([&](store::Tx& tx) { return sgs_.List(tx, kAccount, kRegion, f); });
  ASSERT_EQ(listed->size(), 1u);
  EXPECT_EQ(listed->front().id, g->id);
  // Another account, another region: not found.
  EXPECT_TRUE(Call([&](store::Tx& tx) { return sgs_.Get(tx, kOther, g->id); })
                  .error().Is(errors::kInvalidSecurityGroupIdNotFound));
  EXPECT_TRUE(Call([&](store::Tx& tx) { return sgs_.Get(tx, kAccount, "cn-shanghai", g->id); })
                  .error().Is(errors::kInvalidSecurityGroupIdNotFound));
}

TEST_F(SecurityGroupsTest, AuthorizeDuplicatesLimitAndRevoke) {
  clock_.Advance(std::chrono::milliseconds(600));
  auto g = Make(kAccount, vpc_id_);
  ASSERT_TRUE(g.ok());
  auto authorize = [&](std::vector<RuleInput> rules) {
    return Run([&](store::Tx& tx) { return sgs_.Authorize(tx, kAccount, kRegion, g->id, rules); });
  };
  auto revoke = [&](std::vector<RuleInput> rules, std::vector<std::string> ids) {
    return Run(
        [&](store::Tx& tx) { return sgs_.Revoke(tx, kAccount, kRegion, g->id, rules, ids); });
  };
  ASSERT_TRUE(authorize({Rule("tcp", "22/22", "0.0.0.0/0"), Rule("tcp", "80/80", "0.0.0.0/0")}).ok());
  // Twice in one call: refused; again later: a no-op.
  EXPECT_TRUE(authorize({Rule("tcp", "443/443", "0.0.0.0/0"), Rule("TCP", "443/443", "0.0.0.0/0")})
                  .error().Is(errors::kInvalidParamDuplicatePermissions));
  ASSERT_TRUE(authorize({Rule("TCP", "22/22", "0.0.0.0/0")}).ok());
  EXPECT_EQ(Load(g->id)->rules.size(), 2u);
  // A different priority is a different rule; the group holds 3 at most.
  RuleInput p2 = Rule("tcp", "22/22", "0.0.0.0/0");
  p2.priority = "2";
  ASSERT_TRUE(authorize({p2}).ok());
  EXPECT_TRUE(authorize({Rule("udp", "53/53", "0.0.0.0/0")}).error().Is(errors::kAuthorizationLimitExceed));
  // An invalid rule changes nothing.
  EXPECT_TRUE(authorize({Rule("tcp", "1/1", "bad")}).error().Is(errors::kInvalidSourceCidrIpMalformed));
  EXPECT_TRUE(Run([&](store::Tx& tx) {
                return sgs_.Authorize(tx, kOther, kRegion, g->id, {Rule("tcp", "1/1", "0.0.0.0/0")});
              }).error().Is(errors::kInvalidSecurityGroupIdNotFound));

  auto loaded = Load(g->id);
  ASSERT_EQ(loaded->rules.size(), 3u);
  const std::string rule80 = loaded->rules[1].id;
  EXPECT_EQ(loaded->rules[1].port_range, "80/80");
  // By fields (the legacy form), by id; an absent rule revokes nothing.
  ASSERT_TRUE(revoke({Rule("tcp", "22/22", "0.0.0.0/0")}, {}).ok());
  EXPECT_EQ(Load(g->id)->rules.size(), 2u);
  ASSERT_TRUE(revoke({Rule("tcp", "9/9", "0.0.0.0/0")}, {}).ok());
  EXPECT_EQ(Load(g->id)->rules.size(), 2u);
  EXPECT_TRUE(revoke({}, {"sgr-missing"}).error().Is(errors::kInvalidSecurityGroupRuleIdNotFound));
  ASSERT_TRUE(revoke({}, {rule80}).ok());
  loaded = Load(g->id);
  ASSERT_EQ(loaded->rules.size(), 1u);
  EXPECT_EQ(loaded->rules[0].priority, 2);
}

TEST_F(SecurityGroupsTest, DeleteRefusedWhileAnInstanceUsesIt) {
  clock_.Advance(std::chrono::milliseconds(600));
  auto g = Make(kAccount, vpc_id_);
  ASSERT_TRUE(g.ok());
  // Both document shapes an instance has had: one id, or a list.
  store::Resource inst{kInstanceKind, "i-1", kAccount, kRegion, "", "", 0, 0,
                       R"({"security_group_ids":[")" + g->id + R"("]})"};
  ASSERT_TRUE(Run([&](store::Tx& tx) { return tx.PutResource(inst); }).ok());
  EXPECT_TRUE(InstanceUsesGroup(inst, g->id));
  EXPECT_FALSE(InstanceUsesGroup(inst, "sg-other"));
  store::Resource old = inst;
  old.doc = R"({"security_group_id":")" + g->id + R"("})";
  EXPECT_TRUE(InstanceUsesGroup(old, g->id));
  EXPECT_EQ(*Call([&](store::Tx& tx) { return sgs_.CountInstances(tx, kAccount, kRegion, g->id); }), 1);
  auto del = [&](const char* account) {
    return Run([&](store::Tx& tx) { return sgs_.Delete(tx, account, kRegion, g->id); });
  };
  EXPECT_TRUE(del(kAccount).error().Is(errors::kSecurityGroupInUse));
  EXPECT_TRUE(del(kOther).error().Is(errors::kInvalidSecurityGroupIdNotFound));
  ASSERT_TRUE(Run([&](store::Tx& tx) -> Status {
                SWASD_ASSIGN_OR_RETURN(bool gone, tx.DeleteResource(kInstanceKind, kAccount, "i-1"));
                (void)gone;
                return Status::Ok();
              }).ok());
  ASSERT_TRUE(del(kAccount).ok());
  EXPECT_TRUE(del(kAccount).error().Is(errors::kInvalidSecurityGroupIdNotFound));
}

}  // namespace
}  // namespace swasd::ecs
