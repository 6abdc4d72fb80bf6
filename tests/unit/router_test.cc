// Routes as plain functions of a request (net/router.h), without a server: matching, the hook
// before every route, answers for no route and for an exception, headers for all, and the
// Responder's answer-once rule that lets a long poll's two endings race.
#include "net/router.h"

#include <gtest/gtest.h>

#include <stdexcept>

#include "net/http.h"

namespace {

using fossa::net::Request;
using fossa::net::Responder;
using fossa::net::Response;
using fossa::net::Router;

Request request(const std::string& method, const std::string& path) {
  Request r;
  r.method = method;
  r.path = path;
  r.target = path;
  return r;
}

TEST(Router, MatchesMethodAndWholePathAndGivesTheGroups) {
  Router router;
  router.get(R"(/task/([^/]+))", [](const Request& req, Response& res) { res.set_content(req.matches[1], "text/plain"); });
  router.post("/task", [](const Request&, Response& res) { res.status = 201; });
  EXPECT_EQ(router.handle(request("GET", "/task/abc")).body, "abc");
  EXPECT_EQ(router.handle(request("HEAD", "/task/abc")).body, "abc") << "HEAD is routed as GET (the server drops the body)";
  Request post = request("POST", "/task");
  post.headers.emplace_back("Content-Type", "application/json");
  EXPECT_EQ(router.handle(post).status, 201);
  EXPECT_EQ(router.handle(request("GET", "/task/abc/more")).status, 404);
  EXPECT_EQ(router.handle(request("DELETE", "/task")).status, 404);
}

TEST(Router, AHookBeforeTheRoutesMayAnswerAndHeadersForAllAreOnEveryAnswer) {
  Router router;
  router.add_header_to_all("X-Frame-Options", "DENY");
  router.set_before([](const Request& req, Response& res) {
    if (req.get_header_value("Authorization").empty()) {
      res.status = 401;
      return true;
    }
    return false;
  });
  router.get("/", [](const Request&, Response& res) { res.status = 200; });
  const Response refused = router.handle(request("GET", "/"));
  EXPECT_EQ(refused.status, 401);
  EXPECT_EQ(refused.get_header_value("x-frame-options"), "DENY");
  Request allowed = request("GET", "/");
  allowed.headers.emplace_back("authorization", "x");
  const Response answered = router.handle(allowed);
  EXPECT_EQ(answered.status, 200);
  EXPECT_EQ(answered.get_header_value("X-Frame-Options"), "DENY");
  EXPECT_EQ(router.handle([] {
              Request r = request("GET", "/nowhere");
              r.headers.emplace_back("Authorization", "x");
              return r;
            }()).get_header_value("X-Frame-Options"),
            "DENY");
}

TEST(Router, AnExceptionBecomesA500NamingIt) {
  Router router;
  router.get("/", [](const Request&, Response&) { throw std::runtime_error("boom"); });
  const Response answer = router.handle(request("GET", "/"));
  EXPECT_EQ(answer.status, 500);
  EXPECT_NE(answer.body.find("boom"), std::string::npos);
}

TEST(Router, AnAsyncRouteAnswersLaterAndOnlyOnce) {
  Router router;
  router.add_header_to_all("X-Content-Type-Options", "nosniff");
  std::function<void()> fire;
  router.get_async("/wait", [&fire](const Request&, Responder respond) {
    respond.after(std::chrono::milliseconds(5), [respond] {
      Response late;
      late.status = 504;
      respond(late);
    });
    fire = [respond] {
      Response done;
      done.status = 200;
      respond(done);
    };
  });
  std::vector<Response> answers;
  std::function<void()> timer;
  router.dispatch(request("GET", "/wait"), Responder([&answers](Response r) { answers.push_back(std::move(r)); },
                                                     [&timer](std::chrono::milliseconds, std::function<void()> then) {
                                                       timer = std::move(then);
                                                     }));
  EXPECT_TRUE(answers.empty());
  fire();
  timer();  // the time-out, after the end: ignored
  ASSERT_EQ(answers.size(), 1u);
  EXPECT_EQ(answers[0].status, 200);
  EXPECT_EQ(answers[0].get_header_value("X-Content-Type-Options"), "nosniff");
}

TEST(ForwardedHeaders, OnlyValidValuesAreTrusted) {
  Request req = request("GET", "/");
  EXPECT_EQ(fossa::net::forwarded_scheme(req), "http");
  req.headers = {{"X-Forwarded-Proto", "https"}, {"Host", "10.0.0.1:2345"}};
  EXPECT_EQ(fossa::net::forwarded_scheme(req), "https");
  req.headers = {{"X-Forwarded-Proto", "javascript"}, {"Host", "10.0.0.1:2345"}};
  EXPECT_EQ(fossa::net::forwarded_scheme(req), "http");
  for (const std::string good : {"a", "node-1.example", "[::1]:80", "127.0.0.1"}) EXPECT_TRUE(fossa::net::valid_host(good)) << good;
  for (const std::string bad : {"", "a b", "a/b", "a:", "a:123456", "[::1", "a@b", "-a", ".a", "[x]"}) {
    EXPECT_FALSE(fossa::net::valid_host(bad)) << bad;
  }
}

}  // namespace
