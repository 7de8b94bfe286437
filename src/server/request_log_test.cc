#include "server/request_log.h"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>
#include <unistd.h>

#include <string>

namespace swasd::server {
namespace {

using namespace std::chrono_literals;

gateway::CallRecord DeniedCall() {
  gateway::CallRecord c;
  c.request_id = "0F3A1C2B-1111-4222-8333-444455556666";
  c.product = "SWAS-OPEN";
  c.version = "2020-06-01";
  c.action = "ListInstances";
  c.known_operation = true;
  c.code = "Forbidden.RAM";
  c.authenticated = true;
  c.principal_type = gateway::Principal::Type::kRamUser;
  c.account_id = "1234567890123456";
  c.principal_name = "alice";
  c.access_key_id = "LTAIabc";
  return c;
}

RequestEntry Entry(const gateway::CallRecord* call) {
  RequestEntry e;
  // 2026-12-02T04:05:06.789Z
  e.time = std::chrono::system_clock::time_point(1796184306789ms);
  e.call = call;
  e.method = "POST";
  e.path = "/";
  e.status = 403;
  e.latency = 1234567ns;
  e.bytes_in = 12;
  e.bytes_out = 345;
  e.client = "127.0.0.1";
  return e;
}

TEST(RequestLogTest, TextIsOneLogfmtLine) {
  auto call = DeniedCall();
  std::string line;
  FormatRequestLine(Entry(&call), LogFormat::kText, &line);
  EXPECT_EQ(line,
            "2026-12-02T04:05:06.789Z info request "
            "request_id=0F3A1C2B-1111-4222-8333-444455556666 status=403 code=Forbidden.RAM "
            "product=SWAS-OPEN version=2020-06-01 action=ListInstances "
            "account_id=1234567890123456 principal_type=ram-user principal_name=alice "
            "access_key_id=LTAIabc latency_ms=1.234 bytes_in=12 bytes_out=345 "
            "client=127.0.0.1 tls=false\n");
}

TEST(RequestLogTest, JsonHasTheSameFields) {
  auto call = DeniedCall();
  std::string line;
  FormatRequestLine(Entry(&call), LogFormat::kJson, &line);
  ASSERT_EQ(line.back(), '\n');
  auto j = nlohmann::json::parse(line);
  EXPECT_EQ(j["time"], "2026-12-02T04:05:06.789Z");
  EXPECT_EQ(j["level"], "info");
  EXPECT_EQ(j["msg"], "request");
  EXPECT_EQ(j["request_id"], call.request_id);
  EXPECT_EQ(j["status"], 403);
  EXPECT_EQ(j["code"], "Forbidden.RAM");
  EXPECT_EQ(j["principal_type"], "ram-user");
  EXPECT_EQ(j["access_key_id"], "LTAIabc");
  EXPECT_EQ(j["latency_ms"], 1.234);
  EXPECT_EQ(j["bytes_out"], 345);
  EXPECT_EQ(j["tls"], false);
}

TEST(RequestLogTest, AbsentFieldsAreDashOrNull) {
  gateway::CallRecord call;
  call.request_id = "R";
  call.code = "SignatureDoesNotMatch";
  std::string text, json;
  FormatRequestLine(Entry(&call), LogFormat::kText, &text);
  EXPECT_NE(text.find(" product=- version=- action=- account_id=- principal_type=- "
                      "principal_name=- access_key_id=- "),
            std::string::npos)
      << text;
  FormatRequestLine(Entry(&call), LogFormat::kJson, &json);
  auto j = nlohmann::json::parse(json);
  EXPECT_TRUE(j["account_id"].is_null());
  EXPECT_TRUE(j["product"].is_null());
  EXPECT_EQ(j["code"], "SignatureDoesNotMatch");
}

TEST(RequestLogTest, CallerTextCannotForgeLines) {
  gateway::CallRecord call = DeniedCall();
  call.action = "X\n2026-01-01T00:00:00.000Z info request status=200 \"a=b\\";
  call.version = "";
  std::string text, json;
  FormatRequestLine(Entry(&call), LogFormat::kText, &text);
  EXPECT_EQ(text.find('\n'), text.size() - 1) << text;
  EXPECT_NE(text.find("action=\"X\\n2026-01-01T00:00:00.000Z info request status=200 "
                      "\\\"a=b\\\\\""),
            std::string::npos)
      << text;
  EXPECT_NE(text.find(" version=- "), std::string::npos) << text;
  call.action = "caf\xc3\xa9\x01";
  FormatRequestLine(Entry(&call), LogFormat::kJson, &json);
  EXPECT_EQ(json.find('\n'), json.size() - 1);
  auto j = nlohmann::json::parse(json);
  EXPECT_EQ(j["action"], "caf\u00c3\u00a9\u0001");
}

TEST(RequestLogTest, AdminEndpointsByPath) {
  RequestEntry e = Entry(nullptr);
  e.method = "GET";
  e.path = "/healthz";
  e.status = 200;
  e.tls = true;
  std::string line;
  FormatRequestLine(e, LogFormat::kText, &line);
  EXPECT_EQ(line,
            "2026-12-02T04:05:06.789Z debug request method=GET path=/healthz status=200 "
            "latency_ms=1.234 bytes_in=12 bytes_out=345 client=127.0.0.1 tls=true\n");
}

TEST(RequestLogTest, WritesWholeLinesToTheDescriptor) {
  int fds[2];
  ASSERT_EQ(pipe(fds), 0);
  RequestLog log(LogFormat::kJson, fds[1]);
  auto call = DeniedCall();
  log.Write(Entry(&call));
  log.Write(Entry(&call));
  close(fds[1]);
  std::string all;
  char buf[4096];
  for (ssize_t n; (n = read(fds[0], buf, sizeof buf)) > 0;) all.append(buf, n);
  close(fds[0]);
  std::string one;
  FormatRequestLine(Entry(&call), LogFormat::kJson, &one);
  EXPECT_EQ(all, one + one);
}

TEST(RequestLogTest, ParsesFormats) {
  LogFormat f = LogFormat::kText;
  EXPECT_TRUE(ParseLogFormat("json", &f));
  EXPECT_EQ(f, LogFormat::kJson);
  EXPECT_TRUE(ParseLogFormat("text", &f));
  EXPECT_EQ(f, LogFormat::kText);
  EXPECT_FALSE(ParseLogFormat("JSON", &f));
  EXPECT_FALSE(ParseLogFormat("", &f));
}

}  // namespace
}  // namespace swasd::server
