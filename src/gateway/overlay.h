// A product's hand-written overlay (api/overlay/<code>.json): what the SDK
// model does not say. For each operation swasd implements: its summary, RAM
// action and resource ARN template, whether it needs authorization, the
// parameters the handler reads with their required-ness, limits, allowed
// values and the error for a disallowed one, notes on parameters that are
// accepted but ignored, and canned answer fields (always the same value). Parameter types come from the SDK model unless
// the overlay names one (JsonArray for the SDKs' JSON-in-a-string lists).
//
// The overlay and the SDK model (apimodel) together are the single source
// for routing, validation, authorization, docs/coverage.md and the console;
// a product's wire handlers add only the code (gateway/routes.h).
#ifndef SWASD_GATEWAY_OVERLAY_H_
#define SWASD_GATEWAY_OVERLAY_H_

#include <deque>
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "apimodel/apimodel.h"
#include "base/error.h"
#include "gateway/operation.h"

namespace swasd::gateway {

class Overlay {
 public:
  // Parses `text` for `product`. `errors` are the catalog entries the
  // overlay may name (`"error": "<Code>"`). Unknown keys, operations the
  // SDK does not have and parameter types that cannot be derived are
  // errors: the file is hand-written, so typos must not pass.
  static Result<std::unique_ptr<Overlay>> Parse(std::string_view text,
                                                const apimodel::Product& product,
                                                const std::vector<ErrorSpec>& errors);
  // The embedded api/overlay/<code>.json, checked against the built-in
  // model. Parsed once per process; later calls return the same object.
  static Result<const Overlay*> Builtin(std::string_view code,
                                        const std::vector<ErrorSpec>& errors);

  const std::string& code() const { return code_; }
  const std::string& version() const { return version_; }
  // The operation's row, all but its handler; nullptr when the overlay
  // does not describe `action`.
  const OperationSpec* Row(std::string_view action) const;
  // Described operations, in file order.
  const std::vector<std::string>& actions() const { return actions_; }

  // Keeps `s` for as long as the overlay lives (the rows' string_views
  // point into it); used while parsing.
  std::string_view Keep(std::string s);

 private:

  std::string code_, version_;
  std::vector<std::string> actions_;
  std::map<std::string, OperationSpec, std::less<>> rows_;
  // What the rows' string_views point at; a deque never moves its elements.
  std::deque<std::string> strings_;
};

}  // namespace swasd::gateway

#endif  // SWASD_GATEWAY_OVERLAY_H_
