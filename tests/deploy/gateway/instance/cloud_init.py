#!/usr/bin/env python3
"""The gateway's user data as the instance gets it, and cloud-init's part of its first boot.

render WORK_DIR
    Prints the cloud-config EC2 hands the gateway instance: deploy/aws/gateway/main.tf's own
    `user_data_base64` expression (base64gzip(templatefile(...)), read from main.tf, not retyped),
    evaluated by Terraform with main.tf's own first `locals` block, then unpacked (base64, gzip) as
    cloud-init unpacks it. What the expression takes from other resources (the secrets' ARNs, the
    repository's URL) and from the network part gets stand-in values of the same shape; an attribute
    this script does not know fails the render, naming it.
write-files CONFIG
    Does what cloud-init's write_files does with CONFIG, on this machine's root: each file with its
    content and permissions (run it inside the test's instance model, whose /etc, /usr and /var/lib
    are overlays).
runcmd CONFIG
    Prints the shell script cloud-init makes of runcmd and runs in its final stage: `#!/bin/sh`, then
    one line per entry, a list's words each in single quotes, a string as written (cloud-init's
    documented behaviour; module cc_runcmd)."""
import base64
import gzip
import os
import pathlib
import re
import shutil
import subprocess
import sys

import yaml

SOURCE_DIR = pathlib.Path(os.environ.get("FOSSA_SOURCE_DIR", pathlib.Path(__file__).resolve().parents[4]))
GATEWAY_DIR = SOURCE_DIR / "deploy" / "aws" / "gateway"
REGION = "eu-west-2"
ACCOUNT = "123456789012"


def balanced(text, start):
    """text[start:] begins an expression; its end, where the parentheses or brackets opened in it
    close (those inside quoted strings do not count)."""
    depth, in_string, i = 0, False, start
    while i < len(text):
        c = text[i]
        if in_string:
            if c == "\\":
                i += 1
            elif c == '"':
                in_string = False
        elif c == '"':
            in_string = True
        elif c in "([{":
            depth += 1
        elif c in ")]}":
            depth -= 1
            if depth == 0:
                return i + 1
        i += 1
    raise SystemExit(f"render: unbalanced expression in {GATEWAY_DIR / 'main.tf'} from offset {start}")


def stand_in(resource, name, attribute):
    if attribute == "arn":
        service = resource.removeprefix("aws_").split("_")[0]
        return f"arn:aws:{service}:{REGION}:{ACCOUNT}:{resource}/{name}"
    if attribute == "repository_url":
        return f"{ACCOUNT}.dkr.ecr.{REGION}.amazonaws.com/fossa-test"
    if resource == "aws_ebs_volume" and attribute == "id":
        return "vol-0123456789abcdef0"
    raise SystemExit(f"render: no stand-in for {resource}.{name}.{attribute}, which main.tf's user data now uses: "
                     "teach tests/deploy/gateway/instance/cloud_init.py its shape")


def render(work_dir):
    main = (GATEWAY_DIR / "main.tf").read_text()
    start = main.index("base64gzip(templatefile(")
    expression = main[start:balanced(main, start)]
    locals_start = main.index("locals {")
    locals_block = main[locals_start:balanced(main, locals_start + len("locals "))]
    values = {}

    def replace(match):
        key = match.group(0)
        values[key] = stand_in(*match.groups())
        return f'local.stand_in["{key}"]'

    expression = re.sub(r"\b(aws_[a-z0-9_]+)\.([a-z0-9_]+)\.([a-z_]+)", replace, expression)
    root = pathlib.Path(work_dir, "render")
    shutil.rmtree(root, ignore_errors=True)
    root.mkdir(parents=True)
    shutil.copy(GATEWAY_DIR / "cloud-init.yaml.tftpl", root)
    shutil.copytree(GATEWAY_DIR / "provision", root / "provision")
    stand_ins = "\n".join(f'    "{k}" = "{v}"' for k, v in values.items())
    # Any other variable the locals name (the instance type, say) is left unset, as its default is.
    given = {"stack", "region", "https"}
    unset = sorted(set(re.findall(r"\bvar\.([a-z0-9_]+)", locals_block + expression)) - given)
    unset_variables = "\n".join(f'variable "{name}" {{ default = null }}' for name in unset)
    (root / "main.tf").write_text(f"""
variable "stack" {{ default = "test" }}
variable "region" {{ default = "{REGION}" }}
variable "https" {{ default = true }}
{unset_variables}
{locals_block}
locals {{
  network = {{ private_subnet_cidr = "192.168.2.0/24" }}
  stand_in = {{
{stand_ins}
  }}
}}
output "user_data_base64" {{ value = {expression} }}
""")
    env = dict(os.environ, TF_IN_AUTOMATION="1", CHECKPOINT_DISABLE="1", TF_CLI_CONFIG_FILE="/dev/null")
    for args in (["init", "-input=false"], ["apply", "-auto-approve", "-input=false"],
                 ["output", "-raw", "user_data_base64"]):
        done = subprocess.run(["terraform", f"-chdir={root}", *args], env=env, capture_output=True, text=True)
        if done.returncode != 0:
            raise SystemExit(f"render: terraform {args[0]} failed:\n{done.stdout}{done.stderr}")
    sys.stdout.write(gzip.decompress(base64.b64decode(done.stdout)).decode())


def write_files(config):
    for entry in yaml.safe_load(pathlib.Path(config).read_text())["write_files"]:
        path = pathlib.Path(entry["path"])
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(entry["content"])
        path.chmod(int(entry.get("permissions", "0644"), 8))


def runcmd(config):
    lines = ["#!/bin/sh"]
    for entry in yaml.safe_load(pathlib.Path(config).read_text()).get("runcmd", []):
        if isinstance(entry, list):
            lines.append(" ".join("'" + str(word).replace("'", "'\\''") + "'" for word in entry))
        else:
            lines.append(str(entry))
    print("\n".join(lines))


if __name__ == "__main__":
    command, argument = sys.argv[1:3]
    {"render": render, "write-files": write_files, "runcmd": runcmd}[command](argument)
