// Firewall rules of a server: ListFirewallRules, CreateFirewallRule,
// DeleteFirewallRule, the calls Terraform's
// alicloud_simple_application_server_firewall_rule makes. A server's rules
// are one store document (swas/model.h); a server without one has
// Alibaba's defaults, TCP 22, 80 and 443, whose ids are derived from the
// server's id so they read the same before and after the first change.
#include <cctype>
#include <string_view>
#include <utility>

#include "base/crypto.h"
#include "base/encoding.h"
#include "base/ids.h"
#include "swas/errors.h"
#include "swas/service.h"

namespace swasd::swas {
namespace {

// Alibaba documents no limit; 100 rules a server is swasd's.
constexpr size_t kMaxRules = 100;

std::vector<FirewallRule> Defaults(const std::string& instance_id) {
  std::vector<FirewallRule> out;
  for (const auto& [port, remark] : {std::pair{"22", "SSH"}, std::pair{"80", "HTTP"},
                                     std::pair{"443", "HTTPS"}}) {
    std::string id = crypto::Sha256Hex(instance_id + "/default/" + port).substr(0, 32);
    out.push_back({id, port, "TCP", remark});
  }
  return out;
}

Result<std::vector<FirewallRule>> Load(store::Tx& tx, const Instance& inst) {
  SWASD_ASSIGN_OR_RETURN(auto r, tx.GetResource(kFirewallKind, inst.account_id, inst.id));
  if (!r) return Defaults(inst.id);
  return FirewallRulesFrom(*r);
}

// TCP, UDP or TCP+UDP for what Alibaba's pages and Terraform send; empty
// when it is neither.
std::string Protocol(std::string p) {
  for (char& c : p) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  if (p == "TCP" || p == "UDP" || p == "TCP+UDP") return p;
  if (p == "TCPANDUDP") return "TCP+UDP";
  return "";
}

// "N" or "A/B", 1 <= A <= B <= 65535, digits only.
bool ValidPort(const std::string& port) {
  auto number = [](std::string_view s, int* out) {
    if (s.empty() || s.size() > 5) return false;
    int v = 0;
    for (char c : s) {
      if (c < '0' || c > '9') return false;
      v = v * 10 + (c - '0');
    }
    *out = v;
    return v >= 1 && v <= 65535;
  };
  size_t slash = port.find('/');
  int a = 0, b = 0;
  if (slash == std::string::npos) return number(port, &a);
  return number(std::string_view(port).substr(0, slash), &a) &&
         number(std::string_view(port).substr(slash + 1), &b) && a <= b;
}

}  // namespace

Result<Listed<FirewallRule>> Service::ListFirewallRules(
    store::Tx& tx, const std::string& account, const std::string& region,
    const std::string& instance_id, const std::optional<std::string>& rule_id,
    Page page) const {
  SWASD_ASSIGN_OR_RETURN(Instance inst, GetInstance(tx, account, region, instance_id));
  SWASD_ASSIGN_OR_RETURN(auto rules, Load(tx, inst));
  if (rule_id) {
    std::erase_if(rules, [&](const FirewallRule& f) { return f.id != *rule_id; });
  }
  return store::PageOf(std::move(rules), page);
}

Result<std::string> Service::CreateFirewallRule(
    store::Tx& tx, const std::string& account, const std::string& region,
    const std::string& instance_id, const std::string& port, const std::string& protocol,
    const std::string& remark) const {
  SWASD_ASSIGN_OR_RETURN(Instance inst, GetInstance(tx, account, region, instance_id));
  std::string proto = Protocol(protocol);
  if (proto.empty()) return errors::kInvalidProtocolValueNotSupported;
  if (!ValidPort(port)) return errors::kInvalidPortValueNotSupported;
  SWASD_ASSIGN_OR_RETURN(auto rules, Load(tx, inst));
  for (const auto& f : rules) {
    if (f.port == port && f.protocol == proto) return errors::kFirewallRuleAlreadyExist;
  }
  if (rules.size() >= kMaxRules) return errors::kFirewallRuleLimitExceed;
  FirewallRule rule{HexLower(ids::RandomBytes(16, "swas/firewall-rule")), port, proto, remark};
  rules.push_back(rule);
  SWASD_RETURN_IF_ERROR(tx.PutResource(FirewallResource(inst, rules)));
  return rule.id;
}

Status Service::DeleteFirewallRule(store::Tx& tx, const std::string& account,
                                   const std::string& region,
                                   const std::string& instance_id,
                                   const std::string& rule_id) const {
  SWASD_ASSIGN_OR_RETURN(Instance inst, GetInstance(tx, account, region, instance_id));
  SWASD_ASSIGN_OR_RETURN(auto rules, Load(tx, inst));
  auto gone = std::erase_if(rules, [&](const FirewallRule& f) { return f.id == rule_id; });
  if (gone == 0) return errors::kInvalidFirewallRuleIdNotFound;
  return tx.PutResource(FirewallResource(inst, rules));
}

}  // namespace swasd::swas
