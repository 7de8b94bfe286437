#include "ram/evaluate.h"

#include <gtest/gtest.h>

#include <map>
#include <string>
#include <vector>

#include "ram/match.h"
#include "ram/system_policies.h"

namespace swasd::ram {
namespace {

using Keys = std::map<std::string, std::vector<std::string>>;

// ---- Building documents ----

// A JSON value: a list literal passes through, anything else is quoted.
std::string J(const std::string& v) {
  return !v.empty() && (v[0] == '[' || v[0] == '{') ? v : "\"" + v + "\"";
}
std::string St(const std::string& effect, const std::string& afield,
               const std::string& a, const std::string& rfield,
               const std::string& r, const std::string& cond = "") {
  std::string s = R"({"Effect":")" + effect + R"(",")" + afield + "\":" + J(a) +
                  ",\"" + rfield + "\":" + J(r);
  if (!cond.empty()) s += ",\"Condition\":" + cond;
  return s + "}";
}
std::string Allow(const std::string& a, const std::string& r,
                  const std::string& cond = "") {
  return St("Allow", "Action", a, "Resource", r, cond);
}
std::string Deny(const std::string& a, const std::string& r,
                 const std::string& cond = "") {
  return St("Deny", "Action", a, "Resource", r, cond);
}
std::string Doc(const std::string& s1, const std::string& s2 = "") {
  return R"({"Version":"1","Statement":[)" + s1 + (s2.empty() ? "" : "," + s2) +
         "]}";
}
// An Allow of everything under one condition block.
std::string AllowIf(const std::string& cond) {
  return Doc(Allow("*", "*", cond));
}
// Allow everything, but deny everything under one condition block.
std::string AllowAllDenyIf(const std::string& cond) {
  return Doc(Allow("*", "*"), Deny("*", "*", cond));
}

constexpr char kAccount[] = "1234567890123456";
const std::string kImage =
    "acs:swas-open:cn-hangzhou:1234567890123456:customimage/m-1";
const std::string kList = "swas-open:ListInstances";
const std::string kShare = "swas-open:ModifyImageShareStatus";

const Keys kNoKeys;
const Keys kStd = {{"acs:SourceIp", {"192.168.1.10"}},
                   {"acs:CurrentTime", {"2026-11-27T20:00:00Z"}},
                   {"acs:SecureTransport", {"true"}},
                   {"acs:AccessId", {"LTAI5tExample"}}};

struct Case {
  const char* name;
  std::vector<std::string> policies;
  std::string action;
  std::string resource;
  Keys keys;
  Decision want;
};

constexpr Decision kAllow = Decision::kAllow;
constexpr Decision kExplicit = Decision::kExplicitDeny;
constexpr Decision kImplicit = Decision::kImplicitDeny;

std::vector<Policy> ParseAll(const std::vector<std::string>& docs,
                             PolicyKind kind) {
  std::vector<Policy> out;
  for (const std::string& d : docs) {
    Result<Policy> p = ParsePolicy(d, kind);
    EXPECT_TRUE(p.ok()) << d << "\n -> " << (p.ok() ? "" : p.error().message());
    if (p.ok()) out.push_back(std::move(p).value());
  }
  return out;
}

std::vector<const Policy*> Ptrs(const std::vector<Policy>& ps) {
  std::vector<const Policy*> out;
  for (const Policy& p : ps) out.push_back(&p);
  return out;
}

// ---- Identity policies: the table ----

const Case kCases[] = {
    // Actions.
    {"NoPolicies", {}, kList, "*", kStd, kImplicit},
    {"ExactAction", {Doc(Allow(kList, "*"))}, kList, "*", kStd, kAllow},
    {"OtherAction",
     {Doc(Allow(kList, "*"))},
     "swas-open:ListImages",
     "*",
     kStd,
     kImplicit},
    {"StarEverything", {Doc(Allow("*", "*"))}, kShare, kImage, kStd, kAllow},
    {"ServiceStar",
     {Doc(Allow("swas-open:*", "*"))},
     kShare,
     kImage,
     kStd,
     kAllow},
    {"ServiceStarOtherService",
     {Doc(Allow("ecs:*", "*"))},
     kList,
     "*",
     kStd,
     kImplicit},
    {"ServiceIsNotAPrefix",
     {Doc(Allow("swas:*", "*"))},
     kList,
     "*",
     kStd,
     kImplicit},
    {"PrefixStar",
     {Doc(Allow("swas-open:List*", "*"))},
     kList,
     "*",
     kStd,
     kAllow},
    {"PrefixStarMiss",
     {Doc(Allow("swas-open:List*", "*"))},
     "swas-open:DeleteInstance",
     "*",
     kStd,
     kImplicit},
    {"QuestionMarkOneChar",
     {Doc(Allow("swas-open:ListInstance?", "*"))},
     kList,
     "*",
     kStd,
     kAllow},
    {"QuestionMarkNeedsAChar",
     {Doc(Allow("swas-open:ListInstances?", "*"))},
     kList,
     "*",
     kStd,
     kImplicit},
    {"ActionCaseInsensitive",
     {Doc(Allow("SWAS-OPEN:listinstances", "*"))},
     kList,
     "*",
     kStd,
     kAllow},
    {"ServiceWildcardDoesNotSpanColon",
     {Doc(Allow("swas*:Instances", "*"))},
     kList,
     "*",
     kStd,
     kImplicit},
    {"AnyServiceOneAction",
     {Doc(Allow("*:ListInstances", "*"))},
     kList,
     "*",
     kStd,
     kAllow},
    {"ActionListOr",
     {Doc(Allow(R"(["ecs:Describe*","swas-open:ListInstances"])", "*"))},
     kList,
     "*",
     kStd,
     kAllow},
    {"ActionWithoutColonOnlyStar",
     {Doc(Allow("ecs:*", "*"))},
     "ecs",
     "*",
     kStd,
     kImplicit},

    // Resources, per ARN segment.
    {"ExactArn", {Doc(Allow(kShare, kImage))}, kShare, kImage, kStd, kAllow},
    {"RegionStar",
     {Doc(Allow(kShare, "acs:swas-open:*:1234567890123456:customimage/m-1"))},
     kShare,
     kImage,
     kStd,
     kAllow},
    {"RegionPrefix",
     {Doc(
         Allow(kShare, "acs:swas-open:cn-*:1234567890123456:customimage/m-1"))},
     kShare,
     kImage,
     kStd,
     kAllow},
    {"RegionMismatch",
     {Doc(Allow(kShare,
                "acs:swas-open:cn-beijing:1234567890123456:customimage/m-1"))},
     kShare,
     kImage,
     kStd,
     kImplicit},
    {"AccountMismatch",
     {Doc(Allow(kShare, "acs:swas-open:*:999:customimage/m-1"))},
     kShare,
     kImage,
     kStd,
     kImplicit},
    {"RegionStarDoesNotSpanColon",
     {Doc(Allow(kShare, "acs:swas-open:*:1234567890123456:*"))},
     kShare,
     "acs:swas-open:cn-hangzhou:x:1234567890123456:customimage/m-1",
     kStd,
     kImplicit},
    {"RelativeIdStar",
     {Doc(Allow(kShare, "acs:swas-open:*:*:customimage/*"))},
     kShare,
     kImage,
     kStd,
     kAllow},
    {"RelativeIdStarSpansSlash",
     {Doc(Allow("swas-open:*", "acs:swas-open:*:*:instance/*"))},
     kShare,
     "acs:swas-open:cn-hangzhou:1234567890123456:instance/s-1/disk/d-1",
     kStd,
     kAllow},
    {"AllStarsArn",
     {Doc(Allow("swas-open:*", "acs:swas-open:*:*:*"))},
     kShare,
     kImage,
     kStd,
     kAllow},
    {"ResourceTypeMismatch",
     {Doc(Allow(kShare, "acs:swas-open:*:*:snapshot/*"))},
     kShare,
     kImage,
     kStd,
     kImplicit},
    {"RelativeIdCaseSensitive",
     {Doc(Allow(kShare, "acs:swas-open:*:*:customimage/M-1"))},
     kShare,
     kImage,
     kStd,
     kImplicit},
    {"ServiceSegmentCaseInsensitive",
     {Doc(Allow(kShare, "ACS:SWAS-OPEN:*:*:customimage/m-1"))},
     kShare,
     kImage,
     kStd,
     kAllow},
    {"ServiceSegmentMismatch",
     {Doc(Allow(kShare, "acs:ecs:*:*:*"))},
     kShare,
     kImage,
     kStd,
     kImplicit},
    {"RelativeIdQuestionMark",
     {Doc(Allow(kShare, "acs:swas-open:*:*:customimage/m-?"))},
     kShare,
     kImage,
     kStd,
     kAllow},
    {"RelativeIdTwoQuestionMarks",
     {Doc(Allow(kShare, "acs:swas-open:*:*:customimage/m-??"))},
     kShare,
     kImage,
     kStd,
     kImplicit},
    {"ArnPatternVsNoResourceLevelAuth",
     {Doc(Allow("swas-open:*", "acs:swas-open:*:*:*"))},
     "swas-open:ListImages",
     "*",
     kStd,
     kImplicit},
    {"StarPatternVsNoResourceLevelAuth",
     {Doc(Allow("swas-open:*", "*"))},
     "swas-open:ListImages",
     "*",
     kStd,
     kAllow},
    {"EmptyRegionSegment",
     {Doc(Allow("sts:AssumeRole", "acs:ram:*:*:role/*"))},
     "sts:AssumeRole",
     "acs:ram::1234567890123456:role/admin",
     kStd,
     kAllow},
    {"ResourceListOr",
     {Doc(Allow(
         kShare,
         R"(["acs:swas-open:*:*:snapshot/*","acs:swas-open:*:*:customimage/*"])"))},
     kShare,
     kImage,
     kStd,
     kAllow},

    // NotAction / NotResource.
    {"NotActionAllowsOthers",
     {Doc(St("Allow", "NotAction", "ecs:*", "Resource", "*"))},
     kList,
     "*",
     kStd,
     kAllow},
    {"NotActionExcludes",
     {Doc(St("Allow", "NotAction", "swas-open:*", "Resource", "*"))},
     kList,
     "*",
     kStd,
     kImplicit},
    {"NotResourceAllowsOthers",
     {Doc(St("Allow", "Action", kShare, "NotResource",
             "acs:swas-open:*:*:snapshot/*"))},
     kShare,
     kImage,
     kStd,
     kAllow},
    {"NotResourceExcludes",
     {Doc(St("Allow", "Action", kShare, "NotResource",
             "acs:swas-open:*:*:customimage/*"))},
     kShare,
     kImage,
     kStd,
     kImplicit},
    {"DenyNotActionDeniesTheRest",
     {Doc(Allow("*", "*"),
          St("Deny", "NotAction", "swas-open:List*", "Resource", "*"))},
     kShare,
     kImage,
     kStd,
     kExplicit},
    {"DenyNotActionSparesListed",
     {Doc(Allow("*", "*"),
          St("Deny", "NotAction", "swas-open:List*", "Resource", "*"))},
     kList,
     "*",
     kStd,
     kAllow},

    // Deny beats Allow; implicit deny.
    {"DenyBeatsAllowSamePolicy",
     {Doc(Allow("*", "*"), Deny(kShare, "*"))},
     kShare,
     kImage,
     kStd,
     kExplicit},
    {"DenyBeatsAllowAcrossPolicies",
     {Doc(Allow("swas-open:*", "*")), Doc(Deny("swas-open:Modify*", kImage))},
     kShare,
     kImage,
     kStd,
     kExplicit},
    {"DenyOrderDoesNotMatter",
     {Doc(Deny("swas-open:Modify*", kImage)), Doc(Allow("swas-open:*", "*"))},
     kShare,
     kImage,
     kStd,
     kExplicit},
    {"DenyOtherResourceLeavesAllow",
     {Doc(Allow("swas-open:*", "*"),
          Deny(kShare, "acs:swas-open:*:*:customimage/m-2"))},
     kShare,
     kImage,
     kStd,
     kAllow},
    {"DenyOnlyIsExplicit", {Doc(Deny("*", "*"))}, kList, "*", kStd, kExplicit},
    {"NonMatchingDenyIsImplicit",
     {Doc(Deny("ecs:*", "*"))},
     kList,
     "*",
     kStd,
     kImplicit},
    {"AdministratorAccessAllowsAll",
     {std::string(FindSystemPolicy("AdministratorAccess")->document)},
     kShare,
     kImage,
     kStd,
     kAllow},
    {"ReadOnlyDeniesWrites",
     {std::string(FindSystemPolicy("AliyunSWASReadOnlyAccess")->document)},
     kShare,
     kImage,
     kStd,
     kImplicit},
    {"ReadOnlyAllowsLists",
     {std::string(FindSystemPolicy("AliyunSWASReadOnlyAccess")->document)},
     kList,
     "*",
     kStd,
     kAllow},

    // String operators.
    {"StringEqualsMatch",
     {AllowIf(R"({"StringEquals":{"acs:AccessId":"LTAI5tExample"}})")},
     kList,
     "*",
     kStd,
     kAllow},
    {"StringEqualsMismatch",
     {AllowIf(R"({"StringEquals":{"acs:AccessId":"LTAIother"}})")},
     kList,
     "*",
     kStd,
     kImplicit},
    {"StringEqualsIsCaseSensitive",
     {AllowIf(R"({"StringEquals":{"acs:AccessId":"ltai5texample"}})")},
     kList,
     "*",
     kStd,
     kImplicit},
    {"StringEqualsIgnoreCase",
     {AllowIf(
         R"({"StringEqualsIgnoreCase":{"acs:AccessId":"ltai5texample"}})")},
     kList,
     "*",
     kStd,
     kAllow},
    {"StringNotEqualsDifferent",
     {AllowIf(R"({"StringNotEquals":{"acs:AccessId":"LTAIother"}})")},
     kList,
     "*",
     kStd,
     kAllow},
    {"StringNotEqualsSame",
     {AllowIf(R"({"StringNotEquals":{"acs:AccessId":"LTAI5tExample"}})")},
     kList,
     "*",
     kStd,
     kImplicit},
    {"StringNotEqualsIgnoreCaseSame",
     {AllowIf(
         R"({"StringNotEqualsIgnoreCase":{"acs:AccessId":"ltai5texample"}})")},
     kList,
     "*",
     kStd,
     kImplicit},
    {"StringLikeStar",
     {AllowIf(R"({"StringLike":{"acs:AccessId":"LTAI*"}})")},
     kList,
     "*",
     kStd,
     kAllow},
    {"StringLikeQuestionMark",
     {AllowIf(R"({"StringLike":{"acs:AccessId":"LTAI?tExampl?"}})")},
     kList,
     "*",
     kStd,
     kAllow},
    {"StringLikeMismatch",
     {AllowIf(R"({"StringLike":{"acs:AccessId":"STS.*"}})")},
     kList,
     "*",
     kStd,
     kImplicit},
    {"StringNotLikeMatching",
     {AllowIf(R"({"StringNotLike":{"acs:AccessId":"LTAI*"}})")},
     kList,
     "*",
     kStd,
     kImplicit},
    {"StringNotLikeOther",
     {AllowIf(R"({"StringNotLike":{"acs:AccessId":"STS.*"}})")},
     kList,
     "*",
     kStd,
     kAllow},

    // Absent keys: never grant; negated operators still deny.
    {"AbsentKeyPositiveAllow",
     {AllowIf(R"({"StringEquals":{"acs:AccessId":"x"}})")},
     kList,
     "*",
     kNoKeys,
     kImplicit},
    {"AbsentKeyNegatedAllowNeverGrants",
     {AllowIf(R"({"StringNotEquals":{"acs:AccessId":"x"}})")},
     kList,
     "*",
     kNoKeys,
     kImplicit},
    {"AbsentKeyNotIpAddressAllowNeverGrants",
     {AllowIf(R"({"NotIpAddress":{"acs:SourceIp":"10.0.0.0/8"}})")},
     kList,
     "*",
     kNoKeys,
     kImplicit},
    {"AbsentKeyNegatedDenyApplies",
     {AllowAllDenyIf(R"({"StringNotEquals":{"acs:AccessId":"x"}})")},
     kList,
     "*",
     kNoKeys,
     kExplicit},
    {"AbsentKeyPositiveDenyDoesNotApply",
     {AllowAllDenyIf(R"({"StringEquals":{"acs:AccessId":"x"}})")},
     kList,
     "*",
     kNoKeys,
     kAllow},
    {"AbsentSourceIpDenyUnlessCorpNet",
     {AllowAllDenyIf(R"({"NotIpAddress":{"acs:SourceIp":"10.0.0.0/8"}})")},
     kList,
     "*",
     kNoKeys,
     kExplicit},
    {"UnusableSourceIpDenyUnlessCorpNet",
     {AllowAllDenyIf(R"({"NotIpAddress":{"acs:SourceIp":"10.0.0.0/8"}})")},
     kList,
     "*",
     Keys{{"acs:SourceIp", {"not-an-ip"}}},
     kExplicit},
    {"EmptyValueListIsAbsent",
     {AllowIf(R"({"StringNotEquals":{"acs:AccessId":"x"}})")},
     kList,
     "*",
     Keys{{"acs:AccessId", {}}},
     kImplicit},
    {"UnknownKeyNeverGrants",
     {AllowIf(R"({"StringLike":{"acs:NoSuchKey":"*"}})")},
     kList,
     "*",
     kStd,
     kImplicit},
    {"UnknownKeyNegatedNeverGrants",
     {AllowIf(R"({"StringNotLike":{"swas-open:Whatever":"x"}})")},
     kList,
     "*",
     kStd,
     kImplicit},
    {"KeyLookupIsCaseInsensitive",
     {AllowIf(R"({"IpAddress":{"ACS:sourceip":"192.168.0.0/16"}})")},
     kList,
     "*",
     kStd,
     kAllow},

    // Numeric operators.
    {"NumericEqualsNormalizes",
     {AllowIf(R"({"NumericEquals":{"ecs:Count":"10"}})")},
     kList,
     "*",
     Keys{{"ecs:Count", {"10.0"}}},
     kAllow},
    {"NumericEqualsJsonNumber",
     {AllowIf(R"({"NumericEquals":{"ecs:Count":10}})")},
     kList,
     "*",
     Keys{{"ecs:Count", {"10"}}},
     kAllow},
    {"NumericNotEquals",
     {AllowIf(R"({"NumericNotEquals":{"ecs:Count":10}})")},
     kList,
     "*",
     Keys{{"ecs:Count", {"11"}}},
     kAllow},
    {"NumericNotEqualsSame",
     {AllowIf(R"({"NumericNotEquals":{"ecs:Count":10}})")},
     kList,
     "*",
     Keys{{"ecs:Count", {"1e1"}}},
     kImplicit},
    {"NumericLessThanTrue",
     {AllowIf(R"({"NumericLessThan":{"ecs:Count":10}})")},
     kList,
     "*",
     Keys{{"ecs:Count", {"9.5"}}},
     kAllow},
    {"NumericLessThanEqualIsFalse",
     {AllowIf(R"({"NumericLessThan":{"ecs:Count":10}})")},
     kList,
     "*",
     Keys{{"ecs:Count", {"10"}}},
     kImplicit},
    {"NumericLessThanEquals",
     {AllowIf(R"({"NumericLessThanEquals":{"ecs:Count":10}})")},
     kList,
     "*",
     Keys{{"ecs:Count", {"10"}}},
     kAllow},
    {"NumericGreaterThan",
     {AllowIf(R"({"NumericGreaterThan":{"ecs:Count":-1}})")},
     kList,
     "*",
     Keys{{"ecs:Count", {"0"}}},
     kAllow},
    {"NumericGreaterThanEqualsFalse",
     {AllowIf(R"({"NumericGreaterThanEquals":{"ecs:Count":10}})")},
     kList,
     "*",
     Keys{{"ecs:Count", {"9"}}},
     kImplicit},
    {"NumericRequestNotANumber",
     {AllowIf(R"({"NumericNotEquals":{"ecs:Count":10}})")},
     kList,
     "*",
     Keys{{"ecs:Count", {"ten"}}},
     kImplicit},

    // Date operators (time comes in as acs:CurrentTime).
    {"DateLessThanTrue",
     {AllowIf(
         R"({"DateLessThan":{"acs:CurrentTime":"2027-01-01T00:00:00Z"}})")},
     kList,
     "*",
     kStd,
     kAllow},
    {"DateLessThanExpired",
     {AllowIf(
         R"({"DateLessThan":{"acs:CurrentTime":"2026-11-27T19:59:59Z"}})")},
     kList,
     "*",
     kStd,
     kImplicit},
    {"DateGreaterThanFalse",
     {AllowIf(
         R"({"DateGreaterThan":{"acs:CurrentTime":"2026-11-27T20:00:00Z"}})")},
     kList,
     "*",
     kStd,
     kImplicit},
    {"DateGreaterThanEqualsSameInstant",
     {AllowIf(
         R"({"DateGreaterThanEquals":{"acs:CurrentTime":"2026-11-27T20:00:00Z"}})")},
     kList,
     "*",
     kStd,
     kAllow},
    {"DateLessThanEqualsWithOffset",
     {AllowIf(
         R"({"DateLessThanEquals":{"acs:CurrentTime":"2026-11-28T04:00:00+08:00"}})")},
     kList,
     "*",
     kStd,
     kAllow},
    {"DateEqualsAcrossZones",
     {AllowIf(
         R"({"DateEquals":{"acs:CurrentTime":"2026-11-28T04:00:00+08:00"}})")},
     kList,
     "*",
     kStd,
     kAllow},
    {"DateNotEquals",
     {AllowIf(R"({"DateNotEquals":{"acs:CurrentTime":"2026-01-01"}})")},
     kList,
     "*",
     kStd,
     kAllow},
    {"DateEpochSeconds",  // 2026-11-27T20:00:00Z is 1795809600.
     {AllowIf(R"({"DateGreaterThanEquals":{"acs:CurrentTime":1795809600}})")},
     kList,
     "*",
     kStd,
     kAllow},
    {"DateEpochSecondsTooLate",
     {AllowIf(R"({"DateGreaterThan":{"acs:CurrentTime":"1795809600"}})")},
     kList,
     "*",
     kStd,
     kImplicit},
    {"DateRequestGarbage",
     {AllowIf(R"({"DateNotEquals":{"acs:CurrentTime":"2026-01-01"}})")},
     kList,
     "*",
     Keys{{"acs:CurrentTime", {"yesterday"}}},
     kImplicit},

    // Bool.
    {"BoolTrue",
     {AllowIf(R"({"Bool":{"acs:SecureTransport":"true"}})")},
     kList,
     "*",
     kStd,
     kAllow},
    {"BoolJsonTrueVsFalse",
     {AllowIf(R"({"Bool":{"acs:SecureTransport":true}})")},
     kList,
     "*",
     Keys{{"acs:SecureTransport", {"false"}}},
     kImplicit},
    {"BoolCaseInsensitive",
     {AllowIf(R"({"Bool":{"acs:SecureTransport":"TRUE"}})")},
     kList,
     "*",
     Keys{{"acs:SecureTransport", {"True"}}},
     kAllow},
    {"BoolAbsent",
     {AllowIf(R"({"Bool":{"acs:MFAPresent":true}})")},
     kList,
     "*",
     kStd,
     kImplicit},
    {"DenyWithoutHttps",
     {AllowAllDenyIf(R"({"Bool":{"acs:SecureTransport":"false"}})")},
     kList,
     "*",
     Keys{{"acs:SecureTransport", {"false"}}},
     kExplicit},

    // IP addresses.
    {"IpV4CidrIn",
     {AllowIf(R"({"IpAddress":{"acs:SourceIp":"192.168.0.0/16"}})")},
     kList,
     "*",
     kStd,
     kAllow},
    {"IpV4CidrOut",
     {AllowIf(R"({"IpAddress":{"acs:SourceIp":"10.0.0.0/8"}})")},
     kList,
     "*",
     kStd,
     kImplicit},
    {"IpV4SingleAddress",
     {AllowIf(R"({"IpAddress":{"acs:SourceIp":"192.168.1.10"}})")},
     kList,
     "*",
     kStd,
     kAllow},
    {"IpV4OddPrefixOut",  // .12-.15
     {AllowIf(R"({"IpAddress":{"acs:SourceIp":"192.168.1.12/30"}})")},
     kList,
     "*",
     kStd,
     kImplicit},
    {"IpV4OddPrefixIn",  // .8-.11
     {AllowIf(R"({"IpAddress":{"acs:SourceIp":"192.168.1.8/30"}})")},
     kList,
     "*",
     kStd,
     kAllow},
    {"IpV4AnyAddress",
     {AllowIf(R"({"IpAddress":{"acs:SourceIp":"0.0.0.0/0"}})")},
     kList,
     "*",
     kStd,
     kAllow},
    {"IpV6CidrIn",
     {AllowIf(R"({"IpAddress":{"acs:SourceIp":"2001:db8::/32"}})")},
     kList,
     "*",
     Keys{{"acs:SourceIp", {"2001:db8:1::42"}}},
     kAllow},
    {"IpV6CidrOut",
     {AllowIf(R"({"IpAddress":{"acs:SourceIp":"2001:db8::/32"}})")},
     kList,
     "*",
     Keys{{"acs:SourceIp", {"2001:db9::1"}}},
     kImplicit},
    {"IpV6Loopback",
     {AllowIf(R"({"IpAddress":{"acs:SourceIp":"::1/128"}})")},
     kList,
     "*",
     Keys{{"acs:SourceIp", {"0:0:0:0:0:0:0:1"}}},
     kAllow},
    {"IpV4RequestVsV6Block",
     {AllowIf(R"({"IpAddress":{"acs:SourceIp":"::/0"}})")},
     kList,
     "*",
     kStd,
     kImplicit},
    {"IpV4MappedRequest",
     {AllowIf(R"({"IpAddress":{"acs:SourceIp":"10.0.0.0/8"}})")},
     kList,
     "*",
     Keys{{"acs:SourceIp", {"::ffff:10.1.2.3"}}},
     kAllow},
    {"NotIpAddressOutside",
     {AllowIf(R"({"NotIpAddress":{"acs:SourceIp":"10.0.0.0/8"}})")},
     kList,
     "*",
     kStd,
     kAllow},
    {"NotIpAddressInside",
     {AllowIf(R"({"NotIpAddress":{"acs:SourceIp":"192.168.0.0/16"}})")},
     kList,
     "*",
     kStd,
     kImplicit},
    {"DenyOutsideCorpNet",
     {AllowAllDenyIf(
         R"({"NotIpAddress":{"acs:SourceIp":["10.0.0.0/8","2001:db8::/32"]}})")},
     kList,
     "*",
     kStd,
     kExplicit},
    {"DenyOutsideCorpNetV6Inside",
     {AllowAllDenyIf(
         R"({"NotIpAddress":{"acs:SourceIp":["10.0.0.0/8","2001:db8::/32"]}})")},
     kList,
     "*",
     Keys{{"acs:SourceIp", {"2001:db8::5"}}},
     kAllow},

    // Combining: operators AND, keys AND, values OR.
    {"TwoKeysBothHold",
     {AllowIf(
         R"({"StringEquals":{"acs:AccessId":"LTAI5tExample","acs:SecureTransport":"true"}})")},
     kList,
     "*",
     kStd,
     kAllow},
    {"TwoKeysOneFails",
     {AllowIf(
         R"({"StringEquals":{"acs:AccessId":"LTAI5tExample","acs:SecureTransport":"false"}})")},
     kList,
     "*",
     kStd,
     kImplicit},
    {"TwoOperatorsBothHold",
     {AllowIf(
         R"({"IpAddress":{"acs:SourceIp":"192.168.0.0/16"},"Bool":{"acs:SecureTransport":true}})")},
     kList,
     "*",
     kStd,
     kAllow},
    {"TwoOperatorsOneFails",
     {AllowIf(
         R"({"IpAddress":{"acs:SourceIp":"192.168.0.0/16"},"Bool":{"acs:SecureTransport":false}})")},
     kList,
     "*",
     kStd,
     kImplicit},
    {"TwoOperatorsOneKeyAbsent",
     {AllowIf(
         R"({"IpAddress":{"acs:SourceIp":"192.168.0.0/16"},"Bool":{"acs:MFAPresent":true}})")},
     kList,
     "*",
     kStd,
     kImplicit},
    {"ValuesOr",
     {AllowIf(
         R"({"IpAddress":{"acs:SourceIp":["10.0.0.0/8","192.168.1.0/24"]}})")},
     kList,
     "*",
     kStd,
     kAllow},
    {"ValuesOrNoneMatch",
     {AllowIf(R"({"StringEquals":{"acs:AccessId":["a","b","c"]}})")},
     kList,
     "*",
     kStd,
     kImplicit},
    {"RequestValuesAnyMatch",
     {AllowIf(R"({"StringEquals":{"acs:RequestTag/env":"prod"}})")},
     kList,
     "*",
     Keys{{"acs:RequestTag/env", {"dev", "prod"}}},
     kAllow},
    {"RequestValuesNegatedNeedsNoneMatching",
     {AllowIf(R"({"StringNotEquals":{"acs:RequestTag/env":"prod"}})")},
     kList,
     "*",
     Keys{{"acs:RequestTag/env", {"dev", "prod"}}},
     kImplicit},
    {"ConditionsAndResourceTogether",
     {Doc(Allow(kShare, "acs:swas-open:cn-hangzhou:*:customimage/*",
                R"({"IpAddress":{"acs:SourceIp":"192.168.0.0/16"}})"))},
     kShare,
     kImage,
     kStd,
     kAllow},
};

void PrintTo(const Case& c, std::ostream* os) { *os << c.name; }

class EvaluateTableTest : public ::testing::TestWithParam<Case> {};

TEST_P(EvaluateTableTest, Decides) {
  const Case& c = GetParam();
  std::vector<Policy> policies = ParseAll(c.policies, PolicyKind::kIdentity);
  ASSERT_EQ(policies.size(), c.policies.size());
  std::vector<const Policy*> ptrs = Ptrs(policies);
  RequestContext ctx{c.action, c.resource, c.keys};
  EXPECT_EQ(DecisionName(Evaluate(ptrs, ctx)), DecisionName(c.want));
}

INSTANTIATE_TEST_SUITE_P(Table, EvaluateTableTest, ::testing::ValuesIn(kCases),
                         [](const ::testing::TestParamInfo<Case>& info) {
                           return std::string(info.param.name);
                         });

TEST(EvaluateTableTest, IsLargeEnough) { EXPECT_GE(std::size(kCases), 60u); }

TEST(EvaluateTest, NullPoliciesAreSkipped) {
  Result<Policy> p = ParsePolicy(Doc(Allow("*", "*")), PolicyKind::kIdentity);
  ASSERT_TRUE(p.ok());
  const Policy* ptrs[] = {nullptr, &*p, nullptr};
  EXPECT_EQ(Evaluate(ptrs, RequestContext{kList, "*", {}}), kAllow);
}

TEST(EvaluateTest, TrustPolicyGrantsNothingAsIdentityPolicy) {
  Result<Policy> t =
      ParsePolicy(Doc(R"({"Effect":"Allow","Action":"*","Principal":"*"})"),
                  PolicyKind::kTrust);
  ASSERT_TRUE(t.ok());
  const Policy* ptrs[] = {&*t};
  EXPECT_EQ(Evaluate(ptrs, RequestContext{kList, "*", {}}), kImplicit);
}

TEST(EvaluateTest, HandBuiltOddPoliciesNeverGrant) {
  // Values the parser would refuse still fail closed.
  Policy p;
  Statement s;
  s.effect = Effect::kAllow;
  s.not_action = true;  // NotAction [] would otherwise match everything
  s.not_resource = true;
  p.statements.push_back(s);
  Statement s2;
  s2.effect = Effect::kAllow;
  s2.actions = {"*"};
  s2.resources = {"*"};
  s2.conditions.push_back(
      Condition{static_cast<ConditionOperator>(999), "acs:AccessId", {"x"}});
  p.statements.push_back(s2);
  Statement s3 = s2;
  s3.conditions = {
      Condition{ConditionOperator::kNotIpAddress, "acs:SourceIp", {"garbage"}}};
  p.statements.push_back(s3);
  const Policy* ptrs[] = {&p};
  EXPECT_EQ(Evaluate(ptrs, RequestContext{kList, "*", kStd}), kImplicit);
}

// ---- Session policies ----

struct SessionCase {
  const char* name;
  std::vector<std::string> identity;
  std::string session;
  std::string action;
  std::string resource;
  Decision want;
};

const SessionCase kSessionCases[] = {
    {"BothAllow",
     {Doc(Allow("swas-open:*", "*"))},
     Doc(Allow("swas-open:List*", "*")),
     kList,
     "*",
     kAllow},
    {"SessionNarrowsAction",
     {Doc(Allow("swas-open:*", "*"))},
     Doc(Allow("swas-open:List*", "*")),
     kShare,
     kImage,
     kImplicit},
    {"SessionCannotWiden",
     {Doc(Allow("swas-open:List*", "*"))},
     Doc(Allow("*", "*")),
     kShare,
     kImage,
     kImplicit},
    {"SessionNarrowsResource",
     {Doc(Allow("swas-open:*", "*"))},
     Doc(Allow("swas-open:*", "acs:swas-open:*:*:customimage/m-2")),
     kShare,
     kImage,
     kImplicit},
    {"SessionResourceMatches",
     {Doc(Allow("swas-open:*", "*"))},
     Doc(Allow("swas-open:*", "acs:swas-open:*:*:customimage/m-*")),
     kShare,
     kImage,
     kAllow},
    {"SessionExplicitDeny",
     {Doc(Allow("*", "*"))},
     Doc(Allow("*", "*"), Deny(kShare, "*")),
     kShare,
     kImage,
     kExplicit},
    {"IdentityExplicitDeny",
     {Doc(Allow("*", "*"), Deny(kShare, "*"))},
     Doc(Allow("*", "*")),
     kShare,
     kImage,
     kExplicit},
    {"IdentityDenySessionSilent",
     {Doc(Deny(kShare, "*"))},
     Doc(Allow("ecs:*", "*")),
     kShare,
     kImage,
     kExplicit},
    {"NoIdentityPolicies", {}, Doc(Allow("*", "*")), kList, "*", kImplicit},
};

void PrintTo(const SessionCase& c, std::ostream* os) { *os << c.name; }

class EvaluateSessionTest : public ::testing::TestWithParam<SessionCase> {};

TEST_P(EvaluateSessionTest, Intersects) {
  const SessionCase& c = GetParam();
  std::vector<Policy> identity = ParseAll(c.identity, PolicyKind::kIdentity);
  std::vector<Policy> session = ParseAll({c.session}, PolicyKind::kIdentity);
  ASSERT_EQ(session.size(), 1u);
  std::vector<const Policy*> ptrs = Ptrs(identity);
  RequestContext ctx{c.action, c.resource, kStd};
  EXPECT_EQ(DecisionName(EvaluateSession(ptrs, session[0], ctx)),
            DecisionName(c.want));
}

INSTANTIATE_TEST_SUITE_P(Table, EvaluateSessionTest,
                         ::testing::ValuesIn(kSessionCases),
                         [](const ::testing::TestParamInfo<SessionCase>& info) {
                           return std::string(info.param.name);
                         });

// ---- Trust policies ----

struct TrustCase {
  const char* name;
  std::string trust;
  std::string caller_arn;
  std::string caller_account;
  Keys keys;
  Decision want;
};

std::string Trust(const std::string& principal, const std::string& cond = "",
                  const std::string& effect = "Allow",
                  const std::string& action = "sts:AssumeRole") {
  std::string s = R"({"Effect":")" + effect + R"(","Action":")" + action +
                  R"(","Principal":)" + principal;
  if (!cond.empty()) s += ",\"Condition\":" + cond;
  return s + "}";
}

const std::string kAlice = "acs:ram::1234567890123456:user/alice";
const std::string kRoot = "acs:ram::1234567890123456:root";
const std::string kOther = "acs:ram::6543210987654321:user/mallory";
const std::string kRootPrincipal =
    R"({"RAM":["acs:ram::1234567890123456:root"]})";

const TrustCase kTrustCases[] = {
    {"RootFormNamesAccountUser", Doc(Trust(kRootPrincipal)), kAlice, kAccount,
     kStd, kAllow},
    {"RootFormNamesAccountRoot", Doc(Trust(kRootPrincipal)), kRoot, kAccount,
     kStd, kAllow},
    {"RootFormOtherAccount", Doc(Trust(kRootPrincipal)), kOther,
     "6543210987654321", kStd, kImplicit},
    {"BareAccountId", Doc(Trust(R"({"RAM":"1234567890123456"})")), kAlice,
     kAccount, kStd, kAllow},
    {"BareAccountIdOtherAccount", Doc(Trust(R"({"RAM":"1234567890123456"})")),
     kOther, "6543210987654321", kStd, kImplicit},
    {"SpecificUser",
     Doc(Trust(R"({"RAM":"acs:ram::1234567890123456:user/alice"})")), kAlice,
     kAccount, kStd, kAllow},
    {"SpecificUserOtherUser",
     Doc(Trust(R"({"RAM":"acs:ram::1234567890123456:user/alice"})")),
     "acs:ram::1234567890123456:user/bob", kAccount, kStd, kImplicit},
    {"CrossAccountUser",
     Doc(Trust(R"({"RAM":"acs:ram::6543210987654321:root"})")), kOther,
     "6543210987654321", kStd, kAllow},
    {"RoleNamesItsSessions",
     Doc(Trust(R"({"RAM":"acs:ram::1234567890123456:role/builder"})")),
     "acs:ram::1234567890123456:assumed-role/builder/ci-42", kAccount, kStd,
     kAllow},
    {"RoleDoesNotNameOtherRolesSessions",
     Doc(Trust(R"({"RAM":"acs:ram::1234567890123456:role/builder"})")),
     "acs:ram::1234567890123456:assumed-role/builder2/ci-42", kAccount, kStd,
     kImplicit},
    {"ServicePrincipal", Doc(Trust(R"({"Service":["ecs.aliyuncs.com"]})")),
     "ecs.aliyuncs.com", "", kStd, kAllow},
    {"ServicePrincipalOtherService",
     Doc(Trust(R"({"Service":["ecs.aliyuncs.com"]})")), "fc.aliyuncs.com", "",
     kStd, kImplicit},
    {"ServiceDoesNotNameUsers",
     Doc(Trust(R"({"Service":["ecs.aliyuncs.com"]})")), kAlice, kAccount, kStd,
     kImplicit},
    {"FederatedPrincipal",
     Doc(Trust(
         R"({"Federated":"acs:ram::1234567890123456:saml-provider/idp"})")),
     "acs:ram::1234567890123456:saml-provider/idp", kAccount, kStd, kAllow},
    {"StarPrincipal", Doc(Trust(R"("*")")), kOther, "6543210987654321", kStd,
     kAllow},
    {"RamStarNamesAnyRamIdentity", Doc(Trust(R"({"RAM":"*"})")), kOther,
     "6543210987654321", kStd, kAllow},
    {"RamStarDoesNotNameServices", Doc(Trust(R"({"RAM":"*"})")),
     "ecs.aliyuncs.com", "", kStd, kImplicit},
    {"DenyStatementWins",
     Doc(Trust(kRootPrincipal),
         Trust(R"({"RAM":"acs:ram::1234567890123456:user/alice"})", "",
               "Deny")),
     kAlice, kAccount, kStd, kExplicit},
    {"DenyForOtherCallerIgnored",
     Doc(Trust(kRootPrincipal),
         Trust(R"({"RAM":"acs:ram::1234567890123456:user/bob"})", "", "Deny")),
     kAlice, kAccount, kStd, kAllow},
    {"OtherActionDoesNotAllow",
     Doc(Trust(kRootPrincipal, "", "Allow", "sts:GetCallerIdentity")), kAlice,
     kAccount, kStd, kImplicit},
    {"StarActionAllows", Doc(Trust(kRootPrincipal, "", "Allow", "sts:*")),
     kAlice, kAccount, kStd, kAllow},
    {"ConditionHolds",
     Doc(Trust(kRootPrincipal, R"({"Bool":{"acs:SecureTransport":"true"}})")),
     kAlice, kAccount, kStd, kAllow},
    {"ConditionFails",
     Doc(Trust(kRootPrincipal, R"({"Bool":{"acs:MFAPresent":"true"}})")),
     kAlice, kAccount, kStd, kImplicit},
    {"EmptyPolicyCallerIsImplicit", Doc(Trust(kRootPrincipal)), "", "", kStd,
     kImplicit},
};

void PrintTo(const TrustCase& c, std::ostream* os) { *os << c.name; }

class EvaluateTrustTest : public ::testing::TestWithParam<TrustCase> {};

TEST_P(EvaluateTrustTest, NamesTheCaller) {
  const TrustCase& c = GetParam();
  std::vector<Policy> trust = ParseAll({c.trust}, PolicyKind::kTrust);
  ASSERT_EQ(trust.size(), 1u);
  RequestContext ctx{"sts:AssumeRole", "acs:ram::1234567890123456:role/builder",
                     c.keys};
  EXPECT_EQ(DecisionName(
                EvaluateTrust(trust[0], c.caller_arn, c.caller_account, ctx)),
            DecisionName(c.want));
}

INSTANTIATE_TEST_SUITE_P(Table, EvaluateTrustTest,
                         ::testing::ValuesIn(kTrustCases),
                         [](const ::testing::TestParamInfo<TrustCase>& info) {
                           return std::string(info.param.name);
                         });

// ---- Matching primitives ----

TEST(MatchTest, ResourceSegments) {
  EXPECT_TRUE(MatchResource("*", "*"));
  EXPECT_TRUE(MatchResource("*", kImage));
  EXPECT_FALSE(MatchResource("acs:*:*:*:*", "*"));
  EXPECT_TRUE(MatchResource("acs:*:*:*:*", kImage));
  EXPECT_FALSE(MatchResource("acs:swas-open:*:*:customimage/m-1",
                             "acs:swas-open:cn:1:2:customimage/m-1"));
  // The relative id keeps its colons.
  EXPECT_TRUE(
      MatchResource("acs:oss:*:*:bucket/a:b", "acs:oss:cn:1:bucket/a:b"));
  EXPECT_TRUE(MatchResource("acs:oss:*:*:bucket/*", "acs:oss:cn:1:bucket/a:b"));
  // Non-ARN resources are compared whole.
  EXPECT_FALSE(MatchResource("something", kImage));
}

TEST(MatchTest, Actions) {
  EXPECT_TRUE(MatchAction("*", "anything"));
  EXPECT_TRUE(MatchAction("ecs:*", "ECS:DescribeInstances"));
  EXPECT_FALSE(MatchAction("ecs:*", "ecs"));
  EXPECT_FALSE(MatchAction("e*:*", "swas-open:x"));
  EXPECT_TRUE(MatchAction("*:*", "swas-open:x"));
}

TEST(DecisionTest, Names) {
  EXPECT_EQ(DecisionName(Decision::kAllow), "Allow");
  EXPECT_EQ(DecisionName(Decision::kExplicitDeny), "ExplicitDeny");
  EXPECT_EQ(DecisionName(Decision::kImplicitDeny), "ImplicitDeny");
}

}  // namespace
}  // namespace swasd::ram
