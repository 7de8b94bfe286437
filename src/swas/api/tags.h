// Wire side of tags and resource groups (swas/tags.cc): the TagResources,
// UntagResources and ListTagResources handlers, and the pieces the other
// SWAS handlers use for Tag.N / ResourceGroupId on create, filters and
// answers.
#ifndef SWASD_SWAS_API_TAGS_H_
#define SWASD_SWAS_API_TAGS_H_

#include <vector>

#include "gateway/routes.h"
#include "swas/api/routes.h"
#include "swas/model.h"
#include "swas/service.h"

namespace swasd::swas::api {

// [{"Key": k, "Value": v}, ...] as the List* answers' Tags.
gateway::Json TagsJson(const std::vector<Tag>& tags);
// The ResourceGroupId and Tag.N filters of a List* call.
TagFilter TagFilterFrom(const gateway::Args& args);
// A create call's Tag.N and ResourceGroupId, validated (Service::ValidateTags).
Result<Tagging> TaggingFrom(const gateway::Args& args);
// TagResources, UntagResources, ListTagResources.
void AddTags(gateway::Routes* r, const Services* s);

}  // namespace swasd::swas::api

#endif  // SWASD_SWAS_API_TAGS_H_
