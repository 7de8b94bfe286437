// The request pipeline of Alibaba's RPC protocol, from an HttpRequest to an
// HttpResponse:
//   method and path -> decode query and form parameters -> authenticate
//   -> route by (Version, Action) -> validate parameters -> authorize
//   -> handler -> envelope.
// Every answer, error or not, carries a RequestId. Unexpected failures
// (exceptions, storage errors) become InternalError 500; their cause is
// logged under the RequestId and never sent to the client.
//
// Where it runs (docs/architecture.md, "Request path"): Dispatch() does
// everything that cannot wait for a commit on the calling thread -- an I/O
// thread when DispatcherOptions::offload is set: decoding, authentication,
// authorization, validation, read handlers and rendering. What waits for
// a commit does not hold a thread: the nonce claim and mutations go to the
// store asynchronously (Store::WriteAsync) and the answer is delivered
// from the completion. Handlers that may block (OperationSpec::blocking)
// are handed to `offload`. Without `offload` everything runs on the
// calling thread (a worker, for a store that cannot write asynchronously).
//
// Thread-safe: Dispatch() and Handle() are called concurrently.
#ifndef SWASD_GATEWAY_DISPATCHER_H_
#define SWASD_GATEWAY_DISPATCHER_H_

#include <chrono>
#include <functional>
#include <memory>
#include <string>

#include "base/clock.h"
#include "gateway/audit.h"
#include "gateway/authn.h"
#include "gateway/authz.h"
#include "gateway/envelope.h"
#include "gateway/faults.h"
#include "gateway/throttle.h"
#include "gateway/registry.h"
#include "http/message.h"
#include "protocol/params.h"

namespace swasd::gateway {

struct DispatcherOptions {
  // HostId when the Host header is absent or unsafe to echo.
  std::string default_host_id = "swasd";
  protocol::ParamLimits param_limits;
  // An answer that does not fit the SDK's response model (a field the model
  // lacks, an object where it has an array) is logged; with strict_answers
  // it is also refused as InternalError, so tests catch it (--strict-answers).
  bool strict_answers = false;
  // The region of a call that sends no RegionId and did not call a
  // regional endpoint name (gateway/region.h). Empty: such a call is
  // answered MissingParameter.
  std::string default_region = "cn-hangzhou";
  // Where calls refused by authorization are recorded (gateway/audit.h);
  // none when null. Writes record through the Mutator.
  const AuditSink* audit = nullptr;
  // Flow control (gateway/throttle.h) and injected faults
  // (gateway/faults.h), asked in that order after authorization and before
  // the handler; none when null.
  const Throttle* throttle = nullptr;
  const FaultInjector* faults = nullptr;
  // Runs a task on a worker pool; see the header comment. Null: run on the
  // calling thread.
  std::function<void(std::function<void()>)> offload;
};

// What one call was, for the server's request log and metrics: filled as
// far as the call got (a call refused before authentication has no caller,
// one with an unknown Version no product). Strings the caller sent
// (version, action) are cut to 64 bytes and are not otherwise trusted.
struct CallRecord {
  std::string request_id;
  std::string product;  // "SWAS-OPEN"; empty when the Version is unknown
  std::string version;  // as sent
  std::string action;   // as sent
  // True when (version, action) names an operation of the API model
  // (implemented or not): then action is one of a bounded set, fit for a
  // metrics label.
  bool known_operation = false;
  std::string code;  // the error Code answered; empty on success
  // The authenticated caller; authenticated is false (and the rest empty)
  // when the call failed before or at authentication.
  bool authenticated = false;
  Principal::Type principal_type = Principal::Type::kRoot;
  std::string account_id;
  std::string principal_name;
  std::string access_key_id;
  // The call's signature nonce was recorded (and was not a replay).
  bool nonce_claimed = false;
  // An injected delay (gateway/faults.h): the transport holds the answer
  // this long before sending it.
  std::chrono::milliseconds delay{0};
};

class Dispatcher {
 public:
  // All pointers must outlive the Dispatcher.
  Dispatcher(const Registry* registry, const Authenticator* authn,
             const Authorizer* authz, const Clock* clock,
             DispatcherOptions options);

  // Receives the answer and what the call was.
  using Reply = std::function<void(http::HttpResponse, CallRecord)>;

  // Answers `request` by calling `reply` exactly once: before returning, or
  // later from the store's writer thread or a worker of `offload`.
  void Dispatch(http::HttpRequest request, Reply reply) const;

  // The same, waiting for the answer. record (optional): receives what the
  // call was.
  http::HttpResponse Handle(const http::HttpRequest& request,
                            CallRecord* record = nullptr) const;

  // The envelope for a request the transport refused before parsing it
  // (400/413/431/500), so even those carry a RequestId and a JSON body.
  // record (optional): receives its RequestId and Code.
  http::HttpResponse TransportError(int status, std::string_view reason,
                                    CallRecord* record = nullptr) const;

 private:
  // One request in flight; shared by the steps below and their callbacks.
  struct Call;
  using CallPtr = std::shared_ptr<Call>;

  // Decoding, authentication, routing, validation, authorization, flow
  // control; then Run.
  void Route(const CallPtr& c) const;
  // The handler, where its kind says (see the header comment).
  void Run(const CallPtr& c) const;
  // Records the nonce (unless done), then answers `out`.
  void Answer(const CallPtr& c, Result<Json> out) const;
  void Finish(const CallPtr& c, const Status& claim,
              Result<http::HttpResponse> out) const;
  void Fail(const CallPtr& c, const Error& e) const;
  void Send(const CallPtr& c, http::HttpResponse response) const;
  // Runs `step`; an exception it throws answers InternalError (Crash).
  template <typename F>
  void Guarded(const CallPtr& c, F&& step) const;
  void Crash(const CallPtr& c) const;

  const Registry* registry_;
  const Authenticator* authn_;
  const Authorizer* authz_;
  const Clock* clock_;
  DispatcherOptions options_;
};

}  // namespace swasd::gateway

#endif  // SWASD_GATEWAY_DISPATCHER_H_
