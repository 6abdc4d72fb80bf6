#include "node/http_api.h"

#include <cstdlib>

#include "ayeaye/json_input.h"
#include "ayeaye/registry.h"
#include "node/pages.h"

namespace fossa::node {
namespace {

constexpr const char* kApi = "/api/0.01";
constexpr const char* kAtCapacity = "Node at full capacity and can't accept new tasks";

// The URL a client should use for `path`: the scheme and host it called (through a proxy such as
// fossa-gateway, the X-Forwarded-* headers it sets), so links work from where the client stands.
std::string external_url(const httplib::Request& req, const NodeConfig& config, const std::string& path) {
  std::string scheme = req.get_header_value("X-Forwarded-Proto");
  if (scheme.empty()) scheme = "http";
  std::string host = req.get_header_value("X-Forwarded-Host");
  if (host.empty()) host = req.get_header_value("Host");
  if (host.empty()) host = config.bind + ":" + std::to_string(config.port);
  return scheme + "://" + host + net::forwarded_prefix(req) + path;
}

// Checks a submission; on failure sets the 4xx response and returns nullopt.
std::optional<ayeaye::TaskSpec> read_submission(const httplib::Request& req, httplib::Response& res,
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

ayeaye::Json node_info_json(const Governor::Snapshot& s, const NodeConfig& config) {
  const auto now = TaskRecord::Clock::now();
  ayeaye::Json running = ayeaye::Json::array();
  for (const auto& record : s.running) running.push_back(to_json(record, now));
  ayeaye::Json recent = ayeaye::Json::array();
  for (const auto& record : s.recent) recent.push_back(to_json(record, now));
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

}  // namespace

void install_routes(httplib::Server& server, Governor& governor, TaskSupervisor& supervisor, const NodeConfig& config,
                    NodeLog& log) {
  const std::string api = kApi;

  server.Get(api + "/", [](const httplib::Request&, httplib::Response& res) {
    net::send_json(res, 200, {{"hello", "world"}});
  });

  server.Post(api + "/task", [&governor, &supervisor, &config, &log](const httplib::Request& req,
                                                                     httplib::Response& res) {
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
    log.info("task accepted", {{"task_id", id}, {"model_class", admitted.spec.model_class}, {"remote", req.remote_addr}});
    supervisor.run(id);
    net::send_json(res, 200,
                   {{"_metadata", {{"links", {{"task", external_url(req, config, std::string(kApi) + "/task/" + id)}}}}},
                    {"governor_accepted_ident", config.node_ident},
                    {"task_id", id}});
  });

  server.Get(api + "/task", [](const httplib::Request&, httplib::Response& res) {
    res.set_header("Allow", "POST");
    net::send_error(res, 405, "submit a task with POST /api/0.01/task; read one with GET /api/0.01/task/<task_id>");
  });

  // `?wait=<seconds>` (ours, at most 30): answer when the task ends, or after that long.
  server.Get(api + R"(/task/([^/]+))", [&governor](const httplib::Request& req, httplib::Response& res) {
    std::optional<TaskRecord> record;
    if (req.has_param("wait")) {
      const auto seconds = parse_wait_seconds(req.get_param_value("wait"));
      if (!seconds) {
        net::send_error(res, 400, "wait must be a number of seconds from 0 to 30, got '" + req.get_param_value("wait") + "'");
        return;
      }
      record = governor.wait_for_end(req.matches[1], *seconds);
    } else {
      record = governor.find(req.matches[1]);
    }
    if (!record) {
      net::send_json(res, 404, {{"message", "task unknown"}});
      return;
    }
    net::send_json(res, 200, to_json(*record, TaskRecord::Clock::now()));
  });

  server.Get(api + "/node_info", [&governor, &config](const httplib::Request&, httplib::Response& res) {
    net::send_json(res, 200, node_info_json(governor.snapshot(), config));
  });

  server.Get("/healthz", [](const httplib::Request&, httplib::Response& res) {
    net::send_json(res, 200, {{"status", "ok"}});
  });
  // Ready: admitting tasks and, with a broker, connected to it (a node cut off from RabbitMQ can
  // neither hand out subtasks nor take them). Not ready says why.
  server.Get("/readyz", [&governor, &supervisor](const httplib::Request&, httplib::Response& res) {
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
  server.Get("/metrics", [&governor](const httplib::Request&, httplib::Response& res) {
    res.set_content(governor.metrics_text(), "text/plain; version=0.0.4; charset=utf-8");
  });

  install_pages(server, governor, config);

  server.set_error_handler([&config](const httplib::Request& req, httplib::Response& res) {
    if (!res.body.empty()) return;
    switch (res.status) {
      case 404:
        net::send_error(res, 404, "no such path: " + req.method + " " + req.path);
        break;
      case 413:
        net::send_error(res, 413, "the request body is larger than this node accepts (" +
                                      std::to_string(config.max_body_bytes) + " bytes, FOSSA_MAX_BODY_BYTES)");
        break;
      default:
        net::send_error(res, res.status, "request failed with HTTP status " + std::to_string(res.status));
    }
  });
  server.set_exception_handler([&log](const httplib::Request& req, httplib::Response& res, std::exception_ptr error) {
    std::string what = "unknown error";
    try {
      std::rethrow_exception(error);
    } catch (const std::exception& e) {
      what = e.what();
    } catch (...) {
    }
    log.error("request failed: " + what, {{"path", req.path}});
    net::send_error(res, 500, "internal error: " + what);
  });
}

}  // namespace fossa::node
