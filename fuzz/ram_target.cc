// RAM policy documents: parse, canonical round trip, and evaluation
// invariants. Built only when src/ram is part of the build.
#include <string>

#include "fuzz_check.h"
#include "ram/evaluate.h"
#include "ram/policy.h"
#include "targets.h"

namespace swasd::fuzz {
namespace {

std::string_view AsView(const uint8_t* data, size_t size) {
  return {reinterpret_cast<const char*>(data), size};
}

std::vector<std::string_view> Fields(std::string_view in, size_t n) {
  std::vector<std::string_view> out;
  while (out.size() + 1 < n) {
    size_t sep = in.find('\x01');
    if (sep == std::string_view::npos) break;
    out.push_back(in.substr(0, sep));
    in.remove_prefix(sep + 1);
  }
  out.push_back(in);
  while (out.size() < n) out.emplace_back();
  return out;
}

bool HasEffect(const ram::Policy& p, ram::Effect e) {
  for (const auto& s : p.statements) {
    if (s.effect == e) return true;
  }
  return false;
}

const ram::Policy& DenyAll() {
  static const ram::Policy kDeny = [] {
    auto p = ram::ParsePolicy(
        R"({"Version":"1","Statement":[{"Effect":"Deny","Action":"*","Resource":"*"}]})",
        ram::PolicyKind::kIdentity);
    FUZZ_CHECK(p.ok(), "the deny-all policy does not parse");
    return std::move(p).value();
  }();
  return kDeny;
}

}  // namespace

// Input: kind byte, then policy 01 action 01 resource 01 keys ("k=v" lines).
// Invariants:
//  - failures are 400 with one of the three documented codes;
//  - a parsed policy has statements; SerializePolicy is a canonical form:
//    it parses back to an equal policy and re-serializes identically;
//  - identity policies: Evaluate is deterministic; no Deny statement -> never
//    ExplicitDeny; no Allow statement -> never Allow; evaluating the policy
//    twice changes nothing; adding a deny-all policy gives ExplicitDeny;
//    a session policy equal to the identity policy gives the same answer;
//  - trust policies: EvaluateTrust is deterministic and Allow needs an Allow
//    statement.
int FuzzRamPolicy(const uint8_t* data, size_t size) {
  if (size == 0) return 0;
  ram::PolicyKind kind = (data[0] & 1) ? ram::PolicyKind::kTrust : ram::PolicyKind::kIdentity;
  auto f = Fields(AsView(data + 1, size - 1), 4);
  auto parsed = ram::ParsePolicy(f[0], kind);
  if (!parsed.ok()) {
    const std::string& c = parsed.error().code();
    FUZZ_CHECK(parsed.error().http_status() == 400 &&
                   (c == "InvalidParameter.PolicyDocument.Length" ||
                    c == "MalformedPolicyDocument" ||
                    c == "InvalidParameter.PolicyDocument.InvalidValue"),
               c + ": " + parsed.error().message());
    return 0;
  }
  const ram::Policy& p = *parsed;
  FUZZ_CHECK(!p.statements.empty(), "no statements");
  std::string ser = ram::SerializePolicy(p);
  auto again = ram::ParsePolicy(ser, kind);
  FUZZ_CHECK(again.ok(), "canonical form refused: " + again.error().message() + "\n" + ser);
  FUZZ_CHECK(*again == p, "canonical form parses to another policy:\n" + ser);
  FUZZ_CHECK(ram::SerializePolicy(*again) == ser, "canonical form is not a fixpoint");

  ram::RequestContext ctx;
  ctx.action = std::string(f[1]);
  ctx.resource = f[2].empty() ? "*" : std::string(f[2]);
  std::string_view keys = f[3];
  while (!keys.empty() && ctx.keys.size() < 16) {
    size_t nl = keys.find('\n');
    std::string_view line = keys.substr(0, nl);
    keys = nl == std::string_view::npos ? std::string_view() : keys.substr(nl + 1);
    size_t eq = line.find('=');
    if (eq == std::string_view::npos) continue;
    ctx.keys[std::string(line.substr(0, eq))].push_back(std::string(line.substr(eq + 1)));
  }

  if (kind == ram::PolicyKind::kIdentity) {
    const ram::Policy* one[] = {&p};
    ram::Decision d = ram::Evaluate(one, ctx);
    FUZZ_CHECK(ram::Evaluate(one, ctx) == d, "not deterministic");
    if (!HasEffect(p, ram::Effect::kDeny)) {
      FUZZ_CHECK(d != ram::Decision::kExplicitDeny, "deny without a Deny statement\n" + ser);
    }
    if (!HasEffect(p, ram::Effect::kAllow)) {
      FUZZ_CHECK(d != ram::Decision::kAllow, "allow without an Allow statement\n" + ser);
    }
    const ram::Policy* twice[] = {&p, &p};
    FUZZ_CHECK(ram::Evaluate(twice, ctx) == d, "evaluating twice changed the decision");
    const ram::Policy* with_deny[] = {&p, &DenyAll()};
    FUZZ_CHECK(ram::Evaluate(with_deny, ctx) == ram::Decision::kExplicitDeny,
               "deny-all did not deny");
    FUZZ_CHECK(ram::EvaluateSession(one, p, ctx) == d,
               "session policy equal to the identity policy changed the decision\n" + ser);
    const ram::Policy* none[] = {nullptr};
    FUZZ_CHECK(ram::Evaluate(none, ctx) == ram::Decision::kImplicitDeny, "null policy");
  } else {
    ram::Decision d = ram::EvaluateTrust(p, ctx.resource, ctx.action, ctx);
    FUZZ_CHECK(ram::EvaluateTrust(p, ctx.resource, ctx.action, ctx) == d, "not deterministic");
    if (!HasEffect(p, ram::Effect::kAllow)) {
      FUZZ_CHECK(d != ram::Decision::kAllow, "trust allow without an Allow statement\n" + ser);
    }
  }
  return 0;
}

}  // namespace swasd::fuzz
