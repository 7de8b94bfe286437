#include "gateway/idempotency.h"

#include <spdlog/spdlog.h>

#include <array>

#include "base/crypto.h"
#include "base/errors.h"
#include "gateway/authn.h"
#include "protocol/canonical.h"

namespace swasd::gateway {

void Mutator::RunAsync(const CallContext& ctx, std::string_view ram_action,
                       const Args& args, Work work, Done done) const {
  // What the transaction decides, read by `done` after the commit.
  struct State {
    std::optional<std::string> token;
    std::string params_hash;
    std::string ram_action;
    Json result;
    Work work;
    Done done;
  };
  auto st = std::make_shared<State>();
  st->token = args.String("ClientToken");
  if (st->token && st->token->empty()) st->token.reset();
  static constexpr std::array<std::string_view, 1> kExclude = {"ClientToken"};
  if (st->token) {
    st->params_hash = crypto::Sha256Hex(
        protocol::CanonicalQueryString(args.raw(), kExclude));
  }
  st->ram_action = std::string(ram_action);
  st->work = std::move(work);
  st->done = std::move(done);
  const int64_t now = clock_->NowUnixSeconds();
  // Only calls routed by the dispatcher know their operation.
  const bool audit = audit_ != nullptr && ctx.operation != nullptr;
  auto body = [this, st, &ctx, &args, now, audit](store::Tx& tx) -> Status {
    if (st->token) {
      SWASD_ASSIGN_OR_RETURN(
          auto record,
          tx.GetIdempotency(ctx.principal.account_id, st->ram_action, *st->token));
      if (record && record->created_at >= now - retention_.count()) {
        if (record->params_hash != st->params_hash) {
          return errors::kIdempotentParameterMismatch;
        }
        st->result = Json::parse(record->response);
        return Status::Ok();
      }
    }
    SWASD_ASSIGN_OR_RETURN(st->result, st->work(tx));
    if (audit) SWASD_RETURN_IF_ERROR(audit_->Record(tx, ctx, args, nullptr));
    if (st->token) {
      store::IdempotencyRecord rec;
      rec.account_id = ctx.principal.account_id;
      rec.action = st->ram_action;
      rec.token = *st->token;
      rec.params_hash = st->params_hash;
      rec.http_status = 200;
      rec.response = st->result.dump();
      rec.created_at = now;
      SWASD_RETURN_IF_ERROR(tx.PutIdempotency(rec));
    }
    return Status::Ok();
  };
  auto finish = [this, st, &ctx, &args, audit](Status s) {
    if (s.ok()) return st->done(std::move(st->result));
    // The failed call's transaction rolled back; its event is written on
    // its own (gateway/audit.h). Not after a storage failure: the store is
    // what failed. Nor for a replayed request: it did no work
    // (SignatureNonceUsed).
    const bool replay = ctx.nonce != nullptr && ctx.nonce->replay;
    if (!audit || replay || s.error().http_status() >= 500) {
      return st->done(std::move(s).error());
    }
    auto error = std::make_shared<Error>(std::move(s).error());
    audit_->RecordAlone(ctx, args, *error, [st, &ctx, error](Status a) {
      if (!a.ok()) {
        spdlog::warn("request {}: audit event of a failed call not written: {}",
                     ctx.request_id, a.error().message());
      }
      st->done(std::move(*error));
    });
  };
  if (NonceTicket* ticket = ctx.nonce; ticket != nullptr && !ticket->claimed) {
    // The request's nonce commits with the work, in one group, but in its
    // own unit: a failed mutation must not un-record it, or the captured
    // request could be replayed later when it would succeed.
    ticket->claimed = true;
    store_->WriteThenAsync(
        [ticket](store::Tx& tx) { return ClaimNonceIn(tx, ticket); },
        std::move(body), std::move(finish));
  } else {
    store_->WriteAsync(std::move(body), std::move(finish));
  }
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
