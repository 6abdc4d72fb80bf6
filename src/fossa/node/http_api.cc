#include "node/http_api.h"

#include <algorithm>
#include <cstdlib>

#include "ayeaye/json_input.h"
#include "ayeaye/registry.h"
#include "net/task_id.h"
#include "node/pages.h"

namespace fossa::node {
namespace {

constexpr const char* kApi = "/api/0.01";
constexpr const char* kAtCapacity = "Node at full capacity and can't accept new tasks";

// The URL a client should use for `path`: the host it called (Host, one the node answers to), and
// the scheme and path prefix a proxy says it serves the node under (X-Forwarded-Proto and
// -Prefix, when plain). Never X-Forwarded-Host: a link must not lead where a header says.
std::string external_url(const net::Request& req, const NodeConfig& config, const std::string& path) {
  std::string host = req.get_header_value("Host");
  if (!net::valid_host(host)) host = config.bind + ":" + std::to_string(config.port);
  return net::forwarded_scheme(req) + "://" + host + net::forwarded_prefix(req) + path;
}

// Checks a submission; on failure sets the 4xx response and returns nullopt.
std::optional<ayeaye::TaskSpec> read_submission(const net::Request& req, net::Response& res,
                                                const NodeConfig& config) {
  auto parsed = ayeaye::parse_json(req.body);
  if (!parsed) {
    net::send_error(res, 400, "the request body is not JSON: " + parsed.error());
    return std::nullopt;
  }
  const ayeaye::Json& body = *parsed;
  if (!body.is_object()) {
    net::send_error(res, 400, std::string("the request body must be a JSON object, got ") + body.type_name());
    return std::nullopt;
  }
  if (!body.contains("model_class")) {
    net::send_error(res, 400, "'model_class' is a mandatory field");
    return std::nullopt;
  }
  auto spec = ayeaye::parse_task_spec(body);
  if (!spec) {
    net::send_error(res, 400, spec.error());
    return std::nullopt;
  }
  if (auto held = config.context_secrets.key_given_in(spec->resolver_context)) {
    net::send_error(res, 400, "resolver context key '" + *held + "' is this node's own secret (FOSSA_SECRET_" + *held +
                                  "): a task cannot give it");
    return std::nullopt;
  }
  const auto& registry = ayeaye::ModelRegistry::instance();
  const ayeaye::ModelClass* model = registry.find(spec->model_class);
  if (model == nullptr || config.accepted_models.count(spec->model_class) == 0) {
    std::string accepted;
    for (const auto& name : config.accepted_models) accepted += (accepted.empty() ? "" : ", ") + name;
    net::send_error(res, 412,
                    "Model class '" + spec->model_class + "' is not in the list of accepted classes: " + accepted);
    return std::nullopt;
  }
  if (spec->method != "go" && model->find_method(spec->method) == nullptr) {
    std::string methods = "go";
    for (const auto& m : model->methods) methods += ", " + m.name;
    net::send_error(res, 400, "model " + spec->model_class + " has no method '" + spec->method + "'; it has: " + methods);
    return std::nullopt;
  }
  return std::move(spec).value();
}

// node_info lists each task by its summary (task_record.h), and at most this many recent ones
// (older ones keep their documents, up to --history), so its size is bounded by the node's
// capacity, whatever its tasks carry: (capacity + 100) × kSummaryBytes at most.
constexpr std::size_t kNodeInfoRecentTasks = 100;

ayeaye::Json node_info_json(const Governor::Snapshot& s, const NodeConfig& config) {
  const auto now = TaskRecord::Clock::now();
  ayeaye::Json running = ayeaye::Json::array();
  for (const auto& record : s.running) running.push_back(to_summary_json(record, now));
  ayeaye::Json recent = ayeaye::Json::array();
  for (std::size_t i = 0; i < s.recent.size() && i < kNodeInfoRecentTasks; ++i) recent.push_back(to_summary_json(s.recent[i], now));
  return {{"node_info",
           {{"node_ident", config.node_ident},
            {"max_concurrent_tasks", s.capacity},
            {"available_processing_capacity", s.available},
            {"running_subtasks", s.running_subtasks.size()},
            {"accepting_tasks", s.admitting},
            {"version", FOSSA_VERSION}}},
          {"running_tasks", std::move(running)},
          {"recent_completed_tasks", std::move(recent)}};
}

std::optional<std::chrono::milliseconds> parse_wait_seconds(const std::string& text) {
  char* end = nullptr;
  const double seconds = std::strtod(text.c_str(), &end);
  if (text.empty() || end != text.c_str() + text.size() || !(seconds >= 0) || seconds > 30) return std::nullopt;
  return std::chrono::milliseconds(static_cast<long>(seconds * 1000));
}

// A task's document, or 404.
net::Response task_answer(const TaskRecord* record) {
  net::Response res;
  if (record == nullptr) {
    net::send_json(res, 404, {{"message", "task unknown"}});
  } else {
    net::send_json(res, 200, to_json(*record, TaskRecord::Clock::now()));
  }
  return res;
}

// A pool id as amqp::new_pool_id makes them: 5 lowercase letters.
bool valid_pool_id(const std::string& pool) {
  return pool.size() == 5 && std::all_of(pool.begin(), pool.end(), [](char c) { return c >= 'a' && c <= 'z'; });
}

// Cancel (ours, beside Python Fossa's API): a running top-level task, with its subtasks on every
// node. 202 once the supervisor is told; its document turns "cancelled" when its process has gone
// (follow it with ?wait=). 409 for a task that has ended, or a subtask (cancelled with its parent).
// With ?pool=<pool id>, a task this node does not run: the pool's cancellation is published as the
// task's own node would (idempotent: nodes remember pools heard), 202 "cancelling elsewhere".
void answer_cancel(const net::Request& req, net::Response& res, Governor& governor, TaskSupervisor& supervisor,
                   const NodeConfig& config, NodeLog& log, const std::string& id) {
  const auto record = governor.find(id);
  if (!record && req.has_param("pool")) {
    // A task this node does not run, whose own node is silent: its subtasks, wherever they run,
    // are cancelled through the broker as its node would have (the gateway asks this).
    const std::string pool = req.get_param_value("pool");
    if (!net::valid_task_id(id) || !valid_pool_id(pool)) {
      net::send_error(res, 400, "pool must be a run's pool id, 5 lowercase letters, and the task an id; got pool " + net::quoted_id(pool));
      return;
    }
    if (config.rabbitmq_url.empty()) {
      net::send_error(res, 409, "this node has no broker (RABBITMQ_URL) to pass the cancel of task " + id + "'s subtasks on");
      return;
    }
    supervisor.cancel_pool(pool);
    log.info("task cancel passed on to every node", {{"task_id", id}, {"pool", pool}, {"remote", req.remote_addr}});
    net::send_json(res, 202, {{"task_id", id}, {"pool_id", pool}, {"status", "cancelling elsewhere"}});
    return;
  }
  if (!record) {
    net::send_error(res, 404, "no task " + id + " on this node");
    return;
  }
  if (record->parent_task_id || record->reply_to) {
    const std::string parent = record->parent_task_id ? "its parent task " + *record->parent_task_id : "its parent task";
    net::send_error(res, 409, "task " + id + " is a subtask: it is cancelled with " + parent);
    return;
  }
  if (record->status != TaskStatus::kRunning) {
    net::send_error(res, 409, "task " + id + " has ended (" + to_string(record->status) + "): there is nothing to cancel");
    return;
  }
  supervisor.cancel(id);
  log.info("task cancel asked", with_fields(task_fields(record->spec), {{"remote", req.remote_addr}}));
  net::send_json(res, 202, {{"task_id", id},
                            {"status", "cancelling"},
                            {"_metadata", {{"links", {{"task", external_url(req, config, std::string(kApi) + "/task/" + id)}}}}}});
}

}  // namespace

void install_routes(net::Router& server, Governor& governor, TaskSupervisor& supervisor, const NodeConfig& config,
                    NodeLog& log) {
  const std::string api = kApi;

  server.get(api + "/", [](const net::Request&, net::Response& res) {
    net::send_json(res, 200, {{"hello", "world"}});
  });

  server.post(api + "/task", [&governor, &supervisor, &config, &log](const net::Request& req,
                                                                     net::Response& res) {
    auto spec = read_submission(req, res, config);
    if (!spec) {
      governor.count_rejected(res.status == 412 ? "model" : "invalid");
      log.warn("task refused", {{"status", std::to_string(res.status)}, {"remote", req.remote_addr}});
      return;
    }
    TaskRecord admitted;
    switch (governor.admit(std::move(*spec), &admitted)) {
      case Admission::kAtCapacity:
        net::send_error(res, 503, kAtCapacity);
        return;
      case Admission::kStopping:
        net::send_error(res, 503, "Node is shutting down and can't accept new tasks");
        return;
      case Admission::kAccepted:
        break;
    }
    const std::string& id = admitted.spec.task_id;
    log.info("task accepted", with_fields(task_fields(admitted.spec),
                                          {{"model_class", admitted.spec.model_class}, {"remote", req.remote_addr}}));
    supervisor.run(id);
    net::send_json(res, 200,
                   {{"_metadata", {{"links", {{"task", external_url(req, config, std::string(kApi) + "/task/" + id)}}}}},
                    {"governor_accepted_ident", config.node_ident},
                    {"task_id", id}});
  });

  server.get(api + "/task", [](const net::Request&, net::Response& res) {
    res.set_header("Allow", "POST");
    net::send_error(res, 405, "submit a task with POST /api/0.01/task; read one with GET /api/0.01/task/<task_id>");
  });

  // `?wait=<seconds>` (ours, at most 30): answer when the task ends, or after that long. No thread
  // waits: the Governor says when the task ends, a timer on the server's loop when time is up.
  server.get_async(api + R"(/task/([^/]+))", [&governor](const net::Request& req, net::Responder respond) {
    const std::string id = req.matches[1];
    if (!req.has_param("wait")) {
      const auto record = governor.find(id);
      return respond(task_answer(record ? &*record : nullptr));
    }
    const auto seconds = parse_wait_seconds(req.get_param_value("wait"));
    if (!seconds) {
      net::Response res;
      net::send_error(res, 400, "wait must be a number of seconds from 0 to 30, got '" + req.get_param_value("wait") + "'");
      return respond(std::move(res));
    }
    const auto ticket = governor.on_end(id, [respond](const TaskRecord* record) { respond(task_answer(record)); });
    if (ticket == 0) return;  // answered already
    respond.after(*seconds, [&governor, id, ticket, respond] {
      governor.cancel_on_end(id, ticket);
      const auto record = governor.find(id);
      respond(task_answer(record ? &*record : nullptr));
    });
  });

  // Cancel: POST .../cancel (a form or a client with no body) or DELETE on the task; both are
  // guarded like every unsafe method (request_guards.h: another site's page is refused 403).
  server.post(api + R"(/task/([^/]+)/cancel)",
              [&governor, &supervisor, &config, &log](const net::Request& req, net::Response& res) {
                answer_cancel(req, res, governor, supervisor, config, log, req.matches[1]);
              },
              net::Body::kNone);
  server.del(api + R"(/task/([^/]+))", [&governor, &supervisor, &config, &log](const net::Request& req, net::Response& res) {
    answer_cancel(req, res, governor, supervisor, config, log, req.matches[1]);
  });

  server.get(api + "/node_info", [&governor, &config](const net::Request&, net::Response& res) {
    net::send_json(res, 200, node_info_json(governor.snapshot(), config));
  });

  server.get("/healthz", [](const net::Request&, net::Response& res) {
    net::send_json(res, 200, {{"status", "ok"}});
  });
  // Ready: admitting tasks and, with a broker, connected to it (a node cut off from RabbitMQ can
  // neither hand out subtasks nor take them). Not ready says why.
  server.get("/readyz", [&governor, &supervisor](const net::Request&, net::Response& res) {
    if (!governor.admitting()) {
      net::send_json(res, 503, {{"status", "stopping"}, {"message", "the node is shutting down"}});
      return;
    }
    if (const amqp::LinkStatus* link = supervisor.link_status()) {
      const auto status = link->snapshot();
      if (!status.connected) {
        net::send_json(res, 503, {{"status", "not connected"},
                                  {"message", "not connected to RabbitMQ since " + iso_time(status.since) + ": " + status.reason}});
        return;
      }
    }
    net::send_json(res, 200, {{"status", "ready"}});
  });
  server.get("/metrics", [&governor](const net::Request&, net::Response& res) {
    res.set_content(governor.metrics_text(), "text/plain; version=0.0.4; charset=utf-8");
  });

  install_pages(server, governor, config);

  server.set_not_found([](const net::Request& req, net::Response& res) {
    net::send_error(res, 404, "no such path: " + req.method + " " + req.path);
  });
  server.set_on_exception([&log](const net::Request& req, net::Response& res, const std::string& what) {
    log.error("request failed: " + what, {{"path", req.path}});
    net::send_error(res, 500, "internal error: " + what);
  });
}

}  // namespace fossa::node
