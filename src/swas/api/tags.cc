#include "swas/api/tags.h"

namespace swasd::swas::api {
namespace {

using gateway::Args;
using gateway::CallContext;
using gateway::Json;
using gateway::Routes;

std::vector<Tag> TagsFrom(const Args& args) {
  std::vector<Tag> out;
  for (const auto& fields : args.Objects("Tag")) {
    Tag t;
    for (const auto& [field, value] : fields) {
      if (field == "Key") t.key = value;
      if (field == "Value") t.value = value;
    }
    out.push_back(std::move(t));
  }
  return out;
}

}  // namespace

Json TagsJson(const std::vector<Tag>& tags) {
  Json out = Json::array();
  for (const Tag& t : tags) out.push_back({{"Key", t.key}, {"Value", t.value}});
  return out;
}

TagFilter TagFilterFrom(const Args& args) {
  TagFilter f;
  auto group = args.String("ResourceGroupId");
  if (group && !group->empty()) f.resource_group_id = *group;
  for (const auto& fields : args.Objects("Tag")) {
    std::string key;
    std::optional<std::string> value;
    for (const auto& [field, v] : fields) {
      if (field == "Key") key = v;
      if (field == "Value") value = v;
    }
    f.tags.emplace_back(std::move(key), std::move(value));
  }
  return f;
}

Result<Tagging> TaggingFrom(const Args& args) {
  Tagging t;
  t.tags = TagsFrom(args);
  t.resource_group_id = args.String("ResourceGroupId").value_or("");
  SWASD_RETURN_IF_ERROR(Service::ValidateTags(t.tags));
  return t;
}

void AddTags(Routes* r, const Services* s) {
  r->Write("TagResources", [s](store::Tx& tx, const CallContext& ctx, const std::string& region,
                               const Args& args) -> Result<Json> {
    SWASD_ASSIGN_OR_RETURN(TagResourceType type,
                           Service::ParseTagResourceType(*args.String("ResourceType")));
    SWASD_RETURN_IF_ERROR(s->service->TagResources(tx, ctx.principal.account_id, region, type,
                                                   args.Repeated("ResourceId"), TagsFrom(args)));
    return Json::object();
  });

  r->Write("UntagResources", [s](store::Tx& tx, const CallContext& ctx, const std::string& region,
                                 const Args& args) -> Result<Json> {
    SWASD_ASSIGN_OR_RETURN(TagResourceType type,
                           Service::ParseTagResourceType(*args.String("ResourceType")));
    SWASD_RETURN_IF_ERROR(s->service->UntagResources(
        tx, ctx.principal.account_id, region, type, args.Repeated("ResourceId"),
        args.Repeated("TagKey"), args.Boolean("All").value_or(false)));
    return Json::object();
  });

  r->Read("ListTagResources", [s](store::Tx& tx, const CallContext& ctx, const std::string& region,
                                  const Args& args) -> Result<Json> {
    SWASD_ASSIGN_OR_RETURN(TagResourceType type,
                           Service::ParseTagResourceType(*args.String("ResourceType")));
    SWASD_ASSIGN_OR_RETURN(
        TagResourcePage page,
        s->service->ListTagResources(tx, ctx.principal.account_id, region, type,
                                     args.Repeated("ResourceId"), TagFilterFrom(args),
                                     args.String("NextToken").value_or("")));
    Json rows = Json::array();
    for (const auto& row : page.rows) {
      rows.push_back({{"ResourceId", row.resource_id},
                      {"ResourceType", row.resource_type},
                      {"TagKey", row.key},
                      {"TagValue", row.value}});
    }
    return Json{{"NextToken", page.next_token},
                {"TagResources", {{"TagResource", std::move(rows)}}}};
  });
}

}  // namespace swasd::swas::api
