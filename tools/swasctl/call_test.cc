// swasctl call's pure parts: profiles, the credential order, endpoints,
// parameters, product names; and the usage errors that exit 2 before any
// network I/O. The exchange itself is tested end to end
// (tests/e2e/swasctl_call.test.js).
#include <gtest/gtest.h>

#include <map>
#include <sstream>

#include "tools/swasctl/call.h"
#include "tools/swasctl/credentials.h"
#include "tools/swasctl/http_client.h"

namespace swasd::swasctl {
namespace {

constexpr char kConfig[] = R"({
  "current": "work",
  "profiles": [
    {"name": "default", "mode": "AK", "access_key_id": "LTAIdefault",
     "access_key_secret": "s-default", "region_id": "cn-hangzhou"},
    {"name": "work", "mode": "ak", "access_key_id": "LTAIwork",
     "access_key_secret": "s-work", "endpoint": "127.0.0.1:9999"},
    {"name": "sts", "mode": "StsToken", "access_key_id": "STS.x",
     "access_key_secret": "s-sts", "sts_token": "token"},
    {"name": "nosts", "mode": "StsToken", "access_key_id": "STS.x",
     "access_key_secret": "s-sts"},
    {"name": "role", "mode": "RamRoleArn", "access_key_id": "LTAIr",
     "access_key_secret": "s", "ram_role_arn": "acs:ram::1:role/r"},
    {"name": "empty", "mode": "AK"}
  ]
})";

TEST(ProfileCredentials, NamedProfileAndModeCaseInsensitive) {
  auto c = ProfileCredentials(kConfig, "work", "/h/.aliyun/config.json");
  ASSERT_TRUE(c.ok()) << c.error().message();
  EXPECT_EQ(c->access_key_id, "LTAIwork");
  EXPECT_EQ(c->access_key_secret, "s-work");
  EXPECT_EQ(c->security_token, "");
  EXPECT_EQ(c->endpoint, "127.0.0.1:9999");
  EXPECT_EQ(c->source, "profile work (/h/.aliyun/config.json)");
}

TEST(ProfileCredentials, CurrentThenDefault) {
  auto c = ProfileCredentials(kConfig, "", "f");
  ASSERT_TRUE(c.ok());
  EXPECT_EQ(c->access_key_id, "LTAIwork");  // "current": "work"
  auto d = ProfileCredentials(
      R"({"profiles":[{"name":"default","mode":"AK","access_key_id":"a",
          "access_key_secret":"b"}]})",
      "", "f");
  ASSERT_TRUE(d.ok());
  EXPECT_EQ(d->access_key_id, "a");
}

TEST(ProfileCredentials, StsToken) {
  auto c = ProfileCredentials(kConfig, "sts", "f");
  ASSERT_TRUE(c.ok());
  EXPECT_EQ(c->security_token, "token");
  auto missing = ProfileCredentials(kConfig, "nosts", "f");
  ASSERT_FALSE(missing.ok());
  EXPECT_TRUE(IsUsage(missing.error()));
  EXPECT_NE(missing.error().message().find("sts_token"), std::string::npos);
}

TEST(ProfileCredentials, Refusals) {
  struct Case {
    const char* text;
    const char* name;
    const char* says;
  } cases[] = {
      {kConfig, "role", "has mode RamRoleArn"},
      {kConfig, "empty", "has no access_key_id"},
      {kConfig, "nobody", "has no profile named nobody"},
      {"{not json", "", "is not JSON"},
      {"[]", "", "is not JSON"},
      {R"({"current":"default"})", "", "has no \"profiles\" list"},
  };
  for (const Case& c : cases) {
    auto r = ProfileCredentials(c.text, c.name, "f");
    ASSERT_FALSE(r.ok()) << c.says;
    EXPECT_TRUE(IsUsage(r.error()));
    EXPECT_NE(r.error().message().find(c.says), std::string::npos)
        << r.error().message();
  }
}

// A fake environment and file system.
struct World {
  std::map<std::string, std::string> env;
  std::map<std::string, std::string> files;

  CredentialSources Sources(std::string profile = "",
                            std::string config_path = "") const {
    return {.profile = std::move(profile),
            .config_path = std::move(config_path),
            .env = [this](const char* name) -> std::optional<std::string> {
              auto it = env.find(name);
              if (it == env.end() || it->second.empty()) return std::nullopt;
              return it->second;
            },
            .read_file = [this](const std::string& path)
                -> std::optional<std::string> {
              auto it = files.find(path);
              if (it == files.end()) return std::nullopt;
              return it->second;
            }};
  }
};

TEST(ResolveCredentials, EnvironmentBeforeTheFile) {
  World w;
  w.env = {{"HOME", "/h"},
           {"ALIBABA_CLOUD_ACCESS_KEY_ID", "LTAIenv"},
           {"ALIBABA_CLOUD_ACCESS_KEY_SECRET", "s-env"}};
  w.files["/h/.aliyun/config.json"] = kConfig;
  auto c = ResolveCredentials(w.Sources());
  ASSERT_TRUE(c.ok());
  EXPECT_EQ(c->access_key_id, "LTAIenv");
  EXPECT_EQ(c->source, "environment");
  EXPECT_EQ(c->security_token, "");

  w.env["ALIBABA_CLOUD_SECURITY_TOKEN"] = "tok";
  c = ResolveCredentials(w.Sources());
  ASSERT_TRUE(c.ok());
  EXPECT_EQ(c->security_token, "tok");
}

TEST(ResolveCredentials, ExplicitProfileBeatsTheEnvironment) {
  World w;
  w.env = {{"HOME", "/h"},
           {"ALIBABA_CLOUD_ACCESS_KEY_ID", "LTAIenv"},
           {"ALIBABA_CLOUD_ACCESS_KEY_SECRET", "s-env"}};
  w.files["/h/.aliyun/config.json"] = kConfig;
  auto c = ResolveCredentials(w.Sources("default"));
  ASSERT_TRUE(c.ok());
  EXPECT_EQ(c->access_key_id, "LTAIdefault");
}

TEST(ResolveCredentials, HalfAnEnvironmentPairIsAnError) {
  World w;
  w.env = {{"HOME", "/h"}, {"ALIBABA_CLOUD_ACCESS_KEY_ID", "LTAIenv"}};
  w.files["/h/.aliyun/config.json"] = kConfig;
  auto c = ResolveCredentials(w.Sources());
  ASSERT_FALSE(c.ok());
  EXPECT_TRUE(IsUsage(c.error()));
  EXPECT_NE(c.error().message().find("ALIBABA_CLOUD_ACCESS_KEY_SECRET"),
            std::string::npos);
}

TEST(ResolveCredentials, ProfileNamedByTheEnvironment) {
  World w;
  w.env = {{"HOME", "/h"}, {"ALIBABA_CLOUD_PROFILE", "sts"}};
  w.files["/h/.aliyun/config.json"] = kConfig;
  auto c = ResolveCredentials(w.Sources());
  ASSERT_TRUE(c.ok());
  EXPECT_EQ(c->access_key_id, "STS.x");
  // The CLI reads ALIBABACLOUD_PROFILE first.
  w.env["ALIBABACLOUD_PROFILE"] = "default";
  c = ResolveCredentials(w.Sources());
  ASSERT_TRUE(c.ok());
  EXPECT_EQ(c->access_key_id, "LTAIdefault");
}

TEST(ResolveCredentials, ConfigPathAndNothingFound) {
  World w;
  w.env = {{"HOME", "/h"}};
  w.files["/elsewhere.json"] = kConfig;
  auto c = ResolveCredentials(w.Sources("", "/elsewhere.json"));
  ASSERT_TRUE(c.ok());
  EXPECT_EQ(c->access_key_id, "LTAIwork");

  auto none = ResolveCredentials(w.Sources());
  ASSERT_FALSE(none.ok());
  EXPECT_TRUE(IsUsage(none.error()));
  EXPECT_NE(none.error().message().find("/h/.aliyun/config.json"),
            std::string::npos);
  EXPECT_NE(none.error().message().find("ALIBABA_CLOUD_ACCESS_KEY_ID"),
            std::string::npos);

  World homeless;
  auto no_home = ResolveCredentials(homeless.Sources());
  ASSERT_FALSE(no_home.ok());
  EXPECT_NE(no_home.error().message().find("HOME"), std::string::npos);
}

TEST(ParseEndpoint, Forms) {
  struct Case {
    const char* text;
    bool tls;
    const char* host;
    const char* port;
    const char* authority;
  } cases[] = {
      {"127.0.0.1:8080", false, "127.0.0.1", "8080", "127.0.0.1:8080"},
      {"http://127.0.0.1:8080/", false, "127.0.0.1", "8080", "127.0.0.1:8080"},
      {"swas.cn-hangzhou.local", false, "swas.cn-hangzhou.local", "80",
       "swas.cn-hangzhou.local"},
      {"[::1]:9000", false, "::1", "9000", "[::1]:9000"},
      {"http://[::1]", false, "::1", "80", "[::1]"},
      {"https://127.0.0.1:8443", true, "127.0.0.1", "8443", "127.0.0.1:8443"},
      {"https://swas.example", true, "swas.example", "443", "swas.example"},
  };
  for (const Case& c : cases) {
    auto e = ParseEndpoint(c.text);
    ASSERT_TRUE(e.ok()) << c.text << ": " << e.error().message();
    EXPECT_EQ(e->tls, c.tls) << c.text;
    EXPECT_EQ(e->host, c.host) << c.text;
    EXPECT_EQ(e->port, c.port) << c.text;
    EXPECT_EQ(e->authority, c.authority) << c.text;
  }
  for (const char* bad : {"", "https://", "ftp://h", "127.0.0.1:http",
                          "http://h/path", ":8080", "[::1", "[::1]x",
                          "h:123456", "user@h:80"}) {
    auto e = ParseEndpoint(bad);
    ASSERT_FALSE(e.ok()) << bad;
    EXPECT_TRUE(IsUsage(e.error())) << bad;
  }
}

TEST(ParseParams, OrderRepeatsAndRefusals) {
  auto p = ParseParams({"RegionId=cn-hangzhou", "Tag.1.Key=env",
                        "Tag.1.Value=a=b", "Description="});
  ASSERT_TRUE(p.ok());
  std::vector<std::pair<std::string, std::string>> got(p->begin(), p->end());
  std::vector<std::pair<std::string, std::string>> want = {
      {"RegionId", "cn-hangzhou"},
      {"Tag.1.Key", "env"},
      {"Tag.1.Value", "a=b"},
      {"Description", ""}};
  EXPECT_EQ(got, want);
  for (std::vector<std::string> bad :
       {std::vector<std::string>{"RegionId"}, {"=x"}, {"A=1", "A=2"}}) {
    auto r = ParseParams(bad);
    ASSERT_FALSE(r.ok());
    EXPECT_TRUE(IsUsage(r.error()));
  }
}

TEST(FindProduct, CodesAliasesAndVersionsFromTheModel) {
  const apimodel::Model& model = apimodel::Model::Builtin();
  struct Case {
    const char* name;
    const char* code;
    const char* version;
  } cases[] = {
      {"swas", "swas-open", "2020-06-01"}, {"swas-open", "swas-open", "2020-06-01"},
      {"ECS", "ecs", "2014-05-26"},        {"vpc", "vpc", "2016-04-28"},
      {"ram", "ram", "2015-05-01"},        {"sts", "sts", "2015-04-01"},
      {"swasd", "swasd", "2026-12-01"},
  };
  for (const Case& c : cases) {
    auto p = FindProduct(model, c.name);
    ASSERT_TRUE(p.ok()) << c.name;
    EXPECT_EQ((*p)->code(), c.code);
    EXPECT_EQ((*p)->version(), c.version);
  }
  auto unknown = FindProduct(model, "oss");
  ASSERT_FALSE(unknown.ok());
  EXPECT_TRUE(IsUsage(unknown.error()));
  EXPECT_NE(unknown.error().message().find("swas-open"), std::string::npos);
}

int RunArgs(std::vector<std::string> args, std::string* err_text) {
  std::vector<char*> argv;
  for (std::string& a : args) argv.push_back(a.data());
  std::ostringstream out, err;
  int rc = RunCall(static_cast<int>(argv.size()), argv.data(), out, err);
  *err_text = err.str();
  return rc;
}

TEST(RunCall, UsageErrorsExitTwoBeforeAnyRequest) {
  std::string err;
  EXPECT_EQ(RunArgs({"call"}, &err), 2);
  EXPECT_EQ(RunArgs({"call", "oss", "ListBuckets"}, &err), 2);
  EXPECT_NE(err.find("unknown product oss"), std::string::npos) << err;
  EXPECT_EQ(RunArgs({"call", "swas", "ListNothing"}, &err), 2);
  EXPECT_NE(err.find("has no action ListNothing"), std::string::npos) << err;
  EXPECT_EQ(RunArgs({"call", "swas", "ListRegions", "oops"}, &err), 2);
  EXPECT_EQ(RunArgs({"call", "--method", "PUT", "swas", "ListRegions"}, &err), 2);
  EXPECT_EQ(RunArgs({"call", "--bogus", "swas", "ListRegions"}, &err), 2);
  EXPECT_EQ(RunArgs({"call", "--config-path", "/nonexistent/config.json",
                 "--profile", "x", "swas", "ListRegions"},
                &err),
            2);
  EXPECT_NE(err.find("/nonexistent/config.json"), std::string::npos) << err;
  EXPECT_EQ(RunArgs({"call", "--help"}, &err), 0);
}

}  // namespace
}  // namespace swasd::swasctl
