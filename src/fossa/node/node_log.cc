#include "node/node_log.h"

#include <unistd.h>

#include <cerrno>
#include <mutex>

#include <spdlog/sinks/base_sink.h>
#include <spdlog/spdlog.h>

#include "ayeaye/json.h"

namespace fossa::node {
namespace {

constexpr std::size_t kMostHeld = 64 * 1024;

// This thread's held lines (NodeLog::Held), or null: its lines go out at once.
thread_local std::string* held_lines = nullptr;

void write_to_stderr(const char* data, std::size_t size) {
  while (size > 0) {
    const ssize_t n = ::write(STDERR_FILENO, data, size);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return;  // nowhere to write a log to: nothing better to do than drop it
    data += n;
    size -= static_cast<std::size_t>(n);
  }
}

// stderr, one write(2) per line, or into the writing thread's held lines.
class StderrSink final : public spdlog::sinks::base_sink<std::mutex> {
 protected:
  void sink_it_(const spdlog::details::log_msg& message) override {
    spdlog::memory_buf_t line;
    formatter_->format(message, line);
    if (held_lines == nullptr) {
      write_to_stderr(line.data(), line.size());
      return;
    }
    held_lines->append(line.data(), line.size());
    if (held_lines->size() >= kMostHeld) {
      write_to_stderr(held_lines->data(), held_lines->size());
      held_lines->clear();
    }
  }
  void flush_() override {}
};

}  // namespace

NodeLog::Held::Held() { held_lines = &lines_; }

NodeLog::Held::~Held() {
  held_lines = nullptr;
  write_to_stderr(lines_.data(), lines_.size());
}

NodeLog::NodeLog(LogFormat format) : format_(format) {
  logger_ = std::make_shared<spdlog::logger>("fossa-node", std::make_shared<StderrSink>());
  // UTC timestamps; the JSON form builds its own object around the time and level.
  if (format_ == LogFormat::kJson) {
    logger_->set_pattern(R"({"time":"%Y-%m-%dT%H:%M:%S.%eZ","level":"%l",%v})", spdlog::pattern_time_type::utc);
  } else {
    logger_->set_pattern("%Y-%m-%dT%H:%M:%S.%eZ %l %v", spdlog::pattern_time_type::utc);
  }
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
