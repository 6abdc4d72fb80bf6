// What the gateway keeps of a job it placed, so that the job outlives its workers and the gateway
// itself (docs/gateway.md, "Job records"): the request (secret values never in clear), each attempt
// on a node, the node's last document of the job and, once it ended, its subtasks' documents.
// Plain data with its JSON form (the store keeps that form) and the one-line summary the jobs list
// shows. Pure: times are seconds since the epoch, passed in.
#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <vector>

#include "ayeaye/error.h"
#include "ayeaye/json.h"

namespace fossa::gateway {

// One run of the job on a node.
struct JobAttempt {
  std::string node;     // the node's address, "<ipv4>:<port>"
  std::string task_id;  // the node's id for it
  double started = 0;
  std::optional<double> ended;
  std::string outcome;  // "" while it runs; then complete, failed, cancelled, or "lost: <why>"
};

struct JobRecord {
  std::string id;  // the job's id through every attempt: its first attempt's, or a held job's
  std::string cluster;
  std::string model_class;
  std::string status;  // waiting for workers, running, complete, failed, cancelled
  double submitted = 0;
  double updated = 0;
  std::optional<double> ended;
  std::string request;         // the task as posted, with secret values replaced by ***
  std::string sealed_request;  // the whole task, sealed (request_seal.h), when it holds secrets; else ""
  std::vector<JobAttempt> attempts;
  ayeaye::Json document;                 // the node's last document of the current attempt (null: none yet)
  std::vector<ayeaye::Json> subtasks;    // the subtasks' documents, kept once the job ended
  std::string problem;                   // the gateway's words: why it waits, runs again, or failed
  double progress_at = 0;                // when a subtask last ended (or the job started)
  int progress_count = 0;                // subtasks ended at progress_at
  bool stalled = false;                  // running with no subtask ended for the stall limit
  std::string cancelled_by;              // who asked the gateway to cancel it ("" if nobody did)
  std::optional<double> cancelled_at;    // and when

  bool finished() const { return ended.has_value(); }
  const JobAttempt* current() const { return attempts.empty() ? nullptr : &attempts.back(); }
};

ayeaye::Json to_json(const JobRecord& record);
// The record from its JSON form; an error names the field that is missing or of the wrong type.
ayeaye::Result<JobRecord> job_record_from_json(const ayeaye::Json& json);

// The jobs list's line for it: job_id, node, model_class, status ("stalled" while it is), started,
// finished, duration_seconds, subtasks' counts, attempts; and attempt_task_ids, the nodes' ids of
// its attempts (the list drops them, once it has used them to leave out the nodes' own lines).
ayeaye::Json job_summary(const JobRecord& record);

// The job's document as GET shows it when no node can be asked: the node's last document with
// the record's status, attempts and problem, and job_id and node set; cancelled_by and
// cancelled_at once someone asked the gateway to cancel it.
ayeaye::Json recorded_document(const JobRecord& record);

// The task `body` (JSON text) with the values of the resolver context keys it names in
// resolver_context_secrets replaced by ***; `had_secrets` says whether any was. A body that is not
// a JSON object comes back as it was.
std::string redact_request(const std::string& body, bool* had_secrets);

// "2026-11-30T11:45:26.193Z" for seconds since the epoch, as the nodes write their times.
std::string iso_seconds(double seconds);

// Now, in seconds since the epoch: the records' clock.
inline double now_seconds() {
  return std::chrono::duration<double>(std::chrono::system_clock::now().time_since_epoch()).count();
}

}  // namespace fossa::gateway
