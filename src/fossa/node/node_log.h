// NodeLog: the node's own log — one line per event on stderr, as text or as JSON lines
// (FOSSA_LOG_FORMAT=json) for a log collector, each carrying the task id it is about and, when
// known, the id of the job that task is part of (job_id: on every node, so that one query by job id
// finds a job's lines in CloudWatch Logs). Thread-safe (spdlog's synchronised sink).
//
// A thread may hold its lines for a moment (NodeLog::Held): the supervisor does, for each turn of
// its loop, so that a turn that starts and ends many subtasks writes their lines in one write(2)
// rather than one each. Lines are never held while the thread waits.
#pragma once

#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "ayeaye/task_spec.h"
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

  // While one lives, the lines this thread logs (through any NodeLog) are kept, in order, and
  // written together when it ends, or sooner once they fill 64 KB. Other threads' lines are not
  // held. Not nested.
  class Held {
   public:
    Held();
    ~Held();
    Held(const Held&) = delete;
    Held& operator=(const Held&) = delete;

   private:
    std::string lines_;
  };

 private:
  void write(int level, const std::string& message, const Fields& fields);

  LogFormat format_;
  std::shared_ptr<spdlog::logger> logger_;
};

// The fields of a line about the task `spec`: task_id, and job_id when it is known.
NodeLog::Fields task_fields(const ayeaye::TaskSpec& spec);
// `fields` followed by `more`.
NodeLog::Fields with_fields(NodeLog::Fields fields, const NodeLog::Fields& more);

}  // namespace fossa::node
