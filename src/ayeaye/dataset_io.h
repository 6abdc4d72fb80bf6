// The readers and writers behind Dataset, one per engine (csv/tsv, ndjson, json). Internal.
#pragma once

#include <fstream>
#include <memory>
#include <string>
#include <vector>

#include "ayeaye/json.h"

namespace ayeaye {

// One pass over a file's records, from the start.
class DatasetReader {
 public:
  virtual ~DatasetReader() = default;
  // The next record into `record`; false at the end. Throws DataError naming file and line.
  virtual bool next(Json& record) = 0;
};

class DatasetWriter {
 public:
  virtual ~DatasetWriter() = default;
  virtual void add(const Json& record) = 0;
  virtual void flush() = 0;
};

std::unique_ptr<DatasetReader> open_reader(const std::string& scheme, const std::string& path);
// `append`: keep what the file holds (a csv header is then not written again).
std::unique_ptr<DatasetWriter> open_writer(const std::string& scheme, const std::string& path, bool append,
                                           std::vector<std::string> field_names);

// The whole of a json:// file; DataError with the line of a syntax error.
Json read_json_document(const std::string& path);

}  // namespace ayeaye
