#!/usr/bin/env python3
"""The gateway's scaling, in the AWS emulator (moto_server) at $AWS_ENDPOINT_URL.

setup CLUSTER BROKER_URL [--desired N] [--max-workers N] [--api-token TOKEN]
    A cluster with a fossa-worker service of N tasks (default 0) carrying the fossa:* tags that
    deploy/aws/cluster/scaling.tf sets, and the broker's secret (username, password, url) whose
    ARN the tags name. Its task definition is the stack's (deploy/aws/cluster/workers.tf: the
    environment, the secrets RABBITMQ_URL from the broker's and FOSSA_API_TOKEN from a secret
    holding TOKEN, port 2345, stopTimeout 120; UpAndDown in tests/deploy/terraform checks the
    stack's against the same values), so an emulator that runs the tasks (tests/aws_emulator/
    ecs_workers.py) runs them as ECS would. Prints the cluster's ARN.
show CLUSTER
    Prints, as JSON, the service's desiredCount and runningCount, its deployments' rolloutStates,
    its tasks (id, lastStatus, desiredStatus, address, protection, stopCode, exit code; stopped
    ones too) and the BacklogPerWorker values CloudWatch holds for the cluster's dimensions,
    oldest first.
set-count CLUSTER N
    Sets the worker service's desired count, as Application Auto Scaling or a person would.
redeploy CLUSTER
    A new deployment of the worker service (UpdateService --force-new-deployment), as up.sh starts
    for a new worker image.
publish CLUSTER VALUE --minutes-ago N
    A BacklogPerWorker datapoint of VALUE for the cluster's dimensions, N minutes old: what an
    earlier tick of a gateway left."""
import argparse
import datetime
import json
import os

import boto3

NAMESPACE = "Fossa/test"
METRIC = "BacklogPerWorker"


def clients():
    endpoint, region = os.environ["AWS_ENDPOINT_URL"], os.environ["AWS_REGION"]
    return {name: boto3.client(name, endpoint_url=endpoint, region_name=region)
            for name in ("ec2", "ecs", "secretsmanager", "cloudwatch")}


def dimensions(cluster):
    return [{"Name": "ClusterName", "Value": cluster}, {"Name": "ServiceName", "Value": "fossa-worker"}]


def worker_container(broker_secret, token_secret, drain_seconds=100):
    """The worker's container as deploy/aws/cluster/workers.tf defines it at the default sizes
    (UpAndDown in tests/deploy/terraform/stacks_test.py checks the stack's against this)."""
    return {
        "name": "fossa-worker", "image": "fossa:latest", "essential": True,
        "portMappings": [{"containerPort": 2345, "protocol": "tcp"}],
        "environment": [{"name": "FOSSA_HTTP_PORT", "value": "2345"}, {"name": "FOSSA_BIND", "value": "0.0.0.0"},
                        {"name": "FOSSA_LOG_FORMAT", "value": "json"},
                        {"name": "FOSSA_DRAIN_SECONDS", "value": str(drain_seconds)},
                        {"name": "FOSSA_MAX_CONCURRENT_TASKS", "value": "1"}],
        "secrets": [{"name": "RABBITMQ_URL", "valueFrom": f"{broker_secret}:url::"},
                    {"name": "FOSSA_API_TOKEN", "valueFrom": token_secret}],
        "stopTimeout": 120}


def setup(args):
    aws = clients()
    vpc = aws["ec2"].create_vpc(CidrBlock="10.0.0.0/16")["Vpc"]["VpcId"]
    subnet = aws["ec2"].create_subnet(VpcId=vpc, CidrBlock="10.0.1.0/24")["Subnet"]["SubnetId"]
    group = aws["ec2"].create_security_group(GroupName="fossa-worker", Description="workers", VpcId=vpc)["GroupId"]
    secret = aws["secretsmanager"].create_secret(
        Name=f"{args.cluster}-broker",
        SecretString=json.dumps({"username": "guest", "password": "guest", "url": args.broker_url}))["ARN"]
    token = aws["secretsmanager"].create_secret(Name=f"{args.cluster}-api-token", SecretString=args.api_token)["ARN"]
    cluster = aws["ecs"].create_cluster(clusterName=args.cluster)["cluster"]["clusterArn"]
    aws["ecs"].register_task_definition(
        family=f"{args.cluster}-worker", networkMode="awsvpc", requiresCompatibilities=["FARGATE"], cpu="256",
        memory="512", containerDefinitions=[worker_container(secret, token, args.drain_seconds)])
    tags = {
        "fossa:min-workers": "0",
        "fossa:max-workers": str(args.max_workers),
        "fossa:slots-per-worker": "1",
        "fossa:idle-minutes": "15",
        "fossa:metric-namespace": NAMESPACE,
        "fossa:metric-name": METRIC,
        "fossa:broker-secret": secret,
    }
    tags.update({f"fossa:metric-dimension:{d['Name']}": d["Value"] for d in dimensions(args.cluster)})
    aws["ecs"].create_service(
        cluster=cluster, serviceName="fossa-worker", taskDefinition=f"{args.cluster}-worker", desiredCount=args.desired,
        launchType="FARGATE", tags=[{"key": k, "value": v} for k, v in tags.items()],
        networkConfiguration={"awsvpcConfiguration": {"subnets": [subnet], "securityGroups": [group], "assignPublicIp": "DISABLED"}})
    print(cluster)


def tasks(ecs, cluster):
    arns = [arn for status in ("RUNNING", "STOPPED")
            for arn in ecs.list_tasks(cluster=cluster, serviceName="fossa-worker", desiredStatus=status)["taskArns"]]
    if not arns:
        return []
    protection = {}
    running = [arn for arn in arns if arn in ecs.list_tasks(cluster=cluster, desiredStatus="RUNNING")["taskArns"]]
    if running:
        for entry in ecs.get_task_protection(cluster=cluster, tasks=running)["protectedTasks"]:
            protection[entry["taskArn"]] = entry["protectionEnabled"]
    shown = []
    for task in ecs.describe_tasks(cluster=cluster, tasks=arns)["tasks"]:
        address = next((d["value"] for a in task.get("attachments", []) for d in a.get("details", [])
                        if d["name"] == "privateIPv4Address"), "")
        shown.append({"id": task["taskArn"].split("/")[-1], "last_status": task["lastStatus"],
                      "desired_status": task["desiredStatus"], "address": address,
                      "protected": protection.get(task["taskArn"], False), "stop_code": task.get("stopCode", ""),
                      "exit_code": task["containers"][0].get("exitCode")})
    return shown


def datapoints(cloudwatch, cluster, metric):
    """The values of METRIC (the service's dimensions) in the last hour, oldest first."""
    now = datetime.datetime.now(datetime.timezone.utc)
    points = cloudwatch.get_metric_statistics(
        Namespace=NAMESPACE, MetricName=metric, Dimensions=dimensions(cluster),
        StartTime=now - datetime.timedelta(hours=1), EndTime=now + datetime.timedelta(hours=1),
        Period=60, Statistics=["Maximum"])["Datapoints"]
    points.sort(key=lambda p: p["Timestamp"])
    return [p["Maximum"] for p in points]


def show(args):
    aws = clients()
    service = aws["ecs"].describe_services(cluster=args.cluster, services=["fossa-worker"])["services"][0]
    print(json.dumps({"desired": service["desiredCount"], "running": service["runningCount"],
                      "rollouts": [d.get("rolloutState", "") for d in service["deployments"]],
                      "tasks": tasks(aws["ecs"], args.cluster),
                      "metric": datapoints(aws["cloudwatch"], args.cluster, METRIC),
                      "stalled_jobs": datapoints(aws["cloudwatch"], args.cluster, "StalledJobs")}))


def set_count(args):
    clients()["ecs"].update_service(cluster=args.cluster, service="fossa-worker", desiredCount=args.count)


def redeploy(args):
    clients()["ecs"].update_service(cluster=args.cluster, service="fossa-worker", forceNewDeployment=True)


def publish(args):
    when = datetime.datetime.now(datetime.timezone.utc) - datetime.timedelta(minutes=args.minutes_ago)
    clients()["cloudwatch"].put_metric_data(Namespace=NAMESPACE, MetricData=[
        {"MetricName": METRIC, "Dimensions": dimensions(args.cluster), "Timestamp": when, "Value": args.value,
         "Unit": "None"}])


def main():
    parser = argparse.ArgumentParser()
    commands = parser.add_subparsers(dest="command", required=True)
    made = commands.add_parser("setup")
    made.add_argument("cluster")
    made.add_argument("broker_url")
    made.add_argument("--desired", type=int, default=0)
    made.add_argument("--max-workers", type=int, default=4)
    made.add_argument("--api-token", default="a-token-for-the-nodes-of-this-test")
    made.add_argument("--drain-seconds", type=int, default=100, help="the workers' FOSSA_DRAIN_SECONDS")
    shown = commands.add_parser("show")
    shown.add_argument("cluster")
    counted = commands.add_parser("set-count")
    counted.add_argument("cluster")
    counted.add_argument("count", type=int)
    commands.add_parser("redeploy").add_argument("cluster")
    published = commands.add_parser("publish")
    published.add_argument("cluster")
    published.add_argument("value", type=float)
    published.add_argument("--minutes-ago", type=int, required=True)
    args = parser.parse_args()
    {"setup": setup, "show": show, "set-count": set_count, "redeploy": redeploy, "publish": publish}[args.command](args)


if __name__ == "__main__":
    main()
