#include "tools/swasctl/credentials.h"

#include <nlohmann/json.hpp>

#include "base/strings.h"

namespace swasd::swasctl {
namespace {

using json = nlohmann::json;

std::string StringField(const json& profile, const char* name) {
  auto it = profile.find(name);
  if (it == profile.end() || !it->is_string()) return "";
  return it->get<std::string>();
}

// The first of `names` that is set.
std::optional<std::string> FirstEnv(const CredentialSources& s,
                                    std::initializer_list<const char*> names) {
  for (const char* name : names) {
    if (auto v = s.env(name)) return v;
  }
  return std::nullopt;
}

Result<Credentials> FromConfigFile(const CredentialSources& s,
                                   const std::string& name) {
  std::optional<std::string> path =
      s.config_path.empty() ? DefaultConfigPath(s) : s.config_path;
  if (!path) {
    return UsageError("no credentials: HOME is not set, so there is no "
                      "~/.aliyun/config.json");
  }
  std::optional<std::string> text = s.read_file(*path);
  if (!text) {
    return UsageError(
        "no credentials: " + *path +
        " cannot be read; give --profile with an aliyun CLI config file "
        "(aliyun configure), or set ALIBABA_CLOUD_ACCESS_KEY_ID and "
        "ALIBABA_CLOUD_ACCESS_KEY_SECRET");
  }
  return ProfileCredentials(*text, name, *path);
}

}  // namespace

Result<Credentials> ProfileCredentials(std::string_view config_text,
                                       std::string_view name,
                                       std::string_view path) {
  const std::string where(path);
  json config = json::parse(config_text, nullptr, /*allow_exceptions=*/false);
  if (config.is_discarded() || !config.is_object()) {
    return UsageError(where + " is not JSON");
  }
  std::string wanted(name);
  if (wanted.empty()) wanted = StringField(config, "current");
  if (wanted.empty()) wanted = "default";
  auto profiles = config.find("profiles");
  if (profiles == config.end() || !profiles->is_array()) {
    return UsageError(where + " has no \"profiles\" list");
  }
  for (const json& p : *profiles) {
    if (!p.is_object() || StringField(p, "name") != wanted) continue;
    Credentials c;
    c.access_key_id = StringField(p, "access_key_id");
    c.access_key_secret = StringField(p, "access_key_secret");
    c.endpoint = StringField(p, "endpoint");
    c.source = "profile " + wanted + " (" + where + ")";
    const std::string mode = StringField(p, "mode");
    if (EqualsIgnoreCase(mode, "StsToken")) {
      c.security_token = StringField(p, "sts_token");
      if (c.security_token.empty()) {
        return UsageError(c.source + " has mode StsToken but no sts_token");
      }
    } else if (!EqualsIgnoreCase(mode, "AK") && !mode.empty()) {
      return UsageError(c.source + " has mode " + mode +
                        "; swasctl call supports the modes AK and StsToken");
    }
    if (c.access_key_id.empty() || c.access_key_secret.empty()) {
      return UsageError(c.source +
                        " has no access_key_id and access_key_secret");
    }
    return c;
  }
  return UsageError(where + " has no profile named " + wanted);
}

std::optional<std::string> DefaultConfigPath(const CredentialSources& s) {
  std::optional<std::string> home = s.env("HOME");
  if (!home) return std::nullopt;
  return *home + "/.aliyun/config.json";
}

Result<Credentials> ResolveCredentials(const CredentialSources& s) {
  if (!s.profile.empty()) return FromConfigFile(s, s.profile);

  std::optional<std::string> id = s.env("ALIBABA_CLOUD_ACCESS_KEY_ID");
  std::optional<std::string> secret = s.env("ALIBABA_CLOUD_ACCESS_KEY_SECRET");
  if (id && secret) {
    Credentials c;
    c.access_key_id = *id;
    c.access_key_secret = *secret;
    c.security_token = s.env("ALIBABA_CLOUD_SECURITY_TOKEN").value_or("");
    c.source = "environment";
    return c;
  }
  if (id || secret) {
    return UsageError(
        std::string(id ? "ALIBABA_CLOUD_ACCESS_KEY_SECRET"
                       : "ALIBABA_CLOUD_ACCESS_KEY_ID") +
        " is not set, but " +
        (id ? "ALIBABA_CLOUD_ACCESS_KEY_ID" : "ALIBABA_CLOUD_ACCESS_KEY_SECRET") +
        " is");
  }
  std::string name =
      FirstEnv(s, {"ALIBABACLOUD_PROFILE", "ALIBABA_CLOUD_PROFILE",
                   "ALICLOUD_PROFILE"})
          .value_or("");
  return FromConfigFile(s, name);
}

}  // namespace swasd::swasctl
