// fossa-gateway's door against a browser and a network (issue 22): TLS 1.2 only with forward
// secrecy and an AEAD cipher (openssl s_client asks for each kind), HSTS only with a certificate
// this machine trusts, and a job posted only as JSON and never for another site's page.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>

#include "support/command.h"
#include "support/node_process.h"
#include "support/test_client.h"

namespace {

using fossa::testing::fossa_bin;
using fossa::testing::NodeProcess;
using fossa::testing::run_command;
using fossa::testing::TempDir;
using fossa::testing::TestClient;
using ::testing::HasSubstr;

const std::string kPassword = "correct horse battery staple";

std::string gateway_bin() { return (std::filesystem::path(fossa_bin()).parent_path() / "fossa-gateway").string(); }

void openssl(const std::vector<std::string>& args) {
  const auto made = run_command("/usr/bin/openssl", args);
  ASSERT_EQ(made.exit_code, 0) << made.err;
}

// A certificate for 127.0.0.1 in `dir`: self-signed, or issued by a throwaway authority (ca.pem).
struct Certificate {
  std::string cert;
  std::string key;
  std::string authority;  // "" when self-signed
};

Certificate self_signed(const std::string& dir) {
  Certificate made{dir + "/self.pem", dir + "/self.key", ""};
  openssl({"req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1", "-subj", "/CN=127.0.0.1", "-keyout", made.key, "-out",
           made.cert});
  return made;
}

Certificate issued_by_an_authority(const std::string& dir) {
  Certificate made{dir + "/issued.pem", dir + "/issued.key", dir + "/ca.pem"};
  openssl({"req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1", "-subj", "/CN=Fossa test authority", "-keyout",
           dir + "/ca.key", "-out", made.authority, "-addext", "basicConstraints=critical,CA:TRUE", "-addext",
           "keyUsage=critical,keyCertSign"});
  openssl({"req", "-newkey", "rsa:2048", "-nodes", "-subj", "/CN=127.0.0.1", "-keyout", made.key, "-out", dir + "/issued.csr"});
  std::ofstream(dir + "/issued.ext") << "subjectAltName=IP:127.0.0.1\nextendedKeyUsage=serverAuth\n";
  openssl({"x509", "-req", "-in", dir + "/issued.csr", "-CA", made.authority, "-CAkey", dir + "/ca.key", "-CAcreateserial",
           "-days", "1", "-extfile", dir + "/issued.ext", "-out", made.cert});
  return made;
}

// A gateway on loopback with `more` flags; without a --node among them, one that is never asked.
std::unique_ptr<NodeProcess> gateway(const std::vector<std::string>& more, const std::vector<std::string>& env = {}) {
  std::vector<std::string> args{"--port", "0", "--bind", "127.0.0.1"};
  if (std::find(more.begin(), more.end(), "--node") == more.end()) args.insert(args.end(), {"--node", "http://127.0.0.1:1"});
  args.insert(args.end(), more.begin(), more.end());
  std::vector<std::string> environment{"GATEWAY_HTTP_PASSWORD=" + kPassword};
  environment.insert(environment.end(), env.begin(), env.end());
  return std::make_unique<NodeProcess>(NodeProcess::Launch{gateway_bin(), args, environment, "fossa-gateway ready"});
}

// Whether a TLS handshake with `args` (-tls1_2 -cipher ..., or -tls1_3) succeeds.
bool handshake(int port, const std::vector<std::string>& args) {
  std::vector<std::string> all{"s_client", "-connect", "127.0.0.1:" + std::to_string(port), "-brief"};
  all.insert(all.end(), args.begin(), args.end());
  return run_command("/usr/bin/openssl", all).exit_code == 0;
}

TEST(GatewayTls, OnlyForwardSecrecyAndAeadCiphersAreSpoken) {
  TempDir dir;
  const auto certificate = self_signed(dir.path());
  auto https = gateway({"--tls-cert", certificate.cert, "--tls-key", certificate.key});
  for (const std::string cipher : {"ECDHE-RSA-AES128-GCM-SHA256", "ECDHE-RSA-AES256-GCM-SHA384", "ECDHE-RSA-CHACHA20-POLY1305"}) {
    EXPECT_TRUE(handshake(https->port(), {"-tls1_2", "-cipher", cipher})) << cipher;
  }
  // Static RSA key exchange (no forward secrecy), CBC with SHA-1 or SHA-256, finite-field DH.
  for (const std::string cipher : {"AES128-GCM-SHA256", "AES256-SHA", "AES128-SHA256", "ECDHE-RSA-AES128-SHA",
                                   "ECDHE-RSA-AES256-SHA384", "DHE-RSA-AES128-GCM-SHA256"}) {
    EXPECT_FALSE(handshake(https->port(), {"-tls1_2", "-cipher", cipher})) << cipher << " must be refused";
  }
  EXPECT_TRUE(handshake(https->port(), {"-tls1_3"}));
  EXPECT_FALSE(handshake(https->port(), {"-tls1_1"}));
}

TEST(GatewayTls, HstsOnlyWithACertificateThisMachineTrusts) {
  TempDir dir;
  const auto own = self_signed(dir.path());
  const auto issued = issued_by_an_authority(dir.path());
  const auto hsts_of = [](const NodeProcess& server, const std::string& authority) {
    TestClient client("https://127.0.0.1:" + std::to_string(server.port()));
    client.trust(authority);
    const auto answer = client.get("/");  // 401: every answer carries the headers
    return answer.answered() ? answer.header("Strict-Transport-Security") : "no answer: " + answer.error;
  };
  auto untrusted = gateway({"--tls-cert", own.cert, "--tls-key", own.key});
  EXPECT_EQ(hsts_of(*untrusted, own.cert), "") << "a browser told to accept this certificate must stay free to accept the next";
  EXPECT_THAT(untrusted->wait_for_log("fossa-gateway ready"), HasSubstr("no HSTS"));
  // The authority is trusted here as a public one would be (OpenSSL's SSL_CERT_FILE).
  auto trusted = gateway({"--tls-cert", issued.cert, "--tls-key", issued.key}, {"SSL_CERT_FILE=" + issued.authority});
  EXPECT_EQ(hsts_of(*trusted, issued.authority), "max-age=31536000");
  EXPECT_THAT(trusted->wait_for_log("fossa-gateway ready"), HasSubstr("HSTS sent"));
  auto plain = gateway({});
  const auto answer = TestClient(plain->port()).get("/");
  ASSERT_TRUE(answer.answered()) << answer.error;
  EXPECT_EQ(answer.header("Strict-Transport-Security"), "") << "never over plain HTTP";
}

TEST(GatewayDoor, AJobIsTakenOnlyAsJsonAndNeverForAnotherSitesPage) {
  NodeProcess node;
  auto door = gateway({"--node", node.url()});
  TestClient client(door->port());
  client.basic_auth("fossa", kPassword);
  const std::string task = R"({"model_class": "NothingEtl"})";
  const auto typed = client.post("/api/clusters/local/jobs", task, "text/plain");
  ASSERT_TRUE(typed.answered()) << typed.error;
  EXPECT_EQ(typed.status, 415);
  EXPECT_THAT(typed.body, HasSubstr("Content-Type: application/json"));
  const auto elsewhere = client.post("/api/clusters/local/jobs", task, "application/json", {{"Sec-Fetch-Site", "cross-site"}});
  ASSERT_TRUE(elsewhere.answered()) << elsewhere.error;
  EXPECT_EQ(elsewhere.status, 403);
  const auto other_origin = client.post("/api/clusters/local/jobs", task, "application/json", {{"Origin", "http://127.0.0.1:9"}});
  ASSERT_TRUE(other_origin.answered()) << other_origin.error;
  EXPECT_EQ(other_origin.status, 403);
  EXPECT_TRUE(node.get("/api/0.01/node_info").json()["recent_completed_tasks"].empty()) << "no job reached the node";
  const auto own = client.post("/api/clusters/local/jobs", task, "application/json",
                               {{"Sec-Fetch-Site", "same-origin"}, {"Origin", "http://127.0.0.1:" + std::to_string(door->port())}});
  ASSERT_TRUE(own.answered()) << own.error;
  EXPECT_EQ(own.status, 201) << own.body;
}

}  // namespace
