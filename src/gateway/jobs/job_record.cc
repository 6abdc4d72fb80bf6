#include "jobs/job_record.h"

#include <chrono>

#include "ayeaye/json_input.h"
#include "jobs/node_fields.h"
#include "node/task_record.h"

namespace fossa::gateway {
namespace {

constexpr const char* kRedacted = "***";

ayeaye::Json attempt_json(const JobAttempt& attempt) {
  ayeaye::Json out = {{"node", attempt.node}, {"task_id", attempt.task_id}, {"started", attempt.started}};
  if (attempt.ended) out["ended"] = *attempt.ended;
  if (!attempt.outcome.empty()) out["outcome"] = attempt.outcome;
  return out;
}

// Reads `key` of `json` into `out` when it is there; a value of another type is an error naming it.
template <class T>
bool read(const ayeaye::Json& json, const char* key, T& out, std::string& error) {
  const auto found = json.find(key);
  if (found == json.end() || found->is_null()) return true;
  try {
    out = found->get<T>();
    return true;
  } catch (const ayeaye::Json::exception&) {
    error = std::string("field '") + key + "' has the wrong type (" + found->type_name() + ")";
    return false;
  }
}

template <class T>
bool read_optional(const ayeaye::Json& json, const char* key, std::optional<T>& out, std::string& error) {
  if (!json.contains(key) || json[key].is_null()) return true;
  T value{};
  if (!read(json, key, value, error)) return false;
  out = value;
  return true;
}

// Attempts in words, as the list and the document show them: "2 (the first lost: ...)".
ayeaye::Json attempts_json(const JobRecord& record) {
  ayeaye::Json out = ayeaye::Json::array();
  for (const auto& attempt : record.attempts) {
    ayeaye::Json item = {{"node", attempt.node}, {"task_id", attempt.task_id}, {"started", iso_seconds(attempt.started)}};
    if (attempt.ended) item["ended"] = iso_seconds(*attempt.ended);
    item["outcome"] = attempt.outcome.empty() ? std::string("running") : attempt.outcome;
    out.push_back(std::move(item));
  }
  return out;
}

}  // namespace

std::string iso_seconds(double seconds) {
  const auto since_epoch = std::chrono::duration_cast<std::chrono::system_clock::duration>(std::chrono::duration<double>(seconds));
  return node::iso_time(std::chrono::system_clock::time_point(since_epoch));
}

ayeaye::Json to_json(const JobRecord& record) {
  ayeaye::Json attempts = ayeaye::Json::array();
  for (const auto& attempt : record.attempts) attempts.push_back(attempt_json(attempt));
  ayeaye::Json out = {{"id", record.id},
                      {"cluster", record.cluster},
                      {"model_class", record.model_class},
                      {"status", record.status},
                      {"submitted", record.submitted},
                      {"updated", record.updated},
                      {"request", record.request},
                      {"attempts", std::move(attempts)},
                      {"document", record.document},
                      {"subtasks", record.subtasks},
                      {"progress_at", record.progress_at},
                      {"progress_count", record.progress_count},
                      {"stalled", record.stalled}};
  if (record.ended) out["ended"] = *record.ended;
  if (!record.sealed_request.empty()) out["sealed_request"] = record.sealed_request;
  if (!record.problem.empty()) out["problem"] = record.problem;
  if (!record.cancelled_by.empty()) out["cancelled_by"] = record.cancelled_by;
  if (record.cancelled_at) out["cancelled_at"] = *record.cancelled_at;
  return out;
}

ayeaye::Result<JobRecord> job_record_from_json(const ayeaye::Json& json) {
  using R = ayeaye::Result<JobRecord>;
  if (!json.is_object()) return R::fail(std::string("a job record must be a JSON object, got ") + json.type_name());
  JobRecord record;
  std::string error;
  const bool ok = read(json, "id", record.id, error) && read(json, "cluster", record.cluster, error) &&
                  read(json, "model_class", record.model_class, error) && read(json, "status", record.status, error) &&
                  read(json, "submitted", record.submitted, error) && read(json, "updated", record.updated, error) &&
                  read_optional(json, "ended", record.ended, error) && read(json, "request", record.request, error) &&
                  read(json, "sealed_request", record.sealed_request, error) && read(json, "problem", record.problem, error) &&
                  read(json, "progress_at", record.progress_at, error) &&
                  read(json, "progress_count", record.progress_count, error) && read(json, "stalled", record.stalled, error) &&
                  read(json, "cancelled_by", record.cancelled_by, error) && read_optional(json, "cancelled_at", record.cancelled_at, error);
  if (!ok) return R::fail("job record " + record.id + ": " + error);
  if (record.id.empty()) return R::fail("a job record has no id");
  if (const auto attempts = json.find("attempts"); attempts != json.end() && attempts->is_array()) {
    for (const auto& item : *attempts) {
      JobAttempt attempt;
      if (!item.is_object() || !read(item, "node", attempt.node, error) || !read(item, "task_id", attempt.task_id, error) ||
          !read(item, "started", attempt.started, error) || !read_optional(item, "ended", attempt.ended, error) ||
          !read(item, "outcome", attempt.outcome, error)) {
        return R::fail("job record " + record.id + ": an attempt: " + (error.empty() ? "not an object" : error));
      }
      record.attempts.push_back(std::move(attempt));
    }
  }
  if (const auto document = json.find("document"); document != json.end()) record.document = *document;
  if (const auto subtasks = json.find("subtasks"); subtasks != json.end() && subtasks->is_array()) {
    record.subtasks.assign(subtasks->begin(), subtasks->end());
  }
  return record;
}

ayeaye::Json job_summary(const JobRecord& record) {
  const ayeaye::Json& doc = record.document;
  ayeaye::Json summary = {{"job_id", record.id},
                          {"model_class", record.model_class},
                          {"status", record.stalled && !record.finished() ? std::string("stalled") : record.status},
                          {"started", iso_seconds(record.submitted)},
                          {"attempts", static_cast<int>(record.attempts.size())},
                          {"recorded", true}};
  if (const auto* attempt = record.current()) summary["node"] = attempt->node;
  ayeaye::Json task_ids = ayeaye::Json::array();
  for (const auto& attempt : record.attempts) task_ids.push_back(attempt.task_id);
  summary["attempt_task_ids"] = std::move(task_ids);
  if (record.ended) summary["finished"] = iso_seconds(*record.ended);
  if (const auto took = doc.is_object() ? doc.find("duration_seconds") : doc.end(); doc.is_object() && took != doc.end() && took->is_number()) {
    summary["duration_seconds"] = *took;
  } else if (record.ended) {
    summary["duration_seconds"] = *record.ended - record.submitted;
  }
  if (const auto counts = doc.is_object() ? doc.find("subtasks") : doc.end(); doc.is_object() && counts != doc.end() && counts->is_object()) {
    ayeaye::Json subtasks = ayeaye::Json::object();
    for (const char* key : {"total", "done", "failed", "running", "retried", "cancelled", "log_lines_dropped"}) {
      if (const auto n = counts->find(key); n != counts->end() && n->is_number_unsigned()) subtasks[key] = *n;
    }
    summary["subtasks"] = std::move(subtasks);
  }
  if (!record.problem.empty()) summary["problem"] = record.problem;
  if (!record.cancelled_by.empty()) summary["cancelled_by"] = record.cancelled_by;
  return summary;
}

ayeaye::Json recorded_document(const JobRecord& record) {
  ayeaye::Json doc = record.document.is_object() ? record.document : ayeaye::Json::object();
  doc["job_id"] = record.id;
  doc["status"] = record.status;
  if (!doc.contains("model_class")) doc["model_class"] = record.model_class;
  if (!doc.contains("started")) doc["started"] = iso_seconds(record.submitted);
  if (record.ended && !doc.contains("finished")) doc["finished"] = iso_seconds(*record.ended);
  if (record.ended && !doc.contains("duration_seconds")) doc["duration_seconds"] = *record.ended - record.submitted;
  if (const auto* attempt = record.current()) doc["node"] = attempt->node;
  doc["attempts"] = attempts_json(record);
  if (!record.problem.empty()) doc["problem"] = record.problem;
  if (!record.cancelled_by.empty()) doc["cancelled_by"] = record.cancelled_by;
  if (record.cancelled_at) doc["cancelled_at"] = iso_seconds(*record.cancelled_at);
  if (record.stalled && !record.finished()) {
    doc["stalled"] = true;
    doc["stalled_since"] = iso_seconds(record.progress_at);
  }
  return doc;
}

std::string redact_request(const std::string& body, bool* had_secrets) {
  if (had_secrets != nullptr) *had_secrets = false;
  auto task = ayeaye::parse_json(body);
  if (!task || !task->is_object()) return body;
  const auto secrets = task->find("resolver_context_secrets");
  const auto context = task->find("resolver_context");
  if (secrets == task->end() || !secrets->is_array() || context == task->end() || !context->is_object()) return body;
  bool any = false;
  for (const auto& key : *secrets) {
    if (!key.is_string()) continue;
    if (const auto value = context->find(key.get<std::string>()); value != context->end()) {
      *value = kRedacted;
      any = true;
    }
  }
  if (had_secrets != nullptr) *had_secrets = any;
  return any ? task->dump() : body;
}

}  // namespace fossa::gateway
