#include "dataset_io.h"

#include <algorithm>
#include <filesystem>
#include <sstream>

#include "ayeaye/error.h"
#include "ayeaye/json_input.h"

namespace ayeaye {
namespace {

constexpr std::string_view kBom = "\xEF\xBB\xBF";

DataError data_error(const std::string& path, std::size_t line, const std::string& what) {
  return DataError(path + ":" + std::to_string(line) + ": " + what);
}

std::ifstream open_input(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw DataError(path + ": cannot open for reading (does it exist?)");
  return in;
}

void strip_bom(std::string& line) {
  if (line.compare(0, kBom.size(), kBom) == 0) line.erase(0, kBom.size());
}

// csv and tsv: RFC 4180 quoting ("" inside quotes), quoted fields may span lines.
class CsvReader : public DatasetReader {
 public:
  CsvReader(std::string path, char delimiter) : path_(std::move(path)), in_(open_input(path_)), delimiter_(delimiter) {
    if (!read_fields()) return;  // an empty file has no records
    header_.assign(fields_.begin(), fields_.begin() + static_cast<std::ptrdiff_t>(field_count_));
    strip_bom(header_[0]);
  }

  bool next(Json& record) override {
    for (;;) {
      if (!read_fields()) return false;
      if (!(field_count_ == 1 && fields_[0].empty())) break;  // skip blank lines
    }
    if (field_count_ != header_.size()) {
      throw data_error(path_, record_line_, std::to_string(field_count_) + " fields, but the header has " +
                                                std::to_string(header_.size()));
    }
    // The iterator hands the same record back each time: after the first, swap new values into
    // its strings in place (key order is the object's sorted order) instead of building an object.
    if (record_shape_ == &record && record.is_object() && record.size() == header_.size()) {
      std::size_t k = 0;
      for (auto it = record.begin(); it != record.end(); ++it) {
        std::swap(it->get_ref<std::string&>(), fields_[sorted_to_field_[k++]]);
      }
      return true;
    }
    record = Json::object();
    for (std::size_t i = 0; i < field_count_; ++i) record[header_[i]] = fields_[i];
    if (record.size() == header_.size()) {  // no duplicate column names
      sorted_to_field_.clear();
      for (auto it = record.begin(); it != record.end(); ++it) {
        sorted_to_field_.push_back(static_cast<std::size_t>(
            std::find(header_.begin(), header_.end(), it.key()) - header_.begin()));
      }
      record_shape_ = &record;
    }
    return true;
  }

 private:
  // One logical record's fields into fields_[0..field_count_); false at the end of the file.
  // The strings keep their capacity from record to record.
  bool read_fields() {
    field_count_ = 0;
    if (!std::getline(in_, line_buffer_)) return false;
    ++line_;
    record_line_ = line_;
    std::string* field = &next_field();
    bool quoted = false;
    for (;;) {
      std::string& line = line_buffer_;
      if (!line.empty() && line.back() == '\r') line.pop_back();
      const std::size_t size = line.size();
      for (std::size_t i = 0; i < size; ++i) {
        const char c = line[i];
        if (quoted) {
          if (c == '"') {
            if (i + 1 < size && line[i + 1] == '"') {
              *field += '"';
              ++i;
            } else {
              quoted = false;
            }
          } else {
            *field += c;
          }
        } else if (c == delimiter_) {
          field = &next_field();
        } else if (c == '"' && field->empty()) {
          quoted = true;
        } else if (c == '"') {
          throw data_error(path_, line_, "a quote inside an unquoted field (column " + std::to_string(field_count_) + ")");
        } else {
          // Copy the run of plain characters up to the next delimiter or quote at once.
          std::size_t end = i;
          while (end < size && line[end] != delimiter_ && line[end] != '"') ++end;
          field->append(line, i, end - i);
          i = end - 1;
        }
      }
      if (!quoted) break;
      // A quoted field goes on over the line break.
      if (!std::getline(in_, line_buffer_)) {
        throw data_error(path_, record_line_, "a quoted field is never closed");
      }
      ++line_;
      *field += '\n';
    }
    return true;
  }

  std::string& next_field() {
    if (field_count_ == fields_.size()) fields_.emplace_back();
    std::string& field = fields_[field_count_++];
    field.clear();
    return field;
  }

  std::string path_;
  std::ifstream in_;
  char delimiter_;
  std::vector<std::string> header_;
  std::vector<std::string> fields_;
  std::size_t field_count_ = 0;
  std::string line_buffer_;
  std::vector<std::size_t> sorted_to_field_;
  const Json* record_shape_ = nullptr;
  std::size_t line_ = 0;
  std::size_t record_line_ = 0;
};

class NdjsonReader : public DatasetReader {
 public:
  explicit NdjsonReader(std::string path) : path_(std::move(path)), in_(open_input(path_)) {}

  bool next(Json& record) override {
    std::string line;
    while (std::getline(in_, line)) {
      ++line_;
      if (line_ == 1) strip_bom(line);
      if (line.find_first_not_of(" \t\r") == std::string::npos) continue;
      auto parsed = parse_json(line);
      if (!parsed) throw data_error(path_, line_, "not valid JSON: " + parsed.error());
      record = std::move(parsed).value();
      return true;
    }
    return false;
  }

 private:
  std::string path_;
  std::ifstream in_;
  std::size_t line_ = 0;
};

// Iterates a json:// document: the elements of a top-level array, else the document itself.
class JsonReader : public DatasetReader {
 public:
  explicit JsonReader(const std::string& path) : document_(read_json_document(path)) {
    if (!document_.is_array()) document_ = Json::array({std::move(document_)});
  }
  bool next(Json& record) override {
    if (index_ >= document_.size()) return false;
    record = document_[index_++];
    return true;
  }

 private:
  Json document_;
  std::size_t index_ = 0;
};

std::ofstream open_output(const std::string& path, bool append) {
  const auto parent = std::filesystem::path(path).parent_path();
  if (!parent.empty()) {
    std::error_code error;
    std::filesystem::create_directories(parent, error);
    if (error) throw DataError(path + ": cannot create its directory: " + error.message());
  }
  std::ofstream out(path, std::ios::binary | (append ? std::ios::app : std::ios::trunc));
  if (!out) throw DataError(path + ": cannot open for writing");
  return out;
}

class CsvWriter : public DatasetWriter {
 public:
  CsvWriter(std::string path, char delimiter, bool append, std::vector<std::string> field_names)
      : path_(std::move(path)), delimiter_(delimiter), fields_(std::move(field_names)) {
    std::error_code error;
    const bool has_content = append && std::filesystem::file_size(path_, error) > 0 && !error;
    out_ = open_output(path_, append);
    header_written_ = has_content;
  }

  void add(const Json& record) override {
    if (!record.is_object()) throw DataError(path_ + ": a csv record must be a JSON object, got " + std::string(record.type_name()));
    if (fields_.empty()) {
      for (const auto& [key, value] : record.items()) fields_.push_back(key);
    }
    line_.clear();
    if (!header_written_) {
      for (std::size_t i = 0; i < fields_.size(); ++i) {
        if (i > 0) line_ += delimiter_;
        append_text(fields_[i]);
      }
      line_ += '\n';
      header_written_ = true;
    }
    std::size_t matched = 0;
    for (std::size_t i = 0; i < fields_.size(); ++i) {
      if (i > 0) line_ += delimiter_;
      auto it = record.find(fields_[i]);
      if (it == record.end()) continue;
      ++matched;
      if (it->is_string()) append_text(it->get_ref<const std::string&>());
      else if (!it->is_null()) append_text(it->dump());
    }
    if (matched != record.size()) {
      for (const auto& [key, value] : record.items()) {
        if (std::find(fields_.begin(), fields_.end(), key) == fields_.end()) {
          throw DataError(path_ + ": record has field '" + key + "', which is not one of the dataset's fields");
        }
      }
    }
    line_ += '\n';
    out_.write(line_.data(), static_cast<std::streamsize>(line_.size()));
  }

  void flush() override { out_.flush(); }

 private:
  // Appends a value, quoted (with quotes doubled) when it holds a delimiter, quote or line break.
  void append_text(const std::string& value) {
    if (value.find_first_of(special_) == std::string::npos) {
      line_ += value;
      return;
    }
    line_ += '"';
    for (char c : value) {
      if (c == '"') line_ += '"';
      line_ += c;
    }
    line_ += '"';
  }

  std::string path_;
  char delimiter_;
  std::vector<std::string> fields_;
  std::string special_ = std::string("\"\r\n") + delimiter_;
  std::string line_;
  std::ofstream out_;
  bool header_written_ = false;
};

class NdjsonWriter : public DatasetWriter {
 public:
  NdjsonWriter(const std::string& path, bool append) : out_(open_output(path, append)) {}
  void add(const Json& record) override { out_ << record.dump() << '\n'; }
  void flush() override { out_.flush(); }

 private:
  std::ofstream out_;
};

char delimiter_for(const std::string& scheme) { return scheme == "tsv" ? '\t' : ','; }

}  // namespace

Json read_json_document(const std::string& path) {
  std::ifstream in = open_input(path);
  std::stringstream buffer;
  buffer << in.rdbuf();
  std::string text = buffer.str();
  strip_bom(text);
  auto json = parse_json(text);
  // The parser's message names the line and column.
  if (!json) throw DataError(path + ": not valid JSON: " + json.error());
  return std::move(json).value();
}

std::unique_ptr<DatasetReader> open_reader(const std::string& scheme, const std::string& path) {
  if (scheme == "csv" || scheme == "tsv") return std::make_unique<CsvReader>(path, delimiter_for(scheme));
  if (scheme == "ndjson") return std::make_unique<NdjsonReader>(path);
  return std::make_unique<JsonReader>(path);
}

std::unique_ptr<DatasetWriter> open_writer(const std::string& scheme, const std::string& path, bool append,
                                           std::vector<std::string> field_names) {
  if (scheme == "csv" || scheme == "tsv") {
    return std::make_unique<CsvWriter>(path, delimiter_for(scheme), append, std::move(field_names));
  }
  if (scheme == "ndjson") return std::make_unique<NdjsonWriter>(path, append);
  throw DataError(path + ": json:// datasets are written whole, with write_json()");
}

}  // namespace ayeaye
