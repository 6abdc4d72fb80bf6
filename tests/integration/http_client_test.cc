// Fossa's HTTP client (src/http_client) against a real server on loopback — the project's own
// (a StandInServer), over HTTP and HTTPS: what goes out (method, headers, body, auth) as the server
// reads it, what comes back, and each way an exchange can fail: a deadline, a cap, a refused
// connection, a certificate. tests/unit/http_client_test.cc has what needs no socket.
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <openssl/ssl.h>
#include <openssl/x509_vfy.h>

#include <future>
#include <mutex>

#include "ayeaye/json.h"
#include "http_client/client.h"
#include "net/certificate_fingerprint.h"
#include "process/program_path.h"
#include "support/command.h"
#include "support/listening_port.h"
#include "support/stand_in_server.h"

namespace {

using fossa::http_client::BasicAuth;
using fossa::http_client::BearerToken;
using fossa::http_client::Client;
using fossa::http_client::Failure;
using fossa::http_client::Request;
using fossa::http_client::Response;
using fossa::testing::RefusingPort;
using fossa::testing::StandInServer;
using fossa::testing::TempDir;
using ::testing::HasSubstr;

Request to(const StandInServer& server, const std::string& path, const std::string& method = "GET") {
  Request request;
  request.method = method;
  request.url = server.url() + path;
  request.timeout = std::chrono::seconds(60);  // only a regression reaches it
  return request;
}

// A server that answers every request to /echo with what it read of it, as JSON, and records it.
class EchoServer {
 public:
  EchoServer() {
    const auto echo = [this](const fossa::net::Request& req, fossa::net::Response& res) {
      {
        std::lock_guard lock(mutex_);
        last_ = req;
      }
      res.status = req.method == "POST" ? 201 : 200;
      res.set_header("X-Answered-By", "echo");
      res.set_content(ayeaye::Json{{"method", req.method}, {"body", req.body}, {"target", req.target}}.dump(),
                      "application/json");
    };
    server_.routes().get("/echo", echo);
    server_.routes().post("/echo", echo, fossa::net::Body::kNone);  // any body: an echo
    server_.routes().put("/echo", echo, fossa::net::Body::kNone);
  }
  ~EchoServer() { server_.stop(); }
  StandInServer& server() { return server_; }
  fossa::net::Request last() {
    std::lock_guard lock(mutex_);
    return last_;
  }

 private:
  StandInServer server_;
  std::mutex mutex_;
  fossa::net::Request last_;
};

TEST(HttpClient, SendsTheMethodHeadersAndBodyAndReadsTheAnswer) {
  EchoServer echo;
  echo.server().start();
  Request post = to(echo.server(), "/echo?x=1", "POST");
  post.headers = {{"Content-Type", "application/json"}, {"X-Task", "t-1"}};
  const Response posted = fossa::http_client::send(post, R"({"model_class": "NothingEtl"})");
  ASSERT_TRUE(posted.answered()) << posted.error;
  EXPECT_EQ(posted.status, 201);
  EXPECT_EQ(posted.header("x-answered-by"), "echo");
  EXPECT_EQ(posted.header("Content-Type"), "application/json");
  const auto json = ayeaye::Json::parse(posted.body);
  EXPECT_EQ(json["method"], "POST");
  EXPECT_EQ(json["body"], R"({"model_class": "NothingEtl"})");
  EXPECT_EQ(json["target"], "/echo?x=1");
  EXPECT_EQ(echo.last().get_header_value("X-Task"), "t-1");
  EXPECT_EQ(echo.last().get_header_value("Content-Type"), "application/json");

  const Response put = fossa::http_client::send(to(echo.server(), "/echo", "PUT"));  // an empty body: Content-Length 0
  EXPECT_EQ(put.status, 200) << put.error;
  EXPECT_EQ(ayeaye::Json::parse(put.body)["method"], "PUT");
  EXPECT_EQ(echo.last().get_header_value("Content-Length"), "0");

  const Response head = fossa::http_client::send(to(echo.server(), "/echo", "HEAD"));
  EXPECT_EQ(head.status, 200) << head.error;
  EXPECT_EQ(head.body, "");
  EXPECT_EQ(head.header("X-Answered-By"), "echo");

  const Response missing = fossa::http_client::send(to(echo.server(), "/nowhere"));
  EXPECT_TRUE(missing.answered()) << "an HTTP error is an answer, not a failure";
  EXPECT_EQ(missing.status, 404);
}

TEST(HttpClient, BasicAuthAndABearerTokenArriveAsTheServerReadsThem) {
  EchoServer echo;
  echo.server().start();
  Request basic = to(echo.server(), "/echo");
  basic.auth = BasicAuth{"fossa", "correct horse battery staple"};
  EXPECT_EQ(fossa::http_client::send(basic).status, 200);
  // "fossa:correct horse battery staple" in base64.
  EXPECT_EQ(echo.last().get_header_value("Authorization"), "Basic Zm9zc2E6Y29ycmVjdCBob3JzZSBiYXR0ZXJ5IHN0YXBsZQ==");
  Request bearer = to(echo.server(), "/echo");
  bearer.auth = BearerToken{"a-node-api-token"};
  EXPECT_EQ(fossa::http_client::send(bearer).status, 200);
  EXPECT_EQ(echo.last().get_header_value("Authorization"), "Bearer a-node-api-token");
}

TEST(HttpClient, AClientKeepsItsConnectionAndASingleSendDoesNot) {
  EchoServer echo;
  echo.server().start();
  Client client;
  const Response first = client.send(to(echo.server(), "/echo"));
  const Response second = client.send(to(echo.server(), "/echo"));
  ASSERT_EQ(first.status, 200) << first.error;
  ASSERT_EQ(second.status, 200) << second.error;
  EXPECT_FALSE(first.reused_connection);
  EXPECT_TRUE(second.reused_connection);
  EXPECT_FALSE(fossa::http_client::send(to(echo.server(), "/echo")).reused_connection);
  EXPECT_FALSE(fossa::http_client::send(to(echo.server(), "/echo")).reused_connection);
}

TEST(HttpClient, AnAnswerThatDoesNotComeInTimeIsTimedOut) {
  StandInServer server;
  std::promise<void> released;
  const auto release = released.get_future().share();
  server.routes().get("/slow", [release](const fossa::net::Request&, fossa::net::Response& res) {
    // Until the test has seen the client give up; a client that ignored its deadline is answered
    // after this bound instead, and the test fails rather than hangs.
    release.wait_for(std::chrono::seconds(30));
    res.set_content("late", "text/plain");
  });
  server.start();
  Request request = to(server, "/slow");
  request.timeout = std::chrono::milliseconds(300);
  const Response answer = fossa::http_client::send(request);
  released.set_value();
  EXPECT_EQ(answer.failure, Failure::kTimedOut);
  EXPECT_TRUE(answer.timed_out());
  EXPECT_EQ(answer.status, 0);
  EXPECT_EQ(answer.body, "");
  EXPECT_FALSE(answer.error.empty());
}

TEST(HttpClient, AnAnswerPastItsCapIsCutOffThere) {
  StandInServer server;
  server.routes().get("/big", [](const fossa::net::Request&, fossa::net::Response& res) {
    res.set_content(std::string(2 << 20, 'x'), "text/plain");
  });
  server.start();
  Request capped = to(server, "/big");
  capped.max_answer_bytes = 1 << 20;
  const Response cut = fossa::http_client::send(capped);
  EXPECT_EQ(cut.failure, Failure::kTooLarge);
  EXPECT_TRUE(cut.too_large());
  EXPECT_EQ(cut.error, "the answer is larger than 1048576 bytes");
  EXPECT_EQ(cut.body, "") << "nothing of a cut-off answer is kept";
  capped.max_answer_bytes = 2 << 20;
  const Response whole = fossa::http_client::send(capped);
  EXPECT_EQ(whole.status, 200) << whole.error;
  EXPECT_EQ(whole.body.size(), std::size_t{2} << 20) << "exactly the cap is within it";
}

TEST(HttpClient, AnAddressWhereNothingListensCannotBeConnectedTo) {
  const RefusingPort down;
  Request request;
  request.url = "http://127.0.0.1:" + std::to_string(down.port()) + "/healthz";
  const Response answer = fossa::http_client::send(request);
  EXPECT_EQ(answer.failure, Failure::kCannotConnect);
  EXPECT_EQ(answer.error, "Couldn't connect to server");
}

// A certificate for 127.0.0.1 (or, with `other_host`, for another name only) made with openssl.
struct Certificate {
  explicit Certificate(bool other_host = false) {
    const auto openssl = fossa::find_on_path("openssl");
    if (!openssl) throw std::runtime_error("openssl is not on PATH");
    const std::string name = other_host ? "DNS:elsewhere.example" : "IP:127.0.0.1";
    const auto made = fossa::testing::run_command(
        *openssl, {"req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes", "-days", "2",
                   "-subj", "/CN=stand-in", "-addext", "subjectAltName=" + name, "-keyout", key, "-out", cert});
    if (made.exit_code != 0) throw std::runtime_error("openssl failed: " + made.err);
  }
  TempDir dir;
  std::string cert = dir.path() + "/cert.pem";
  std::string key = dir.path() + "/key.pem";
};

TEST(HttpClient, HttpsTrustsTheGivenCertificatesAndRefusesOthers) {
  const Certificate certificate;
  EchoServer echo;
  echo.server().start(certificate.cert, certificate.key);
  Request request = to(echo.server(), "/echo");
  const Response untrusted = fossa::http_client::send(request);
  EXPECT_EQ(untrusted.failure, Failure::kCertificate) << untrusted.error;
  request.tls.ca_file = certificate.cert;
  const Response trusted = fossa::http_client::send(request);
  EXPECT_EQ(trusted.status, 200) << trusted.error;
}

TEST(HttpClient, HttpsChecksTheHostNameUnlessToldNotTo) {
  const Certificate elsewhere(/*other_host=*/true);
  EchoServer echo;
  echo.server().start(elsewhere.cert, elsewhere.key);
  Request request = to(echo.server(), "/echo");
  request.tls.ca_file = elsewhere.cert;
  const Response refused = fossa::http_client::send(request);
  EXPECT_EQ(refused.failure, Failure::kCertificate) << "a trusted certificate made for another name";
  request.tls.verify_host = false;
  EXPECT_EQ(fossa::http_client::send(request).status, 200);
}

// OpenSSL's verification replaced by one that records the leaf's fingerprint and says `accept`.
struct Inspection {
  bool accept = true;
  std::optional<fossa::net::Sha256Digest> seen;
};
int inspect(X509_STORE_CTX* store, void* arg) {
  auto* inspection = static_cast<Inspection*>(arg);
  inspection->seen = fossa::net::certificate_sha256(X509_STORE_CTX_get0_cert(store));
  if (!inspection->accept) return 0;
  X509_STORE_CTX_set_error(store, X509_V_OK);
  return 1;
}

TEST(HttpClient, TheTlsHookSeesEachNewConnectionsCertificateAndDecides) {
  ASSERT_TRUE(fossa::http_client::tls_context_hook_available()) << "Debian's libcurl is built with OpenSSL";
  const Certificate certificate;
  EchoServer echo;
  echo.server().start(certificate.cert, certificate.key);
  Inspection inspection;
  Request request = to(echo.server(), "/echo");  // no ca_file: only the hook can let it through
  request.tls.resume_sessions = false;
  request.tls.on_context = [&inspection](ssl_ctx_st* context) {
    SSL_CTX_set_cert_verify_callback(context, inspect, &inspection);
  };
  const Response accepted = fossa::http_client::send(request);
  EXPECT_EQ(accepted.status, 200) << accepted.error;
  ASSERT_TRUE(inspection.seen.has_value());
  EXPECT_EQ(*inspection.seen, fossa::net::pem_file_sha256(certificate.cert).value());

  inspection = Inspection{false, std::nullopt};
  const Response refused = fossa::http_client::send(request);
  EXPECT_EQ(refused.failure, Failure::kCertificate) << refused.error;
  EXPECT_TRUE(inspection.seen.has_value()) << "the hook ran on the new connection";
}

}  // namespace
