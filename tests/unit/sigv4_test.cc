// AWS requests (the gateway's, S3's) are signed by libcurl (CURLOPT_AWS_SIGV4); these check the result
// against AWS's published SigV4 test vectors, as a server receives it.
#include <gtest/gtest.h>

#include <mutex>

#include "aws/signed_request.h"
#include "integration/support/stand_in_server.h"

namespace {

using fossa::aws::AwsCredentials;
using fossa::aws::signed_request;

// A server on loopback that records the last request's headers.
class Recorder {
 public:
  Recorder() {
    server_.routes().get("/", [this](const fossa::net::Request& req, fossa::net::Response& res) { record(req, res); });
    server_.routes().post("/", [this](const fossa::net::Request& req, fossa::net::Response& res) { record(req, res); }, fossa::net::Body::kNone);
    server_.start();
  }
  ~Recorder() { server_.stop(); }
  std::string url() const { return server_.url() + "/"; }
  std::string header(const std::string& name) {
    std::lock_guard lock(mutex_);
    return last_.get_header_value(name);
  }

 private:
  void record(const fossa::net::Request& req, fossa::net::Response& res) {
    std::lock_guard lock(mutex_);
    last_ = req;
    res.set_content("{}", "application/json");
  }
  fossa::testing::StandInServer server_;
  std::mutex mutex_;
  fossa::net::Request last_;
};

const AwsCredentials kExample{"AKIDEXAMPLE", "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY", ""};

// AWS's SigV4 test suite, "get-vanilla": GET / to example.amazonaws.com at 20150830T123600Z.
TEST(SigV4, MatchesTheGetVanillaTestVector) {
  Recorder recorder;
  const auto answer = signed_request("GET", recorder.url(), {{"Host", "example.amazonaws.com"}, {"X-Amz-Date", "20150830T123600Z"}},
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
  const auto answer = signed_request("POST", recorder.url(), {{"Content-Type", "application/x-amz-json-1.1"}}, "{}",
                                     temporary, "eu-west-2", "ecs", 5000);
  ASSERT_EQ(answer.status, 200) << answer.error;
  EXPECT_EQ(recorder.header("X-Amz-Security-Token"), "a-session-token");
  EXPECT_NE(recorder.header("Authorization").find("x-amz-security-token"), std::string::npos)
      << recorder.header("Authorization");
}

}  // namespace
