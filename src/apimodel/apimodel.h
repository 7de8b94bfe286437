// The API model: every operation of the products swasd speaks, as the
// official SDKs describe them (tools/apigen/generate.js writes api/sdk/*.json
// from the installed npm packages; the build embeds those files as data).
//
// For each operation: its Action, HTTP method, one-line summary, every
// request parameter (wire name, type, how it is serialized) and the shape
// of its answer (wire names, types, nesting). Together with each product's
// hand-written overlay (what swasd implements, and what the SDKs do not
// say) it is the single source for routing, validation, answer encoding,
// docs/coverage.md and the console.
//
// Start-up cost is an index of action names per product; an operation's
// line is parsed into an Operation on first use and kept for the process.
#ifndef SWASD_APIMODEL_APIMODEL_H_
#define SWASD_APIMODEL_APIMODEL_H_

#include <map>
#include <memory>
#include <mutex>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "base/error.h"

namespace swasd::apimodel {

// A wire type. In api/sdk/*.json a scalar is its name ("string",
// "integer", "number", "boolean", "any", "binary"), an array is [item], a
// map is {"$map": value} and a model is {"WireName": type, ...} in the
// SDK's field order.
struct Type {
  enum class Kind {
    kString, kInteger, kNumber, kBoolean, kAny, kBinary,
    kArray, kMap, kObject
  };
  Kind kind = Kind::kAny;
  // kObject: the fields' wire names in SDK order, and their types. (Two
  // vectors, not one of pairs: std::pair of a type still being defined
  // does not compile with clang and libstdc++.)
  std::vector<std::string> field_names;
  std::vector<Type> fields;
  // kArray: the item type; kMap: the value type. One element.
  std::vector<Type> element;

  bool scalar() const { return kind < Kind::kArray; }
  // nullptr when `name` is not a field (or this is not a model).
  const Type* Field(std::string_view name) const;
  const Type& Element() const { return element.front(); }
  // Compact text: "string", "[integer]", "{$map:string}", "{A,B}".
  std::string Describe() const;

  static Result<Type> FromJson(const nlohmann::json& j);
};

// How a request parameter travels (all five products use query/form
// parameters; the SDKs flatten structured values one of these ways).
enum class Style {
  kSimple,  // Name=value
  kRepeat,  // Name.1=a&Name.2=b, or Name.1.Key=k for a list of models
  kFlat,    // Name.Key=v: a model or map spread into keys
  kJson,    // Name=<JSON text>: the SDKs' "shrink" fields
};
std::string_view StyleName(Style s);

struct Param {
  std::string name;  // wire name
  Type type;
  Style style = Style::kSimple;
  bool in_body = false;  // the SDK sends it in the form body, not the query
};

struct Operation {
  std::string action;
  std::string method;  // "POST" or "GET", as the SDK sends it
  std::string summary;
  bool anonymous = false;  // the SDK sends it unsigned (some STS calls)
  std::vector<Param> params;
  Type response;  // the body's model, RequestId included

  const Param* FindParam(std::string_view name) const;
};

// One product and version: the index of its operations, parsed lazily.
class Product {
 public:
  const std::string& code() const { return code_; }        // "swas-open"
  const std::string& version() const { return version_; }  // "2020-06-01"
  const std::string& package() const { return package_; }  // npm name
  const std::string& package_version() const { return package_version_; }
  // Every Action, sorted.
  const std::vector<std::string>& actions() const { return actions_; }
  bool Has(std::string_view action) const;
  // The operation, parsed on first use; nullptr when unknown. Thread-safe.
  const Operation* Find(std::string_view action) const;

  // Parses one api/sdk/<code>.json text (which must outlive the Product).
  static Result<std::unique_ptr<Product>> Parse(std::string_view text);

 private:
  std::string code_, version_, package_, package_version_;
  std::vector<std::string> actions_;
  std::map<std::string, std::string_view, std::less<>> lines_;
  mutable std::mutex mu_;
  mutable std::map<std::string, std::unique_ptr<Operation>, std::less<>>
      parsed_;  // guarded by mu_
};

class Model {
 public:
  // The specs embedded in the binary (api/sdk/*.json). Indexed on first
  // call; a malformed embedded spec is a build defect and aborts.
  static const Model& Builtin();
  static Result<Model> Parse(const std::vector<std::string_view>& texts);

  const Product* ByVersion(std::string_view version) const;
  const Product* ByCode(std::string_view code) const;
  const std::vector<std::unique_ptr<Product>>& products() const {
    return products_;
  }

 private:
  std::vector<std::unique_ptr<Product>> products_;
};

// api/catalog/<name>.json as embedded in the binary (reference data such
// as "ecs-zones"); empty when there is no such file.
std::string_view EmbeddedCatalog(std::string_view name);

}  // namespace swasd::apimodel

#endif  // SWASD_APIMODEL_APIMODEL_H_
