#include "ayeaye/dataset.h"

#include <filesystem>

#include "dataset_io.h"

namespace ayeaye {

Dataset::Dataset(Model* owner, std::string url_template, Access access, std::vector<std::string> field_names)
    : Dataset(owner, std::move(url_template), {}, access, std::move(field_names)) {}

Dataset::Dataset(Model* owner, std::string url_template, std::map<std::string, std::string> extra, Access access,
                 std::vector<std::string> field_names)
    : DatasetBase(owner),
      url_template_(std::move(url_template)),
      extra_(std::move(extra)),
      access_(access),
      field_names_(std::move(field_names)) {}

Dataset::~Dataset() {
  // Flush what was written even when the model is destroyed by an exception.
  try {
    close();
  } catch (...) {
  }
}

void Dataset::resolve() const {
  if (resolved_) return;
  const ResolverContext& context = owner() != nullptr ? owner()->context() : ResolverContext::current();
  url_ = context.resolve(url_template_, extra_);
  const auto separator = url_.find("://");
  if (separator == std::string::npos) {
    throw Error("dataset URL '" + url_ + "' has no engine; write it like csv://path/file.csv");
  }
  scheme_ = url_.substr(0, separator);
  if (scheme_ != "csv" && scheme_ != "tsv" && scheme_ != "ndjson" && scheme_ != "json") {
    throw Error("dataset URL '" + url_ + "': unknown engine '" + scheme_ + "' (csv, tsv, ndjson or json)");
  }
  std::string rest = url_.substr(separator + 3);
  if (const auto semicolon = rest.find(';'); semicolon != std::string::npos) {
    const std::string options = rest.substr(semicolon + 1);
    rest.resize(semicolon);
    if (options.rfind("indent=", 0) == 0) {
      try {
        indent_ = std::stoi(options.substr(7));
      } catch (const std::exception&) {
        throw Error("dataset URL '" + url_ + "': indent must be a number");
      }
    } else {
      throw Error("dataset URL '" + url_ + "': unknown option '" + options + "' (only indent=N)");
    }
  }
  if (rest.empty()) throw Error("dataset URL '" + url_ + "' has no path");
  path_ = rest;
  resolved_ = true;
}

std::string Dataset::url() const {
  resolve();
  return url_;
}

std::string Dataset::path() const {
  resolve();
  return path_;
}

bool Dataset::exists() const { return std::filesystem::exists(path()); }

Dataset::Iterator::Iterator(DatasetReader* reader) : reader_(reader) { ++*this; }

Dataset::Iterator& Dataset::Iterator::operator++() {
  if (reader_ != nullptr && !reader_->next(record_)) reader_ = nullptr;
  return *this;
}

Dataset::Iterator Dataset::begin() {
  resolve();
  if (access_ == Access::kWrite) throw Error("dataset " + url_ + " is write-only; declare it Access::kReadWrite to read it");
  if (writer_) writer_->flush();
  reader_ = open_reader(scheme_, path_);
  return Iterator(reader_.get());
}

void Dataset::add(const Json& record) {
  resolve();
  if (access_ == Access::kRead) throw Error("dataset " + url_ + " is read-only; declare it Access::kWrite to add to it");
  if (!writer_) {
    // The first write of this dataset's life replaces the file (kWrite); later ones, and kReadWrite, append.
    const bool append = wrote_before_ || access_ == Access::kReadWrite;
    writer_ = open_writer(scheme_, path_, append, field_names_);
    wrote_before_ = true;
  }
  writer_->add(record);
}

Json Dataset::read_json() {
  resolve();
  if (scheme_ != "json") throw Error("read_json() is for json:// datasets; " + url_ + " is " + scheme_);
  return read_json_document(path_);
}

void Dataset::write_json(const Json& document) {
  resolve();
  if (scheme_ != "json") throw Error("write_json() is for json:// datasets; " + url_ + " is " + scheme_);
  if (access_ == Access::kRead) throw Error("dataset " + url_ + " is read-only; declare it Access::kWrite to write it");
  const auto parent = std::filesystem::path(path_).parent_path();
  if (!parent.empty()) std::filesystem::create_directories(parent);
  std::ofstream out(path_, std::ios::binary | std::ios::trunc);
  if (!out) throw DataError(path_ + ": cannot open for writing");
  out << document.dump(indent_) << '\n';
}

void Dataset::close() {
  reader_.reset();
  if (writer_) {
    writer_->flush();
    writer_.reset();
  }
}

DatasetTemplate::DatasetTemplate(Model* owner, std::string url_template, Access access,
                                 std::vector<std::string> field_names)
    : DatasetBase(owner), url_template_(std::move(url_template)), access_(access), field_names_(std::move(field_names)) {}

Dataset& DatasetTemplate::new_dataset(std::map<std::string, std::string> extra) {
  made_.push_back(std::unique_ptr<Dataset>(new Dataset(owner(), url_template_, std::move(extra), access_, field_names_)));
  return *made_.back();
}

}  // namespace ayeaye
