#include "node/node_log.h"

#include <spdlog/sinks/stdout_sinks.h>
#include <spdlog/spdlog.h>

#include "ayeaye/json.h"

namespace fossa::node {

NodeLog::NodeLog(LogFormat format) : format_(format) {
  logger_ = std::make_shared<spdlog::logger>("fossa-node", std::make_shared<spdlog::sinks::stderr_sink_mt>());
  // UTC timestamps; the JSON form builds its own object around the time and level.
  if (format_ == LogFormat::kJson) {
    logger_->set_pattern(R"({"time":"%Y-%m-%dT%H:%M:%S.%eZ","level":"%l",%v})", spdlog::pattern_time_type::utc);
  } else {
    logger_->set_pattern("%Y-%m-%dT%H:%M:%S.%eZ %l %v", spdlog::pattern_time_type::utc);
  }
  logger_->flush_on(spdlog::level::trace);
}

NodeLog::~NodeLog() = default;

void NodeLog::info(const std::string& message, const Fields& fields) { write(spdlog::level::info, message, fields); }
void NodeLog::warn(const std::string& message, const Fields& fields) { write(spdlog::level::warn, message, fields); }
void NodeLog::error(const std::string& message, const Fields& fields) { write(spdlog::level::err, message, fields); }

void NodeLog::write(int level, const std::string& message, const Fields& fields) {
  std::string line;
  if (format_ == LogFormat::kJson) {
    ayeaye::Json rest = ayeaye::Json::object();
    rest["msg"] = message;
    for (const auto& [key, value] : fields) rest[key] = value;
    line = rest.dump(-1, ' ', false, ayeaye::Json::error_handler_t::replace);
    line = line.substr(1, line.size() - 2);  // the members, spliced into the pattern's object
  } else {
    line = message;
    for (const auto& [key, value] : fields) line += " " + key + "=" + value;
  }
  logger_->log(static_cast<spdlog::level::level_enum>(level), line);
}

NodeLog::Fields task_fields(const ayeaye::TaskSpec& spec) {
  NodeLog::Fields fields{{"task_id", spec.task_id}};
  if (!spec.job_id.empty()) fields.emplace_back("job_id", spec.job_id);
  return fields;
}

NodeLog::Fields with_fields(NodeLog::Fields fields, const NodeLog::Fields& more) {
  fields.insert(fields.end(), more.begin(), more.end());
  return fields;
}

}  // namespace fossa::node
