// The operation table's row type. Every Action swasd serves is described by
// exactly one OperationSpec: its product and version, its parameters with
// their types and limits, its RAM action and resource, and its handler.
// That one table drives routing, parameter validation, authorization, the
// generated coverage docs (`swasd --dump-operations`) and, later, the
// console's forms. Products register their rows at start-up (Registry).
#ifndef SWASD_GATEWAY_OPERATION_H_
#define SWASD_GATEWAY_OPERATION_H_

#include <cstdint>
#include <functional>
#include <limits>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "apimodel/apimodel.h"
#include "base/clock.h"
#include "base/error.h"
#include "protocol/params.h"

namespace swasd::gateway {

using Json = nlohmann::ordered_json;

enum class ParamType {
  kString,
  kInteger,
  kBoolean,      // "true"/"false" (case-insensitive, as the SDKs send)
  // A JSON array of strings in one value (or a comma list); also read
  // from a repeat list (Name.1=a&Name.2=b) when the value itself is absent.
  kStringList,
  // The SDKs' "repeat" style: Name.1=a&Name.2=b (a list of scalars; each
  // value checked as `element`), or Name.1.Key=k&Name.1.Value=v (a list of
  // models; each field checked against `fields`).
  kRepeatList,
  kRepeatObjects,
  // The "flat" style: Name.Field=v (one model spread into keys).
  kFlat,
};

struct ParamSpec {
  std::string_view name;
  ParamType type = ParamType::kString;
  bool required = false;
  std::string_view description;
  // kString: byte-length bounds; 0 max_length means unbounded.
  size_t min_length = 0;
  size_t max_length = 0;
  bool ascii_only = false;  // printable ASCII only (e.g. ClientToken)
  // kString: allowed values (case-sensitive). Empty means any.
  std::vector<std::string_view> allowed;
  // kInteger bounds.
  int64_t min_value = std::numeric_limits<int64_t>::min();
  int64_t max_value = std::numeric_limits<int64_t>::max();
  // kStringList: most items.
  size_t max_items = 100;
  // kRepeatList: each item's type (kString or kInteger); the length and
  // range bounds above apply to every item.
  ParamType element = ParamType::kString;
  // kRepeatObjects, kFlat: the model's fields (a name, type and bounds
  // each); a field the model does not have is refused.
  std::vector<ParamSpec> fields;
  // Error for a value outside `allowed` (e.g. InvalidParam.OperationIllegal);
  // nullopt means the generic InvalidParameter.
  std::optional<ErrorSpec> invalid_error;
};

// Who is calling, established by authentication.
struct Principal {
  enum class Type { kRoot, kRamUser, kAssumedRole };
  Type type = Type::kRoot;
  std::string account_id;  // the account whose resources the call acts on
  std::string access_key_id;
  // Display name: "root", the RAM user name, or "<role>:<session>".
  std::string name;
  std::string user_name;  // kRamUser
  // kAssumedRole: the role (in account_id), the session, the optional
  // session policy that narrows the role's permissions, and the account
  // that assumed it.
  std::string role_name, role_id, session_name, session_policy;
  std::string caller_account_id;
};

// Parameters after validation against the operation's ParamSpecs. Only
// declared parameters are visible; getters return nullopt when absent.
class Args {
 public:
  explicit Args(const protocol::Params* params) : params_(params) {}
  std::optional<std::string> String(std::string_view name) const;
  // REQUIRES: the parameter is declared kInteger (already validated).
  std::optional<int64_t> Integer(std::string_view name) const;
  std::optional<bool> Boolean(std::string_view name) const;
  std::optional<std::vector<std::string>> StringList(
      std::string_view name) const;
  // kRepeatList: the values of Name.1, Name.2 ... in index order (empty
  // when none was sent).
  std::vector<std::string> Repeated(std::string_view name) const;
  // kRepeatObjects: one map per index, in index order, of the fields sent
  // (Tag.1.Key=k -> {{"Key","k"}}).
  using Fields = std::vector<std::pair<std::string, std::string>>;
  std::vector<Fields> Objects(std::string_view name) const;
  // kFlat: the fields sent as Name.Field.
  Fields Flat(std::string_view name) const;
  const protocol::Params& raw() const { return *params_; }

 private:
  const protocol::Params* params_;
};

// A request's signature nonce: verified, but recorded only when the
// request is answered. The dispatcher records it before the handler runs,
// except for operations with OperationSpec::claims_nonce, whose Mutator::Run
// records it in the same store group as the mutation (one commit instead of
// two); if the handler never gets there, the dispatcher records it at the
// end. Either way a replay is answered SignatureNonceUsed and does no work.
struct NonceTicket {
  std::string access_key_id;
  std::string nonce;
  int64_t now = 0;         // unix seconds at verification
  int64_t expires_at = 0;  // remembered until then
  bool claimed = false;    // a record attempt was made (it may have failed)
  bool replay = false;     // it was already recorded: refuse the request
};

struct OperationSpec;
struct ProductSpec;

struct CallContext {
  std::string request_id;
  // The operation being called and its product, when the call came through
  // the dispatcher (the audit trail names them).
  const OperationSpec* operation = nullptr;
  const ProductSpec* product = nullptr;
  std::string user_agent;  // the User-Agent header as received
  // The request's nonce, when the call came through the dispatcher.
  NonceTicket* nonce = nullptr;
  Principal principal;
  std::string host;       // the Host header as received
  std::string source_ip;  // the peer address
  const Clock* clock = nullptr;
};


// A handler returns the success body (without RequestId) or an Error.
using Handler =
    std::function<Result<Json>(const CallContext&, const Args&)>;
// The same, delivering the answer to `done` (exactly once, maybe on the
// store's writer thread) instead of returning it: a mutation waits for its
// commit without holding a thread (gateway/idempotency.h, RunAsync).
using AsyncHandler = std::function<void(const CallContext&, const Args&,
                                        std::function<void(Result<Json>)> done)>;

struct OperationSpec {
  std::string_view product;  // RAM service code, e.g. "swas-open"
  std::string_view version;  // "2020-06-01"
  std::string_view action;   // "ModifyImageShareStatus"
  std::string_view summary;
  std::vector<ParamSpec> params;
  // RAM action, e.g. "swas-open:ModifyImageShareStatus".
  std::string ram_action;
  // Resource ARN template; {RegionId}, {AccountId} and {<Param>} are filled
  // from the call. "*" when the operation has no resource-level control.
  std::string_view resource;
  bool mutating = false;
  Handler handler;
  // Set instead of `handler` (Routes::Write): the dispatcher calls it,
  // keeping ctx and args alive until `done`.
  AsyncHandler async_handler;
  // `handler` may wait for a store commit (it writes). The dispatcher then
  // runs it on its worker pool, never on an I/O thread. False for handlers
  // that only read the store, or do not use it.
  bool blocking = true;
  // False for operations Alibaba documents as needing no authorization
  // (ListRegions, sts:GetCallerIdentity): any authenticated caller may call.
  bool authorize = true;
  // The handler's first store write, if any, is Mutator::Run, which records
  // the request's nonce in the same transaction group (see NonceTicket).
  // Only set it for handlers that write nothing before that.
  bool claims_nonce = false;
  // Not-yet-supported parameters, listed in docs/coverage.md. The
  // Registry adds every parameter of the SDK's request model that `params`
  // does not declare, so the list cannot claim more than swasd reads; a
  // parameter that is validated but has no effect is listed here too
  // ("X (accepted, ...)"), never claimed as supported.
  std::vector<std::string_view> unsupported;
  // Canned response fields: always the same answer, not modelled (e.g.
  // "`Architecture` (always `x86_64`)"); listed in docs/coverage.md.
  std::vector<std::string_view> canned;
  // The SDK's description of this operation (request parameters, answer
  // shape), filled in by Registry::AddOperation from the API model.
  const apimodel::Operation* model = nullptr;
};

// A product is a Version: one registration adds it to the gateway.
struct ProductSpec {
  std::string_view code;     // RAM code "swas-open"
  std::string_view name;     // "SWAS-OPEN", used in Recommend links
  std::string_view version;  // "2020-06-01"
};

}  // namespace swasd::gateway

#endif  // SWASD_GATEWAY_OPERATION_H_
