// The NoaaClimatology example in this process, over small GHCN-shaped local files (plain csv):
// one subtask per matching station file, figures combined into the summary. The same model on a
// cluster against S3 is tests/integration/noaa_climatology_test.cc.
#include <gtest/gtest.h>

#include <variant>

#include "ayeaye/run_task.h"
#include "unit/dataset_fixture.h"

namespace {

constexpr const char* kHeader = "ID,DATE,ELEMENT,DATA_VALUE,M_FLAG,Q_FLAG,S_FLAG,OBS_TIME\n";

ayeaye::TaskSpec climatology(const std::string& stations, const std::string& summary) {
  ayeaye::TaskSpec spec;
  spec.model_class = "NoaaClimatology";
  spec.resolver_context.set("ghcn_stations", stations);
  spec.resolver_context.set("climatology_summary", summary);
  return spec;
}

}  // namespace

TEST(NoaaClimatology, OneSubtaskPerStationFileAndASummaryRowPerStationAndForAll) {
  ayeaye_test::TempDirectory dir;
  dir.file("by_station/AGM00060360.csv", std::string(kHeader) +
                                             "AGM00060360,19400101,TMAX,215,,,S,\n"
                                             "AGM00060360,19400101,TMIN,103,,,S,\n"
                                             "AGM00060360,19400102,TMAX,230,,,S,0700\n"
                                             "AGM00060360,19400102,TMIN,-5,,,S,\n"
                                             "AGM00060360,19400102,PRCP,12,,,S,\n"
                                             "AGM00060360,19400103,TMAX,999,,G,S,\n");
  dir.file("by_station/AGM00060390.csv", std::string(kHeader) +
                                             "AGM00060390,19500601,TMAX,201,,,S,\n"
                                             "AGM00060390,19500601,TMIN,180,,,S,\n"
                                             "AGM00060390,19500602,PRCP,0,T,,S,\n");
  dir.file("by_station/ASN00001001.csv", std::string(kHeader) + "ASN00001001,19000101,TMAX,400,,,a,\n");
  std::optional<std::size_t> subtasks;
  ayeaye::RunTaskHooks hooks;
  hooks.inspect = [&](const ayeaye::Model& model) {
    subtasks = dynamic_cast<const ayeaye::PartitionedModel&>(model).subtask_counts().complete;
  };
  const auto result =
      ayeaye::run_task(climatology("csv://" + dir.path() + "/by_station/AGM*.csv", "csv://" + dir.path() + "/summary.csv"), hooks);
  ASSERT_TRUE(std::holds_alternative<ayeaye::TaskComplete>(result)) << std::get<ayeaye::TaskFailed>(result).message();
  EXPECT_EQ(subtasks, 2u);
  EXPECT_EQ(dir.read("summary.csv"),
            "station,first_date,last_date,observations,flagged,mean_tmax_c,highest_tmax_c,mean_tmin_c,lowest_tmin_c,"
            "prcp_days,total_prcp_mm\n"
            "AGM00060360,19400101,19400102,5,1,22.25,23.0,4.90,-0.5,1,1.2\n"
            "AGM00060390,19500601,19500602,3,0,20.10,20.1,18.00,18.0,1,0.0\n"
            "ALL,19400101,19500602,8,1,21.53,23.0,9.27,-0.5,2,1.2\n");
}

TEST(NoaaClimatology, AFileWithTwoStationsFailsNamingFileLineAndColumn) {
  ayeaye_test::TempDirectory dir;
  const std::string path = dir.file("AGM1.csv", std::string(kHeader) +
                                                    "AGM00060360,19400101,TMAX,215,,,S,\n"
                                                    "AGM00060390,19400101,TMAX,215,,,S,\n");
  const auto result = ayeaye::run_task(climatology("csv://" + path, "csv://" + dir.path() + "/summary.csv"));
  const auto* failed = std::get_if<ayeaye::TaskFailed>(&result);
  ASSERT_NE(failed, nullptr);
  EXPECT_NE(failed->message().find(path + ":3: column 1 (ID): station 'AGM00060390' in the file of station 'AGM00060360'"),
            std::string::npos)
      << failed->message();
}
