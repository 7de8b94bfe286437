// Answers encoded to the API model: each field of a handler's JSON body is
// brought to the wire type the official SDK's response model declares, so
// a handler cannot send a number where the SDK expects a string (or the
// reverse), and a structural mismatch that would make the SDK throw
// (an object where it expects an array) is caught on the server.
#ifndef SWASD_GATEWAY_CONFORM_H_
#define SWASD_GATEWAY_CONFORM_H_

#include <string>
#include <vector>

#include "apimodel/apimodel.h"
#include "gateway/operation.h"

namespace swasd::gateway {

// Converts scalars in `body` to the types of `model` in place:
//   string  <- number, boolean (as "12", "true")
//   integer <- a string of digits; number <- a numeric string
//   boolean <- "true"/"false", 0/1
// null stays null. Returns what could not be made to fit: a field the
// model does not have, or a value whose structure differs (an object for
// an array, a non-numeric string for a number). Each problem is a path
// such as "CustomImages[0].Tags: object where the model has an array".
std::vector<std::string> ConformToModel(Json* body,
                                        const apimodel::Type& model);

}  // namespace swasd::gateway

#endif  // SWASD_GATEWAY_CONFORM_H_
