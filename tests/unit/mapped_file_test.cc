// Local CSV files read in place, mapped (src/ayeaye/mapped_file.h): the same rows as the same text
// read through the parser's buffer, at sizes around a page (the scanner reads 64 bytes past the
// end); what cannot be mapped (empty files, pipes) read as before; and a file cut short while it
// is read is a DataError naming it, not a crash.
#include <fcntl.h>
#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <string>
#include <thread>
#include <vector>

#include "ayeaye/error.h"
#include "byte_stream.h"
#include "csv_parser.h"
#include "dataset_url.h"
#include "mapped_file.h"
#include "unit/csv_reference.h"
#include "unit/dataset_fixture.h"

namespace {

using csv_reference::Reading;

// The file at `path` read as a dataset would read it (mapped where it can be).
Reading read_file(const std::string& path) {
  try {
    const ayeaye::DatasetUrl url = ayeaye::parse_dataset_url("csv://" + path).value();
    return csv_reference::read_all(ayeaye::open_source(url, path));
  } catch (const ayeaye::DataError& error) {
    return Reading{{}, {}, error.what()};
  }
}

bool maps(const std::string& path) {
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  const bool mapped = ayeaye::MappedFile::map(fd, 64) != nullptr;
  ::close(fd);
  return mapped;
}

}  // namespace

TEST(MappedFile, HoldsTheFileThenReadableZerosPastItsEndEvenAtAPageBoundary) {
  ayeaye_test::TempDirectory dir;
  const auto page = static_cast<std::size_t>(::sysconf(_SC_PAGESIZE));
  for (const std::size_t size : {std::size_t{1}, page - 1, page, page + 1, 3 * page}) {
    std::string text(size, 'x');
    for (std::size_t i = 0; i < size; ++i) text[i] = static_cast<char>('a' + i % 26);
    const int fd = ::open(dir.file("f", text).c_str(), O_RDONLY | O_CLOEXEC);
    const auto mapped = ayeaye::MappedFile::map(fd, 64);
    ::close(fd);  // the mapping stays
    ASSERT_NE(mapped, nullptr) << size;
    EXPECT_EQ(std::string(mapped->bytes().data(), mapped->bytes().size()), text) << size;
    EXPECT_EQ(std::string(mapped->bytes().data() + size, 64), std::string(64, '\0')) << size;
    EXPECT_FALSE(mapped->cut_short().load());
  }
}

// Ends of every kind at and around the end of a page: the rows of the plain rules, and the same
// text through the parser's buffer (in pieces).
TEST(MappedFile, ACsvFileReadInPlaceGivesTheRowsOfTheSameTextReadThroughTheBuffer) {
  ayeaye_test::TempDirectory dir;
  const auto page = static_cast<std::size_t>(::sysconf(_SC_PAGESIZE));
  std::vector<std::string> texts = {"a,b\n", "a,b", "a,b\n1,2", "a,b\r\n1,\"2\"\r\n", "a,b\n1,\"unclosed", "\xEF\xBB\xBF" "a\n\n\"\"\n"};
  for (const std::size_t size : {page - 70, page - 1, page, page + 1, 2 * page}) {
    for (const std::string ending : {"", "\n", "\r\n", "\"", ",\"q\"\"\""}) {
      std::string text = "id,text\n";
      while (text.size() + ending.size() + 4 < size) text += std::to_string(text.size() % 97) + ",row\n";
      text += "9,z";
      text.resize(size - ending.size(), 'z');
      texts.push_back(text + ending);
    }
  }
  for (std::size_t i = 0; i < texts.size(); ++i) {
    const std::string path = dir.file("t" + std::to_string(i) + ".csv", texts[i]);
    ASSERT_TRUE(maps(path)) << i;
    const Reading expected = csv_reference::read_by_the_rules(texts[i]);
    EXPECT_EQ(read_file(path), expected) << "text " << i << ":\n" << texts[i];
    EXPECT_EQ(csv_reference::read_with_parser(texts[i], 1, 64), expected) << "text " << i;
  }
}

TEST(MappedFile, AnEmptyFileIsNotMappedAndReadsAsNoRows) {
  ayeaye_test::TempDirectory dir;
  const std::string path = dir.file("empty.csv", "");
  EXPECT_FALSE(maps(path));
  const Reading reading = read_file(path);
  EXPECT_EQ(reading.error, "");
  EXPECT_EQ(reading.records, (csv_reference::Records{{}}));
}

// A pipe cannot be mapped: it is read() as before, in whatever pieces the writer sends.
TEST(MappedFile, APipeIsReadThroughTheBufferWithTheSameRows) {
  ayeaye_test::TempDirectory dir;
  const std::string path = dir.path() + "/pipe.csv";
  ASSERT_EQ(::mkfifo(path.c_str(), 0600), 0);
  std::string text = "a,b\n";
  for (int i = 0; i < 50000; ++i) text += std::to_string(i) + ",\"x, " + std::to_string(i) + "\"\n";
  std::thread writer([&] {
    const int fd = ::open(path.c_str(), O_WRONLY | O_CLOEXEC);
    for (std::size_t at = 0; at < text.size();) {
      const ssize_t wrote = ::write(fd, text.data() + at, std::min<std::size_t>(text.size() - at, 1000));
      if (wrote <= 0) break;
      at += static_cast<std::size_t>(wrote);
    }
    ::close(fd);
  });
  const Reading reading = read_file(path);
  writer.join();
  EXPECT_EQ(reading, csv_reference::read_by_the_rules(text));
  EXPECT_EQ(reading.records.size(), 50001u);
}

// Another process truncating the file mid-read would be SIGBUS for a plain mapping: here the read
// stops with an error naming the file, and the process goes on.
TEST(MappedFile, AFileCutShortWhileItIsReadIsADataErrorNotACrash) {
  ayeaye_test::TempDirectory dir;
  std::string text = "n,text\n";
  for (int i = 0; text.size() < (3u << 20); ++i) text += std::to_string(i) + ",some text to fill pages\n";
  const std::string path = dir.file("cut.csv", text);
  const ayeaye::DatasetUrl url = ayeaye::parse_dataset_url("csv://" + path).value();
  ayeaye::CsvParser parser(ayeaye::open_source(url, path), ',', path);
  ayeaye::Row row;
  ASSERT_TRUE(parser.next(row));
  ASSERT_EQ(::truncate(path.c_str(), 1 << 20), 0);
  std::size_t rows = 1;
  try {
    while (parser.next(row)) ++rows;
    FAIL() << "read " << rows << " rows to the end of a file cut short";
  } catch (const ayeaye::DataError& error) {
    EXPECT_NE(std::string(error.what()).find(path + ":"), std::string::npos) << error.what();
    EXPECT_NE(std::string(error.what()).find("cut short while it was being read"), std::string::npos) << error.what();
  }
  EXPECT_GT(rows, 1000u);  // what was still there was read
}
