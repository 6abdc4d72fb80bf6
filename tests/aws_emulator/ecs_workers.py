"""ECS worker services that really run, in moto_server: a patch of moto's ECS (5.2) loaded into the
emulator's process (server.py --patch ecs_workers calls install_from_environment(), which reads
FOSSA_EMULATOR_ECS_WORKERS).

For each ECS service it is told to run (by name; the stacks' `fossa-worker`), the desired count is
made real, as ECS's service scheduler makes it: whenever the count changes (CreateService,
UpdateService: up.sh, Terraform, the gateway's wake-up and its idle scale-in, Application Auto
Scaling's calls), a task ends, or a task's scale-in protection changes, it starts or stops tasks.

- A task is a process: the configured program (`fossa` and its `node` command: what the worker
  image runs) with the environment the task definition gives its container (`environment`, and
  `secrets` read from the emulator's own Secrets Manager, `:json-key::` and all), ECS_AGENT_URI
  (a stand-in agent, below), AWS_REGION, and FOSSA_BIND: its own loopback address 127.R.R.N, where
  it serves the container's port (FOSSA_HTTP_PORT, 2345 in the stacks), as a Fargate task serves on
  its own ENI's address. Configured `environment` entries go over those (a test points RABBITMQ_URL
  at its own broker this way when the stack's secret names a DNS name the test machine lacks).
- ListTasks and DescribeTasks answer with these tasks: group `service:<name>`, startedBy the
  deployment's id, the ENI attachment with `privateIPv4Address` (as ECS gives it; what the gateway's
  discovery reads), lastStatus PROVISIONING, then RUNNING once the node logs that it is ready, then
  DEACTIVATING, STOPPING and STOPPED with stopCode, stoppedReason and the container's exit code.
  ListTasks keeps ECS's default filter (desiredStatus RUNNING) and its serviceName filter.
  DescribeServices gives the real runningCount and pendingCount, and a deployment per task
  definition still running (PRIMARY, ACTIVE) with its rolloutState.
- Stopping a task (a lower count, a new deployment, StopTask) is SIGTERM to the process, then
  SIGKILL to its process group after the container's stopTimeout (30 s when the definition gives
  none), as ECS stops a Fargate task. A task protected from scale-in is not stopped by a lower
  count nor replaced by a deployment until its protection ends (ECS's documented behaviour); a
  process that exits on its own is STOPPED (EssentialContainerExited) and replaced. Three that exit
  before they are ready fail the deployment (rolloutState FAILED; no more are started for it), as
  the deployment circuit breaker does.
- The stand-in ECS agent (an HTTP server on 127.0.0.1 in this process): ECS_AGENT_URI is
  http://127.0.0.1:PORT/v4/<task id>; PUT and GET <uri>/task-protection/v1/state, as the agent's
  task scale-in protection endpoint; GetTaskProtection and UpdateTaskProtection on the ECS API see
  and set the same state. POST http://127.0.0.1:PORT/spot-interruption/<task id> interrupts a task
  as Fargate Spot does (SIGTERM, then SIGKILL after the stopTimeout; stopCode SpotInterruption) and
  the service replaces it.

Not modelled: Application Auto Scaling's target tracking (moto does not evaluate alarms: only the
counts its callers set move the service), placement across zones, health checks, task networking
beyond the address (the security groups are not enforced), the ECS API's own credentials to the
tasks (AWS_CONTAINER_CREDENTIALS_*).

The configuration is JSON, in FOSSA_EMULATOR_ECS_WORKERS:
  {"services": ["fossa-worker"],          the services whose tasks run (every cluster)
   "program": "/path/to/build/bin/fossa", the container's program
   "arguments": ["node"],                 its arguments (default: node)
   "environment": {"NAME": "value"},      over what the task definition gives (default: none)
   "log_dir": "/tmp/..."}                 each task's output in <task id>.log (default: a temporary directory)
Events (tasks started, ready, stopped) are logged to stderr as lines starting `ecs-workers:`."""
import atexit
import ctypes
import datetime
import http.server
import itertools
import json
import os
import random
import signal
import socket
import subprocess
import sys
import tempfile
import threading

from moto.ecs import models as ecs_models
from moto.ecs.models import Container, Task
from moto.ecs.responses import EC2ContainerServiceResponse
from moto.secretsmanager.models import secretsmanager_backends

DEFAULT_STOP_TIMEOUT = 30  # seconds: Fargate's default between SIGTERM and SIGKILL
FAILURES_TO_FAIL_A_DEPLOYMENT = 3
READY_LINE = "fossa node ready"
PR_SET_PDEATHSIG = 1

_lock = threading.RLock()
_changed = threading.Condition(_lock)
_config = None
_tasks = {}  # task id -> WorkerTask
_deployments = {}  # (cluster name, service name) -> [Deployment], newest first
_agent = None
_stopping_all = False


def log(message):
    sys.stderr.write(f"ecs-workers: {message}\n")
    sys.stderr.flush()


def now():
    return datetime.datetime.now(datetime.timezone.utc)


class Deployment:
    def __init__(self, backend, service):
        self.id = f"ecs-svc/{random.randint(10**18, 10**19 - 1)}"
        self.task_definition = _definition_arn(backend, service)
        self.created = now()
        self.failures = 0
        self.failed = False


class WorkerTask(Task):
    """A task of a worker service: moto's Task (so ListTasks, DescribeTasks and StopTask find it),
    its state ours. Made without Task.__init__, which would make an ENI in the subnet (and needs
    the VPC's DNS hostnames on)."""

    __module__ = "moto.ecs.models"  # moto's model registry files a model under its module's service

    def __init__(self, backend, cluster, service, task_definition, deployment, address):
        self._backend = backend
        self._account_id = backend.account_id
        self.region_name = cluster.region_name
        self.id = ecs_models.mock_random.uuid4().hex
        self.cluster_name, self.cluster_arn = cluster.name, cluster.arn
        self.service_name = service.name
        self.container_instance_arn = None
        self.desired_status = "RUNNING"
        self._last_status = "PROVISIONING"
        self.task_definition_arn = task_definition.arn
        self.overrides = {}
        self.containers = [Container(task_definition)]
        self.started_by = deployment.id
        self.deployment = deployment
        self.tags = list(service.tags) if getattr(service, "propagate_tags", "NONE") == "SERVICE" else []
        self.launch_type = "FARGATE"
        self.platform_version = "1.4.0"
        self.capacity_provider_name = _capacity_provider(service)
        self.cpu, self.memory = task_definition.cpu, task_definition.memory
        self.stopped_reason = ""
        self.stop_code = None
        self.resource_requirements = None
        self.group = f"service:{service.name}"
        self.created_at = now()
        self.started_at = self.stopping_at = self.stopped_at = None
        self.connectivity = "CONNECTED"
        self.health_status = "UNKNOWN"
        self.address = address
        self.network_configuration = getattr(service, "network_configuration", {}) or {}
        subnet = (self.network_configuration.get("awsvpcConfiguration") or {}).get("subnets", [""])[0]
        eni = f"eni-{self.id[:17]}"
        self.attachments = [{
            "id": ecs_models.mock_random.uuid4().hex, "type": "ElasticNetworkInterface", "status": "ATTACHED",
            "details": [{"name": "subnetId", "value": subnet}, {"name": "networkInterfaceId", "value": eni},
                        {"name": "privateIPv4Address", "value": address}]}]
        self.containers[0].network_interfaces = [{"attachmentId": self.attachments[0]["id"],
                                                  "privateIpv4Address": address}]
        container = task_definition.container_definitions[0]
        self.stop_timeout = int(container.get("stopTimeout") or DEFAULT_STOP_TIMEOUT)
        self.protected = False
        self.protection_expires = None
        self.ready = False
        self.process = None
        self.kill_timer = None

    # moto's ManagedState would move the status on at each DescribeTasks: this one moves with the process.
    @property
    def last_status(self):
        return self._last_status

    @last_status.setter
    def last_status(self, value):
        self._last_status = value

    def advance(self):
        pass

    def protection(self):
        if self.protected and self.protection_expires and now() >= self.protection_expires:
            self.protected, self.protection_expires = False, None
        return self.protected

    def protection_answer(self):
        return {"ProtectionEnabled": self.protection(), "TaskArn": self.task_arn,
                "ExpirationDate": self.protection_expires.isoformat() if self.protection() else None}


def _definition_arn(backend, service):
    """The service's task definition as an ARN (UpdateService may name it `family` or `family:3`)."""
    return backend.describe_task_definition(service.task_definition).arn


def _capacity_provider(service):
    strategy = getattr(service, "capacity_provider_strategy", None) or []
    weighted = [s for s in strategy if int(s.get("weight", 0)) > 0]
    return (weighted or strategy or [{"capacityProvider": "FARGATE"}])[0]["capacityProvider"]


def _managed(service):
    return _config is not None and service.name in _config["services"] and service.status == "ACTIVE"


def _service_tasks(service):
    return [t for t in _tasks.values() if t.cluster_name == service.cluster_name and t.service_name == service.name]


def _event(service, message):
    service.events.insert(0, {"id": ecs_models.mock_random.uuid4().hex, "createdAt": now(),
                              "message": f"(service {service.name}) {message}"})
    del service.events[100:]


# --- Addresses ----------------------------------------------------------------------------------

_network = (random.randint(1, 254), random.randint(1, 254))
_hosts = itertools.count(1)


def _free_address(port):
    """127.R.R.N not yet used by this emulator, where `port` is free now (the node may still lose a
    race for it: then its task fails and another is started elsewhere)."""
    for _ in range(254):
        address = f"127.{_network[0]}.{_network[1]}.{next(_hosts) % 254 + 1}"
        if any(t.address == address and t.last_status != "STOPPED" for t in _tasks.values()):
            continue
        with socket.socket() as probe:
            try:
                probe.bind((address, port))
                return address
            except OSError:
                continue
    raise RuntimeError(f"no free loopback address for port {port}")


# --- Starting and stopping tasks ----------------------------------------------------------------

def _container_environment(backend, task_definition, task):
    container = task_definition.container_definitions[0]
    environment = {e["name"]: e["value"] for e in container.get("environment") or []}
    secrets = secretsmanager_backends[backend.account_id][backend.region_name]
    for secret in container.get("secrets") or []:
        parts = secret["valueFrom"].split(":")
        arn, key = ":".join(parts[:7]), (parts[7] if len(parts) > 7 else "")
        value = secrets.get_secret_value(arn, None, None)["SecretString"]
        environment[secret["name"]] = json.loads(value)[key] if key else value
    environment.update(ECS_AGENT_URI=f"{_agent.url}/v4/{task.id}", AWS_REGION=backend.region_name,
                       AWS_DEFAULT_REGION=backend.region_name, FOSSA_BIND=task.address)
    environment.update(_config.get("environment") or {})
    environment["PATH"] = os.environ.get("PATH", "/usr/bin:/bin")
    return environment


def _die_with_parent():
    ctypes.CDLL(None, use_errno=True).prctl(PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)


def _start_task(backend, cluster, service, deployment):
    task_definition = backend.describe_task_definition(deployment.task_definition)
    ports = [p.get("containerPort") for p in task_definition.container_definitions[0].get("portMappings") or []]
    task = WorkerTask(backend, cluster, service, task_definition, deployment, _free_address(ports[0] if ports else 2345))
    backend.tasks.setdefault(cluster.name, {})[task.task_arn] = task
    _tasks[task.id] = task
    log_path = os.path.join(_config["log_dir"], f"{task.id}.log")
    try:
        environment = _container_environment(backend, task_definition, task)
        task.process = subprocess.Popen([_config["program"], *_config.get("arguments", ["node"])], env=environment,
                                        stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                                        start_new_session=True, preexec_fn=_die_with_parent)
    except Exception as error:  # a secret that is not there, a program that is not: the task fails to start
        task.stopped_reason = f"CannotStartContainerError: {error}"
        _ended(task, None, "TaskFailedToStart")
        return
    task.last_status = "PENDING"
    task.started_at = None
    _event(service, f"has started 1 tasks: (task {task.id}).")
    log(f"started task {task.id} of {cluster.name}/{service.name} at {task.address}:{ports[0] if ports else '-'} "
        f"(pid {task.process.pid}, log {log_path})")
    threading.Thread(target=_follow, args=(task, log_path), daemon=True).start()


def _follow(task, log_path):
    """The task's output to its log file; RUNNING at the node's ready line; STOPPED at its exit."""
    with open(log_path, "ab") as out:
        for line in task.process.stdout:
            out.write(line)
            out.flush()
            if not task.ready and READY_LINE.encode() in line:
                with _lock:
                    task.ready = True
                    if task.desired_status == "RUNNING":
                        task.last_status = task.containers[0].last_status = "RUNNING"
                        task.started_at = now()
                        task.health_status = "HEALTHY"
                    log(f"task {task.id} is RUNNING at {task.address}")
                    _changed.notify_all()
    code = task.process.wait()
    with _lock:
        if task.kill_timer:
            task.kill_timer.cancel()
        if not task.stop_code:
            task.stopped_reason = "Essential container in task exited"
        _ended(task, code, task.stop_code or "EssentialContainerExited")


def _ended(task, code, stop_code):
    was_ready = task.ready
    task.desired_status = "STOPPED"
    task.last_status = task.containers[0].last_status = "STOPPED"
    task.containers[0].exit_code = code
    task.stop_code = stop_code
    task.stopped_at = now()
    task.protected = False
    if not was_ready and stop_code in ("EssentialContainerExited", "TaskFailedToStart"):
        task.deployment.failures += 1
        if task.deployment.failures >= FAILURES_TO_FAIL_A_DEPLOYMENT and not task.deployment.failed:
            task.deployment.failed = True
            log(f"deployment {task.deployment.id} FAILED: {task.deployment.failures} tasks stopped before they were ready")
    log(f"task {task.id} STOPPED ({stop_code}, exit code {code}): {task.stopped_reason}")
    _changed.notify_all()


def _stop_task(task, reason, stop_code):
    """SIGTERM now, SIGKILL to its process group after the container's stopTimeout."""
    if task.desired_status == "STOPPED":
        return
    task.desired_status = "STOPPED"
    task.stopped_reason, task.stop_code = reason, stop_code
    task.stopping_at = now()
    if task.process is None or task.process.poll() is not None:
        return
    task.last_status = "DEACTIVATING"
    log(f"stopping task {task.id} at {task.address}: {reason} (SIGTERM; SIGKILL after {task.stop_timeout} s)")
    task.process.send_signal(signal.SIGTERM)
    task.last_status = "STOPPING"

    def kill():
        if task.process.poll() is None:
            log(f"task {task.id} still running {task.stop_timeout} s after SIGTERM: SIGKILL")
            try:
                os.killpg(task.process.pid, signal.SIGKILL)
            except ProcessLookupError:
                pass

    task.kill_timer = threading.Timer(task.stop_timeout, kill)
    task.kill_timer.daemon = True
    task.kill_timer.start()


# --- The service scheduler ----------------------------------------------------------------------

def _reconcile(backend, service):
    """One look at a service: start what its count lacks, stop what it has too many of, roll a
    deployment on; protected tasks are neither scaled in nor replaced."""
    key = (service.cluster_name, service.name)
    deployments = _deployments.setdefault(key, [])
    if not deployments or deployments[0].task_definition != _definition_arn(backend, service):
        deployments.insert(0, Deployment(backend, service))
    primary = deployments[0]
    cluster = backend._get_cluster(service.cluster_name)
    live = [t for t in _service_tasks(service) if t.desired_status == "RUNNING"]
    new = [t for t in live if t.deployment is primary]
    old = [t for t in live if t.deployment is not primary]
    desired = service.desired_count if service.status == "ACTIVE" else 0

    while len(new) < desired and not primary.failed and not _stopping_all:
        _start_task(backend, cluster, service, primary)
        new = [t for t in _service_tasks(service) if t.desired_status == "RUNNING" and t.deployment is primary]

    held = 0
    # Too many of the current deployment: the newest go first, the protected stay.
    for task in sorted(new, key=lambda t: t.created_at, reverse=True)[:max(0, len(new) - desired)]:
        if task.protection():
            held += 1
        else:
            _stop_task(task, "Scaling activity initiated by (deployment " + primary.id + ")", "ServiceSchedulerInitiated")
    # The old deployments' tasks go as the new ones run, so that as many as asked for keep running.
    running_new = sum(1 for t in new if t.last_status == "RUNNING")
    excess = running_new + len(old) - desired
    for task in sorted(old, key=lambda t: t.created_at):
        if excess <= 0:
            break
        if task.protection():
            held += 1
            continue
        _stop_task(task, "Deployment replaced this task (deployment " + primary.id + ")", "ServiceSchedulerInitiated")
        excess -= 1
    if held:
        message = f"was unable to scale in due to (reason: {held} tasks under protection)."
        if not service.events or service.events[0]["message"] != f"(service {service.name}) {message}":
            _event(service, message)
    _update_counts(service)


def _update_counts(service):
    """The service's counts and deployments as DescribeServices shows them, from its tasks."""
    tasks = [t for t in _service_tasks(service) if t.desired_status == "RUNNING" or t.last_status != "STOPPED"]
    service.running_count = sum(1 for t in tasks if t.last_status == "RUNNING")
    service.pending_count = sum(1 for t in tasks if t.last_status in ("PROVISIONING", "PENDING"))
    deployments = _deployments.get((service.cluster_name, service.name), [])
    shown = []
    for index, deployment in enumerate(deployments):
        mine = [t for t in tasks if t.deployment is deployment]
        if index > 0 and not mine:
            continue
        running = sum(1 for t in mine if t.last_status == "RUNNING")
        desired = service.desired_count if index == 0 else len(mine)
        others_left = any(t.deployment is not deployment for t in tasks)
        if deployment.failed:
            rollout = "FAILED"
        elif index == 0 and running == desired and len(mine) == desired and not others_left:
            rollout = "COMPLETED"
        else:
            rollout = "IN_PROGRESS"
        shown.append({"id": deployment.id, "status": "PRIMARY" if index == 0 else "ACTIVE",
                      "taskDefinition": deployment.task_definition, "desiredCount": desired,
                      "pendingCount": sum(1 for t in mine if t.last_status in ("PROVISIONING", "PENDING")),
                      "runningCount": running, "failedTasks": deployment.failures, "launchType": "FARGATE",
                      "createdAt": deployment.created, "updatedAt": now(), "rolloutState": rollout,
                      "rolloutStateReason": f"ECS deployment {deployment.id} {rollout.lower().replace('_', ' ')}."})
    if shown:
        if shown[0]["rolloutState"] == "COMPLETED" and service.deployments and \
                service.deployments[0].get("rolloutState") != "COMPLETED":
            _event(service, "has reached a steady state.")
        service.deployments = shown


def _scheduler():
    """Looks again at every worker service whenever something changed (a count, a task's state, a
    protection): ECS's service scheduler, driven by events instead of a timer. The one thread that
    starts tasks' processes: each dies with the thread that started it (PR_SET_PDEATHSIG), and
    this one lives as long as the emulator."""
    with _lock:
        while True:
            for backend in _ecs_backends():
                for service in list(backend.services.values()):
                    if _managed(service) or _service_tasks(service):
                        try:
                            _reconcile(backend, service)
                        except Exception as error:  # the scheduler goes on; the next change looks again
                            log(f"cannot schedule {service.cluster_name}/{service.name}: {error!r}")
            _changed.wait()


def _ecs_backends():
    for account in ecs_models.ecs_backends.values():
        for backend in account.values():
            yield backend


def _expire_later(task):
    """Looks again when a task's protection expires."""
    seconds = (task.protection_expires - now()).total_seconds()
    timer = threading.Timer(max(0.0, seconds) + 0.01, lambda: _notify())
    timer.daemon = True
    timer.start()


def _notify():
    with _lock:
        _changed.notify_all()


# --- The stand-in agent -------------------------------------------------------------------------

class _AgentHandler(http.server.BaseHTTPRequestHandler):
    def log_message(self, *args):
        pass

    def _answer(self, status, body):
        data = json.dumps(body, default=str).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def _task(self, prefix, suffix=""):
        path = self.path.split("?")[0]
        if not path.startswith(prefix) or not path.endswith(suffix):
            return None
        return _tasks.get(path[len(prefix):len(path) - len(suffix)])

    def do_GET(self):
        with _lock:
            task = self._task("/v4/", "/task-protection/v1/state")
            if task is None:
                return self._answer(404, {"error": {"Code": "ResourceNotFoundException", "Message": "no such task"}})
            self._answer(200, {"protection": task.protection_answer()})

    def do_PUT(self):
        length = int(self.headers.get("Content-Length") or 0)
        try:
            body = json.loads(self.rfile.read(length) or b"{}")
            enabled = body["ProtectionEnabled"]
            if not isinstance(enabled, bool):
                raise ValueError("ProtectionEnabled must be true or false")
            minutes = int(body.get("ExpiresInMinutes", 120)) if enabled else 0
        except (ValueError, KeyError, TypeError) as error:
            return self._answer(400, {"error": {"Code": "InvalidParameterException", "Message": str(error)}})
        with _lock:
            task = self._task("/v4/", "/task-protection/v1/state")
            if task is None or task.desired_status != "RUNNING":
                return self._answer(404, {"error": {"Code": "ResourceNotFoundException", "Message": "no such running task"}})
            _protect(task, enabled, minutes)
            self._answer(200, {"protection": task.protection_answer()})

    def do_POST(self):
        with _lock:
            task = self._task("/spot-interruption/")
            if task is None:
                return self._answer(404, {"error": {"Message": "no such task"}})
            _stop_task(task, "Your Spot Task was interrupted.", "SpotInterruption")
            _changed.notify_all()
            self._answer(200, {"stopping": task.task_arn})


def _protect(task, enabled, minutes):
    if enabled != task.protected:
        log(f"task {task.id} scale-in protection {'on' if enabled else 'off'}")
    task.protected = enabled
    task.protection_expires = now() + datetime.timedelta(minutes=minutes) if enabled else None
    if enabled:
        _expire_later(task)
    _changed.notify_all()


class _Agent:
    def __init__(self):
        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _AgentHandler)
        self.server.daemon_threads = True
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()


# --- moto, patched ------------------------------------------------------------------------------

def _after(method, then):
    def patched(backend, *args, **kwargs):
        with _lock:
            result = method(backend, *args, **kwargs)
            then(backend, result, *args, **kwargs)
            return result
    return patched


def _service_changed(backend, service, *args, **kwargs):
    if _managed(service) or _service_tasks(service):
        _update_counts(service)
        _changed.notify_all()


def _update_service(original):
    def patched(backend, properties):
        with _lock:
            force = bool(properties.get("force_new_deployment"))
            service = original(backend, properties)
            if _managed(service) or _service_tasks(service):
                if force:
                    _deployments.setdefault((service.cluster_name, service.name), []).insert(0, Deployment(backend, service))
                # moto sets the running count to the desired one: what runs is put back.
                _update_counts(service)
                _changed.notify_all()
            return service
    return patched


def _describe_services(original):
    def patched(backend, cluster, names):
        with _lock:
            services, failures = original(backend, cluster, names)
            for service in services:
                if _managed(service) or _service_tasks(service):
                    _update_counts(service)
            return services, failures
    return patched


def _list_tasks(original):
    def patched(backend, cluster_str=None, container_instance=None, family=None, started_by=None, service_name=None,
                desiredStatus=None):
        with _lock:
            tasks = original(backend, cluster_str, container_instance, family, started_by, None, desiredStatus or "RUNNING")
            if service_name:
                tasks = [t for t in tasks if t.group == f"service:{service_name.split('/')[-1]}"]
            return tasks
    return patched


def _stop_task_api(original):
    def patched(backend, cluster_str, task_str, reason):
        with _lock:
            task = _tasks.get(task_str.split("/")[-1])
            if task is None:
                return original(backend, cluster_str, task_str, reason)
            _stop_task(task, reason or "Task stopped by user", "UserInitiated")
            _changed.notify_all()
            return task
    return patched


def _task_protection(update):
    def action(self):
        with _lock:
            protected, failures = [], []
            for name in self._get_param("tasks") or []:
                task = _tasks.get(name.split("/")[-1])
                if task is None or task.desired_status != "RUNNING":
                    failures.append({"arn": name, "reason": "TASK_NOT_VALID"})
                    continue
                if update:
                    enabled = bool(self._get_param("protectionEnabled"))
                    _protect(task, enabled, int(self._get_param("expiresInMinutes") or 120) if enabled else 0)
                entry = {"taskArn": task.task_arn, "protectionEnabled": task.protection()}
                if task.protection():
                    entry["expirationDate"] = task.protection_expires.timestamp()
                protected.append(entry)
            return json.dumps({"protectedTasks": protected, "failures": failures})
    return action


def _stop_everything():
    """Every task's process, when the emulator stops: SIGTERM, then SIGKILL after a few seconds."""
    global _stopping_all
    with _lock:
        _stopping_all = True
        running = [t for t in _tasks.values() if t.process is not None and t.process.poll() is None]
        for task in running:
            task.process.send_signal(signal.SIGTERM)
    for task in running:
        try:
            task.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            os.killpg(task.process.pid, signal.SIGKILL)
            task.process.wait()


def install(config):
    """Patches moto's ECS in this process to run the services `config` names (see the module's
    documentation for its fields)."""
    global _config, _agent
    if not config.get("program") or not config.get("services"):
        raise SystemExit("ecs_workers: the configuration needs 'program' and 'services'")
    _config = dict(config)
    _config.setdefault("log_dir", tempfile.mkdtemp(prefix="ecs-workers-"))
    os.makedirs(_config["log_dir"], exist_ok=True)
    backend = ecs_models.EC2ContainerServiceBackend
    backend.create_service = _after(backend.create_service, _service_changed)
    backend.delete_service = _after(backend.delete_service, _service_changed)
    backend.update_service = _update_service(backend.update_service)
    backend.describe_services = _describe_services(backend.describe_services)
    backend.list_tasks = _list_tasks(backend.list_tasks)
    backend.stop_task = _stop_task_api(backend.stop_task)
    EC2ContainerServiceResponse.get_task_protection = _task_protection(update=False)
    EC2ContainerServiceResponse.update_task_protection = _task_protection(update=True)
    _agent = _Agent()
    threading.Thread(target=_scheduler, daemon=True).start()
    atexit.register(_stop_everything)
    log(f"running the tasks of {', '.join(_config['services'])} with {_config['program']}; agent at {_agent.url}; "
        f"logs in {_config['log_dir']}")


def install_from_environment():
    text = os.environ.get("FOSSA_EMULATOR_ECS_WORKERS")
    if text:
        install(json.loads(text))
        # moto_server stops on SIGTERM: the tasks' processes stop with it.
        signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
