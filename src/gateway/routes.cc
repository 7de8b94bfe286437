#include "gateway/routes.h"

#include <set>
#include <tuple>

namespace swasd::gateway {

Status Routes::Register(Registry* registry) const {
  auto fail = [&](const std::string& why) {
    return Error("RegistryError", 0, std::string(product_.code) + ": " + why);
  };
  SWASD_RETURN_IF_ERROR(registry->AddProduct(product_));
  std::set<std::string> handled;
  for (const Entry& e : entries_) {
    const OperationSpec* row = overlay_->Row(e.action);
    if (row == nullptr) {
      return fail(e.action + " has a handler but no entry in api/overlay/" + overlay_->code() +
                  ".json");
    }
    if (!handled.insert(e.action).second) return fail(e.action + " has two handlers");
    OperationSpec op = *row;
    op.mutating = e.mutating;
    op.claims_nonce = e.claims_nonce;
    op.blocking = e.blocking;
    std::tie(op.handler, op.async_handler) = e.factory(op);
    SWASD_RETURN_IF_ERROR(registry->AddOperation(std::move(op)));
  }
  for (const std::string& action : overlay_->actions()) {
    if (!handled.count(action)) {
      return fail(action + " is in api/overlay/" + overlay_->code() + ".json but has no handler");
    }
  }
  return Status::Ok();
}

}  // namespace swasd::gateway
