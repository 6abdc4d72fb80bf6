// `fossa submit --gateway` and `fossa jobs` as a person uses them: a local cluster started with
// `fossa cluster up --gateway`, jobs sent through its gateway, each outcome with its exit code; and
// the gateway's own certificate (a throwaway one made here with openssl) pinned by fingerprint.
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <sys/stat.h>

#include <filesystem>
#include <fstream>
#include <mutex>
#include <regex>

#include "process/program_path.h"
#include "support/command.h"
#include "support/listening_port.h"
#include "support/node_process.h"
#include "support/stand_in_server.h"
#include "support/suite_set_up.h"

namespace {

using fossa::testing::CommandResult;
using fossa::testing::fossa_bin;
using fossa::testing::NodeProcess;
using fossa::testing::RefusingPort;
using fossa::testing::run_command;
using fossa::testing::StandInServer;
using fossa::testing::TempDir;
using ::testing::HasSubstr;
using ::testing::Not;

std::string gateway_bin() { return (std::filesystem::path(fossa_bin()).parent_path() / "fossa-gateway").string(); }

// A program found on PATH, as a shell would find it (run_command takes a path).
std::string on_path(const std::string& program) {
  if (auto found = fossa::find_on_path(program)) return *found;
  throw std::runtime_error(program + " is not on PATH (scripts/install-deps.sh --test installs it)");
}

CommandResult fossa(const std::vector<std::string>& args, const std::vector<std::string>& env) {
  return run_command(fossa_bin(), args, env);
}

// One `fossa cluster up --workers 2 --gateway` for the whole suite: starting a broker and nodes per
// test would take most of its time. Each test sends its own jobs.
class GatewaySubmit : public ::testing::Test {
 protected:
  // A failed `cluster up` fails every test of the suite, naming why (suite_set_up.h).
  static void SetUpTestSuite() {
    dir_ = new TempDir;
    set_up_.run([] {
      ::chmod(dir_->path().c_str(), 0755);  // the broker runs as the rabbitmq user
      const auto up = run_command(fossa_bin(), {"cluster", "--dir", dir_->path(), "up", "--workers", "2", "--gateway"});
      if (up.exit_code != 0) throw std::runtime_error("fossa cluster up --gateway failed: " + up.out + up.err);
      std::ifstream file(dir_->path() + "/cluster.json");
      const auto state = ayeaye::Json::parse(file);
      url_ = state["gateway"]["url"].get<std::string>();
      password_ = state["gateway"]["password"].get<std::string>();
    });
  }
  // Down whether up succeeded or not: a half-started cluster stops too.
  static void TearDownTestSuite() {
    run_command(fossa_bin(), {"cluster", "--dir", dir_->path(), "down"});
    delete dir_;
  }
  void SetUp() override { set_up_.check(); }
  static std::vector<std::string> env() { return {"FOSSA_GATEWAY_PASSWORD=" + password_}; }

  static fossa::testing::SuiteSetUp set_up_;
  static TempDir* dir_;
  static std::string url_;
  static std::string password_;
};
fossa::testing::SuiteSetUp GatewaySubmit::set_up_;
TempDir* GatewaySubmit::dir_ = nullptr;
std::string GatewaySubmit::url_;
std::string GatewaySubmit::password_;

TEST_F(GatewaySubmit, ACompleteJobExitsZeroAndFossaJobsListsIt) {
  const auto r = fossa({"submit", "PartitionedExampleEtl", "-c", "complexity=2", "--gateway", url_, "--wait", "--subtasks"},
                       env());
  EXPECT_EQ(r.exit_code, 0) << r.out << r.err;
  std::smatch id;
  ASSERT_TRUE(std::regex_search(r.out, id, std::regex(R"(task ([a-z]+-\d+) accepted by node 127\.0\.0\.1:\d+: )"))) << r.out;
  EXPECT_THAT(r.out, HasSubstr(url_ + "/api/clusters/local/jobs/" + id[1].str()));
  EXPECT_THAT(r.out, HasSubstr("PartitionedExampleEtl complete in "));
  EXPECT_THAT(r.out, HasSubstr("16 subtasks, 0 failed"));
  EXPECT_THAT(r.out, HasSubstr("subtasks by node: node-1 ")) << "each subtask's document, read through the gateway";

  const auto jobs = fossa({"jobs"}, {"FOSSA_GATEWAY_URL=" + url_, "FOSSA_GATEWAY_PASSWORD=" + password_});
  EXPECT_EQ(jobs.exit_code, 0) << jobs.err;
  EXPECT_THAT(jobs.out, HasSubstr("STARTED (UTC)"));
  EXPECT_THAT(jobs.out, testing::ContainsRegex(id[1].str() + " +127\\.0\\.0\\.1:[0-9]+ +PartitionedExampleEtl +complete +"
                                                             "[0-9-]+ [0-9:]+ +[0-9.]+ s +16/16 subtasks"));
  EXPECT_THAT(jobs.out, Not(HasSubstr("null")));
}

TEST_F(GatewaySubmit, AFailedJobExitsOneWithTheFailedSubtask) {
  const auto r = fossa({"submit", "PartialFailure", "--gateway", url_, "--wait"}, env());
  EXPECT_EQ(r.exit_code, 1) << r.out << r.err;
  EXPECT_THAT(r.out, HasSubstr("PartialFailure failed"));
  EXPECT_THAT(r.out, testing::ContainsRegex(R"(failed subtask: [a-z]+-[0-9]+\.[0-9]+ \()" + url_ + "/api/clusters/local/jobs/"));
  EXPECT_THAT(r.err, HasSubstr("trace:"));
}

TEST_F(GatewaySubmit, AnUnknownModelIsRefusedWithTwoAndTheNodesReason) {
  const auto r = fossa({"submit", "NoSuchModel", "--gateway", url_, "--wait"}, env());
  EXPECT_EQ(r.exit_code, 2) << r.out << r.err;
  EXPECT_THAT(r.err, HasSubstr("the gateway refused the task (HTTP 4"));
  EXPECT_THAT(r.err, HasSubstr("NoSuchModel"));
  const auto no_cluster = fossa({"submit", "NothingEtl", "--gateway", url_, "--cluster", "elsewhere"}, env());
  EXPECT_EQ(no_cluster.exit_code, 2) << no_cluster.err;
  EXPECT_THAT(no_cluster.err, HasSubstr("no cluster 'elsewhere'"));
}

TEST_F(GatewaySubmit, AWrongPasswordExitsFour) {
  // A gateway of its own: failed logins throttle the address, which the other tests share.
  NodeProcess gateway(NodeProcess::Launch{gateway_bin(), {"--port", "0", "--bind", "127.0.0.1", "--cluster-dir", dir_->path()},
                                          {"GATEWAY_HTTP_PASSWORD=" + password_}, "fossa-gateway ready"});
  const auto r = fossa({"submit", "NothingEtl", "--gateway", gateway.url(), "--wait"},
                       {"FOSSA_GATEWAY_PASSWORD=not the password"});
  EXPECT_EQ(r.exit_code, 4) << r.out << r.err;
  EXPECT_THAT(r.err, HasSubstr("refused user 'fossa' and this password (HTTP 401)"));
  const auto jobs = fossa({"jobs", "--gateway", gateway.url(), "--gateway-user", "admin"}, env());
  EXPECT_EQ(jobs.exit_code, 4) << jobs.out << jobs.err;
  EXPECT_THAT(jobs.err, HasSubstr("refused user 'admin'"));
}

TEST_F(GatewaySubmit, AGatewayThatIsDownExitsThree) {
  const RefusingPort down;
  const std::string url = "http://127.0.0.1:" + std::to_string(down.port());
  const auto r = fossa({"submit", "NothingEtl", "--gateway", url, "--wait"}, env());
  EXPECT_EQ(r.exit_code, 3) << r.out << r.err;
  EXPECT_THAT(r.err, HasSubstr("cannot reach the gateway at " + url));
}

TEST_F(GatewaySubmit, WithoutAPasswordOrATerminalItSaysHowToGiveOneAndExitsTwo) {
  // setsid: a session of its own, so no controlling terminal to ask on.
  const auto r = run_command(on_path("setsid"), {"-w", fossa_bin(), "submit", "NothingEtl", "--gateway", url_},
                             {"FOSSA_GATEWAY_PASSWORD="});
  EXPECT_EQ(r.exit_code, 2) << r.out << r.err;
  EXPECT_THAT(r.err, HasSubstr("set FOSSA_GATEWAY_PASSWORD"));
}

// A stand-in for a gateway on ECS with no worker running: it holds the job (202) and answers
// "waiting for workers" for two polls, then the node's document. Its only cluster is an ECS one,
// named in paths by its ARN.
TEST(GatewaySubmitHeld, AJobHeldWhileWorkersStartIsSaidAndWaitedFor) {
  StandInServer fake;
  std::mutex mutex;
  std::vector<std::string> clusters;  // as the paths named them (decoded)
  int polls = 0;
  const std::string arn = "arn:aws:ecs:eu-west-2:111122223333:cluster/dev";
  fake.routes().get("/api/clusters", [&](const fossa::net::Request&, fossa::net::Response& res) {
    res.set_content(ayeaye::Json{{"clusters", {{{"arn", arn}, {"name", "dev"}}}}}.dump(), "application/json");
  });
  fake.routes().post(R"(/api/clusters/(.+)/jobs)", [&](const fossa::net::Request& req, fossa::net::Response& res) {
    std::lock_guard lock(mutex);
    clusters.push_back(req.matches[1]);
    res.status = 202;
    res.set_content(R"({"job_id": "held-1", "status": "starting workers",
                        "links": {"self": "/api/clusters/dev/jobs/held-1", "page": "/dev/jobs/held-1"}})",
                    "application/json");
  });
  fake.routes().get(R"(/api/clusters/(.+)/jobs/held-1)", [&](const fossa::net::Request&, fossa::net::Response& res) {
    std::lock_guard lock(mutex);
    const bool waiting = ++polls <= 2;
    res.set_content(waiting ? R"({"job_id": "held-1", "status": "waiting for workers"})"
                            : R"({"job_id": "held-1", "task_id": "held-1", "status": "complete", "duration_seconds": 1.5,
                                  "results": {"payload": {"return_value": 42}}})",
                    "application/json");
  });
  fake.start();
  const auto r = fossa({"submit", "NothingEtl", "--gateway", fake.url(), "--wait"}, {"FOSSA_GATEWAY_PASSWORD=irrelevant here"});
  fake.stop();
  EXPECT_EQ(r.exit_code, 0) << r.out << r.err;
  EXPECT_THAT(r.out, HasSubstr("task held-1 accepted"));
  EXPECT_THAT(r.out, HasSubstr("the gateway is starting workers for it"));
  EXPECT_THAT(r.out, HasSubstr("NothingEtl complete in 1.50 s"));
  EXPECT_THAT(r.out, HasSubstr("return value: 42"));
  EXPECT_EQ(polls, 3);
  EXPECT_EQ(clusters, std::vector<std::string>{arn});
}

// A fossa-gateway serving HTTPS with a certificate made for the test, as its instance makes one.
class GatewayCertificate : public ::testing::Test {
 protected:
  void SetUp() override {
    const std::string cert = dir_.path() + "/cert.pem";
    const std::string key = dir_.path() + "/key.pem";
    const auto made = run_command(on_path("openssl"), {"req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1",
                                              "-nodes", "-days", "2", "-subj", "/CN=fossa-gateway", "-addext",
                                              "subjectAltName=IP:127.0.0.1", "-keyout", key, "-out", cert});
    ASSERT_EQ(made.exit_code, 0) << made.err;
    const auto printed = run_command(on_path("openssl"), {"x509", "-noout", "-fingerprint", "-sha256", "-in", cert});
    ASSERT_EQ(printed.exit_code, 0) << printed.err;
    // "sha256 Fingerprint=AB:CD:..." -> "AB:CD:..."
    hex_pairs_ = printed.out.substr(printed.out.find('=') + 1);
    hex_pairs_.erase(hex_pairs_.find_last_not_of("\n") + 1);
    gateway_ = std::make_unique<NodeProcess>(NodeProcess::Launch{
        gateway_bin(), {"--port", "0", "--bind", "127.0.0.1", "--node", node_.url(), "--tls-cert", cert, "--tls-key", key},
        {"GATEWAY_HTTP_PASSWORD=" + kPassword}, "fossa-gateway ready"});
    url_ = "https://127.0.0.1:" + std::to_string(gateway_->port());
  }
  CommandResult jobs(const std::vector<std::string>& extra, const std::vector<std::string>& env = {}) {
    std::vector<std::string> args = {"jobs", "--gateway", url_};
    args.insert(args.end(), extra.begin(), extra.end());
    std::vector<std::string> full_env = {"FOSSA_GATEWAY_PASSWORD=" + kPassword};
    full_env.insert(full_env.end(), env.begin(), env.end());
    return run_command(fossa_bin(), args, full_env);
  }

  const std::string kPassword = "correct horse battery staple";
  TempDir dir_;
  NodeProcess node_;
  std::unique_ptr<NodeProcess> gateway_;
  std::string url_;
  std::string hex_pairs_;  // as openssl printed them
};

TEST_F(GatewayCertificate, TheGatewaysReadyLineShowsTheFingerprintToPin) {
  EXPECT_THAT(gateway_->wait_for_log("fossa-gateway ready"), HasSubstr("certificate SHA256:" + hex_pairs_));
}

TEST_F(GatewayCertificate, TheRightPinIsAcceptedThoughNoAuthorityTrustsTheCertificate) {
  const auto r = jobs({"--fingerprint", "SHA256:" + hex_pairs_});
  EXPECT_EQ(r.exit_code, 0) << r.out << r.err;
  EXPECT_THAT(r.out, HasSubstr("no jobs"));
  // Without colons, in lower case, from the variable.
  std::string plain;
  for (char c : hex_pairs_) {
    if (c != ':') plain += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  }
  const auto from_variable = jobs({}, {"FOSSA_GATEWAY_FINGERPRINT=sha256:" + plain});
  EXPECT_EQ(from_variable.exit_code, 0) << from_variable.out << from_variable.err;
}

TEST_F(GatewayCertificate, AWrongPinIsRefusedShowingBothFingerprints) {
  std::string wrong = hex_pairs_;
  wrong[0] = wrong[0] == 'A' ? 'B' : 'A';
  const auto r = jobs({"--fingerprint", "SHA256:" + wrong});
  EXPECT_EQ(r.exit_code, 5) << r.out << r.err;
  EXPECT_THAT(r.err, HasSubstr("is not the pinned one"));
  EXPECT_THAT(r.err, HasSubstr("SHA256:" + hex_pairs_));
  EXPECT_THAT(r.err, HasSubstr("SHA256:" + wrong));
}

TEST_F(GatewayCertificate, NoPinIsRefusedWithTheFingerprintAndHowToPinIt) {
  const auto r = jobs({});
  EXPECT_EQ(r.exit_code, 5) << r.out << r.err;
  EXPECT_THAT(r.err, HasSubstr("is not trusted"));
  EXPECT_THAT(r.err, HasSubstr("--fingerprint SHA256:" + hex_pairs_));
  EXPECT_THAT(r.err, HasSubstr("FOSSA_GATEWAY_FINGERPRINT=SHA256:" + hex_pairs_));
  EXPECT_THAT(r.err, HasSubstr("get-console-output"));
  const auto submit = run_command(fossa_bin(), {"submit", "NothingEtl", "--gateway", url_},
                                  {"FOSSA_GATEWAY_PASSWORD=" + kPassword});
  EXPECT_EQ(submit.exit_code, 5) << submit.out << submit.err;
}

TEST_F(GatewayCertificate, AFingerprintThatIsNotOneIsABadOption) {
  const auto r = jobs({"--fingerprint", "46:8B"});
  EXPECT_EQ(r.exit_code, 2) << r.out << r.err;
  EXPECT_THAT(r.err, HasSubstr("--fingerprint: a fingerprint is SHA256:"));
}

}  // namespace
