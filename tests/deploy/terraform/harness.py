"""What the deploy tests share: Terraform set up to use a local provider mirror when the machine has
one (the registry may be unreachable), a moto_server AWS emulator on a free loopback port, and a
private copy of deploy/aws to run in (Terraform writes state and .terraform/ next to the code)."""
import os
import pathlib
import shutil
import json
import subprocess
import sys
import tempfile
import threading
import time

import boto3

SOURCE_DIR = pathlib.Path(os.environ.get("FOSSA_SOURCE_DIR", pathlib.Path(__file__).resolve().parents[3]))
DEPLOY_DIR = SOURCE_DIR / "deploy" / "aws"
PARTS = ("network", "gateway", "cluster")
REGION = "eu-west-2"

# Where a machine may keep the hashicorp/aws provider for offline use (the layout of
# `terraform providers mirror`); TF_PROVIDER_MIRROR names another.
MIRROR_CANDIDATES = ("/opt/tf-plugins", "/usr/share/terraform/plugins", os.path.expanduser("~/.terraform.d/plugins"))


def require_tool(name, how):
    path = shutil.which(name)
    if path is None:
        raise RuntimeError(f"{name} is not installed; {how}")
    return path


def terraform_env(work_dir):
    """Environment for terraform: a CLI config that takes hashicorp/aws from a local mirror when
    there is one, and a plugin cache shared by the runs of a test."""
    require_tool("terraform", "install Terraform >= 1.11: https://developer.hashicorp.com/terraform/install")
    env = dict(os.environ, TF_IN_AUTOMATION="1", CHECKPOINT_DISABLE="1")
    mirrors = [os.environ["TF_PROVIDER_MIRROR"]] if os.environ.get("TF_PROVIDER_MIRROR") else MIRROR_CANDIDATES
    mirror = next((m for m in mirrors if pathlib.Path(m, "registry.terraform.io", "hashicorp", "aws").is_dir()), None)
    cache = pathlib.Path(work_dir, "plugin-cache")
    cache.mkdir(exist_ok=True)
    config = pathlib.Path(work_dir, "terraformrc")
    lines = [f'plugin_cache_dir = "{cache}"']
    if mirror:
        lines += ["provider_installation {",
                  f'  filesystem_mirror {{\n    path    = "{mirror}"\n    include = ["registry.terraform.io/hashicorp/aws"]\n  }}',
                  '  direct {\n    exclude = ["registry.terraform.io/hashicorp/aws"]\n  }', "}"]
    config.write_text("\n".join(lines) + "\n")
    env["TF_CLI_CONFIG_FILE"] = str(config)
    return env


def copy_deploy_tree(work_dir):
    """deploy/aws without any Terraform working files, in work_dir/aws."""
    target = pathlib.Path(work_dir, "aws")
    shutil.copytree(DEPLOY_DIR, target, symlinks=True,
                    ignore=shutil.ignore_patterns(".terraform", "terraform.tfstate*", ".terraform.lock.hcl", "*.tfvars"))
    return target


def run(args, env, cwd=None, timeout=600):
    """Runs a command; returns (exit status, stdout + stderr)."""
    done = subprocess.run(args, env=env, cwd=cwd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                          text=True, timeout=timeout)
    return done.returncode, done.stdout


class Moto:
    """moto_server (with what moto_patched.py adds) on 127.0.0.1 and a free port, for the life of
    the object. running_tasks: how many tasks moto says each new ECS service runs (it runs none,
    so a deployment completes only when this reaches the desired count). ecs_workers: the
    configuration of tests/aws_emulator/ecs_workers.py (a dict), whose services then run real tasks;
    wait_for_line() waits for what it logs."""

    def __init__(self, running_tasks=0, ecs_workers=None):
        require_tool("moto_server", 'install the AWS emulator: pip install "moto[server]"')
        # AWS's managed IAM policies (AmazonSSMManagedInstanceCore, ...) exist only when asked for.
        env = dict(os.environ, MOTO_IAM_LOAD_MANAGED_POLICIES="true", MOTO_ECS_SERVICE_RUNNING=str(running_tasks))
        if ecs_workers:
            env["FOSSA_EMULATOR_ECS_WORKERS"] = json.dumps(ecs_workers)
        patched = pathlib.Path(__file__).with_name("moto_patched.py")
        self.process = subprocess.Popen([sys.executable, str(patched), "-H", "127.0.0.1", "-p", "0"], env=env,
                                        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
        self.url = None
        for line in self.process.stdout:  # its ready line names the port it took
            if "Running on http://" in line:
                self.url = line.split("Running on ")[1].split()[0].rstrip("/")
                break
        if self.url is None:
            self.process.kill()
            raise RuntimeError("moto_server exited before it was ready")
        # Keep reading its log so that it never blocks on a full pipe; its lines kept for wait_for_line.
        self.lines = []
        self.changed = threading.Condition()
        self.drain = threading.Thread(target=self._read, daemon=True)
        self.drain.start()

    def _read(self):
        for line in self.process.stdout:
            with self.changed:
                self.lines.append(line.rstrip("\n"))
                self.changed.notify_all()
        with self.changed:
            self.lines.append(None)  # the end
            self.changed.notify_all()

    def wait_for_line(self, predicate, timeout=120):
        """The first line of its log (from the start) for which predicate is true; fails after
        `timeout` seconds (far beyond a passing test's wait) or when the log ends first."""
        if isinstance(predicate, str):
            text = predicate
            predicate = lambda line: text in line  # noqa: E731
        seen, deadline = 0, time.monotonic() + timeout
        with self.changed:
            while True:
                for line in self.lines[seen:]:
                    if line is None:
                        raise AssertionError("moto_server's log ended; its last lines:\n" + "\n".join(self.lines[-30:-1]))
                    if predicate(line):
                        return line
                seen = len(self.lines)
                if not self.changed.wait(max(0.0, deadline - time.monotonic())):
                    raise AssertionError(f"waited {timeout} s in moto_server's log; its last lines:\n" +
                                         "\n".join(self.lines[-30:]))

    def client(self, service):
        return boto3.client(service, endpoint_url=self.url, region_name=REGION,
                            aws_access_key_id="testing", aws_secret_access_key="testing")

    def env(self, base):
        return dict(base, AWS_ENDPOINT_URL=self.url, AWS_ACCESS_KEY_ID="testing", AWS_SECRET_ACCESS_KEY="testing",
                    AWS_REGION=REGION, AWS_DEFAULT_REGION=REGION)

    def stop(self):
        self.process.terminate()
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        self.drain.join()
        self.process.stdout.close()


class WorkDir:
    """A temporary directory removed at the end, unless FOSSA_KEEP_TEST_DIRS=1."""

    def __init__(self, prefix):
        self.path = tempfile.mkdtemp(prefix=prefix)

    def remove(self):
        if os.environ.get("FOSSA_KEEP_TEST_DIRS") != "1":
            shutil.rmtree(self.path, ignore_errors=True)
