#include "ayeaye/task_spec.h"

#include "json_fields.h"

namespace ayeaye {

using json_fields::describe;
using json_fields::object_field;
using json_fields::string_field;

Result<TaskSpec> parse_task_spec(const Json& body) {
  auto fail = [](std::string message) { return Result<TaskSpec>::fail(std::move(message)); };
  if (!body.is_object()) return fail("the task must be a JSON object, got " + describe(body));
  TaskSpec spec;
  const std::string where = "task";
  if (auto e = string_field(body, "model_class", spec.model_class, where, true)) return fail(*e);
  if (spec.model_class.empty()) return fail("'model_class' must not be empty");
  if (auto e = string_field(body, "method", spec.method, where, false, "go")) return fail(*e);
  if (spec.method.empty()) return fail("'method' must not be empty");
  if (auto e = object_field(body, "method_kwargs", spec.method_kwargs, where)) return fail(*e);
  if (auto e = object_field(body, "model_construction_kwargs", spec.model_construction_kwargs, where)) return fail(*e);
  if (auto e = object_field(body, "partition_initialise_kwargs", spec.partition_initialise_kwargs, where)) return fail(*e);

  std::vector<std::string> secret_keys;
  if (auto it = body.find("resolver_context_secrets"); it != body.end() && !it->is_null()) {
    if (!it->is_array()) return fail("task field 'resolver_context_secrets' must be an array of key names, got " + describe(*it));
    for (const auto& key : *it) {
      if (!key.is_string()) return fail("task field 'resolver_context_secrets' must hold only strings, got " + describe(key));
      secret_keys.push_back(key.get<std::string>());
    }
  }
  auto context = ResolverContext::from_json(json_fields::value_field(body, "resolver_context"), secret_keys);
  if (!context) return fail(context.error());
  spec.resolver_context = std::move(context).value();
  return spec;
}

TaskSpec subtask_spec(const TaskPartition& subtask, const ResolverContext& context, std::string task_id) {
  TaskSpec spec;
  spec.model_class = subtask.model_class;
  spec.method = subtask.method_name;
  spec.method_kwargs = subtask.method_kwargs;
  spec.model_construction_kwargs = subtask.model_construction_kwargs;
  spec.partition_initialise_kwargs = subtask.partition_initialise_kwargs;
  spec.resolver_context = context;
  spec.task_id = std::move(task_id);
  return spec;
}

namespace {
Json spec_json(const TaskSpec& spec, Json context) {
  Json out = {{"model_class", spec.model_class},
              {"method", spec.method},
              {"method_kwargs", spec.method_kwargs},
              {"resolver_context", std::move(context)},
              {"model_construction_kwargs", spec.model_construction_kwargs},
              {"partition_initialise_kwargs", spec.partition_initialise_kwargs}};
  if (auto secrets = spec.resolver_context.secret_keys(); !secrets.empty()) {
    out["resolver_context_secrets"] = secrets;
  }
  return out;
}
}  // namespace

Json to_json(const TaskSpec& spec) { return spec_json(spec, spec.resolver_context.to_json()); }

Json to_display_json(const TaskSpec& spec) {
  return spec_json(spec, spec.resolver_context.display_json());
}

}  // namespace ayeaye
