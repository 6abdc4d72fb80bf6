"""The emulator's worker services (tests/aws_emulator/ecs_workers.py) as ECS behaves, with small
stand-in containers (sh), in seconds: a container that ignores SIGTERM is killed after its
stopTimeout; one that exits is replaced; three that exit before they are ready fail the deployment.
The real nodes, the gateway and the agent's protection are the end-to-end tests' (EcsWorkers.* in
tests/integration, BusyWorkers in stacks_test.py)."""
import json
import os
import unittest

import harness


class EcsWorkers(unittest.TestCase):
    def start(self, script, stop_timeout=None):
        """The emulator running the service `fossa-worker` of cluster `w`, whose container is `sh -c
        script`; a service of 1 task."""
        self.work = harness.WorkDir("fossa-ecs-workers-")
        self.addCleanup(self.work.remove)
        workers = {"services": ["fossa-worker"], "program": "/bin/sh", "arguments": ["-c", script],
                   "log_dir": self.work.path, "environment": {"STATE_DIR": self.work.path}}
        self.moto = harness.Emulator(patches=["ecs_workers"],
                                     environment={"FOSSA_EMULATOR_ECS_WORKERS": json.dumps(workers)})
        self.addCleanup(self.moto.stop)
        ec2, self.ecs = self.moto.client("ec2"), self.moto.client("ecs")
        vpc = ec2.create_vpc(CidrBlock="10.0.0.0/16")["Vpc"]["VpcId"]
        subnet = ec2.create_subnet(VpcId=vpc, CidrBlock="10.0.1.0/24")["Subnet"]["SubnetId"]
        group = ec2.create_security_group(GroupName="w", Description="w", VpcId=vpc)["GroupId"]
        self.ecs.create_cluster(clusterName="w")
        container = {"name": "worker", "image": "worker", "portMappings": [{"containerPort": 2345}]}
        if stop_timeout is not None:
            container["stopTimeout"] = stop_timeout
        self.ecs.register_task_definition(family="w", networkMode="awsvpc", requiresCompatibilities=["FARGATE"],
                                          cpu="256", memory="512", containerDefinitions=[container])
        self.ecs.create_service(cluster="w", serviceName="fossa-worker", taskDefinition="w", desiredCount=1,
                                launchType="FARGATE", networkConfiguration={"awsvpcConfiguration": {
                                    "subnets": [subnet], "securityGroups": [group]}})

    def task_id(self, line):
        return line.split("ecs-workers: task ")[1].split()[0]

    def test_a_container_that_ignores_sigterm_is_killed_after_its_stop_timeout(self):
        self.start("trap '' TERM; echo 'fossa node ready'; exec sleep 600", stop_timeout=2)
        task = self.task_id(self.moto.wait_for_line(" is RUNNING at "))
        self.ecs.update_service(cluster="w", service="fossa-worker", desiredCount=0)
        self.moto.wait_for_line(f"task {task} still running 2 s after SIGTERM: SIGKILL")
        self.assertIn("(ServiceSchedulerInitiated, exit code -9)", self.moto.wait_for_line(f"task {task} STOPPED"))
        [described] = self.ecs.describe_tasks(cluster="w", tasks=[task])["tasks"]
        self.assertEqual((described["lastStatus"], described["desiredStatus"], described["stopCode"]),
                         ("STOPPED", "STOPPED", "ServiceSchedulerInitiated"))
        self.assertEqual(self.ecs.list_tasks(cluster="w")["taskArns"], [], "ListTasks shows RUNNING ones by default")

    def test_a_container_that_exits_is_replaced(self):
        # The first exits with 3 once ready; the next stays.
        self.start('if [ -e "$STATE_DIR/once" ]; then echo "fossa node ready"; exec sleep 600; fi; '
                   'touch "$STATE_DIR/once"; echo "fossa node ready"; exit 3')
        first = self.task_id(self.moto.wait_for_line(" is RUNNING at "))
        self.assertIn("(EssentialContainerExited, exit code 3)", self.moto.wait_for_line(f"task {first} STOPPED"))
        second = self.task_id(self.moto.wait_for_line(lambda line: " is RUNNING at " in line and first not in line))
        [service] = self.ecs.describe_services(cluster="w", services=["fossa-worker"])["services"]
        self.assertEqual((service["desiredCount"], service["runningCount"]), (1, 1))
        [running] = self.ecs.list_tasks(cluster="w", serviceName="fossa-worker")["taskArns"]
        self.assertTrue(running.endswith(second))
        [described] = self.ecs.describe_tasks(cluster="w", tasks=[running])["tasks"]
        address = next(d["value"] for d in described["attachments"][0]["details"] if d["name"] == "privateIPv4Address")
        self.assertRegex(address, r"^127\.\d+\.\d+\.\d+$")
        self.assertEqual(described["group"], "service:fossa-worker")

    def test_three_containers_that_exit_before_they_are_ready_fail_the_deployment(self):
        self.start("echo 'no such model'; exit 2")
        self.moto.wait_for_line("FAILED: 3 tasks stopped before they were ready")
        [service] = self.ecs.describe_services(cluster="w", services=["fossa-worker"])["services"]
        self.assertEqual(service["deployments"][0]["rolloutState"], "FAILED")
        stopped = self.ecs.list_tasks(cluster="w", desiredStatus="STOPPED")["taskArns"]
        self.assertEqual(len(stopped), 3, "no fourth task after the deployment failed")
        with open(os.path.join(self.work.path, stopped[0].split("/")[-1] + ".log")) as log:
            self.assertIn("no such model", log.read(), "each task's output is in its log file")


if __name__ == "__main__":
    unittest.main()
