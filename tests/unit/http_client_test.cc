// The HTTP client's pure parts, without a socket: which requests it refuses to send, and how it
// reads an answer's header lines. tests/integration/http_client_test.cc sends over real HTTP.
#include <gtest/gtest.h>

#include "http_client/client.h"

namespace {

using fossa::http_client::BasicAuth;
using fossa::http_client::BearerToken;
using fossa::http_client::Failure;
using fossa::http_client::Headers;
using fossa::http_client::Request;
using fossa::http_client::request_problem;
using fossa::http_client::Response;
using fossa::http_client::SigV4;
using fossa::http_client::take_header_line;

Request get(const std::string& url) {
  Request request;
  request.url = url;
  return request;
}

TEST(HttpClientRequest, AnOrdinaryRequestHasNoProblem) {
  Request request = get("https://gateway.example:8443/api/clusters?x=1");
  request.method = "POST";
  request.headers = {{"Content-Type", "application/json"}, {"X-Amz-Target", "Ecs.ListClusters"}, {"X-Empty", ""}};
  request.auth = BasicAuth{"fossa", "a password: with a colon\nand a line break"};  // base64 on the wire
  EXPECT_EQ(request_problem(request), std::nullopt);
}

TEST(HttpClientRequest, OnlyHttpAndHttpsUrlsWithoutBlanksAreSent) {
  EXPECT_EQ(request_problem(get("ftp://host/x")), "'ftp://host/x' is not an http:// or https:// URL");
  EXPECT_EQ(request_problem(get("127.0.0.1:2345/healthz")), "'127.0.0.1:2345/healthz' is not an http:// or https:// URL");
  EXPECT_EQ(request_problem(get("file:///etc/passwd")), "'file:///etc/passwd' is not an http:// or https:// URL");
  EXPECT_EQ(request_problem(get("http://host/a b")), "the URL holds a space or a line break");
  EXPECT_EQ(request_problem(get("http://host/a\r\nX-Injected: 1")), "the URL holds a space or a line break");
}

TEST(HttpClientRequest, AHeaderCannotSmuggleAnotherIn) {
  Request request = get("http://127.0.0.1:1/");
  request.headers = {{"X-Task", "a\r\nAuthorization: Bearer stolen"}};
  EXPECT_EQ(request_problem(request), "header 'X-Task' holds a line break");
  request.headers = {{"X-Task", std::string("a\0b", 3)}};
  EXPECT_EQ(request_problem(request), "header 'X-Task' holds a line break");
  request.headers = {{"Bad Name", "x"}};
  EXPECT_EQ(request_problem(request), "'Bad Name' is not a header name");
  request.headers = {{"", "x"}};
  EXPECT_EQ(request_problem(request), "'' is not a header name");
  request.headers = {};
  request.auth = BearerToken{"token\nX-Other: 1"};
  EXPECT_EQ(request_problem(request), "the bearer token holds a line break");
  request.auth = SigV4{"eu-west-2", "ecs", "AKID\r\nX: 1", "secret"};
  EXPECT_EQ(request_problem(request), "the AWS credentials hold a line break");
}

TEST(HttpClientRequest, MethodsDeadlinesAndCredentialsAreChecked) {
  Request request = get("http://127.0.0.1:1/");
  request.method = "GET /other HTTP/1.1";
  EXPECT_EQ(request_problem(request), "'GET /other HTTP/1.1' is not an HTTP method");
  request.method = "";
  EXPECT_EQ(request_problem(request), "'' is not an HTTP method");
  request.method = "GET";
  request.timeout = std::chrono::milliseconds(0);
  EXPECT_EQ(request_problem(request), "the deadline must be above zero");
  request.timeout = std::chrono::seconds(1);
  request.connect_timeout = std::chrono::milliseconds(-1);
  EXPECT_EQ(request_problem(request), "the connection's deadline cannot be negative");
  request.connect_timeout = {};
  request.auth = BasicAuth{"user:name", "p"};
  EXPECT_EQ(request_problem(request), "a basic auth user name cannot hold ':'");
  request.auth = BearerToken{""};
  EXPECT_EQ(request_problem(request), "the bearer token is empty");
  request.auth = SigV4{"eu-west-2", "", "AKID", "secret"};
  EXPECT_EQ(request_problem(request), "SigV4 needs a region and a service without ':' or line breaks");
  request.auth = SigV4{"eu:west", "ecs", "AKID", "secret"};
  EXPECT_EQ(request_problem(request), "SigV4 needs a region and a service without ':' or line breaks");
}

TEST(HttpClientRequest, ARequestWithAProblemIsNotSentAndSaysWhy) {
  Request request = get("http://127.0.0.1:1/");
  request.headers = {{"X", "a\nb"}};
  const Response response = fossa::http_client::send(request);
  EXPECT_EQ(response.failure, Failure::kBadRequest);
  EXPECT_EQ(response.error, "header 'X' holds a line break");
  EXPECT_EQ(response.status, 0);
  EXPECT_FALSE(response.answered());
}

TEST(HttpClientResponse, HeaderLinesAreTakenTrimmedAndFoundWithoutCase) {
  Response response;
  for (const char* line : {"HTTP/1.1 200 OK\r\n", "Content-Type: application/json\r\n", "ETag:  \"abc\" \r\n",
                           "Set-Cookie: a=1\r\n", "set-cookie: b=2\r\n", "no colon here\r\n", ": no name\r\n", "\r\n"}) {
    take_header_line(line, response.headers);
  }
  EXPECT_EQ(response.headers, (Headers{{"Content-Type", "application/json"}, {"ETag", "\"abc\""},
                                       {"Set-Cookie", "a=1"}, {"set-cookie", "b=2"}}));
  EXPECT_EQ(response.header("content-type"), "application/json");
  EXPECT_EQ(response.header("ETAG"), "\"abc\"");
  EXPECT_EQ(response.header("Set-Cookie"), "a=1") << "the first of a repeated name";
  EXPECT_EQ(response.header("Location"), "");
}

TEST(HttpClientResponse, AStatusLineStartsAnAnswerAfresh) {
  // A 100 Continue (or any interim answer) comes before the final one; its headers are not the answer's.
  Headers headers;
  for (const char* line : {"HTTP/1.1 100 Continue\r\n", "X-Interim: yes\r\n", "\r\n", "HTTP/1.1 413 Payload Too Large\r\n",
                           "Content-Length: 0\r\n", "\r\n"}) {
    take_header_line(line, headers);
  }
  EXPECT_EQ(headers, (Headers{{"Content-Length", "0"}}));
}

}  // namespace
