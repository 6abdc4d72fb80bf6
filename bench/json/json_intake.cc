// JSON intake (issue 22) in MB/s: fossa::parse_json (a SAX handler of ours building the document,
// with the nesting limit and paths in errors) beside plain Json::parse (nlohmann's own parser, no
// limits), and the parser with a callback that parse_json used before (quadratic on containers of
// containers, so measured only on the smaller bodies). Bodies: `[{},{},…]` of 30 KB to 1 MiB, a
// realistic task (method_kwargs of rows, a resolver context), and a node_info of 100 tasks.
#include <benchmark/benchmark.h>

#include <string>

#include "fossa/base/json_input.h"

namespace {

using fossa::Json;

std::string empty_objects(std::size_t bytes) {
  std::string text = "[{}";
  while (text.size() + 4 <= bytes) text += ",{}";
  return text + "]";
}

// A task as a data engineer posts one: ~256 KB of rows in method_kwargs and a resolver context.
std::string realistic_task() {
  Json rows = Json::array();
  for (int i = 0; rows.dump().size() < (256u << 10); ++i) {
    for (int j = 0; j < 100; ++j, ++i) {
      rows.push_back({{"id", i},
                      {"name", "customer " + std::to_string(i * 7919 % 100000)},
                      {"city", i % 3 == 0 ? "São Paulo" : "London"},
                      {"amount", (i % 1000) * 1.37},
                      {"tags", {"a", "b\n\"quoted\""}},
                      {"active", i % 2 == 0},
                      {"note", nullptr}});
    }
  }
  return Json{{"model_class", "PartitionedExampleEtl"},
              {"method", "go"},
              {"method_kwargs", {{"rows", rows}, {"batch", 17}}},
              {"resolver_context", {{"input", "s3://bucket/landing/2026/12/07/"}, {"output", "s3://bucket/out/"}}},
              {"model_construction_kwargs", Json::object()}}
      .dump();
}

// What fossa-gateway reads of a node: node_info with 100 recent tasks' summaries.
std::string node_info() {
  Json recent = Json::array();
  for (int i = 0; i < 100; ++i) {
    recent.push_back({{"task_id", "abcde-" + std::to_string(i)},
                      {"model_class", "PartitionedExampleEtl"},
                      {"method", "go"},
                      {"method_kwargs", {{"complexity", 5}}},
                      {"resolver_context", {{"input", "s3://bucket/in/" + std::to_string(i) + ".csv"}}},
                      {"model_construction_kwargs", Json::object()},
                      {"partition_initialise_kwargs", Json::object()},
                      {"started", "2026-12-07T10:11:12.345Z"},
                      {"finished", "2026-12-07T10:11:14.345Z"},
                      {"status", "complete"},
                      {"duration_seconds", 2.0},
                      {"subtasks", {{"total", 16}, {"done", 16}, {"failed", 0}, {"running", 0}, {"retried", 0}}},
                      {"results", {{"type", "TaskComplete"}, {"payload", {{"method_name", "go"}, {"return_value", nullptr}}}}}});
  }
  return Json{{"node_info", {{"node_ident", "node-1"}, {"max_concurrent_tasks", 4}, {"available_processing_capacity", 4}}},
              {"running_tasks", Json::array()},
              {"recent_completed_tasks", recent}}
      .dump();
}

const std::string& body(int which) {
  static const std::string bodies[] = {empty_objects(30'000), empty_objects(120'000), empty_objects(240'000),
                                       empty_objects(1 << 20), realistic_task(), node_info()};
  return bodies[which];
}

void label(benchmark::State& state, int which) {
  static const char* names[] = {"[{},...] 30 KB", "[{},...] 120 KB", "[{},...] 240 KB", "[{},...] 1 MiB", "realistic task 256 KB",
                                "node_info of 100 tasks"};
  state.SetLabel(names[which]);
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * body(which).size()));
}

void Ours(benchmark::State& state) {
  const std::string& text = body(static_cast<int>(state.range(0)));
  for (auto _ : state) {
    auto json = fossa::parse_json(text);
    if (!json) state.SkipWithError(json.error().c_str());
    benchmark::DoNotOptimize(json);
  }
  label(state, static_cast<int>(state.range(0)));
}

void PlainParse(benchmark::State& state) {
  const std::string& text = body(static_cast<int>(state.range(0)));
  for (auto _ : state) {
    auto json = Json::parse(text);
    benchmark::DoNotOptimize(json);
  }
  label(state, static_cast<int>(state.range(0)));
}

// parse_json as it was: nlohmann's parser with a callback (that kept every value).
void CallbackBefore(benchmark::State& state) {
  const std::string& text = body(static_cast<int>(state.range(0)));
  for (auto _ : state) {
    auto json = Json::parse(text, [](int, Json::parse_event_t, Json&) { return true; });
    benchmark::DoNotOptimize(json);
  }
  label(state, static_cast<int>(state.range(0)));
}

BENCHMARK(Ours)->DenseRange(0, 5)->Unit(benchmark::kMillisecond);
BENCHMARK(PlainParse)->DenseRange(0, 5)->Unit(benchmark::kMillisecond);
BENCHMARK(CallbackBefore)->Arg(0)->Arg(1)->Arg(4)->Arg(5)->Unit(benchmark::kMillisecond);

}  // namespace

BENCHMARK_MAIN();
