// Requests from bytes under the limits, as the node's and the gateway's servers read them
// (net/http_parsing.h): what is refused, with which status, and what a handler gets.
#include "net/http_parsing.h"

#include <gtest/gtest.h>

namespace {

using fossa::net::HttpLimits;
using fossa::net::parse_request;

int status_of(const std::string& bytes, const HttpLimits& limits = {}) {
  const auto parsed = parse_request(bytes, limits);
  return parsed.refusal ? parsed.refusal->status : 200;
}

std::string post(const std::string& headers, const std::string& body) {
  return "POST /api/0.01/task HTTP/1.1\r\nHost: n\r\n" + headers + "\r\n" + body;
}

TEST(HttpParsing, GivesAHandlerTheDecodedPathQueryHeadersAndBody) {
  const auto parsed = parse_request(post("Content-Length: 2\r\nX-Thing: a b\r\n", "{}"), {});
  ASSERT_TRUE(parsed.request) << parsed.refusal->message;
  EXPECT_EQ(parsed.request->method, "POST");
  EXPECT_EQ(parsed.request->body, "{}");
  EXPECT_EQ(parsed.request->get_header_value("x-thing"), "a b");
  const auto get = parse_request("GET /arn%3Aaws%2Fx/tasks?wait=1.5&q=a+b%21&wait=9 HTTP/1.1\r\nHost: n\r\n\r\n", {});
  ASSERT_TRUE(get.request);
  EXPECT_EQ(get.request->path, "/arn:aws/x/tasks");
  EXPECT_EQ(get.request->get_param_value("wait"), "1.5") << "the first of a repeated name";
  EXPECT_EQ(get.request->get_param_value("q"), "a b!");
}

TEST(HttpParsing, RefusesAmbiguousBodyLengths) {
  EXPECT_EQ(status_of(post("Content-Length: 5\r\nTransfer-Encoding: chunked\r\n", "0\r\n\r\n")), 400);
  EXPECT_EQ(status_of(post("Transfer-Encoding: chunked\r\nContent-Length: 5\r\n", "0\r\n\r\n")), 400);
  EXPECT_EQ(status_of(post("Content-Length: 2\r\nContent-Length: 2\r\n", "{}")), 400);
  EXPECT_EQ(status_of(post("Content-Length: 2, 2\r\n", "{}")), 400);
  EXPECT_EQ(status_of(post("Content-Length: 2abc\r\n", "{}")), 400);
  EXPECT_EQ(status_of(post("Transfer-Encoding: gzip\r\n", "")), 400);
  EXPECT_EQ(status_of(post("Transfer-Encoding: chunked\r\n", "2\r\n{}\r\n0\r\n\r\n")), 200);
}

TEST(HttpParsing, RefusesHeadsBeyondTheLimits) {
  HttpLimits limits;
  EXPECT_EQ(status_of("GET /" + std::string(9000, 'a') + " HTTP/1.1\r\nHost: n\r\n\r\n", limits), 414);
  EXPECT_EQ(status_of(post("X-Long: " + std::string(9000, 'a') + "\r\n", ""), limits), 431);
  std::string many;
  for (int i = 0; i < 101; ++i) many += "X-" + std::to_string(i) + ": 1\r\n";
  EXPECT_EQ(status_of(post(many, ""), limits), 431);
  std::string big;
  for (int i = 0; i < 20; ++i) big += "X-" + std::to_string(i) + ": " + std::string(4000, 'a') + "\r\n";
  EXPECT_EQ(status_of(post(big, ""), limits), 431);
  EXPECT_EQ(status_of("GET / HTTP/1.1\r\n\r\n", limits), 400) << "HTTP/1.1 needs a Host";
  EXPECT_EQ(status_of("GET / HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n", limits), 400);
  EXPECT_EQ(status_of("GET http://elsewhere/ HTTP/1.1\r\nHost: n\r\n\r\n", limits), 400);
  EXPECT_EQ(status_of("GET /%zz HTTP/1.1\r\nHost: n\r\n\r\n", limits), 400);
}

TEST(HttpParsing, RefusesABodyBeyondTheLimitChunkedOrNot) {
  HttpLimits limits;
  limits.max_body_bytes = 1000;
  EXPECT_EQ(status_of(post("Content-Length: 1001\r\n", ""), limits), 413) << "refused on the header alone";
  std::string chunks;
  for (int i = 0; i < 3; ++i) chunks += "190\r\n" + std::string(400, 'a') + "\r\n";
  EXPECT_EQ(status_of(post("Transfer-Encoding: chunked\r\n", chunks + "0\r\n\r\n"), limits), 413);
  EXPECT_EQ(status_of(post("Content-Length: 1000\r\n", std::string(1000, 'a')), limits), 200);
}

}  // namespace
