// The tests' AWS emulator (tests/aws_emulator/server.py: moto_server with our patches, behind the
// strict front that refuses what AWS refuses) on a free loopback port of its own, and the AWS_*
// variables that point a process at it: set in the test's own process (AwsVariables, put back
// afterwards) or given to the processes a test starts (Moto::environment()). Moto(RunningWorkers)
// is the emulator whose ECS worker services run their tasks as `fossa node` processes
// (tests/aws_emulator/ecs_workers.py, loaded with --patch ecs_workers).
#pragma once

#include <cstdlib>
#include <filesystem>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "support/node_process.h"

namespace fossa::testing {

// AWS_* variables for the test's own process (datasets read them), put back afterwards.
class AwsVariables {
 public:
  explicit AwsVariables(const std::vector<std::pair<std::string, std::string>>& values) {
    for (const char* name : {"AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN", "AWS_REGION",
                             "AWS_ENDPOINT_URL_S3", "AWS_ENDPOINT_URL", "AWS_CONTAINER_CREDENTIALS_FULL_URI",
                             "AWS_CONTAINER_CREDENTIALS_RELATIVE_URI", "AWS_EC2_METADATA_DISABLED"}) {
      const char* old = std::getenv(name);
      saved_.emplace_back(name, old ? std::optional<std::string>(old) : std::nullopt);
      ::unsetenv(name);
    }
    for (const auto& [name, value] : values) ::setenv(name.c_str(), value.c_str(), 1);
  }
  ~AwsVariables() {
    for (const auto& [name, value] : saved_) {
      if (value) ::setenv(name.c_str(), value->c_str(), 1);
      else ::unsetenv(name.c_str());
    }
  }

 private:
  std::vector<std::pair<std::string, std::optional<std::string>>> saved_;
};

class Moto {
 public:
  // `options`: more of server.py's options (--patch MODULE: a module of tests/aws_emulator loaded
  // into moto); `environment`: more variables for it (such a module's settings).
  explicit Moto(const std::vector<std::string>& options = {}, const std::vector<std::string>& environment = {})
      : process_(launch(options, environment)) {}
  // The configuration of ecs_workers.py, JSON: {"services": [...], "program": ..., "log_dir": ...}.
  struct RunningWorkers {
    std::string configuration;
  };
  explicit Moto(const RunningWorkers& workers)
      : Moto({"--patch", "ecs_workers"}, {"FOSSA_EMULATOR_ECS_WORKERS=" + workers.configuration}) {}
  std::string url() const { return process_.url(); }
  int port() const { return process_.port(); }
  // Its log (stderr): "strict AWS front refused ..." for each request it answered with an AWS
  // error, and what a --patch module logs, among moto's lines.
  NodeProcess& log() { return process_; }
  std::vector<std::pair<std::string, std::string>> variables() const {
    return {{"AWS_ACCESS_KEY_ID", "testing"}, {"AWS_SECRET_ACCESS_KEY", "testing"}, {"AWS_REGION", "us-east-1"},
            {"AWS_ENDPOINT_URL_S3", url()}, {"AWS_EC2_METADATA_DISABLED", "true"}};
  }
  // For a process a test starts: the same credentials as NAME=value lines, with the endpoint in
  // AWS_ENDPOINT_URL (every service's), so that variable is exercised too.
  std::vector<std::string> environment() const {
    return {"AWS_ACCESS_KEY_ID=testing", "AWS_SECRET_ACCESS_KEY=testing", "AWS_REGION=us-east-1",
            "AWS_ENDPOINT_URL=" + url(), "AWS_EC2_METADATA_DISABLED=true"};
  }

 private:
  static NodeProcess::Launch launch(const std::vector<std::string>& options, const std::vector<std::string>& environment) {
    // In the source tree FOSSA_SOURCE_DIR names, else the one this header is in.
    const char* source = std::getenv("FOSSA_SOURCE_DIR");
    const std::filesystem::path root = source != nullptr && *source != '\0'
                                           ? std::filesystem::path(source)
                                           : std::filesystem::path(__FILE__).parent_path() / "../../..";
    std::vector<std::string> arguments = {"python3", (root / "tests/aws_emulator/server.py").string(), "-H",
                                          "127.0.0.1", "-p", "0"};
    arguments.insert(arguments.end(), options.begin(), options.end());
    return {"/usr/bin/env", arguments, environment, "Running on"};
  }

  NodeProcess process_;
};

}  // namespace fossa::testing
