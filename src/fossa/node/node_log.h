// NodeLog: the node's own log — one line per event on stderr, as text or as JSON lines
// (FOSSA_LOG_FORMAT=json) for a log collector, each carrying the task id it is about.
// Thread-safe (spdlog's synchronised sink).
#pragma once

#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "node/node_config.h"

namespace spdlog {
class logger;
}

namespace fossa::node {

class NodeLog {
 public:
  using Fields = std::vector<std::pair<std::string, std::string>>;

  explicit NodeLog(LogFormat format);
  ~NodeLog();

  void info(const std::string& message, const Fields& fields = {});
  void warn(const std::string& message, const Fields& fields = {});
  void error(const std::string& message, const Fields& fields = {});

 private:
  void write(int level, const std::string& message, const Fields& fields);

  LogFormat format_;
  std::shared_ptr<spdlog::logger> logger_;
};

}  // namespace fossa::node
