# Stalled jobs told (issue 24): the gateway publishes StalledJobs — the running jobs of this cluster
# with no subtask ended for its --stall-minutes — every minute beside BacklogPerWorker, in the same
# namespace with the same dimensions (scaling.tf; src/gateway/scaling/scaler_loop.h), 0 included.
# One stalled job for a period raises the alarm, which notifies the topic; alarm_email, when set,
# is subscribed to it (AWS mails a confirmation link first). Minutes with no value (a gateway
# stopped, or older than the metric) are not taken for a stall.
locals {
  stalled_jobs_metric = "StalledJobs"
}

resource "aws_sns_topic" "alarms" {
  name = "${local.name}-alarms"
}

resource "aws_sns_topic_subscription" "alarm_email" {
  count     = var.alarm_email == "" ? 0 : 1
  topic_arn = aws_sns_topic.alarms.arn
  protocol  = "email"
  endpoint  = var.alarm_email
}

resource "aws_cloudwatch_metric_alarm" "stalled_jobs" {
  alarm_name          = "${local.name}-stalled-jobs"
  alarm_description   = "A job of ${aws_ecs_cluster.main.name} has run with no subtask ended for the gateway's --stall-minutes: its page says \"stalled\"."
  namespace           = local.metric_namespace
  metric_name         = local.stalled_jobs_metric
  dimensions          = local.worker_service_dimensions
  statistic           = "Maximum"
  period              = 300
  evaluation_periods  = 1
  comparison_operator = "GreaterThanOrEqualToThreshold"
  threshold           = 1
  treat_missing_data  = "notBreaching"
  alarm_actions       = [aws_sns_topic.alarms.arn]
  ok_actions          = [aws_sns_topic.alarms.arn]
}
