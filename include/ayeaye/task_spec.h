// TaskSpec: what to run — a model class, a method with kwargs, and the context to run it in.
// It is the body of `POST /api/0.01/task` and of a subtask message on RabbitMQ (docs/protocol.md).
#pragma once

#include <string>
#include <vector>

#include "ayeaye/error.h"
#include "ayeaye/json.h"
#include "ayeaye/resolver_context.h"
#include "ayeaye/task_message.h"

namespace ayeaye {

struct TaskSpec {
  std::string model_class;
  std::string method = "go";  // "go" runs the whole model
  Json method_kwargs = Json::object();
  Json model_construction_kwargs = Json::object();
  Json partition_initialise_kwargs = Json::object();
  ResolverContext resolver_context;
  // Set by whoever runs it (a node, a local pool); not part of a submission.
  std::string task_id;
  // The job it is part of, for the nodes' log lines: a task posted to a node is its own job (its
  // task id); its subtasks carry that id to every node of ours (amqp::kJobIdHeader). "" when not
  // known (a subtask from a Python parent). Never part of a submission or a subtask's body.
  std::string job_id;
};

// Validates a submission body: `model_class` is a required string; `method` a string;
// the kwargs objects; `resolver_context` an object of strings. Our extension
// `resolver_context_secrets` (array of key names) marks context values secret.
// The error names the field and what it got: "method_kwargs must be a JSON object, got a string".
Result<TaskSpec> parse_task_spec(const Json& body);

// The task that runs `subtask` in `context`, with id `task_id`.
TaskSpec subtask_spec(const TaskPartition& subtask, const ResolverContext& context, std::string task_id);

// The wire form: the protocol's fields, with real context values (a worker needs them) and
// `resolver_context_secrets` when any value is secret.
Json to_json(const TaskSpec& spec);
// The same with secret values as "***", for documents and pages.
Json to_display_json(const TaskSpec& spec);

}  // namespace ayeaye
