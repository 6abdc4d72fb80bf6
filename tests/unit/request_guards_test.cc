// What a request must show before a handler sees it (net/request_guards.h), and the router's
// screening of a request on its head (net/router.h): a browser sent by another site's page, a
// body that does not say it is JSON, a name a node does not answer to, a node's token, and a
// header that would split an answer.
#include "net/request_guards.h"

#include <gtest/gtest.h>

#include "net/http.h"
#include "net/router.h"

namespace {

using fossa::net::Request;
using fossa::net::Response;
using fossa::net::Router;
namespace net = fossa::net;

Request request(const std::string& method, const std::string& path, std::vector<std::pair<std::string, std::string>> headers) {
  Request r;
  r.method = method;
  r.path = path;
  r.target = path;
  r.headers = std::move(headers);
  return r;
}

int refused_with(const std::optional<net::Refusal>& refusal) { return refusal ? refusal->status : 0; }

TEST(CrossSite, AnUnsafeRequestFromAnotherSitesPageIsRefused) {
  for (const std::string site : {"cross-site", "same-site", "Cross-Site"}) {
    const auto refusal = net::cross_site_refusal(request("POST", "/jobs", {{"Host", "gw:8443"}, {"Sec-Fetch-Site", site}}));
    EXPECT_EQ(refused_with(refusal), 403) << site;
  }
  // Older browsers without Sec-Fetch-Site: by Origin, which must be the origin the client called.
  for (const std::string origin : {"http://evil.example", "http://gw:8444", "https://gw:8443", "null", "gw:8443"}) {
    EXPECT_EQ(refused_with(net::cross_site_refusal(request("POST", "/jobs", {{"Host", "gw:8443"}, {"Origin", origin}}))), 403)
        << origin << " on a plain-HTTP server at gw:8443";
  }
  Request over_tls = request("POST", "/jobs", {{"Host", "gw"}, {"Origin", "http://gw"}});
  over_tls.tls = true;
  EXPECT_EQ(refused_with(net::cross_site_refusal(over_tls)), 403) << "http://gw is port 80; an HTTPS gw is port 443";
  // Every state-changing method is guarded, not only POST.
  for (const std::string method : {"PUT", "DELETE", "PATCH", "CANCEL"}) {
    EXPECT_EQ(refused_with(net::cross_site_refusal(request(method, "/jobs/x", {{"Sec-Fetch-Site", "cross-site"}}))), 403)
        << method;
  }
}

TEST(CrossSite, OurOwnPagesAndClientsThatAreNotBrowsersGoOn) {
  EXPECT_FALSE(net::cross_site_refusal(request("POST", "/jobs", {{"Sec-Fetch-Site", "same-origin"}})));
  EXPECT_FALSE(net::cross_site_refusal(request("POST", "/jobs", {{"Sec-Fetch-Site", "none"}}))) << "typed by the user";
  EXPECT_FALSE(net::cross_site_refusal(request("POST", "/jobs", {{"Host", "GW:8443"}, {"Origin", "http://gw:8443"}})));
  EXPECT_FALSE(net::cross_site_refusal(request("POST", "/jobs", {{"Host", "gw"}, {"Origin", "http://gw:80"}})));
  EXPECT_FALSE(net::cross_site_refusal(request("POST", "/jobs", {{"Host", "[::1]:8080"}, {"Origin", "http://[::1]:8080"}})));
  Request over_tls = request("POST", "/jobs", {{"Host", "gw"}, {"Origin", "https://gw"}});
  over_tls.tls = true;
  EXPECT_FALSE(net::cross_site_refusal(over_tls));
  EXPECT_FALSE(net::cross_site_refusal(request("POST", "/api/0.01/task", {{"Host", "10.0.1.7:2345"}})))
      << "curl, fossa submit, the gateway: no browser headers";
  // Reading is never refused: a page of another site may link to ours.
  EXPECT_FALSE(net::cross_site_refusal(request("GET", "/", {{"Sec-Fetch-Site", "cross-site"}})));
  EXPECT_FALSE(net::cross_site_refusal(request("HEAD", "/", {{"Origin", "http://evil.example"}})));
}

TEST(JsonBody, OnlyABodySentAsJsonIsRead) {
  for (const std::string type : {"application/json", "application/json; charset=utf-8", "Application/JSON ; charset=UTF-8"}) {
    EXPECT_FALSE(net::json_content_type_refusal(request("POST", "/task", {{"Content-Type", type}}))) << type;
  }
  for (const std::string type : {"text/plain", "application/x-www-form-urlencoded", "multipart/form-data; boundary=x",
                                 "application/jsonp", "text/json"}) {
    const auto refusal = net::json_content_type_refusal(request("POST", "/task", {{"Content-Type", type}}));
    ASSERT_TRUE(refusal) << type;
    EXPECT_EQ(refusal->status, 415);
    EXPECT_NE(refusal->message.find("POST /task takes a JSON body, sent with Content-Type: application/json (got '" + type),
              std::string::npos)
        << refusal->message;
  }
  const auto none = net::json_content_type_refusal(request("POST", "/task", {}));
  ASSERT_TRUE(none);
  EXPECT_NE(none->message.find("this request had no Content-Type"), std::string::npos) << none->message;
}

TEST(HostNames, ANodeAnswersToAddressesLocalhostAndTheNamesItWasGiven) {
  const std::vector<std::string> names = {"worker-1", "nodes.example.org"};
  for (const std::string host : {"127.0.0.1:2345", "10.0.1.7:2345", "10.0.1.7", "[::1]:2345", "[fd00::7]", "localhost",
                                 "LOCALHOST:2345", "localhost.:2345", "app.localhost:2345", "worker-1:2345",
                                 "Nodes.Example.Org"}) {
    EXPECT_FALSE(net::host_refusal(request("GET", "/", {{"Host", host}}), names, "--allowed-hosts")) << host;
  }
  for (const std::string host : {"attacker.example:2345", "localhost.attacker.example", "127.0.0.1.nip.io:2345",
                                 "worker-10", "example.org", "[not-an-address]"}) {
    const auto refusal = net::host_refusal(request("GET", "/", {{"Host", host}}), names, "--allowed-hosts");
    ASSERT_TRUE(refusal) << host;
    EXPECT_EQ(refusal->status, 421);
    EXPECT_NE(refusal->message.find("--allowed-hosts"), std::string::npos) << refusal->message;
  }
}

TEST(BearerToken, TheSchemeIsCaseInsensitiveAndTheTokenExact) {
  for (const std::string given : {"Bearer s3cret", "bearer s3cret", "BEARER s3cret", "Bearer   s3cret"}) {
    EXPECT_TRUE(net::bearer_token_matches(given, "s3cret")) << given;
  }
  for (const std::string given : {"Bearer s3cre", "Bearer s3cret ", "Bearer S3CRET", "Basic s3cret", "Bearers3cret",
                                  "s3cret", ""}) {
    EXPECT_FALSE(net::bearer_token_matches(given, "s3cret")) << given;
  }
  EXPECT_FALSE(net::bearer_token_matches("Bearer ", "")) << "no token is never a match";
}

TEST(HeaderSafety, NoHeaderWithALineBreakOrNulGoesOut) {
  EXPECT_TRUE(net::header_is_safe("Location", "/api/clusters/local/jobs/abcde-1"));
  EXPECT_TRUE(net::header_is_safe("X-Note", "tabs\tare fine, as is UTF-8 \xc3\xa9"));
  for (const std::string& value : {std::string("a\r\nSet-Cookie: x=1"), std::string("a\nb"), std::string("a\rb"),
                                  std::string("a\0b", 3), std::string("a\x01" "b")}) {
    EXPECT_FALSE(net::header_is_safe("Location", value)) << "a value with a control character";
  }
  EXPECT_FALSE(net::header_is_safe("X-A\r\nX-B", "1"));
  EXPECT_FALSE(net::header_is_safe("X A", "1"));
  EXPECT_FALSE(net::header_is_safe("", "1"));
  Response response;
  response.set_header("Retry-After", "10");
  EXPECT_FALSE(net::unsafe_header(response));
  response.set_header("Location", "/jobs/x\r\n\r\n<script>alert(1)</script>");
  EXPECT_EQ(net::unsafe_header(response), "Location");
  Response typed;
  typed.set_content("{}", "application/json\r\nX-Injected: 1");
  EXPECT_EQ(net::unsafe_header(typed), "Content-Type");
}

// The router screens a request on its head before any handler, in order: another site (403),
// then the hook (the login), then the route's Content-Type (415); and says in which lane the
// handler runs.
TEST(Screening, AnsweredOnTheHeadInOrderAndOtherwiseSentToTheRoutesLane) {
  Router router;
  router.set_before([](const Request& req, Response& res) {
    if (req.get_header_value("Authorization") == "yes") return false;
    net::send_error(res, 401, "log in");
    return true;
  });
  router.post("/jobs", [](const Request&, Response& res) { res.status = 201; });
  router.post("/jobs/x/cancel", [](const Request&, Response& res) { res.status = 202; }, net::Body::kNone);
  router.get("/slow", [](const Request&, Response&) {}, net::Lane::kCallsOut);

  const auto status = [&router](const Request& head) {
    const auto screened = router.screen(head);
    return screened.answer ? screened.answer->status : 0;
  };
  EXPECT_EQ(status(request("POST", "/jobs", {{"Sec-Fetch-Site", "cross-site"}})), 403) << "before the login";
  EXPECT_EQ(status(request("POST", "/jobs", {{"Content-Type", "text/plain"}})), 401) << "the login before the type";
  EXPECT_EQ(status(request("POST", "/jobs", {{"Authorization", "yes"}, {"Content-Type", "text/plain"}})), 415);
  EXPECT_EQ(status(request("POST", "/jobs", {{"Authorization", "yes"}, {"Content-Type", "application/json"}})), 0);
  EXPECT_EQ(status(request("POST", "/jobs/x/cancel", {{"Authorization", "yes"}})), 0) << "a route without a body";
  EXPECT_EQ(status(request("POST", "/jobs/x/cancel", {{"Authorization", "yes"}, {"Sec-Fetch-Site", "same-site"}})), 403)
      << "guarded all the same";
  EXPECT_EQ(status(request("POST", "/nowhere", {{"Authorization", "yes"}})), 0) << "no route: route() answers 404";

  EXPECT_EQ(router.screen(request("GET", "/slow", {{"Authorization", "yes"}})).lane, net::Lane::kCallsOut);
  EXPECT_EQ(router.screen(request("HEAD", "/slow", {{"Authorization", "yes"}})).lane, net::Lane::kCallsOut);
  EXPECT_EQ(router.screen(request("POST", "/jobs", {{"Authorization", "yes"}, {"Content-Type", "application/json"}})).lane,
            net::Lane::kHandlers);
  Request whole = request("POST", "/jobs", {{"Authorization", "yes"}, {"Content-Type", "application/json"}});
  EXPECT_EQ(router.handle(whole).status, 201);
}

}  // namespace
