// The S3 protocol without a socket: addressing, ListObjectsV2 pages, error documents, retries.
#include "aws/s3_protocol.h"

#include <gtest/gtest.h>

using namespace fossa::aws;
using namespace std::chrono_literals;

TEST(S3Protocol, AGivenEndpointIsAddressedPathStyleAndAwsVirtualHosted) {
  const S3Endpoint emulator{"eu-west-2", "http://127.0.0.1:5000/"};
  EXPECT_EQ(emulator.url("data", "in/a b+c.csv", "uploads="), "http://127.0.0.1:5000/data/in/a%20b%2Bc.csv?uploads=");
  const S3Endpoint aws{"eu-west-2", ""};
  EXPECT_EQ(aws.url("data", "in/x.csv"), "https://data.s3.eu-west-2.amazonaws.com/in/x.csv");
  EXPECT_EQ(uri_encode("a/b~c=d", false), "a%2Fb~c%3Dd");
}

// A dotted name, virtual-hosted, is a host S3's certificate (*.s3.<region>.amazonaws.com) does not
// cover, and TLS fails: such a bucket is addressed path-style.
TEST(S3Protocol, ADottedBucketIsAddressedPathStyleAtAws) {
  const S3Endpoint aws{"eu-west-2", ""};
  EXPECT_EQ(aws.url("data.example.com", "in/x.csv"), "https://s3.eu-west-2.amazonaws.com/data.example.com/in/x.csv");
  EXPECT_EQ(aws.url("data.example.com", "", "list-type=2"), "https://s3.eu-west-2.amazonaws.com/data.example.com/?list-type=2");
}

TEST(S3Protocol, TheRegionsPartitionNamesTheHost) {
  EXPECT_EQ((S3Endpoint{"cn-north-1", ""}.url("data", "k")), "https://data.s3.cn-north-1.amazonaws.com.cn/k");
  EXPECT_EQ((S3Endpoint{"cn-northwest-1", ""}.url("a.b", "k")), "https://s3.cn-northwest-1.amazonaws.com.cn/a.b/k");
  EXPECT_EQ((S3Endpoint{"us-gov-west-1", ""}.url("data", "k")), "https://data.s3.us-gov-west-1.amazonaws.com/k");
}

TEST(S3Protocol, ListPagesGiveKeysAndTheNextToken) {
  const auto page = parse_list_page(
      "<ListBucketResult><IsTruncated>true</IsTruncated><Contents><Key>a&amp;b.csv</Key></Contents>"
      "<Contents><Key>c.csv</Key></Contents><NextContinuationToken>tok/1=</NextContinuationToken></ListBucketResult>");
  EXPECT_EQ(page.keys, (std::vector<std::string>{"a&b.csv", "c.csv"}));
  ASSERT_TRUE(page.next_token);
  EXPECT_EQ(*page.next_token, "tok/1=");
  const auto last = parse_list_page("<ListBucketResult><IsTruncated>false</IsTruncated></ListBucketResult>");
  EXPECT_TRUE(last.keys.empty());
  EXPECT_FALSE(last.next_token);
}

TEST(S3Protocol, ErrorsCarryS3sCodeOrOneFromTheStatus) {
  const auto error = s3_error(404, "<Error><Code>NoSuchKey</Code><Message>The specified key does not exist.</Message></Error>");
  EXPECT_EQ(error.code, "NoSuchKey");
  EXPECT_EQ(error.message, "The specified key does not exist.");
  EXPECT_EQ(s3_error(403, "").code, "AccessDenied");  // a HEAD has no body
  EXPECT_EQ(s3_error(301, "").code, "PermanentRedirect");
}

TEST(S3Protocol, OnlyTransientFailuresAreRetriedWithGrowingBackoff) {
  EXPECT_TRUE(is_transient(0, true));
  EXPECT_TRUE(is_transient(503, false));
  EXPECT_TRUE(is_transient(500, false));
  EXPECT_FALSE(is_transient(404, false));
  EXPECT_FALSE(is_transient(403, false));
  EXPECT_EQ(backoff(1, 100ms, 5000ms), 100ms);
  EXPECT_EQ(backoff(3, 100ms, 5000ms), 400ms);
  EXPECT_EQ(backoff(20, 100ms, 5000ms), 5000ms);
}

TEST(S3Protocol, TheObjectSizeComesFromContentRange) {
  EXPECT_EQ(total_from_content_range("bytes 0-8388607/123456789"), 123456789ull);
  EXPECT_FALSE(total_from_content_range("bytes 0-1/*"));
}
