// S3 datasets against the tests' AWS emulator on a free loopback port: each engine plain, gz and
// zstd, stored compressed; a large object written in parts and read, both in bounded memory; a
// failing model leaves no object and no upload in progress; wildcards over more objects than a
// ListObjectsV2 page; credentials from the environment and from an ECS container-credentials
// endpoint (signing what a stand-in S3 receives); the errors a user meets, naming the object and
// S3's code.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <cstdlib>
#include <fstream>
#include <mutex>
#include <thread>

#include "aws/s3_client.h"
#include "aws/s3_protocol.h"
#include "aws/signed_request.h"
#include "ayeaye/dataset.h"
#include "support/moto.h"
#include "support/node_process.h"
#include "support/stand_in_server.h"

namespace {

using fossa::testing::AwsVariables;
using fossa::testing::Moto;
using fossa::testing::NodeProcess;
using fossa::testing::StandInServer;
using ::testing::HasSubstr;

// A model to own datasets.
class Owner : public ayeaye::Model {
 public:
  void build() override {}
};

std::shared_ptr<fossa::aws::S3Client> s3() { return fossa::aws::S3Client::from_environment(); }

void make_bucket(const std::string& name) {
  auto made = s3()->create_bucket(name);
  ASSERT_TRUE(made) << made.error();
}

bool object_exists(const std::string& bucket, const std::string& key) {
  auto exists = s3()->exists(bucket, key);
  if (!exists) throw std::runtime_error(exists.error());
  return *exists;
}

std::string data_error(const std::function<void()>& action) {
  try {
    action();
  } catch (const ayeaye::Error& e) {
    return e.what();
  }
  return "(no error)";
}

// The resident set of this process, in bytes.
std::size_t resident_bytes() {
  std::ifstream statm("/proc/self/statm");
  std::size_t pages = 0;
  std::size_t resident = 0;
  statm >> pages >> resident;
  return resident * static_cast<std::size_t>(::sysconf(_SC_PAGESIZE));
}

// The peak resident set of this process since the last forget_peak_resident() (VmHWM), in bytes:
// what a sample taken now and then could miss between two samples.
void forget_peak_resident() {
  std::ofstream clear_refs("/proc/self/clear_refs");
  clear_refs << "5";  // "reset the peak resident set size" (proc(5))
  if (!clear_refs.flush()) throw std::runtime_error("cannot reset VmHWM through /proc/self/clear_refs");
}
std::size_t peak_resident_bytes() {
  std::ifstream status("/proc/self/status");
  for (std::string line; std::getline(status, line);) {
    if (line.rfind("VmHWM:", 0) == 0) return std::stoull(line.substr(6)) << 10;  // "VmHWM:   123456 kB"
  }
  throw std::runtime_error("no VmHWM in /proc/self/status");
}

// A signed request to the emulator for what datasets never ask S3 (an object's ETag, the uploads
// in progress), so the tests see what S3 holds, not what the client says it did.
fossa::http_client::Response ask_s3(const Moto& moto, const std::string& method, const std::string& bucket,
                                    const std::string& key, const std::string& query) {
  const fossa::aws::S3Endpoint endpoint{"us-east-1", moto.url()};
  return fossa::aws::signed_request(method, endpoint.url(bucket, key, query), {}, "", {"testing", "testing", ""},
                                    "us-east-1", "s3", 30'000);
}

// The keys of the multipart uploads begun in `bucket` and neither completed nor aborted
// (ListMultipartUploads): each is stored, and billed, until it is.
std::vector<std::string> uploads_in_progress(const Moto& moto, const std::string& bucket) {
  const auto answer = ask_s3(moto, "GET", bucket, "", "uploads=");
  if (answer.status != 200) throw std::runtime_error("ListMultipartUploads: " + std::to_string(answer.status) + " " + answer.body);
  return fossa::aws::xml_values(answer.body, "Key");
}

// How many parts S3 assembled the object from: its ETag is "<digest>-<parts>" after a multipart
// upload, a plain "<digest>" (1) after a PutObject.
int parts_of(const Moto& moto, const std::string& bucket, const std::string& key) {
  const auto answer = ask_s3(moto, "HEAD", bucket, key, "");
  if (answer.status != 200) throw std::runtime_error("HeadObject: " + std::to_string(answer.status));
  std::string etag = answer.header("ETag");
  etag.erase(std::remove(etag.begin(), etag.end(), '"'), etag.end());
  const auto dash = etag.rfind('-');
  return dash == std::string::npos ? 1 : std::stoi(etag.substr(dash + 1));
}

// The first bytes of an object as S3 stores it.
std::string stored_start(const std::string& bucket, const std::string& key, std::size_t length) {
  auto stored = s3()->get_range(bucket, key, 0, length);
  if (!stored) throw std::runtime_error(stored.error());
  return stored->bytes;
}

}  // namespace

TEST(S3Datasets, EachEngineRoundTripsPlainGzAndZstd) {
  Moto moto;
  AwsVariables aws(moto.variables());
  make_bucket("data");
  Owner owner;
  for (const std::string modifier : {"", "gz+", "zstd+"}) {
    SCOPED_TRACE(modifier);
    ayeaye::Dataset csv_out(&owner, "s3+" + modifier + "csv://data/people.csv", ayeaye::Access::kWrite, {"name", "city"});
    csv_out.add_row({"Ada", "London, UK"});
    csv_out.add({{"name", "Grace"}, {"city", "Arlington"}});
    ayeaye::Dataset ndjson_out(&owner, "s3+" + modifier + "ndjson://data/x.ndjson", ayeaye::Access::kWrite);
    ndjson_out.add({{"n", 1}});
    ndjson_out.add({{"n", 2}});
    ayeaye::Dataset json_out(&owner, "s3+" + modifier + "json://data/doc.json", ayeaye::Access::kWrite);
    json_out.write_json({{"ok", true}});
    owner.close_datasets();

    ayeaye::Dataset csv_in(&owner, "s3+" + modifier + "csv://data/people.csv");
    std::string cities;
    for (const ayeaye::Row& row : csv_in.rows()) cities += std::string(row[1]) + ";";
    EXPECT_EQ(cities, "London, UK;Arlington;");
    ayeaye::Dataset ndjson_in(&owner, "s3+" + modifier + "ndjson://data/x.ndjson");
    int sum = 0;
    for (const auto& record : ndjson_in) sum += record["n"].get<int>();
    EXPECT_EQ(sum, 3);
    ayeaye::Dataset json_in(&owner, "s3+" + modifier + "json://data/doc.json");
    EXPECT_EQ(json_in.read_json(), (ayeaye::Json{{"ok", true}}));

    // Stored as the URL says, not only read back: gzip's magic bytes, zstd's, or the text itself.
    for (const std::string key : {"people.csv", "x.ndjson", "doc.json"}) {
      const std::string start = stored_start("data", key, 4);
      if (modifier == "gz+") EXPECT_EQ(start.substr(0, 2), "\x1F\x8B") << key << " is not gzip";
      if (modifier == "zstd+") EXPECT_EQ(start, "\x28\xB5\x2F\xFD") << key << " is not zstd";
      if (modifier.empty()) EXPECT_TRUE(start[0] == 'n' || start[0] == '{') << key << " is not the text itself";
    }
  }
}

TEST(S3Datasets, ALargeDatasetIsWrittenInPartsAndReadBackInBoundedMemory) {
  Moto moto;
  AwsVariables aws(moto.variables());
  make_bucket("big");
  Owner owner;
  // About 200 MB of rows, written through a multipart upload of 8 MiB parts: the writer holds a
  // part or two, never the object. Sampled as it writes, and its peak (VmHWM) over the whole write.
  const std::string filler(180, 'x');
  constexpr int kRows = 1'100'000;
  {
    forget_peak_resident();
    const std::size_t before = resident_bytes();
    std::size_t sampled = before;
    ayeaye::Dataset out(&owner, "s3+csv://big/rows.csv", ayeaye::Access::kWrite, {"i", "filler"});
    for (int i = 0; i < kRows; ++i) {
      out.add_row({std::to_string(i), filler});
      if (i % 50'000 == 0) sampled = std::max(sampled, resident_bytes());
    }
    owner.close_datasets();
    EXPECT_LT(sampled - before, 64u << 20) << "resident memory grew by " << ((sampled - before) >> 20) << " MB while writing";
    const std::size_t peak = peak_resident_bytes();
    EXPECT_LT(peak - before, 64u << 20) << "resident memory peaked " << ((peak - before) >> 20) << " MB above its start";
  }
  EXPECT_GE(parts_of(moto, "big", "rows.csv"), 2) << "a multipart upload, as S3 assembled it";
  const std::size_t before = resident_bytes();
  std::size_t peak = before;
  long long count = 0;
  long long sum = 0;
  ayeaye::Dataset in(&owner, "s3+csv://big/rows.csv");
  for (const ayeaye::Row& row : in.rows()) {
    sum += row.integer(0);
    if (++count % 50'000 == 0) peak = std::max(peak, resident_bytes());
  }
  EXPECT_EQ(count, kRows);
  EXPECT_EQ(sum, static_cast<long long>(kRows) * (kRows - 1) / 2);
  EXPECT_LT(peak - before, 64u << 20) << "resident memory grew by " << ((peak - before) >> 20) << " MB";
}

TEST(S3Datasets, AModelThatThrowsMidWriteLeavesNoObject) {
  Moto moto;
  AwsVariables aws(moto.variables());
  make_bucket("out");

  class Failing : public ayeaye::Model {
   public:
    void build() override {
      const std::string filler(200, 'y');
      for (int i = 0; i < 100'000; ++i) out.add_row({std::to_string(i), filler});  // ~20 MB: parts went up
      throw std::runtime_error("the model fails half way");
    }
    ayeaye::Dataset out{this, "s3+csv://out/half.csv", ayeaye::Access::kWrite, {"i", "filler"}};
  };
  Failing model;
  EXPECT_THROW(model.go(), std::runtime_error);
  EXPECT_FALSE(object_exists("out", "half.csv"));
  // Its parts went up (20 MB is more than two): the upload was aborted, not left open and billed.
  EXPECT_THAT(uploads_in_progress(moto, "out"), ::testing::IsEmpty());

  // A subtask method that throws, with a dataset of its own, leaves nothing either.
  {
    Owner owner;
    EXPECT_THROW(
        {
          ayeaye::Dataset local(&owner, "s3+ndjson://out/local.ndjson", ayeaye::Access::kWrite);
          local.add({{"a", 1}});
          throw std::runtime_error("fails");
        },
        std::runtime_error);
  }
  EXPECT_FALSE(object_exists("out", "local.ndjson"));
}

TEST(S3Datasets, AWildcardListsEveryPageAndReadsMatchesInSortedOrder) {
  Moto moto;
  AwsVariables aws(moto.variables());
  make_bucket("stations");
  for (int i = 0; i < 1500; ++i) {
    char key[64];
    std::snprintf(key, sizeof key, "by_station/ST%04d.csv", 1499 - i);
    ASSERT_TRUE(s3()->put("stations", key, "id\n" + std::to_string(1499 - i) + "\n"));
  }
  ASSERT_TRUE(s3()->put("stations", "by_station/ST0001.txt", "not matched"));
  ASSERT_TRUE(s3()->put("stations", "by_station/deeper/ST0002.csv", "id\nnot matched\n"));
  Owner owner;
  ayeaye::Dataset all(&owner, "s3+csv://stations/by_station/ST*.csv");
  const auto files = all.files();
  ASSERT_EQ(files.size(), 1500u);
  EXPECT_EQ(files.front(), "s3+csv://stations/by_station/ST0000.csv");
  EXPECT_EQ(files.back(), "s3+csv://stations/by_station/ST1499.csv");
  long long previous = -1;
  std::size_t rows = 0;
  for (const ayeaye::Row& row : all.rows()) {
    EXPECT_GT(row.integer(0), previous);
    previous = row.integer(0);
    ++rows;
  }
  EXPECT_EQ(rows, 1500u);
  ayeaye::Dataset some(&owner, "s3+csv://stations/by_station/ST00?1.csv");
  EXPECT_EQ(some.files().size(), 10u);
  EXPECT_EQ(ayeaye::one_subtask_per_file(some, "station").size(), 10u);
}

// The credentials the endpoint hands out are the ones S3 gets: a stand-in S3 refuses any other key
// id or session token, as S3 does, and records what each request was signed with.
TEST(S3Datasets, CredentialsFromTheEcsContainerEndpointSignTheRequests) {
  std::atomic<int> asked{0};
  StandInServer ecs;
  ecs.routes().get("/creds", [&](const fossa::net::Request& req, fossa::net::Response& res) {
    if (req.get_header_value("Authorization") != "task-token") {
      res.status = 401;
      return;
    }
    ++asked;
    res.set_content(R"({"AccessKeyId":"ASIAECS","SecretAccessKey":"ecs-secret","Token":"ecs-session",)"
                    R"("Expiration":"2099-01-01T00:00:00Z"})",
                    "application/json");
  });
  ecs.start();

  struct Signed {
    std::string key_id;
    std::string session_token;
  };
  std::mutex mutex;
  std::vector<Signed> seen;
  std::string stored;
  StandInServer s3;
  s3.routes().put(R"(/ecs/x\.ndjson)", [&](const fossa::net::Request& req, fossa::net::Response& res) {
    // "AWS4-HMAC-SHA256 Credential=<key id>/<date>/<region>/s3/aws4_request, ..."
    const std::string authorization = req.get_header_value("Authorization");
    const auto from = authorization.find("Credential=");
    const std::string key_id = from == std::string::npos ? "" : authorization.substr(from + 11, authorization.find('/', from) - from - 11);
    const std::string token = req.get_header_value("X-Amz-Security-Token");
    std::lock_guard lock(mutex);
    seen.push_back({key_id, token});
    if (key_id != "ASIAECS" || token != "ecs-session") {
      res.status = 403;
      res.set_content(key_id != "ASIAECS" ? "<Error><Code>InvalidAccessKeyId</Code><Message>no such key</Message></Error>"
                                          : "<Error><Code>InvalidToken</Code><Message>The provided token is malformed or otherwise invalid.</Message></Error>",
                      "application/xml");
      return;
    }
    stored = req.body;
    res.headers.emplace_back("ETag", "\"stand-in\"");
  }, fossa::net::Body::kNone);
  s3.start();
  {
    AwsVariables aws({{"AWS_REGION", "us-east-1"}, {"AWS_ENDPOINT_URL_S3", s3.url()}, {"AWS_EC2_METADATA_DISABLED", "true"},
                      {"AWS_CONTAINER_CREDENTIALS_FULL_URI", ecs.url() + "/creds"},
                      {"AWS_CONTAINER_AUTHORIZATION_TOKEN", "task-token"}});
    Owner owner;
    ayeaye::Dataset out(&owner, "s3+ndjson://ecs/x.ndjson", ayeaye::Access::kWrite);
    out.add({{"from", "ecs"}});
    EXPECT_EQ(data_error([&] { owner.close_datasets(); }), "(no error)");
    ::unsetenv("AWS_CONTAINER_AUTHORIZATION_TOKEN");
  }
  s3.stop();
  ecs.stop();
  EXPECT_EQ(asked.load(), 1) << "fetched once, kept until it expires";
  ASSERT_FALSE(seen.empty());
  for (const auto& request : seen) {
    EXPECT_EQ(request.key_id, "ASIAECS");
    EXPECT_EQ(request.session_token, "ecs-session");
  }
  EXPECT_EQ(stored, "{\"from\":\"ecs\"}\n");
}

TEST(S3Datasets, MissingKeysBucketsAndMalformedUrlsAreErrorsNamingTheObjectAndTheCode) {
  Moto moto;
  AwsVariables aws(moto.variables());
  make_bucket("here");
  Owner owner;
  ayeaye::Dataset no_key(&owner, "s3+csv://here/missing.csv");
  EXPECT_THAT(data_error([&] { no_key.rows(); }), HasSubstr("s3://here/missing.csv: NoSuchKey"));
  ayeaye::Dataset no_bucket(&owner, "s3+csv://not-here/x.csv");
  EXPECT_THAT(data_error([&] { no_bucket.rows(); }), HasSubstr("s3://not-here/x.csv: NoSuchBucket"));
  ayeaye::Dataset no_bucket_write(&owner, "s3+csv://not-here/y.csv", ayeaye::Access::kWrite, {"a"});
  no_bucket_write.add_row({"1"});
  EXPECT_THAT(data_error([&] { owner.close_datasets(); }), HasSubstr("s3://not-here/y.csv: NoSuchBucket"));
  ayeaye::Dataset bad(&owner, "s3+lz4+csv://here/x.csv");
  EXPECT_EQ(data_error([&] { bad.rows(); }), "dataset URL 's3+lz4+csv://here/x.csv': unknown modifier 'lz4' (s3, gz or zstd)");
}

// S3 itself refusing, and failing for a moment: a stand-in answering as S3 does.
TEST(S3Datasets, RefusedAccessIsNamedAndTransientFailuresAreRetried) {
  std::atomic<int> gets{0};
  StandInServer s3;
  s3.routes().get(R"(/locked/.*)", [](const fossa::net::Request&, fossa::net::Response& res) {
    res.status = 403;
    res.set_content("<Error><Code>AccessDenied</Code><Message>Access Denied</Message></Error>", "application/xml");
  });
  s3.routes().get(R"(/flaky/.*)", [&](const fossa::net::Request&, fossa::net::Response& res) {
    if (++gets <= 2) {
      res.status = 503;
      res.set_content("<Error><Code>SlowDown</Code><Message>Reduce your request rate.</Message></Error>", "application/xml");
      return;
    }
    res.status = 206;
    res.set_header("Content-Range", "bytes 0-3/4");
    res.set_content("a\n1\n", "text/csv");
  });
  s3.start();
  {
    AwsVariables aws({{"AWS_ACCESS_KEY_ID", "k"}, {"AWS_SECRET_ACCESS_KEY", "s"}, {"AWS_REGION", "us-east-1"},
                      {"AWS_ENDPOINT_URL", s3.url()}});
    Owner owner;
    ayeaye::Dataset locked(&owner, "s3+csv://locked/x.csv");
    EXPECT_EQ(data_error([&] { locked.rows(); }), "s3://locked/x.csv: AccessDenied (Access Denied)");
    ayeaye::Dataset flaky(&owner, "s3+csv://flaky/x.csv");
    std::string values;
    for (const ayeaye::Row& row : flaky.rows()) values += row[0];
    EXPECT_EQ(values, "1");
    EXPECT_EQ(gets.load(), 3) << "two 503s, then the answer";
  }
  s3.stop();
}
