// CloudWatch's PutMetricData as the gateway sends it (query API), built without a server.
#include "aws/cloudwatch.h"

#include <gtest/gtest.h>

TEST(CloudWatchForm, CarriesTheNamespaceMetricValueAndDimensionsEncoded) {
  const fossa::aws::MetricDatum datum{"Fossa/test stack", "Backlog&Per=Worker", {{"ClusterName", "fossa-test"}, {"ServiceName", "fossa-worker"}}, 2.5, "None"};
  EXPECT_EQ(fossa::aws::put_metric_data_form(datum),
            "Action=PutMetricData&Version=2010-08-01&Namespace=Fossa%2Ftest%20stack"
            "&MetricData.member.1.MetricName=Backlog%26Per%3DWorker&MetricData.member.1.Value=2.5&MetricData.member.1.Unit=None"
            "&MetricData.member.1.Dimensions.member.1.Name=ClusterName&MetricData.member.1.Dimensions.member.1.Value=fossa-test"
            "&MetricData.member.1.Dimensions.member.2.Name=ServiceName&MetricData.member.1.Dimensions.member.2.Value=fossa-worker");
}
