"""Starts the tests' AWS emulator (server.py: moto with our patches, behind the strict front) on a free
loopback port, for the life of an object, and hands back the front's URL: the one way in.

    from launcher import Emulator
    aws = Emulator()                      # or Emulator(patches=["ecs_workers"], environment={...})
    aws.client("ecs").list_clusters()     # boto3, pointed at the emulator
    subprocess.run(..., env=aws.env(os.environ))   # AWS_ENDPOINT_URL and test credentials
    aws.refusals()                        # the requests the front refused so far, as logged
    aws.wait_for_line("ecs-workers: started")   # a line of its log (a patch module's, say)
    aws.stop()

Tests in other languages start server.py itself, with the same options (tests/integration/support/moto.h)."""
import os
import pathlib
import subprocess
import sys
import threading
import time

HERE = pathlib.Path(__file__).resolve().parent
SERVER = HERE / "server.py"
REGION = "eu-west-2"


class Emulator:
    """`running_tasks`: how many tasks moto says each new ECS service runs (MOTO_ECS_SERVICE_RUNNING;
    it starts none). `patches`: further modules of this directory imported into moto (server.py
    --patch). `environment`: more variables for the emulator's process (the patches' settings)."""

    def __init__(self, running_tasks=0, patches=(), environment=None, region=REGION):
        self.region = region
        env = dict(os.environ, MOTO_ECS_SERVICE_RUNNING=str(running_tasks),
                   # AWS's managed IAM policies (AmazonSSMManagedInstanceCore, ...) exist only when asked for.
                   MOTO_IAM_LOAD_MANAGED_POLICIES="true", PYTHONUNBUFFERED="1")
        env.update(environment or {})
        command = [sys.executable, str(SERVER), "-H", "127.0.0.1", "-p", "0"]
        for patch in patches:
            command += ["--patch", patch]
        self.process = subprocess.Popen(command, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
        self.lines = []
        self.changed = threading.Condition()
        self.url = None
        for line in self.process.stdout:  # its ready line names the port it took
            self.lines.append(line.rstrip("\n"))
            if "Running on http://" in line:
                self.url = line.split("Running on ")[1].split()[0].rstrip("/")
                break
        if self.url is None:
            self.process.wait()
            raise RuntimeError("the AWS emulator exited before it was ready:\n" + "\n".join(self.lines[-20:]))
        # Keep reading its log, so that it never blocks on a full pipe, and keep it for refusals()
        # and wait_for_line().
        self.reader = threading.Thread(target=self._read, daemon=True)
        self.reader.start()

    def _read(self):
        for line in self.process.stdout:
            with self.changed:
                self.lines.append(line.rstrip("\n"))
                self.changed.notify_all()
        with self.changed:
            self.lines.append(None)  # the end
            self.changed.notify_all()

    def refusals(self):
        """The lines of the requests the front refused, so far."""
        with self.changed:
            return [line for line in self.lines if line and "strict AWS front refused" in line]

    def wait_for_line(self, predicate, timeout=120):
        """The first line of its log (from the start) for which `predicate` (or containing the
        text) is true; fails after `timeout` seconds (far beyond a passing test's wait) or when
        the log ends first."""
        if isinstance(predicate, str):
            text = predicate
            predicate = lambda line: text in line  # noqa: E731
        seen, deadline = 0, time.monotonic() + timeout
        with self.changed:
            while True:
                for line in self.lines[seen:]:
                    if line is None:
                        raise AssertionError("the emulator's log ended; its last lines:\n" + "\n".join(
                            l for l in self.lines[-30:] if l))
                    if predicate(line):
                        return line
                seen = len(self.lines)
                if not self.changed.wait(max(0.0, deadline - time.monotonic())):
                    raise AssertionError(f"waited {timeout} s in the emulator's log; its last lines:\n" +
                                         "\n".join(l for l in self.lines[-30:] if l))

    def client(self, service):
        import boto3
        return boto3.client(service, endpoint_url=self.url, region_name=self.region,
                            aws_access_key_id="testing", aws_secret_access_key="testing")

    def env(self, base):
        return dict(base, AWS_ENDPOINT_URL=self.url, AWS_ACCESS_KEY_ID="testing", AWS_SECRET_ACCESS_KEY="testing",
                    AWS_REGION=self.region, AWS_DEFAULT_REGION=self.region)

    def stop(self):
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self.reader.join(timeout=10)
        self.process.stdout.close()

