// BackgroundWriter: blocks reach the file whole and in order, the caller gets a block back to
// fill, and a failed write is a DataError naming the file at the next call.
#include <gtest/gtest.h>
#include <fcntl.h>
#include <unistd.h>

#include <cstring>
#include <string>
#include <vector>

#include "ayeaye/error.h"
#include "background_writer.h"
#include "unit/dataset_fixture.h"

TEST(BackgroundWriter, BlocksReachTheFileWholeAndInOrder) {
  ayeaye_test::TempDirectory dir;
  const std::string path = dir.path() + "/out";
  const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  ASSERT_GE(fd, 0);
  std::string expected;
  {
    ayeaye::BackgroundWriter writer(fd, path);
    std::vector<char> block;
    for (int i = 0; i < 200; ++i) {
      const std::string text = "block " + std::to_string(i) + std::string(static_cast<std::size_t>(i) * 997, static_cast<char>('a' + i % 26)) + "\n";
      block.assign(text.begin(), text.end());
      writer.write(block);
      EXPECT_TRUE(block.empty()) << "handed back empty, to fill next";
      expected += text;
    }
    writer.finish();
    EXPECT_EQ(dir.read("out"), expected) << "finish() returns once everything is written";
  }
  ::close(fd);
}

TEST(BackgroundWriter, AFailedWriteIsADataErrorNamingTheFileAtTheNextCall) {
  ayeaye_test::TempDirectory dir;
  const std::string path = dir.file("read-only", "x");
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);  // write(2) on it fails: EBADF
  ASSERT_GE(fd, 0);
  {
    ayeaye::BackgroundWriter writer(fd, path);
    std::vector<char> block = {'a', 'b'};
    writer.write(block);  // handed over; its failure is not known yet
    try {
      writer.finish();
      ADD_FAILURE() << "finish() did not report the failed write";
    } catch (const ayeaye::DataError& e) {
      EXPECT_EQ(std::string(e.what()), path + ": cannot write: " + std::strerror(EBADF));
    }
    block = {'c'};
    EXPECT_THROW(writer.write(block), ayeaye::DataError) << "and every call after it";
  }
  ::close(fd);
}

// Through a csv dataset: output of many buffers (so the background writer runs) is whole, and a
// second stage appends after it.
TEST(BackgroundWriter, ALargeCsvDatasetWrittenInTwoStagesIsWhole) {
  ayeaye_test::TempDirectory dir;
  ayeaye_test::Owner owner(dir.path());
  ayeaye::Dataset out(&owner, "csv://{dir}/big.csv", ayeaye::Access::kWrite, {"i", "text"});
  std::string expected = "i,text\n";
  const std::string text(300, 't');
  for (int stage = 0; stage < 2; ++stage) {
    for (int i = 0; i < 20000; ++i) {
      const std::string number = std::to_string(stage * 20000 + i);
      out.add_row({number, text});
      expected += number + "," + text + "\n";
    }
    owner.close_datasets();
  }
  EXPECT_EQ(dir.read("big.csv"), expected);
}
