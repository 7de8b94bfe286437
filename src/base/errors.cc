#include "base/errors.h"

#include <string>

namespace swasd::errors {

Error MissingParam(std::string_view name) {
  return Error("Missing" + std::string(name), 400,
               std::string(name) + " is mandatory for this action.");
}

Error MissingOperationParam(std::string_view name) {
  return Error(std::string(kMissingParameter.code), 400,
               "The input parameter " + std::string(name) +
                   " that is mandatory for processing this request is not "
                   "supplied.");
}

Error InvalidParam(std::string_view name, std::string_view why) {
  return Error(std::string(kInvalidParameter.code), 400,
               "The specified parameter \"" + std::string(name) +
                   "\" is not valid: " + std::string(why));
}

}  // namespace swasd::errors
