// Datasets a model declares as members, by URL:
//
//   ayeaye::Dataset people{this, "csv://{input}/people.csv"};
//   ayeaye::Dataset summary{this, "ndjson://{output}/summary.ndjson", ayeaye::Access::kWrite};
//   for (const ayeaye::Json& person : people) summary.add({{"name", person["name"]}});
//
// Engines by URL scheme: csv:// and tsv:// (records by field name; UTF-8 with or without a BOM),
// ndjson:// (one JSON value a line), json:// (one document: read_json()/write_json(), or iterate
// a top-level array). `csv:///abs/path` is absolute, `csv://rel/path` relative to the working
// directory; `json://x.json;indent=4` sets the JSON engine's indent when writing.
// Modifiers before the engine, Aye-Aye's syntax: `s3+` (s3+csv://bucket/key.csv), `gz+` and
// `zstd+` (s3+gz+csv://bucket/x.csv.gz, gz+ndjson:///data/x.ndjson.gz). `*` and `?` in the path
// make the dataset stand for every matching file, read one after another in sorted order.
// csv/tsv also have a fast path without JSON: rows() and add_row() (ayeaye/row.h).
// PostgreSQL and SQLite databases are SqlDatasets (ayeaye/sql_dataset.h).
//
// The URL is a template resolved through the owning model's resolver context at first use, so a
// missing key fails with MissingContextKey naming it. Malformed data throws DataError naming the
// file and line. The owning model closes its datasets after each build stage; the next use opens
// afresh (reading from the start; writing appends to what this dataset already wrote — except on
// S3, where closing completes the object, and an object cannot be appended to). When the model
// fails, what it wrote to S3 is abandoned: no object appears.
// A dataset belongs to its model's thread.
#pragma once

#include <deque>
#include <fstream>
#include <map>
#include <initializer_list>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "ayeaye/error.h"
#include "ayeaye/json.h"
#include "ayeaye/model.h"
#include "ayeaye/row.h"
#include "ayeaye/task_message.h"

namespace ayeaye {

// Base of every dataset: registers with its owning model, which closes it after each build stage.
class DatasetBase {
 public:
  explicit DatasetBase(Model* owner);
  virtual ~DatasetBase();
  DatasetBase(const DatasetBase&) = delete;
  DatasetBase& operator=(const DatasetBase&) = delete;

  // Releases files and positions; the next use opens afresh. What was written is kept.
  virtual void close() = 0;
  // As close(), when the model failed: what was written to S3 is dropped.
  virtual void abandon() { close(); }

 protected:
  Model* owner() const { return owner_; }
  // For a derived class's destructor: close(), or abandon() when an exception is unwinding
  // through (the model failed); what either throws is swallowed, as a destructor must.
  void close_or_abandon() noexcept;

 private:
  Model* owner_;
};

enum class Access { kRead, kWrite, kReadWrite };

class DatasetReader;  // one open read pass (internal)
class DatasetWriter;  // the open output file (internal)
struct DatasetUrl;    // the parsed URL (internal)

class Dataset : public DatasetBase {
 public:
  // `field_names` fixes the columns a csv/tsv dataset writes; empty: the first record's keys.
  Dataset(Model* owner, std::string url_template, Access access = Access::kRead,
          std::vector<std::string> field_names = {});
  ~Dataset() override;

  // The URL with its template filled in; the file's path ("bucket/key" on S3).
  std::string url() const;
  std::string path() const;
  // Does the file (or S3 object) exist yet? For a wildcard: does anything match?
  bool exists() const;
  // The URL of each file the dataset stands for: a wildcard's matches, sorted; else url() alone.
  std::vector<std::string> files() const;

  // Reading: each record in turn, from the start. csv/tsv records are objects of strings.
  class Iterator {
   public:
    using value_type = Json;
    using difference_type = std::ptrdiff_t;
    Iterator() = default;
    const Json& operator*() const { return record_; }
    const Json* operator->() const { return &record_; }
    Iterator& operator++();
    bool operator==(const Iterator& other) const { return reader_ == other.reader_; }

   private:
    friend class Dataset;
    explicit Iterator(DatasetReader* reader);
    DatasetReader* reader_ = nullptr;
    Json record_;
  };
  Iterator begin();
  Iterator end() { return Iterator(); }

  // csv/tsv: one read pass as Rows, views over the parsed buffer (ayeaye/row.h).
  Rows rows();

  // Appends a record (a JSON object; csv/tsv values are written as text).
  void add(const Json& record);
  // csv/tsv: appends a row of fields, as text, in the order of the dataset's field_names.
  void add_row(std::span<const std::string_view> fields);
  void add_row(std::initializer_list<std::string_view> fields) { add_row(std::span(fields.begin(), fields.size())); }
  // json:// only: the whole document, read or (re)written.
  Json read_json();
  void write_json(const Json& document);

  void close() override;
  void abandon() override;

 private:
  friend class DatasetTemplate;
  Dataset(Model* owner, std::string url_template, std::map<std::string, std::string> extra, Access access,
          std::vector<std::string> field_names);
  void resolve() const;
  DatasetReader& open_reading();
  DatasetWriter& writer();

  std::string url_template_;
  std::map<std::string, std::string> extra_;
  Access access_;
  std::vector<std::string> field_names_;
  // Resolved lazily, at first use.
  mutable std::unique_ptr<DatasetUrl> parsed_;
  std::unique_ptr<DatasetReader> reader_;
  std::unique_ptr<DatasetWriter> writer_;
  bool wrote_before_ = false;
};

// One dataset per subtask (or per anything) from a URL template with extra keys:
//   ayeaye::DatasetTemplate docs{this, "csv://{output_datasets}/{subtask_id}_results.csv"};
//   ayeaye::Dataset& doc = docs.new_dataset({{"subtask_id", "a"}});
class DatasetTemplate : public DatasetBase {
 public:
  DatasetTemplate(Model* owner, std::string url_template, Access access = Access::kWrite,
                  std::vector<std::string> field_names = {});
  Dataset& new_dataset(std::map<std::string, std::string> extra);
  void close() override {}  // each dataset it made is closed by the model itself

 private:
  std::string url_template_;
  Access access_;
  std::vector<std::string> field_names_;
  std::deque<std::unique_ptr<Dataset>> made_;
};

// One subtask per file a dataset stands for (a wildcard's matches), for partition_slice():
//   return ayeaye::one_subtask_per_file(stations, "station_figures");
// calls station_figures(url) with each file's URL, in sorted order.
std::vector<TaskPartition> one_subtask_per_file(const Dataset& files, const std::string& method,
                                                const std::string& url_kwarg = "url");

}  // namespace ayeaye
