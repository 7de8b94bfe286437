#include "ram/policy.h"

#include <gtest/gtest.h>

#include <random>
#include <string>
#include <vector>

#include "ram/errors.h"
#include "ram/match.h"
#include "ram/system_policies.h"

namespace swasd::ram {
namespace {

bool IsValidUtf8(std::string_view s) {
  size_t i = 0;
  while (i < s.size()) {
    unsigned char c = static_cast<unsigned char>(s[i]);
    size_t n = c < 0x80           ? 1
               : (c >> 5) == 0x6  ? 2
               : (c >> 4) == 0xE  ? 3
               : (c >> 3) == 0x1E ? 4
                                  : 0;
    if (n == 0 || i + n > s.size()) return false;
    for (size_t k = 1; k < n; ++k) {
      if ((static_cast<unsigned char>(s[i + k]) & 0xC0) != 0x80) return false;
    }
    i += n;
  }
  return true;
}

Policy MustParse(std::string_view text,
                 PolicyKind kind = PolicyKind::kIdentity) {
  Result<Policy> r = ParsePolicy(text, kind);
  EXPECT_TRUE(r.ok()) << text << "\n -> "
                      << (r.ok() ? "" : r.error().message());
  return r.ok() ? std::move(r).value() : Policy();
}

TEST(ParsePolicyTest, FullIdentityPolicy) {
  Policy p = MustParse(R"({
    "Version": "1",
    "Statement": [
      {"Effect": "Allow",
       "Action": ["ecs:Describe*", "ecs:StartInstance"],
       "Resource": ["acs:ecs:*:*:instance/*"],
       "Condition": {"IpAddress": {"acs:SourceIp": ["10.0.0.0/8"]},
                     "NumericLessThan": {"ecs:Count": 10},
                     "Bool": {"acs:SecureTransport": true}}},
      {"Effect": "Deny", "NotAction": "ecs:Describe*",
       "NotResource": "acs:ecs:cn-hangzhou:123:instance/i-1"}
    ]})");
  ASSERT_EQ(p.statements.size(), 2u);
  const Statement& s0 = p.statements[0];
  EXPECT_EQ(s0.effect, Effect::kAllow);
  EXPECT_FALSE(s0.not_action);
  EXPECT_EQ(s0.actions,
            (std::vector<std::string>{"ecs:Describe*", "ecs:StartInstance"}));
  EXPECT_EQ(s0.resources, (std::vector<std::string>{"acs:ecs:*:*:instance/*"}));
  ASSERT_EQ(s0.conditions.size(), 3u);
  // nlohmann orders object keys: Bool, IpAddress, NumericLessThan.
  EXPECT_EQ(s0.conditions[0].op, ConditionOperator::kBool);
  EXPECT_EQ(s0.conditions[0].values, (std::vector<std::string>{"true"}));
  EXPECT_EQ(s0.conditions[1].op, ConditionOperator::kIpAddress);
  EXPECT_EQ(s0.conditions[1].key, "acs:SourceIp");
  EXPECT_EQ(s0.conditions[2].values, (std::vector<std::string>{"10"}));
  EXPECT_FALSE(s0.principal.has_value());
  const Statement& s1 = p.statements[1];
  EXPECT_EQ(s1.effect, Effect::kDeny);
  EXPECT_TRUE(s1.not_action);
  EXPECT_TRUE(s1.not_resource);
  EXPECT_EQ(s1.resources,
            (std::vector<std::string>{"acs:ecs:cn-hangzhou:123:instance/i-1"}));
}

TEST(ParsePolicyTest, SingleStatementObjectAndStrings) {
  Policy p = MustParse(
      R"({"Version":"1","Statement":{"Effect":"Allow","Action":"*","Resource":"*"}})");
  ASSERT_EQ(p.statements.size(), 1u);
  EXPECT_EQ(p.statements[0].actions, (std::vector<std::string>{"*"}));
}

TEST(ParsePolicyTest, SdkCapturedDocuments) {
  // Exactly what the Node SDK sent in the captures (sdk/other-captures.txt).
  MustParse(
      R"({"Version":"1","Statement":[{"Effect":"Allow","Action":["ecs:Describe*","ecs:StartInstance"],"Resource":["acs:ecs:*:*:instance/*"],"Condition":{"IpAddress":{"acs:SourceIp":["10.0.0.0/8"]}}}]})");
  Policy t = MustParse(
      R"({"Version":"1","Statement":[{"Action":"sts:AssumeRole","Effect":"Allow","Principal":{"RAM":["acs:ram::1234567890123456:root"]}}]})",
      PolicyKind::kTrust);
  ASSERT_TRUE(t.statements[0].principal.has_value());
  EXPECT_EQ(t.statements[0].principal->ram,
            (std::vector<std::string>{"acs:ram::1234567890123456:root"}));
  EXPECT_TRUE(t.statements[0].resources.empty());
}

TEST(ParsePolicyTest, TrustPrincipalForms) {
  Policy p = MustParse(R"({"Version":"1","Statement":[
    {"Effect":"Allow","Action":"sts:AssumeRole","Principal":"*"},
    {"Effect":"Allow","Action":"sts:AssumeRole","Principal":{"RAM":"1234567890123456"}},
    {"Effect":"Allow","Action":"sts:AssumeRole","Principal":{"Service":["ecs.aliyuncs.com"]}},
    {"Effect":"Allow","Action":"sts:AssumeRole",
     "Principal":{"Federated":"acs:ram::1234567890123456:saml-provider/idp"},
     "Condition":{"StringEquals":{"saml:recipient":"https://signin.aliyun.com/saml-role/sso"}}}]})",
                       PolicyKind::kTrust);
  ASSERT_EQ(p.statements.size(), 4u);
  EXPECT_TRUE(p.statements[0].principal->any);
  EXPECT_EQ(p.statements[1].principal->ram,
            (std::vector<std::string>{"1234567890123456"}));
  EXPECT_EQ(p.statements[2].principal->service,
            (std::vector<std::string>{"ecs.aliyuncs.com"}));
  EXPECT_EQ(p.statements[3].principal->federated.size(), 1u);
}

TEST(ParsePolicyTest, EveryOperatorIsKnown) {
  const char* names[] = {"StringEquals",
                         "StringNotEquals",
                         "StringEqualsIgnoreCase",
                         "StringNotEqualsIgnoreCase",
                         "StringLike",
                         "StringNotLike",
                         "NumericEquals",
                         "NumericNotEquals",
                         "NumericLessThan",
                         "NumericLessThanEquals",
                         "NumericGreaterThan",
                         "NumericGreaterThanEquals",
                         "DateEquals",
                         "DateNotEquals",
                         "DateLessThan",
                         "DateLessThanEquals",
                         "DateGreaterThan",
                         "DateGreaterThanEquals",
                         "Bool",
                         "IpAddress",
                         "NotIpAddress"};
  for (const char* n : names) {
    std::optional<ConditionOperator> op = FindConditionOperator(n);
    ASSERT_TRUE(op.has_value()) << n;
    EXPECT_EQ(ConditionOperatorName(*op), n);
  }
  EXPECT_FALSE(FindConditionOperator("stringequals").has_value());
}

struct BadDoc {
  const char* name;
  std::string text;
  PolicyKind kind;
  std::string_view code;
  std::string message_part;
};

std::string Doc(std::string statements) {
  return R"({"Version":"1","Statement":[)" + statements + "]}";
}
const std::string kOk = R"({"Effect":"Allow","Action":"*","Resource":"*"})";
std::string WithCond(std::string cond) {
  return Doc(R"({"Effect":"Allow","Action":"*","Resource":"*","Condition":)" +
             cond + "}");
}

void PrintTo(const BadDoc& c, std::ostream* os) { *os << c.name; }

class MalformedDocTest : public ::testing::TestWithParam<BadDoc> {};

TEST_P(MalformedDocTest, RejectedNamingTheBadPart) {
  const BadDoc& c = GetParam();
  Result<Policy> r = ParsePolicy(c.text, c.kind);
  ASSERT_FALSE(r.ok()) << c.text;
  EXPECT_EQ(r.error().code(), c.code) << r.error().message();
  EXPECT_EQ(r.error().http_status(), 400);
  EXPECT_NE(r.error().message().find(c.message_part), std::string::npos)
      << "message: " << r.error().message() << "\nwanted: " << c.message_part;
  EXPECT_TRUE(IsValidUtf8(r.error().message()));
}

constexpr std::string_view kMalformed = errors::kMalformedPolicyDocument.code;
constexpr std::string_view kInvalid = errors::kPolicyDocumentInvalidValue.code;
constexpr std::string_view kLength = errors::kPolicyDocumentLength.code;
constexpr PolicyKind kId = PolicyKind::kIdentity;
constexpr PolicyKind kTr = PolicyKind::kTrust;

const BadDoc kBadDocs[] = {
    {"Empty", "", kId, kLength, "1 to 6144"},
    {"NotJson", "not json", kId, kMalformed,
     "not valid JSON at line 1, column 2"},
    {"Truncated", R"({"Version":"1","Statement":[)", kId, kMalformed,
     "not valid JSON"},
    {"TrailingGarbage", Doc(kOk) + " x", kId, kMalformed, "not valid JSON"},
    {"InvalidUtf8", "{\"Version\":\"\xff\xfe\"}", kId, kMalformed,
     "not valid JSON"},
    {"NotAnObject", "[]", kId, kMalformed, "must be a JSON object, not a list"},
    {"TooDeep", WithCond(R"({"StringEquals":{"a:b":[[[[["x"]]]]]}})"), kId,
     kMalformed,
     "nesting deeper than 8 levels (in "
     "Statement[0].Condition.StringEquals.a:b[0][0])"},
    {"MissingVersion", R"({"Statement":[)" + kOk + "]}", kId, kInvalid,
     "Version is required"},
    {"WrongVersion", R"({"Version":"2","Statement":[)" + kOk + "]}", kId,
     kInvalid, "Version must be \"1\""},
    {"NumericVersion", R"({"Version":1,"Statement":[)" + kOk + "]}", kId,
     kInvalid, "Version must be \"1\""},
    {"MissingStatement", R"({"Version":"1"})", kId, kInvalid,
     "Statement is required"},
    {"EmptyStatement", Doc(""), kId, kInvalid, "Statement must not be empty"},
    {"StatementString", R"({"Version":"1","Statement":"x"})", kId, kInvalid,
     "Statement must be a list of statements, not a string"},
    {"StatementItemNotObject", Doc(kOk + ",\"x\""), kId, kInvalid,
     "Statement[1] must be an object, not a string"},
    {"UnknownTopLevelField",
     R"({"Version":"1","Id":"x","Statement":[)" + kOk + "]}", kId, kInvalid,
     "unknown field \"Id\""},
    {"DuplicateTopLevelKey",
     R"({"Version":"1","Statement":[)" + kOk + R"(],"Statement":[]})", kId,
     kInvalid, "duplicate key \"Statement\""},
    {"BadEffect",
     Doc(kOk + R"(,{"Effect":"allow","Action":"*","Resource":"*"})"), kId,
     kInvalid, "Statement[1].Effect must be \"Allow\" or \"Deny\""},
    {"MissingEffect", Doc(R"({"Action":"*","Resource":"*"})"), kId, kInvalid,
     "Statement[0].Effect is required"},
    {"SingleObjectPath",
     R"({"Version":"1","Statement":{"Effect":"Maybe","Action":"*","Resource":"*"}})",
     kId, kInvalid, "Statement.Effect must be"},
    {"DuplicateEffect",
     Doc(R"({"Effect":"Deny","Effect":"Allow","Action":"*","Resource":"*"})"),
     kId, kInvalid, "Statement[0]: duplicate key \"Effect\""},
    {"MisspelledCondition",
     Doc(R"({"Effect":"Allow","Action":"*","Resource":"*","Condtion":{}})"),
     kId, kInvalid, "Statement[0]: unknown field \"Condtion\""},
    {"WrongCaseField", Doc(R"({"effect":"Allow","Action":"*","Resource":"*"})"),
     kId, kInvalid, "field names are case-sensitive: \"Effect\""},
    {"ActionAndNotAction",
     Doc(R"({"Effect":"Allow","Action":"*","NotAction":"*","Resource":"*"})"),
     kId, kInvalid, "Statement[0] must not have both Action and NotAction"},
    {"NoAction", Doc(R"({"Effect":"Allow","Resource":"*"})"), kId, kInvalid,
     "Statement[0] must have Action or NotAction"},
    {"ActionWithoutService",
     Doc(R"({"Effect":"Allow","Action":"ecs","Resource":"*"})"), kId, kInvalid,
     "Statement[0].Action: \"ecs\" is not a valid action"},
    {"ActionBadChars",
     Doc(R"({"Effect":"Allow","Action":["ecs:Describe*","ecs:Start Instance"],"Resource":"*"})"),
     kId, kInvalid, "Statement[0].Action[1]: \"ecs:Start Instance\""},
    {"ActionItemNumber",
     Doc(R"({"Effect":"Allow","Action":["ecs:*",7],"Resource":"*"})"), kId,
     kInvalid, "Statement[0].Action[1] must be a string, not a number"},
    {"ActionEmptyList", Doc(R"({"Effect":"Allow","Action":[],"Resource":"*"})"),
     kId, kInvalid, "Statement[0].Action must not be an empty list"},
    {"ActionObject",
     Doc(R"({"Effect":"Allow","Action":{"a":1},"Resource":"*"})"), kId,
     kInvalid, "Statement[0].Action must be a string or a list of strings"},
    {"MissingResource", Doc(R"({"Effect":"Allow","Action":"*"})"), kId,
     kInvalid, "Statement[0] must have Resource or NotResource"},
    {"ResourceAndNotResource",
     Doc(R"({"Effect":"Allow","Action":"*","Resource":"*","NotResource":"*"})"),
     kId, kInvalid, "must not have both Resource and NotResource"},
    {"AwsArn",
     Doc(R"({"Effect":"Allow","Action":"*","Resource":"arn:aws:s3:::bucket/x"})"),
     kId, kInvalid,
     "Statement[0].Resource: \"arn:aws:s3:::bucket/x\" is not a valid "
     "resource"},
    {"ShortArn",
     Doc(R"({"Effect":"Allow","Action":"*","Resource":["*","acs:ecs:*"]})"),
     kId, kInvalid, "Statement[0].Resource[1]: \"acs:ecs:*\""},
    {"PrincipalInIdentity",
     Doc(R"({"Effect":"Allow","Action":"*","Resource":"*","Principal":"*"})"),
     kId, kInvalid,
     "Statement[0].Principal is not allowed in a permission policy"},
    {"ResourceInTrust",
     Doc(R"({"Effect":"Allow","Action":"sts:AssumeRole","Resource":"*","Principal":"*"})"),
     kTr, kInvalid, "Statement[0].Resource is not allowed in a trust policy"},
    {"NoPrincipalInTrust",
     Doc(R"({"Effect":"Allow","Action":"sts:AssumeRole"})"), kTr, kInvalid,
     "Statement[0].Principal is required in a trust policy"},
    {"UnknownPrincipalType",
     Doc(R"({"Effect":"Allow","Action":"sts:AssumeRole","Principal":{"AWS":"*"}})"),
     kTr, kInvalid, "Statement[0].Principal: unknown field \"AWS\""},
    {"BadRamPrincipal",
     Doc(R"({"Effect":"Allow","Action":"sts:AssumeRole","Principal":{"RAM":["123","alice"]}})"),
     kTr, kInvalid, "Statement[0].Principal.RAM[1]: \"alice\""},
    {"PrincipalNotStar",
     Doc(R"({"Effect":"Allow","Action":"sts:AssumeRole","Principal":"everyone"})"),
     kTr, kInvalid, "Statement[0].Principal must be \"*\""},
    {"UnknownOperator", WithCond(R"({"StringEqualz":{"acs:AccessId":"x"}})"),
     kId, kInvalid,
     "Statement[0].Condition: unknown operator \"StringEqualz\""},
    {"OperatorWrongCase", WithCond(R"({"stringequals":{"acs:AccessId":"x"}})"),
     kId, kInvalid, "operator names are case-sensitive: \"StringEquals\""},
    {"SetOperator",
     WithCond(R"({"ForAnyValue:StringEquals":{"acs:AccessId":"x"}})"), kId,
     kInvalid, "set operators and IfExists are not supported"},
    {"ConditionNotObject", WithCond(R"(["x"])"), kId, kInvalid,
     "Statement[0].Condition must be an object, not a list"},
    {"OperatorBlockNotObject", WithCond(R"({"StringEquals":"x"})"), kId,
     kInvalid, "Statement[0].Condition.StringEquals must be an object"},
    {"KeyWithoutPrefix", WithCond(R"({"IpAddress":{"SourceIp":"1.2.3.4"}})"),
     kId, kInvalid, "condition key \"SourceIp\" must look like"},
    {"EmptyValueList", WithCond(R"({"StringEquals":{"acs:AccessId":[]}})"), kId,
     kInvalid,
     "Statement[0].Condition.StringEquals.acs:AccessId must not be an empty "
     "list"},
    {"NullValue", WithCond(R"({"StringEquals":{"acs:AccessId":null}})"), kId,
     kInvalid, "must be a string, number or boolean, not null"},
    {"NotANumber", WithCond(R"({"NumericLessThan":{"ecs:Count":["1","abc"]}})"),
     kId, kInvalid,
     "Statement[0].Condition.NumericLessThan.ecs:Count[1]: \"abc\" is not a "
     "number"},
    {"NotADate", WithCond(R"({"DateLessThan":{"acs:CurrentTime":"tomorrow"}})"),
     kId, kInvalid, "\"tomorrow\" is not a date"},
    {"BadDateField",
     WithCond(R"({"DateLessThan":{"acs:CurrentTime":"2026-02-30T00:00:00Z"}})"),
     kId, kInvalid, "is not a date"},
    {"NotABool", WithCond(R"({"Bool":{"acs:SecureTransport":"yes"}})"), kId,
     kInvalid, "\"yes\" is not true or false"},
    {"BadIp", WithCond(R"({"IpAddress":{"acs:SourceIp":"10.0.0.300/8"}})"), kId,
     kInvalid, "\"10.0.0.300/8\" is not an IP address or CIDR block"},
    {"BadPrefix",
     WithCond(R"({"NotIpAddress":{"acs:SourceIp":"10.0.0.0/33"}})"), kId,
     kInvalid, "is not an IP address or CIDR block"},
    {"BadIpv6", WithCond(R"({"IpAddress":{"acs:SourceIp":"2001:db8:::1"}})"),
     kId, kInvalid, "is not an IP address or CIDR block"},
};

INSTANTIATE_TEST_SUITE_P(Parse, MalformedDocTest, ::testing::ValuesIn(kBadDocs),
                         [](const ::testing::TestParamInfo<BadDoc>& info) {
                           return std::string(info.param.name);
                         });

TEST(ParsePolicyLimitsTest, LengthCountsCharactersIncludingWhitespace) {
  std::string doc = Doc(kOk);
  std::string at_limit =
      doc + std::string(kMaxPolicyDocumentChars - doc.size(), ' ');
  EXPECT_TRUE(ParsePolicy(at_limit, kId).ok());
  Result<Policy> over = ParsePolicy(at_limit + " ", kId);
  ASSERT_FALSE(over.ok());
  EXPECT_EQ(over.error().code(), kLength);
}

TEST(ParsePolicyLimitsTest, LengthCountsCodePointsNotBytes) {
  // "é" is two bytes, one character: 6144 characters in more bytes is fine.
  std::string prefix =
      R"({"Version":"1","Statement":[{"Effect":"Allow","Action":"*","Resource":"*","Condition":{"StringEquals":{"acs:UserName":")";
  std::string suffix = R"("}}}]})";
  size_t n = kMaxPolicyDocumentChars - prefix.size() - suffix.size();
  std::string text = prefix;
  for (size_t i = 0; i < n; ++i) text += "\xc3\xa9";
  text += suffix;
  ASSERT_GT(text.size(), kMaxPolicyDocumentChars);
  Result<Policy> r = ParsePolicy(text, kId);
  ASSERT_TRUE(r.ok()) << r.error().message();
  EXPECT_EQ(r->statements[0].conditions[0].values[0].size(), 2 * n);
  EXPECT_FALSE(ParsePolicy(text + " ", kId).ok());
}

TEST(ParsePolicyLimitsTest, HugeInputIsRefusedBeforeParsing) {
  std::string huge(1 << 20, '[');
  Result<Policy> r = ParsePolicy(huge, kId);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code(), kLength);
}

TEST(ParsePolicyLimitsTest, DepthLimit) {
  // Deep nesting within the size limit is refused at the 9th level.
  std::string deep = std::string(3000, '[') + std::string(3000, ']');
  Result<Policy> r = ParsePolicy(deep, kId);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code(), kMalformed);
  EXPECT_NE(r.error().message().find("nesting deeper than 8"),
            std::string::npos);
  // The grammar's own depth (6 levels) is fine.
  EXPECT_TRUE(
      ParsePolicy(WithCond(R"({"StringEquals":{"a:b":["x"]}})"), kId).ok());
}

TEST(ParsePolicyLimitsTest, ListItemLimit) {
  std::string actions = "[";
  for (size_t i = 0; i <= kMaxListValues; ++i) {
    if (i) actions += ",";
    actions += "\"*\"";
  }
  actions += "]";
  Result<Policy> r = ParsePolicy(
      Doc(R"({"Effect":"Allow","Action":)" + actions + R"(,"Resource":"*"})"),
      kId);
  ASSERT_FALSE(r.ok());
  EXPECT_NE(
      r.error().message().find("Statement[0].Action: more than 1024 items"),
      std::string::npos)
      << r.error().message();
}

TEST(ParsePolicyLimitsTest, LongValuesAreTruncatedInMessages) {
  std::string long_action(3000, 'x');
  Result<Policy> r = ParsePolicy(Doc(R"({"Effect":"Allow","Action":")" +
                                     long_action + R"(","Resource":"*"})"),
                                 kId);
  ASSERT_FALSE(r.ok());
  EXPECT_LT(r.error().message().size(), 400u);
  EXPECT_NE(r.error().message().find("...\""), std::string::npos);
}

TEST(ParsePolicyFuzzTest, ArbitraryBytesNeverCrash) {
  // A cheap in-process stand-in for the libFuzzer target: mutations of
  // valid documents and random bytes must give a policy or a 400, with a
  // message that is valid UTF-8.
  std::vector<std::string> seeds;
  for (const SystemPolicy& sp : SystemPolicies()) {
    seeds.emplace_back(sp.document);
  }
  seeds.push_back(WithCond(
      R"({"IpAddress":{"acs:SourceIp":["10.0.0.0/8","2001:db8::/32"]},"DateLessThan":{"acs:CurrentTime":"2026-01-01T00:00:00+08:00"}})"));
  std::mt19937 rng(20261127);
  const char kAlphabet[] = "{}[]\":,*?\\ aZ09.-/\xc3\xa9\xff";
  int accepted = 0;
  for (int iter = 0; iter < 20000; ++iter) {
    std::string s = seeds[rng() % seeds.size()];
    int edits = 1 + rng() % 4;
    for (int e = 0; e < edits && !s.empty(); ++e) {
      size_t pos = rng() % s.size();
      switch (rng() % 3) {
        case 0:
          s[pos] = kAlphabet[rng() % (sizeof(kAlphabet) - 1)];
          break;
        case 1:
          s.erase(pos, 1 + rng() % 3);
          break;
        default:
          s.insert(pos, 1, kAlphabet[rng() % (sizeof(kAlphabet) - 1)]);
      }
    }
    for (PolicyKind kind : {kId, kTr}) {
      Result<Policy> r = ParsePolicy(s, kind);
      if (r.ok()) {
        ++accepted;
        // Whatever parses round-trips.
        std::string canonical = SerializePolicy(*r);
        Result<Policy> again = ParsePolicy(canonical, kind);
        ASSERT_TRUE(again.ok()) << s;
        EXPECT_EQ(*again, *r) << s;
        EXPECT_EQ(SerializePolicy(*again), canonical) << s;
        EXPECT_LE(canonical.size(), s.size()) << s;
      } else {
        EXPECT_EQ(r.error().http_status(), 400);
        EXPECT_TRUE(IsValidUtf8(r.error().message())) << s;
      }
    }
  }
  EXPECT_GT(accepted, 0);
}

TEST(SystemPoliciesTest, EveryDocumentParsesAndRoundTrips) {
  ASSERT_EQ(SystemPolicies().size(), 8u);
  for (const SystemPolicy& sp : SystemPolicies()) {
    SCOPED_TRACE(sp.name);
    EXPECT_FALSE(sp.description.empty());
    Result<Policy> p = ParsePolicy(sp.document, kId);
    ASSERT_TRUE(p.ok()) << p.error().message();
    std::string canonical = SerializePolicy(*p);
    Result<Policy> again = ParsePolicy(canonical, kId);
    ASSERT_TRUE(again.ok()) << canonical;
    EXPECT_EQ(*again, *p);
    EXPECT_EQ(SerializePolicy(*again), canonical);
    EXPECT_EQ(ParsedSystemPolicy(sp), *p);
    EXPECT_EQ(FindSystemPolicy(sp.name), &sp);
  }
}

TEST(SystemPoliciesTest, LookupIsCaseSensitive) {
  ASSERT_NE(FindSystemPolicy("AliyunSWASFullAccess"), nullptr);
  EXPECT_EQ(FindSystemPolicy("aliyunswasfullaccess"), nullptr);
  EXPECT_EQ(FindSystemPolicy("AliyunSWASFullAccess "), nullptr);
  EXPECT_EQ(FindSystemPolicy(""), nullptr);
  const char* names[] = {
      "AdministratorAccess",      "AliyunSWASFullAccess",
      "AliyunSWASReadOnlyAccess", "AliyunECSFullAccess",
      "AliyunECSReadOnlyAccess",  "AliyunRAMFullAccess",
      "AliyunRAMReadOnlyAccess",  "AliyunSTSAssumeRoleAccess"};
  for (const char* n : names) EXPECT_NE(FindSystemPolicy(n), nullptr) << n;
}

TEST(SerializePolicyTest, CanonicalForm) {
  Policy p = MustParse(R"({"Statement":[{"Resource":["*"],"Action":"ecs:*",
      "Effect":"Allow","Condition":{"Bool":{"acs:SecureTransport":true},
      "NumericLessThan":{"ecs:Count":[1.50,"2","-0",-0,"007"]},
      "StringEquals":{"acs:UserName":"a\"\\\u00e9\u0001\/"}}}],
      "Version":"1"})");
  EXPECT_EQ(
      SerializePolicy(p),
      R"({"Version":"1","Statement":{"Effect":"Allow","Action":"ecs:*","Resource":"*","Condition":{"Bool":{"acs:SecureTransport":true},"NumericLessThan":{"ecs:Count":[1.50,2,"-0",0,"007"]},"StringEquals":{"acs:UserName":"a\"\\)"
      "\xc3\xa9"
      R"(\u0001/"}}}})");
  Policy t = MustParse(
      R"({"Version":"1","Statement":[{"Effect":"Deny","NotAction":"ram:*","Principal":{"Service":"ecs.aliyuncs.com","RAM":["123","456"]}},{"Effect":"Allow","Action":"sts:AssumeRole","Principal":"*"}]})",
      kTr);
  EXPECT_EQ(
      SerializePolicy(t),
      R"({"Version":"1","Statement":[{"Effect":"Deny","NotAction":"ram:*","Principal":{"RAM":["123","456"],"Service":"ecs.aliyuncs.com"}},{"Effect":"Allow","Action":"sts:AssumeRole","Principal":"*"}]})");
}

TEST(SerializePolicyTest, NeverLongerThanTheInput) {
  // Compact input that a naive canonical form (lists everywhere, every
  // value quoted) would blow past the length limit.
  std::string values = "[";
  for (int i = 0; i < 1000; ++i) values += i ? ",1" : "1";
  values += "]";
  std::string text =
      R"({"Version":"1","Statement":{"Effect":"Allow","Action":"*","Resource":"*","Condition":{"NumericEquals":{"a:b":)" +
      values + "}}}}";
  Policy p = MustParse(text);
  std::string canonical = SerializePolicy(p);
  EXPECT_LE(canonical.size(), text.size());
  Result<Policy> again = ParsePolicy(canonical, kId);
  ASSERT_TRUE(again.ok()) << again.error().message();
  EXPECT_EQ(*again, p);
}

// ---- Typed values and patterns (match.h) ----

TEST(MatchValuesTest, Dates) {
  EXPECT_EQ(ParseDateMillis("1970-01-01T00:00:00Z"), 0);
  EXPECT_EQ(ParseDateMillis("1970-01-02"), 86400000);
  EXPECT_EQ(ParseDateMillis("86400"), 86400000);
  EXPECT_EQ(ParseDateMillis("2026-11-27T20:00:00Z"),
            ParseDateMillis("2026-11-28T04:00:00+08:00"));
  EXPECT_EQ(ParseDateMillis("2026-11-27T20:00:00Z"),
            ParseDateMillis("2026-11-27T15:00:00-0500"));
  EXPECT_EQ(*ParseDateMillis("2026-11-27T20:00:00.123456Z") -
                *ParseDateMillis("2026-11-27T20:00:00Z"),
            123);
  EXPECT_EQ(ParseDateMillis("2026-11-27T20:00Z"),
            ParseDateMillis("2026-11-27T20:00:00"));
  EXPECT_TRUE(ParseDateMillis("2024-02-29").has_value());
  for (const char* bad :
       {"", "2023-02-29", "2026-13-01", "2026-11-27T24:00:00Z",
        "2026-11-27T20:00:00ZZ", "2026-11-27 20:00:00", "2026-11-27T20", "-1",
        "1234567890123", "2026-11-27T20:00:00.Z", "2026-1-1",
        "2026-11-27T20:00:00+8"}) {
    EXPECT_FALSE(ParseDateMillis(bad).has_value()) << bad;
  }
}

TEST(MatchValuesTest, NumbersAndBools) {
  EXPECT_EQ(ParseNumber("10"), 10.0);
  EXPECT_EQ(ParseNumber("-2.5"), -2.5);
  EXPECT_EQ(ParseNumber("1e3"), 1000.0);
  for (const char* bad : {"", " 1", "1 ", "0x10", "inf", "nan", "-inf", "+1",
                          "1e999", "abc", "-"}) {
    EXPECT_FALSE(ParseNumber(bad).has_value()) << bad;
  }
  EXPECT_EQ(ParseBool("TRUE"), true);
  EXPECT_EQ(ParseBool("false"), false);
  EXPECT_FALSE(ParseBool("1").has_value());
}

TEST(MatchValuesTest, IpAddresses) {
  for (const char* good :
       {"0.0.0.0", "255.255.255.255", "::", "::1",
        "1::", "2001:db8::8a2e:370:7334", "1:2:3:4:5:6:7:8", "::ffff:10.0.0.1",
        "64:ff9b::192.0.2.33", "1:2:3:4:5:6:7::"}) {
    EXPECT_TRUE(ParseIpAddress(good).has_value()) << good;
  }
  for (const char* bad :
       {"", "1.2.3", "1.2.3.4.5", "256.0.0.1", "01.2.3.4", "1.2.3.4 ",
        ":::", ":1", "1:", "1:2:3:4:5:6:7:8:9", "12345::", "fe80::1%eth0",
        "1::2::3", "g::", "1.2.3.4::", "::1.2.3"}) {
    EXPECT_FALSE(ParseIpAddress(bad).has_value()) << bad;
  }
  std::optional<IpAddress> mapped = ParseIpAddress("::ffff:10.0.0.1");
  ASSERT_TRUE(mapped.has_value());
  EXPECT_FALSE(mapped->v6);
  std::optional<IpBlock> b = ParseIpBlock("10.1.2.3/8");
  ASSERT_TRUE(b.has_value());
  EXPECT_TRUE(IpInBlock(*ParseIpAddress("10.200.0.1"), *b));
  EXPECT_FALSE(IpInBlock(*ParseIpAddress("11.0.0.1"), *b));
  EXPECT_TRUE(IpInBlock(*ParseIpAddress("10.0.0.1"),
                        *ParseIpBlock("::ffff:10.0.0.0/104")));
  for (const char* bad : {"10.0.0.0/", "10.0.0.0/33", "10.0.0.0/08", "::/129",
                          "10.0.0.0/-1", "/8"}) {
    EXPECT_FALSE(ParseIpBlock(bad).has_value()) << bad;
  }
}

TEST(MatchPatternTest, WildcardsAreLinearEnough) {
  std::string text(5000, 'a');
  std::string pattern;
  for (int i = 0; i < 500; ++i) pattern += "a*";
  pattern += "b";
  EXPECT_FALSE(WildcardMatch(pattern, text, false));
  EXPECT_TRUE(WildcardMatch("?", "\xc3\xa9", false));  // one character
  EXPECT_FALSE(WildcardMatch("??", "\xc3\xa9", false));
  EXPECT_TRUE(WildcardMatch("", "", false));
  EXPECT_FALSE(WildcardMatch("", "a", false));
  EXPECT_TRUE(WildcardMatch("a*", "a", false));
}

}  // namespace
}  // namespace swasd::ram
