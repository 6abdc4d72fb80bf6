// A model is code from elsewhere: none of its processes may read the engine's own secrets from
// its environment — the nodes' API token, the broker's URL with its password, the gateway's
// passwords (issue 22), a node's own context secrets (FOSSA_SECRET_*, which reach a model only
// through its context). EnvironmentPrinter (tests/fixtures/models/environment_printer.cc) writes the
// environment of its parent and of each subtask's process to files, under `fossa run` and under a
// node with a broker; another variable of the same environment shows the files are whole.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <fstream>

#include "cluster/broker_process.h"
#include "support/command.h"
#include "support/node_process.h"
#include "support/test_client.h"

namespace {

using fossa::testing::fossa_bin;
using fossa::testing::NodeProcess;
using fossa::testing::run_command;
using fossa::testing::TempDir;
using fossa::testing::TestClient;

const std::string kToken = "the-nodes-api-token";
const std::string kGatewayPassword = "the gateway's own password";
// A node's own resolver-context secret (docs/node.md, FOSSA_SECRET_<KEY>): the model gets it in its
// context, not in its environment.
const std::string kContextSecret = "the-databases-password";

// What a model may see, and what it must not.
std::vector<std::string> environment_with_secrets(const std::string& rabbitmq_url) {
  return {"FOSSA_TEST_VISIBLE=a plain variable", "FOSSA_API_TOKEN=" + kToken, "RABBITMQ_URL=" + rabbitmq_url,
          "FOSSA_GATEWAY_PASSWORD=" + kGatewayPassword, "GATEWAY_HTTP_PASSWORD=" + kGatewayPassword};
}

// Each process's file holds its whole environment (the plain variable is there) and none of the
// secrets, by name or by value; a failure names the variable, never prints the environment.
void expect_no_secrets_in(const std::string& directory, const std::string& broker_url) {
  const std::vector<std::string> names = {"FOSSA_API_TOKEN", "RABBITMQ_URL", "FOSSA_GATEWAY_PASSWORD", "GATEWAY_HTTP_PASSWORD",
                                          "FOSSA_SECRET_db_password"};
  for (const std::string file : {"parent.env", "subtask-0.env", "subtask-1.env"}) {
    std::ifstream in(directory + "/" + file);
    ASSERT_TRUE(in) << file << " was not written";
    bool visible = false;
    for (std::string line; std::getline(in, line);) {
      const std::string name = line.substr(0, line.find('='));
      visible = visible || line == "FOSSA_TEST_VISIBLE=a plain variable";
      EXPECT_EQ(std::find(names.begin(), names.end(), name), names.end()) << file << " has " << name;
      for (const std::string& secret : {kToken, kGatewayPassword, broker_url, kContextSecret}) {
        EXPECT_EQ(line.find(secret), std::string::npos) << file << ": " << name << " holds a secret";
      }
    }
    EXPECT_TRUE(visible) << file << " holds the model's environment";
  }
}

TEST(ModelEnvironment, FossaRunGivesNoModelProcessTheEngineSecrets) {
  TempDir output;
  const auto run = run_command(fossa_bin(), {"run", "EnvironmentPrinter", "-c", "output=" + output.path(), "--workers", "2"},
                               environment_with_secrets("amqp://fossa:the-brokers-password@127.0.0.1:1/"));
  ASSERT_EQ(run.exit_code, 0) << run.err;
  expect_no_secrets_in(output.path(), "amqp://fossa:the-brokers-password@127.0.0.1:1/");
}

TEST(ModelEnvironment, ANodeOnABrokerGivesNoModelProcessTheEngineSecrets) {
  auto broker = fossa::BrokerProcess::start({});
  ASSERT_TRUE(broker) << broker.error();
  const std::string url = (*broker)->amqp_url();  // with the broker's user and password
  TempDir output;
  auto environment = environment_with_secrets(url);
  environment.push_back("FOSSA_SECRET_db_password=" + kContextSecret);
  NodeProcess node({"--max-concurrent-tasks", "3"}, environment);
  node.wait_for_log("connected to RabbitMQ");

  TestClient client(node.port());
  client.bearer_token(kToken);
  const auto posted = client.post(
      "/api/0.01/task", ayeaye::Json{{"model_class", "EnvironmentPrinter"}, {"resolver_context", {{"output", output.path()}}}}.dump());
  ASSERT_TRUE(posted.answered()) << posted.error;
  ASSERT_EQ(posted.status, 200) << posted.body;
  const std::string id = ayeaye::Json::parse(posted.body)["task_id"];
  std::string status = "running";
  for (int i = 0; i < 4 && status == "running"; ++i) {  // each GET waits up to 30 s for the end
    const auto document = client.get("/api/0.01/task/" + id + "?wait=30");
    ASSERT_TRUE(document.answered()) << document.error;
    status = ayeaye::Json::parse(document.body).value("status", "");
  }
  ASSERT_EQ(status, "complete");
  expect_no_secrets_in(output.path(), url);
}

}  // namespace
