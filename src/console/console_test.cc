// The /console handler: routing, content types, the security headers,
// ETag revalidation, and the explorer's model.
#include "console/console.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <set>

#include "apimodel/apimodel.h"

namespace swasd::console {
namespace {

http::HttpRequest Req(std::string method, std::string target) {
  http::HttpRequest r;
  r.method = std::move(method);
  r.target = std::move(target);
  return r;
}

std::string HeaderOf(const http::HttpResponse& r, std::string_view name) {
  for (const auto& [k, v] : r.headers) {
    if (k == name) return v;
  }
  return "<absent>";
}

const std::vector<Asset> kAssets = {
    {"index.html", "<!doctype html><title>t</title>", "aa11"},
    {"app.js", "export const x = 1;\n", "bb22"},
    {"style.css", "body{}", "cc33"},
};

TEST(ConsoleTest, ServesEachFileWithItsContentTypeAndSecurityHeaders) {
  Handler h(kAssets, "{\"Products\":[]}");
  struct Case {
    std::string target, type, body;
  } cases[] = {
      {"/console/", "text/html;charset=utf-8", "<!doctype html><title>t</title>"},
      {"/console/index.html", "text/html;charset=utf-8", "<!doctype html><title>t</title>"},
      {"/console/app.js?v=1", "text/javascript;charset=utf-8", "export const x = 1;\n"},
      {"/console/style.css", "text/css;charset=utf-8", "body{}"},
      {"/console/model.json", "application/json;charset=utf-8", "{\"Products\":[]}"},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.target);
    auto r = h.Handle(Req("GET", c.target));
    ASSERT_TRUE(r);
    EXPECT_EQ(r->status, 200);
    EXPECT_EQ(r->content_type, c.type);
    EXPECT_EQ(r->body, c.body);
    EXPECT_EQ(HeaderOf(*r, "Content-Security-Policy"), kContentSecurityPolicy);
    EXPECT_EQ(HeaderOf(*r, "X-Content-Type-Options"), "nosniff");
    EXPECT_EQ(HeaderOf(*r, "Cache-Control"), "no-cache");
    EXPECT_NE(HeaderOf(*r, "ETag"), "<absent>");
  }
  EXPECT_EQ(HeaderOf(*h.Handle(Req("GET", "/console/app.js")), "ETag"), "\"bb22\"");
}

TEST(ConsoleTest, TheCspForbidsInlineCodeAndOtherOrigins) {
  const std::string csp(kContentSecurityPolicy);
  EXPECT_NE(csp.find("default-src 'self'"), std::string::npos);
  EXPECT_NE(csp.find("script-src 'self';"), std::string::npos);
  EXPECT_NE(csp.find("style-src 'self';"), std::string::npos);
  EXPECT_EQ(csp.find("unsafe-inline"), std::string::npos);
  EXPECT_EQ(csp.find("unsafe-eval"), std::string::npos);
  EXPECT_EQ(csp.find("http"), std::string::npos);
}

TEST(ConsoleTest, MatchingIfNoneMatchAnswers304WithoutBody) {
  Handler h(kAssets, "{}");
  auto req = Req("GET", "/console/app.js");
  req.headers.emplace_back("if-none-match", "\"bb22\"");
  auto r = h.Handle(req);
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 304);
  EXPECT_EQ(r->body, "");
  EXPECT_EQ(HeaderOf(*r, "ETag"), "\"bb22\"");
  req.headers.back().second = "\"old\"";
  EXPECT_EQ(h.Handle(req)->status, 200);
  // The model's ETag is its content's digest.
  auto m = h.Handle(Req("GET", "/console/model.json"));
  auto again = Req("GET", "/console/model.json");
  again.headers.emplace_back("if-none-match", HeaderOf(*m, "ETag"));
  EXPECT_EQ(h.Handle(again)->status, 304);
}

TEST(ConsoleTest, UnknownFilesAre404AndOtherPathsNotOurs) {
  Handler h(kAssets, "{}");
  for (const char* t : {"/console/nope.js", "/console/../index.html", "/console/sub/app.js"}) {
    SCOPED_TRACE(t);
    auto r = h.Handle(Req("GET", t));
    ASSERT_TRUE(r);
    EXPECT_EQ(r->status, 404);
    EXPECT_EQ(r->content_type, "text/plain;charset=utf-8");
    EXPECT_EQ(HeaderOf(*r, "Content-Security-Policy"), kContentSecurityPolicy);
  }
  EXPECT_FALSE(h.Handle(Req("GET", "/")));
  EXPECT_FALSE(h.Handle(Req("POST", "/?Action=ListRegions")));
  EXPECT_FALSE(h.Handle(Req("GET", "/consoles")));
  EXPECT_FALSE(h.Handle(Req("GET", "/healthz")));
}

TEST(ConsoleTest, BareConsoleRedirectsAndOnlyGetIsServed) {
  Handler h(kAssets, "{}");
  auto r = h.Handle(Req("GET", "/console"));
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 308);
  EXPECT_EQ(HeaderOf(*r, "Location"), "/console/");
  for (const char* m : {"POST", "PUT", "DELETE", "HEAD"}) {
    SCOPED_TRACE(m);
    auto p = h.Handle(Req(m, "/console/app.js"));
    ASSERT_TRUE(p);
    EXPECT_EQ(p->status, 405);
    EXPECT_EQ(HeaderOf(*p, "Allow"), "GET");
  }
}

TEST(ConsoleTest, EmbeddedFilesAreTheConsoleFolder) {
  std::set<std::string> names;
  for (const Asset& a : EmbeddedAssets()) {
    names.insert(std::string(a.name));
    EXPECT_FALSE(a.content.empty()) << a.name;
    EXPECT_EQ(a.sha256.size(), 64u) << a.name;
    EXPECT_NE(ContentType(a.name), "application/octet-stream") << a.name;
  }
  for (const char* n : {"index.html", "app.js", "sign.js", "api.js", "style.css"}) {
    EXPECT_TRUE(names.count(n)) << n;
  }
  // The page loads no inline script or style: the CSP would block it.
  for (const Asset& a : EmbeddedAssets()) {
    if (a.name != "index.html") continue;
    EXPECT_EQ(a.content.find("<script>"), std::string_view::npos);
    EXPECT_EQ(a.content.find("<style"), std::string_view::npos);
    EXPECT_EQ(a.content.find(" style="), std::string_view::npos);
    EXPECT_EQ(a.content.find("http"), std::string_view::npos);
  }
}

TEST(ConsoleTest, ContentTypes) {
  EXPECT_EQ(ContentType("a.svg"), "image/svg+xml");
  EXPECT_EQ(ContentType("a.json"), "application/json;charset=utf-8");
  EXPECT_EQ(ContentType("README"), "application/octet-stream");
}

TEST(ConsoleTest, ExplorerModelIsTheRegistryPlusWhatItDoesNotServe) {
  gateway::Registry registry(&apimodel::Model::Builtin());
  ASSERT_TRUE(registry.AddProduct({"swas-open", "SWAS", "2020-06-01"}).ok());
  gateway::OperationSpec op;
  op.product = "swas-open";
  op.version = "2020-06-01";
  op.action = "ListRegions";
  op.ram_action = "swas-open:ListRegions";
  op.resource = "*";
  ASSERT_TRUE(registry.AddOperation(std::move(op)).ok());
  const gateway::Json m = ExplorerModel(registry);
  const auto& products = m.at("Products");
  ASSERT_GE(products.size(), 2u);
  const auto& swas = products.at(0);
  EXPECT_EQ(swas.at("Version"), "2020-06-01");
  ASSERT_EQ(swas.at("Operations").size(), 1u);
  EXPECT_EQ(swas.at("Operations").at(0).at("Action"), "ListRegions");
  const auto& missing = swas.at("NotImplemented");
  EXPECT_NE(std::find(missing.begin(), missing.end(), "ModifyImageShareStatus"), missing.end());
  EXPECT_EQ(std::find(missing.begin(), missing.end(), "ListRegions"), missing.end());
  // A product only the SDK model knows: listed, nothing served.
  bool ecs = false;
  for (const auto& p : products) {
    if (p.at("Version") != "2014-05-26") continue;
    ecs = true;
    EXPECT_TRUE(p.at("Operations").empty());
    const auto& ni = p.at("NotImplemented");
    EXPECT_NE(std::find(ni.begin(), ni.end(), "DescribeImages"), ni.end());
  }
  EXPECT_TRUE(ecs);
}

}  // namespace
}  // namespace swasd::console
