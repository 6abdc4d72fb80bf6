// The NoaaClimatology example on a local cluster against S3: a broker, a coordinator node and two
// worker nodes, all given moto_server's endpoint and credentials in their environment (the test's
// own process has none while they run). The station files are small GHCN-shaped gz objects the
// test writes; the parent lists them by wildcard, the workers read one each, the parent writes
// the summary back to S3.
#include <gtest/gtest.h>

#include <memory>
#include <set>

#include "aws/s3_client.h"
#include "ayeaye/dataset.h"
#include "cluster/broker_process.h"
#include "support/moto.h"
#include "support/node_process.h"

namespace {

using fossa::testing::AwsVariables;
using fossa::testing::Moto;
using fossa::testing::NodeProcess;

const std::vector<std::string> kGhcnColumns = {"ID", "DATE", "ELEMENT", "DATA_VALUE", "M_FLAG", "Q_FLAG", "S_FLAG", "OBS_TIME"};

class Owner : public ayeaye::Model {
 public:
  void build() override {}
};

// Writes the station files (gz objects in bucket `ghcn`), and one file the wildcard must not match.
void write_station_files() {
  auto s3 = fossa::aws::S3Client::from_environment();
  for (const char* bucket : {"ghcn", "results"}) {
    auto made = s3->create_bucket(bucket);
    ASSERT_TRUE(made) << made.error();
  }
  const std::map<std::string, std::vector<std::vector<std::string_view>>> stations = {
      {"AGM00060360",
       {{"19400101", "TMAX", "215", ""}, {"19400101", "TMIN", "103", ""}, {"19400102", "TMAX", "230", ""},
        {"19400102", "TMIN", "-5", ""}, {"19400102", "PRCP", "12", ""}, {"19400103", "TMAX", "999", "G"}}},
      {"AGM00060390", {{"19500601", "TMAX", "201", ""}, {"19500601", "TMIN", "180", ""}, {"19500602", "PRCP", "0", ""}}},
      {"AGM00060402",
       {{"19600715", "TMAX", "350", ""}, {"19600715", "TMIN", "250", ""}, {"19600716", "PRCP", "55", ""},
        {"19600717", "PRCP", "20", ""}}},
      {"ASN00001001", {{"19000101", "TMAX", "400", ""}}},
  };
  Owner owner;
  for (const auto& [station, observations] : stations) {
    ayeaye::Dataset file(&owner, "s3+gz+csv://ghcn/csv.gz/by_station/" + station + ".csv.gz", ayeaye::Access::kWrite,
                         kGhcnColumns);
    for (const auto& o : observations) file.add_row({station, o[0], o[1], o[2], "", o[3], "S", ""});
  }
}

std::vector<std::string> summary_lines() {
  Owner owner;
  ayeaye::Dataset summary(&owner, "s3+csv://results/climatology/summary.csv");
  std::vector<std::string> lines;
  for (const ayeaye::Row& row : summary.rows()) {
    std::string line;
    for (std::size_t i = 0; i < row.size(); ++i) line += (i > 0 ? "," : "") + std::string(row[i]);
    lines.push_back(line);
  }
  return lines;
}

}  // namespace

TEST(NoaaClimatologyOnACluster, ACoordinatorAndTwoWorkersReadStationFilesFromS3AndWriteTheSummaryBack) {
  Moto moto;
  {
    AwsVariables aws(moto.variables());
    write_station_files();
  }
  if (HasFatalFailure()) return;
  AwsVariables none({});  // the nodes must get what they need from the environment given them

  auto broker = fossa::BrokerProcess::start({});
  ASSERT_TRUE(broker) << broker.error();
  auto node = [&](const std::string& ident, bool consume) {
    std::vector<std::string> env = moto.environment();
    env.push_back("RABBITMQ_URL=" + (*broker)->amqp_url());
    return std::make_unique<NodeProcess>(
        std::vector<std::string>{"--node-ident", ident, "--max-concurrent-tasks", "2", "--consume-subtasks", consume ? "1" : "0"},
        env);
  };
  auto coordinator = node("coordinator", false);
  auto worker_a = node("worker-a", true);
  auto worker_b = node("worker-b", true);

  const std::string id = coordinator->submit(
      {{"model_class", "NoaaClimatology"},
       {"resolver_context",
        {{"ghcn_stations", "s3+gz+csv://ghcn/csv.gz/by_station/AGM*.csv.gz"},
         {"climatology_summary", "s3+csv://results/climatology/summary.csv"}}}});
  ASSERT_FALSE(id.empty());
  const auto doc = coordinator->wait_for_end(id);
  ASSERT_EQ(doc["status"], "complete") << doc.dump();
  EXPECT_EQ(doc["subtasks"]["total"], 3) << "one subtask per matching station file";
  std::set<std::string> nodes;
  for (int i = 0; i < 3; ++i) {
    const auto sub = coordinator->get("/api/0.01/task/" + id + "." + std::to_string(i)).json();
    EXPECT_EQ(sub["status"], "complete") << sub.dump();
    nodes.insert(sub.value("node", "(none)"));
  }
  EXPECT_TRUE(nodes.count("coordinator") == 0 && !nodes.empty()) << "the workers read the station files";
  for (const auto& ran_on : nodes) EXPECT_TRUE(ran_on == "worker-a" || ran_on == "worker-b") << ran_on;

  AwsVariables aws(moto.variables());
  EXPECT_EQ(summary_lines(), (std::vector<std::string>{
                                 "AGM00060360,19400101,19400102,5,1,22.25,23.0,4.90,-0.5,1,1.2",
                                 "AGM00060390,19500601,19500602,3,0,20.10,20.1,18.00,18.0,1,0.0",
                                 "AGM00060402,19600715,19600717,4,0,35.00,35.0,25.00,25.0,2,7.5",
                                 "ALL,19400101,19600717,12,1,24.90,35.0,13.20,-0.5,4,8.7",
                             }));
}
