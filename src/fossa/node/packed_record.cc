#include "node/packed_record.h"

namespace fossa::node {
namespace {

// The spec's fields in the packed array, in this order; keys are not stored.
constexpr const char* kSpecFields[] = {"model_class", "method", "method_kwargs", "resolver_context",
                                       "model_construction_kwargs", "partition_initialise_kwargs",
                                       "resolver_context_secrets"};
constexpr std::size_t kSpecFieldCount = std::size(kSpecFields);

}  // namespace

PackedRecord::PackedRecord(const TaskRecord& record)
    : started_(record.started), finished_(record.finished.value_or(record.started)), run_times_(record.run_times),
      attempts_(record.attempts),
      status_(record.status) {
  const ayeaye::Json spec = ayeaye::to_json(record.spec);
  ayeaye::Json array = ayeaye::Json::array();
  for (const char* field : kSpecFields) array.push_back(spec.value(field, ayeaye::Json()));
  array.push_back(record.result ? ayeaye::to_json(*record.result) : ayeaye::Json());
  array.push_back(record.log_tail);
  array.push_back(record.parent_task_id ? ayeaye::Json(*record.parent_task_id) : ayeaye::Json());
  array.push_back(record.node);
  const auto bytes = ayeaye::Json::to_cbor(array);
  packed_.assign(bytes.begin(), bytes.end());
}

TaskRecord PackedRecord::expand(const std::string& task_id) const {
  const ayeaye::Json array = ayeaye::Json::from_cbor(packed_);
  ayeaye::Json spec = ayeaye::Json::object();
  for (std::size_t i = 0; i < kSpecFieldCount; ++i) {
    if (!array[i].is_null()) spec[kSpecFields[i]] = array[i];
  }
  TaskRecord record;
  // It was a valid spec when it was packed: parsing it again cannot fail.
  if (auto parsed = ayeaye::parse_task_spec(spec)) record.spec = std::move(parsed).value();
  record.spec.task_id = task_id;
  if (const auto& result = array[kSpecFieldCount]; !result.is_null()) {
    if (auto parsed = ayeaye::parse_task_message(result)) record.result = std::move(parsed).value();
  }
  for (const auto& line : array[kSpecFieldCount + 1]) record.log_tail.push_back(line.get<std::string>());
  record.status = status_;
  record.started = started_;
  record.finished = finished_;
  record.run_times = run_times_;
  record.attempts = attempts_;
  if (const auto& parent = array[kSpecFieldCount + 2]; parent.is_string()) record.parent_task_id = parent.get<std::string>();
  record.node = array[kSpecFieldCount + 3].get<std::string>();
  return record;
}

}  // namespace fossa::node
