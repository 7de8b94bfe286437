#include "gateway/idempotency.h"

#include <spdlog/spdlog.h>

#include <array>

#include "base/crypto.h"
#include "base/errors.h"
#include "gateway/authn.h"
#include "protocol/canonical.h"

namespace swasd::gateway {

Result<Json> Mutator::Run(
    const CallContext& ctx, std::string_view ram_action, const Args& args,
    const std::function<Result<Json>(store::Tx&)>& work) const {
  std::optional<std::string> token = args.String("ClientToken");
  if (token && token->empty()) token.reset();
  static constexpr std::array<std::string_view, 1> kExclude = {"ClientToken"};
  std::string params_hash;
  if (token) {
    params_hash = crypto::Sha256Hex(
        protocol::CanonicalQueryString(args.raw(), kExclude));
  }
  const int64_t now = clock_->NowUnixSeconds();
  // Only calls routed by the dispatcher know their operation.
  const bool audit = audit_ != nullptr && ctx.operation != nullptr;
  Json result;
  auto body = [&](store::Tx& tx) -> Status {
    if (token) {
      SWASD_ASSIGN_OR_RETURN(
          auto record,
          tx.GetIdempotency(ctx.principal.account_id, ram_action, *token));
      if (record && record->created_at >= now - retention_.count()) {
        if (record->params_hash != params_hash) {
          return errors::kIdempotentParameterMismatch;
        }
        result = Json::parse(record->response);
        return Status::Ok();
      }
    }
    SWASD_ASSIGN_OR_RETURN(result, work(tx));
    if (audit) SWASD_RETURN_IF_ERROR(audit_->Record(tx, ctx, args, nullptr));
    if (token) {
      store::IdempotencyRecord rec;
      rec.account_id = ctx.principal.account_id;
      rec.action = std::string(ram_action);
      rec.token = *token;
      rec.params_hash = params_hash;
      rec.http_status = 200;
      rec.response = result.dump();
      rec.created_at = now;
      SWASD_RETURN_IF_ERROR(tx.PutIdempotency(rec));
    }
    return Status::Ok();
  };
  Status s;
  if (NonceTicket* ticket = ctx.nonce; ticket != nullptr && !ticket->claimed) {
    // The request's nonce commits with the work, in one group, but in its
    // own unit: a failed mutation must not un-record it, or the captured
    // request could be replayed later when it would succeed.
    ticket->claimed = true;
    s = store_->WriteThen(
        [ticket](store::Tx& tx) { return ClaimNonceIn(tx, ticket); }, body);
  } else {
    s = store_->Write(body);
  }
  if (!s.ok()) {
    // The failed call's transaction rolled back; its event is written on
    // its own (gateway/audit.h). Not after a storage failure: the store is
    // what failed.
    // Nor for a replayed request: it did no work (SignatureNonceUsed).
    const bool replay = ctx.nonce != nullptr && ctx.nonce->replay;
    if (audit && !replay && s.error().http_status() < 500) {
      if (Status a = audit_->RecordAlone(ctx, args, s.error()); !a.ok()) {
        spdlog::warn("request {}: audit event of a failed call not written: {}",
                     ctx.request_id, a.error().message());
      }
    }
    return std::move(s).error();
  }
  return result;
}

Status Mutator::Purge() const {
  int64_t cutoff = clock_->NowUnixSeconds() - retention_.count();
  return store_->Write([&](store::Tx& tx) -> Status {
    auto n = tx.PurgeIdempotency(cutoff);
    if (!n.ok()) return std::move(n).error();
    return Status::Ok();
  });
}

}  // namespace swasd::gateway
