// The operation table: products by Version, operations by (Version, Action).
// Filled once at start-up, then read concurrently without locks.
#ifndef SWASD_GATEWAY_REGISTRY_H_
#define SWASD_GATEWAY_REGISTRY_H_

#include <map>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "apimodel/apimodel.h"
#include "base/error.h"
#include "gateway/operation.h"

namespace swasd::gateway {

class Registry {
 public:
  // With a model (normally apimodel::Model::Builtin()), every operation
  // must be one the SDKs know, its declared parameters must be the SDK's
  // (same names, compatible types), and the SDK's other parameters are
  // listed as not supported yet. Without one (unit tests), no checks.
  explicit Registry(const apimodel::Model* model = nullptr) : model_(model) {}

  // Adds a product. Fails when its Version is taken.
  Status AddProduct(const ProductSpec& product);
  // Adds an operation. REQUIRES: its product was added. Fails on a
  // duplicate (Version, Action).
  Status AddOperation(OperationSpec op);

  // nullptr when unknown.
  const ProductSpec* FindProduct(std::string_view version) const;
  const OperationSpec* Find(std::string_view version,
                            std::string_view action) const;

  // The model's product for a Version, implemented or not; nullptr when
  // no SDK knows the Version (or there is no model).
  const apimodel::Product* KnownProduct(std::string_view version) const;
  const apimodel::Model* model() const { return model_; }

  // Every operation, grouped by product, in registration order.
  std::vector<const OperationSpec*> Operations() const;
  const std::vector<ProductSpec>& Products() const { return products_; }

  // The table as JSON (products, operations, parameters, RAM action and
  // resource): the source for docs/coverage.md and the console.
  Json Describe() const;

  // The same table as Markdown, one section per product: the generated part
  // of docs/coverage.md (a test keeps the two identical).
  std::string CoverageMarkdown() const;

 private:
  Status CheckAgainstModel(OperationSpec* op) const;

  const apimodel::Model* model_;
  // "Flat.Field" names listed as unsupported; a set never moves its nodes.
  mutable std::set<std::string> flat_names_;
  std::vector<ProductSpec> products_;
  std::vector<OperationSpec> ops_;
  std::map<std::pair<std::string, std::string>, size_t, std::less<>> index_;
};

}  // namespace swasd::gateway

#endif  // SWASD_GATEWAY_REGISTRY_H_
