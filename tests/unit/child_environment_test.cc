// What a child process inherits (process/child_process.h): the parent's environment without the
// names removed or replaced, then the extra entries; and the engine's secrets are what a model's
// process loses.
#include <gtest/gtest.h>

#include <algorithm>

#include "process/child_process.h"

namespace {

TEST(ChildEnvironment, DropsTheNamesRemovedAndAddsTheExtra) {
  const char* parent[] = {"PATH=/usr/bin", "FOSSA_API_TOKEN=t0ken", "RABBITMQ_URL=amqp://u:pw@broker/", "FOSSA_API_TOKENS=kept",
                          "HOME=/home/x", nullptr};
  const auto environment = fossa::child_environment(parent, {"EXTRA=1"}, fossa::engine_secrets());
  EXPECT_EQ(environment, (std::vector<std::string>{"PATH=/usr/bin", "FOSSA_API_TOKENS=kept", "HOME=/home/x", "EXTRA=1"}));
}

TEST(ChildEnvironment, AnExtraEntryReplacesTheParentsOwn) {
  const char* parent[] = {"SSL_CERT_FILE=/etc/ssl/certs/ca-certificates.crt", "HOME=/home/x", nullptr};
  EXPECT_EQ(fossa::child_environment(parent, {"SSL_CERT_FILE=/tmp/ca.pem"}, {}),
            (std::vector<std::string>{"HOME=/home/x", "SSL_CERT_FILE=/tmp/ca.pem"}));
}

TEST(ChildEnvironment, TheEngineSecretsAreTheTokenTheBrokerAndThePasswords) {
  for (const std::string name : {"FOSSA_API_TOKEN", "RABBITMQ_URL", "FOSSA_GATEWAY_PASSWORD", "GATEWAY_HTTP_PASSWORD"}) {
    const auto& secrets = fossa::engine_secrets();
    EXPECT_NE(std::find(secrets.begin(), secrets.end(), name), secrets.end()) << name;
  }
}

}  // namespace
