// The readers and writers behind Dataset, one per engine (csv/tsv, ndjson, json), over the byte
// streams of byte_stream.h (local or S3, plain or compressed). A reader may read several files
// one after another (a wildcard's matches). Internal.
#pragma once

#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "ayeaye/json.h"
#include "csv_parser.h"
#include "dataset_url.h"

namespace ayeaye {

// One pass over the records of some files, from the start of the first.
class DatasetReader {
 public:
  virtual ~DatasetReader() = default;
  // The next record into `record`; false at the end. Throws DataError naming file and line.
  virtual bool next(Json& record) = 0;
  // csv/tsv: the same records as Rows; null for other engines.
  virtual RowSource* rows() { return nullptr; }
};

class DatasetWriter {
 public:
  virtual ~DatasetWriter() = default;
  virtual void add(const Json& record) = 0;
  // csv/tsv only: one row of fields, as text, in the dataset's field order.
  virtual void add_fields(std::span<const std::string_view> fields) = 0;
  // See ByteSink: commit() at the end of a stage, abandon() when the model failed.
  virtual void commit() = 0;
  virtual void abandon() noexcept = 0;
};

std::unique_ptr<DatasetReader> open_reader(const DatasetUrl& url, std::vector<std::string> locations);
// `append`: keep what the file holds (a csv header is then not written again).
std::unique_ptr<DatasetWriter> open_writer(const DatasetUrl& url, const std::string& location, bool append,
                                           std::vector<std::string> field_names);

// The whole of a json:// file; DataError with the line of a syntax error.
Json read_json_document(const DatasetUrl& url, const std::string& location);
// Writes a json:// document whole (replacing it).
void write_json_document(const DatasetUrl& url, const std::string& location, const Json& document);

}  // namespace ayeaye
