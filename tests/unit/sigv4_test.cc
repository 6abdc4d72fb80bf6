// AWS requests (the gateway's, S3's) are signed by libcurl (CURLOPT_AWS_SIGV4); these check the result
// against AWS's published SigV4 test vectors, as a server receives it.
#include <gtest/gtest.h>
#include <httplib.h>

#include <mutex>
#include <thread>

#include "aws/http.h"

namespace {

using fossa::aws::AwsCredentials;
using fossa::aws::signed_request;

// A server on loopback that records the last request's headers.
class Recorder {
 public:
  Recorder() {
    server_.Get("/", [this](const httplib::Request& req, httplib::Response& res) { record(req, res); });
    server_.Post("/", [this](const httplib::Request& req, httplib::Response& res) { record(req, res); });
    port_ = server_.bind_to_any_port("127.0.0.1");
    thread_ = std::thread([this] { server_.listen_after_bind(); });
  }
  ~Recorder() {
    server_.stop();
    thread_.join();
  }
  std::string url() const { return "http://127.0.0.1:" + std::to_string(port_) + "/"; }
  std::string header(const std::string& name) {
    std::lock_guard lock(mutex_);
    const auto found = headers_.find(name);
    return found == headers_.end() ? "" : found->second;
  }

 private:
  void record(const httplib::Request& req, httplib::Response& res) {
    std::lock_guard lock(mutex_);
    headers_ = req.headers;
    res.set_content("{}", "application/json");
  }
  httplib::Server server_;
  int port_ = 0;
  std::thread thread_;
  std::mutex mutex_;
  httplib::Headers headers_;
};

const AwsCredentials kExample{"AKIDEXAMPLE", "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY", ""};

// AWS's SigV4 test suite, "get-vanilla": GET / to example.amazonaws.com at 20150830T123600Z.
TEST(SigV4, MatchesTheGetVanillaTestVector) {
  Recorder recorder;
  const auto answer = signed_request("GET", recorder.url(), {"Host: example.amazonaws.com", "X-Amz-Date: 20150830T123600Z"},
                                     "", kExample, "us-east-1", "service", 5000);
  ASSERT_EQ(answer.status, 200) << answer.error;
  EXPECT_EQ(recorder.header("Authorization"),
            "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/service/aws4_request, "
            "SignedHeaders=host;x-amz-date, Signature=5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31");
}

TEST(SigV4, SignsTheSessionTokenWhenThereIsOne) {
  Recorder recorder;
  AwsCredentials temporary = kExample;
  temporary.token = "a-session-token";
  const auto answer = signed_request("POST", recorder.url(), {"Content-Type: application/x-amz-json-1.1"}, "{}",
                                     temporary, "eu-west-2", "ecs", 5000);
  ASSERT_EQ(answer.status, 200) << answer.error;
  EXPECT_EQ(recorder.header("X-Amz-Security-Token"), "a-session-token");
  EXPECT_NE(recorder.header("Authorization").find("x-amz-security-token"), std::string::npos)
      << recorder.header("Authorization");
}

}  // namespace
