#include "dataset_io.h"

#include <algorithm>
#include <cstring>
#include <filesystem>

#include "ayeaye/error.h"
#include "ayeaye/json_input.h"
#include "csv_text.h"

namespace ayeaye {
namespace {

constexpr std::string_view kBom = "\xEF\xBB\xBF";

void strip_bom(std::string& text) {
  if (text.compare(0, kBom.size(), kBom) == 0) text.erase(0, kBom.size());
}

char delimiter_for(const std::string& engine) { return engine == "tsv" ? '\t' : ','; }

// csv and tsv records, file after file: as JSON objects of strings, or as Rows. Every file of a
// wildcard must have the first one's header (Rows resolve names to indexes once).
class CsvReader final : public DatasetReader, public RowSource {
 public:
  CsvReader(const DatasetUrl& url, std::vector<std::string> locations) : url_(url), locations_(std::move(locations)) {
    open_next();
  }

  RowSource* rows() override { return this; }
  const std::vector<std::string>& header() const override { return header_; }
  const std::string& name() const override { return parser_ ? parser_->name() : url_.url; }
  std::size_t line() const override { return parser_ ? parser_->line() : 0; }

  bool next(Row& row) override {
    while (parser_) {
      if (parser_->next(row)) {
        point(row, parser_->fields().data(), parser_->fields().size(), this);
        return true;
      }
      open_next();
    }
    return false;
  }

  bool next(Json& record) override {
    Row row;
    if (!next(row)) return false;
    const auto& fields = parser_->fields();
    // The iterator hands the same record back each time: after the first, assign the new values
    // into its strings in place (key order is the object's sorted order).
    if (record_shape_ == &record && record.is_object() && record.size() == header_.size()) {
      std::size_t k = 0;
      for (auto it = record.begin(); it != record.end(); ++it) it->get_ref<std::string&>().assign(fields[sorted_to_field_[k++]]);
      return true;
    }
    record = Json::object();
    for (std::size_t i = 0; i < fields.size(); ++i) record[header_[i]] = std::string(fields[i]);
    if (record.size() == header_.size()) {  // no duplicate column names
      sorted_to_field_.clear();
      for (auto it = record.begin(); it != record.end(); ++it) {
        sorted_to_field_.push_back(static_cast<std::size_t>(std::find(header_.begin(), header_.end(), it.key()) - header_.begin()));
      }
      record_shape_ = &record;
    }
    return true;
  }

 private:
  void open_next() {
    parser_.reset();
    if (index_ == locations_.size()) return;
    const std::string& location = locations_[index_++];
    parser_ = std::make_unique<CsvParser>(open_source(url_, location), delimiter_for(url_.engine), describe(url_, location));
    if (index_ == 1) {
      header_ = parser_->header();
    } else if (parser_->header() != header_ && !parser_->header().empty()) {
      throw DataError(parser_->name() + ":1: its header differs from that of " + describe(url_, locations_.front()) +
                      " (every file a wildcard matches must have the same columns)");
    }
  }

  DatasetUrl url_;
  std::vector<std::string> locations_;
  std::size_t index_ = 0;
  std::unique_ptr<CsvParser> parser_;
  std::vector<std::string> header_;
  std::vector<std::size_t> sorted_to_field_;
  const Json* record_shape_ = nullptr;
};

// Lines of a ByteSource, without their line break.
class LineReader {
 public:
  explicit LineReader(std::unique_ptr<ByteSource> source) : source_(std::move(source)) {}
  bool next(std::string& line) {
    for (;;) {
      if (const void* nl = std::memchr(pending_.data() + start_, '\n', pending_.size() - start_)) {
        const std::size_t at = static_cast<const char*>(nl) - pending_.data();
        line.assign(pending_, start_, at - start_);
        start_ = at + 1;
        return true;
      }
      pending_.erase(0, start_);
      start_ = 0;
      const std::size_t old = pending_.size();
      pending_.resize(old + kChunk);
      const std::size_t got = source_->read(pending_.data() + old, kChunk);
      pending_.resize(old + got);
      if (got == 0) {
        if (pending_.empty()) return false;
        line = std::move(pending_);
        pending_.clear();
        return true;
      }
    }
  }

 private:
  static constexpr std::size_t kChunk = 256 * 1024;
  std::unique_ptr<ByteSource> source_;
  std::string pending_;
  std::size_t start_ = 0;
};

class NdjsonReader : public DatasetReader {
 public:
  NdjsonReader(const DatasetUrl& url, std::vector<std::string> locations) : url_(url), locations_(std::move(locations)) {}

  bool next(Json& record) override {
    std::string line;
    for (;;) {
      if (!lines_) {
        if (index_ == locations_.size()) return false;
        name_ = describe(url_, locations_[index_]);
        lines_ = std::make_unique<LineReader>(open_source(url_, locations_[index_++]));
        line_ = 0;
      }
      if (!lines_->next(line)) {
        lines_.reset();
        continue;
      }
      ++line_;
      if (line_ == 1) strip_bom(line);
      if (line.find_first_not_of(" \t\r") == std::string::npos) continue;
      auto parsed = parse_json(line);
      if (!parsed) throw DataError(name_ + ":" + std::to_string(line_) + ": not valid JSON: " + parsed.error());
      record = std::move(parsed).value();
      return true;
    }
  }

 private:
  DatasetUrl url_;
  std::vector<std::string> locations_;
  std::size_t index_ = 0;
  std::unique_ptr<LineReader> lines_;
  std::string name_;
  std::size_t line_ = 0;
};

// Iterates json:// documents: the elements of a top-level array, else the document itself.
class JsonReader : public DatasetReader {
 public:
  JsonReader(const DatasetUrl& url, std::vector<std::string> locations) : url_(url), locations_(std::move(locations)) {}
  bool next(Json& record) override {
    while (index_ >= document_.size()) {
      if (file_ == locations_.size()) return false;
      document_ = read_json_document(url_, locations_[file_++]);
      if (!document_.is_array()) document_ = Json::array({std::move(document_)});
      index_ = 0;
    }
    record = document_[index_++];
    return true;
  }

 private:
  DatasetUrl url_;
  std::vector<std::string> locations_;
  std::size_t file_ = 0;
  Json document_ = Json::array();
  std::size_t index_ = 0;
};

class CsvWriter final : public DatasetWriter {
 public:
  CsvWriter(const DatasetUrl& url, const std::string& location, bool append, std::vector<std::string> field_names)
      : name_(describe(url, location)), text_(delimiter_for(url.engine)), fields_(std::move(field_names)) {
    std::error_code error;
    header_written_ = append && !url.s3 && std::filesystem::file_size(location, error) > 0 && !error;
    sink_ = open_sink(url, location, append);
  }

  void add(const Json& record) override {
    if (!record.is_object()) throw DataError(name_ + ": a csv record must be a JSON object, got " + std::string(record.type_name()));
    if (fields_.empty()) {
      for (const auto& [key, value] : record.items()) fields_.push_back(key);
    }
    // The record's values as text, in field order: strings as they are, null and missing as
    // nothing, any other value as its JSON text.
    values_.assign(fields_.size(), std::string_view());
    dumped_.clear();
    dumped_.reserve(fields_.size());  // no reallocation below: values_ points into these strings
    std::size_t matched = 0;
    for (std::size_t i = 0; i < fields_.size(); ++i) {
      auto it = record.find(fields_[i]);
      if (it == record.end()) continue;
      ++matched;
      if (it->is_string()) values_[i] = it->get_ref<const std::string&>();
      else if (!it->is_null()) values_[i] = dumped_.emplace_back(it->dump());
    }
    if (matched != record.size()) {
      for (const auto& [key, value] : record.items()) {
        if (std::find(fields_.begin(), fields_.end(), key) == fields_.end()) {
          throw DataError(name_ + ": record has field '" + key + "', which is not one of the dataset's fields");
        }
      }
    }
    append_row(values_);
  }

  void add_fields(std::span<const std::string_view> fields) override {
    if (fields_.empty()) {
      throw DataError(name_ + ": add_row() needs the dataset's field names; give them when declaring the dataset");
    }
    if (fields.size() != fields_.size()) {
      throw DataError(name_ + ": add_row() was given " + std::to_string(fields.size()) + " fields, but the dataset has " +
                      std::to_string(fields_.size()));
    }
    append_row(fields);
  }

  void commit() override {
    drain();
    sink_->commit();
  }
  void abandon() noexcept override {
    try {
      drain();
    } catch (const std::exception&) {
    }
    sink_->abandon();
  }

 private:
  // A row, after the header if this is the first; the text goes to the sink about kFlushBytes at a time.
  void append_row(std::span<const std::string_view> fields) {
    if (!header_written_) {
      const std::vector<std::string_view> names(fields_.begin(), fields_.end());
      text_.append_row(names);
      header_written_ = true;
    }
    text_.append_row(fields);
    if (text_.size() >= kFlushBytes) drain();
  }
  void drain() {
    if (text_.size() == 0) return;
    sink_->write(text_.data(), text_.size());
    text_.clear();
  }

  static constexpr std::size_t kFlushBytes = 1 << 20;
  std::string name_;
  CsvText text_;
  std::vector<std::string> fields_;
  std::vector<std::string_view> values_;  // add()'s record as text, reused
  std::vector<std::string> dumped_;       // its values that are not strings, as JSON text
  std::unique_ptr<ByteSink> sink_;
  bool header_written_ = false;
};

class NdjsonWriter : public DatasetWriter {
 public:
  NdjsonWriter(const DatasetUrl& url, const std::string& location, bool append)
      : name_(describe(url, location)), sink_(open_sink(url, location, append)) {}
  void add(const Json& record) override {
    line_ = record.dump();
    line_ += '\n';
    sink_->write(line_.data(), line_.size());
  }
  void add_fields(std::span<const std::string_view>) override {
    throw DataError(name_ + ": add_row() is for csv and tsv datasets; add JSON records with add()");
  }
  void commit() override { sink_->commit(); }
  void abandon() noexcept override { sink_->abandon(); }

 private:
  std::string name_;
  std::unique_ptr<ByteSink> sink_;
  std::string line_;
};

}  // namespace

Json read_json_document(const DatasetUrl& url, const std::string& location) {
  auto source = open_source(url, location);
  std::string text;
  char chunk[64 * 1024];
  while (const std::size_t got = source->read(chunk, sizeof chunk)) text.append(chunk, got);
  strip_bom(text);
  auto json = parse_json(text);
  // The parser's message names the line and column.
  if (!json) throw DataError(describe(url, location) + ": not valid JSON: " + json.error());
  return std::move(json).value();
}

void write_json_document(const DatasetUrl& url, const std::string& location, const Json& document) {
  auto sink = open_sink(url, location, /*append=*/false);
  const std::string text = document.dump(url.indent) + "\n";
  sink->write(text.data(), text.size());
  sink->commit();
}

std::unique_ptr<DatasetReader> open_reader(const DatasetUrl& url, std::vector<std::string> locations) {
  if (url.engine == "csv" || url.engine == "tsv") return std::make_unique<CsvReader>(url, std::move(locations));
  if (url.engine == "ndjson") return std::make_unique<NdjsonReader>(url, std::move(locations));
  return std::make_unique<JsonReader>(url, std::move(locations));
}

std::unique_ptr<DatasetWriter> open_writer(const DatasetUrl& url, const std::string& location, bool append,
                                           std::vector<std::string> field_names) {
  if (url.engine == "csv" || url.engine == "tsv") {
    return std::make_unique<CsvWriter>(url, location, append, std::move(field_names));
  }
  if (url.engine == "ndjson") return std::make_unique<NdjsonWriter>(url, location, append);
  throw DataError(describe(url, location) + ": json:// datasets are written whole, with write_json()");
}

}  // namespace ayeaye
