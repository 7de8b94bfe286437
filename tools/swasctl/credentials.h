// Where `swasctl call` gets its AccessKey: a profile of the aliyun CLI's
// ~/.aliyun/config.json, or the environment variables the official SDKs'
// default credential chain reads. Pure apart from the reader and the
// environment the caller hands in, so it is unit-tested without files.
#ifndef SWASD_TOOLS_SWASCTL_CREDENTIALS_H_
#define SWASD_TOOLS_SWASCTL_CREDENTIALS_H_

#include <functional>
#include <optional>
#include <string>
#include <string_view>

#include "base/error.h"

namespace swasd::swasctl {

// An error in what the user gave (flags, profile file, environment):
// `swasctl call` exits 2 for it, 1 for everything else.
inline constexpr std::string_view kUsageCode = "swasctl.Usage";
inline Error UsageError(std::string message) {
  return Error(std::string(kUsageCode), 0, std::move(message));
}
inline bool IsUsage(const Error& e) { return e.code() == kUsageCode; }

struct Credentials {
  std::string access_key_id;
  std::string access_key_secret;
  std::string security_token;  // empty unless STS
  std::string endpoint;        // the profile's endpoint, if any
  std::string source;          // "profile NAME (PATH)" or "environment"
};

// One profile of an aliyun CLI config file
// ({"current":"default","profiles":[{"name":..,"mode":"AK",..}]}).
// Modes AK and StsToken are supported (the names are matched without
// regard to case, as the CLI does); an empty mode with a key pair is taken
// as AK. Any other mode (RamRoleArn, EcsRamRole, ...) needs a credential
// service swasctl does not run and is a usage error naming the mode.
// `name` empty: the file's "current" profile, else "default".
Result<Credentials> ProfileCredentials(std::string_view config_text,
                                       std::string_view name,
                                       std::string_view path);

struct CredentialSources {
  std::string profile;      // --profile: empty when not given
  std::string config_path;  // --config-path: empty for the default
  // getenv; returns nullopt for an unset (or empty) variable.
  std::function<std::optional<std::string>(const char*)> env;
  // Reads a whole file; nullopt when it does not exist or cannot be read.
  std::function<std::optional<std::string>(const std::string&)> read_file;
};

// The default config file: $HOME/.aliyun/config.json, as the aliyun CLI.
std::optional<std::string> DefaultConfigPath(const CredentialSources& s);

// The order, first match wins (the SDKs' default chain, with an explicit
// --profile first):
//  1. --profile NAME: that profile of the config file; a missing file or
//     profile is an error.
//  2. ALIBABA_CLOUD_ACCESS_KEY_ID and ALIBABA_CLOUD_ACCESS_KEY_SECRET (with
//     ALIBABA_CLOUD_SECURITY_TOKEN for STS); one without the other is an
//     error.
//  3. The config file (--config-path, else ~/.aliyun/config.json), profile
//     $ALIBABA_CLOUD_PROFILE (or ALIBABACLOUD_PROFILE, ALICLOUD_PROFILE, as
//     the CLI reads them), else its "current" one.
// Nothing found is a usage error that names the three ways.
Result<Credentials> ResolveCredentials(const CredentialSources& sources);

}  // namespace swasd::swasctl

#endif  // SWASD_TOOLS_SWASCTL_CREDENTIALS_H_
