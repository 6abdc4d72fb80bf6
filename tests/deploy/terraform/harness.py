"""What the deploy tests share: Terraform set up to use a local provider mirror when the machine has
one (the registry may be unreachable), the tests' AWS emulator (tests/aws_emulator: moto behind the
strict front) on a free loopback port, and a private copy of deploy/aws to run in (Terraform writes
state and .terraform/ next to the code)."""
import os
import pathlib
import shutil
import json
import subprocess
import sys
import tempfile

SOURCE_DIR = pathlib.Path(os.environ.get("FOSSA_SOURCE_DIR", pathlib.Path(__file__).resolve().parents[3]))
DEPLOY_DIR = SOURCE_DIR / "deploy" / "aws"
PARTS = ("network", "gateway", "cluster")
REGION = "eu-west-2"

sys.path.insert(0, str(SOURCE_DIR / "tests" / "aws_emulator"))
from launcher import Emulator  # noqa: E402,F401  (the tests' one way to start the emulator)
import terraform_state  # noqa: E402,F401

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


class WorkDir:
    """A temporary directory removed at the end, unless FOSSA_KEEP_TEST_DIRS=1."""

    def __init__(self, prefix):
        self.path = tempfile.mkdtemp(prefix=prefix)

    def remove(self):
        if os.environ.get("FOSSA_KEEP_TEST_DIRS") != "1":
            shutil.rmtree(self.path, ignore_errors=True)
