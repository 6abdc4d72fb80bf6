#include "ayeaye/dataset.h"

#include <exception>
#include <filesystem>

#include "dataset_io.h"
#include "dataset_url.h"
#include "s3_stream.h"
#include "wildcard.h"

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
  // Keep what was written — unless an exception is unwinding through, when S3 writes are dropped.
  close_or_abandon();
}

void Dataset::resolve() const {
  if (parsed_) return;
  const ResolverContext& context = owner() != nullptr ? owner()->context() : ResolverContext::current();
  auto parsed = parse_dataset_url(context.resolve(url_template_, extra_));
  if (!parsed) throw Error(parsed.error());
  parsed_ = std::make_unique<DatasetUrl>(std::move(parsed).value());
}

std::string Dataset::url() const {
  resolve();
  return parsed_->url;
}

std::string Dataset::path() const {
  resolve();
  return parsed_->path;
}

namespace {

// The files (local paths, or "bucket/key") a URL stands for.
std::vector<std::string> locations_of(const DatasetUrl& url) {
  if (!url.wildcard) return {url.path};
  return url.s3 ? s3_matching(url.bucket, url.key) : local_matching(url.path);
}

}  // namespace

bool Dataset::exists() const {
  resolve();
  if (parsed_->wildcard) return !locations_of(*parsed_).empty();
  return parsed_->s3 ? s3_object_exists(parsed_->path) : std::filesystem::exists(parsed_->path);
}

std::vector<std::string> Dataset::files() const {
  resolve();
  std::vector<std::string> urls;
  for (const auto& location : locations_of(*parsed_)) urls.push_back(parsed_->with_path(location));
  return urls;
}

Dataset::Iterator::Iterator(DatasetReader* reader) : reader_(reader) { ++*this; }

Dataset::Iterator& Dataset::Iterator::operator++() {
  if (reader_ != nullptr && !reader_->next(record_)) reader_ = nullptr;
  return *this;
}

DatasetReader& Dataset::open_reading() {
  resolve();
  const std::string& url = parsed_->url;
  if (access_ == Access::kWrite) throw Error("dataset " + url + " is write-only; declare it Access::kReadWrite to read it");
  if (writer_) {  // what this dataset wrote so far is read too; later writes append
    writer_->commit();
    writer_.reset();
  }
  auto locations = locations_of(*parsed_);
  if (locations.empty()) throw DataError(url + ": no file matches");
  reader_ = open_reader(*parsed_, std::move(locations));
  return *reader_;
}

Dataset::Iterator Dataset::begin() { return Iterator(&open_reading()); }

Rows Dataset::rows() {
  resolve();
  if (parsed_->engine != "csv" && parsed_->engine != "tsv") {
    throw Error("rows() is for csv and tsv datasets; " + parsed_->url + " is " + parsed_->engine);
  }
  return Rows(open_reading().rows());
}

DatasetWriter& Dataset::writer() {
  if (writer_) return *writer_;  // open, so the checks below passed (a row at a time: the fast path)
  resolve();
  const std::string& url = parsed_->url;
  if (access_ == Access::kRead) throw Error("dataset " + url + " is read-only; declare it Access::kWrite to add to it");
  if (parsed_->wildcard) throw Error("dataset " + url + " has a wildcard: it names files to read, not one to write");
  // The first write of this dataset's life replaces the file (kWrite); later ones, and kReadWrite, append.
  const bool append = wrote_before_ || access_ == Access::kReadWrite;
  writer_ = open_writer(*parsed_, parsed_->path, append, field_names_);
  wrote_before_ = true;
  return *writer_;
}

void Dataset::add(const Json& record) { writer().add(record); }

void Dataset::add_row(std::span<const std::string_view> fields) { writer().add_fields(fields); }

Json Dataset::read_json() {
  resolve();
  if (parsed_->engine != "json") throw Error("read_json() is for json:// datasets; " + parsed_->url + " is " + parsed_->engine);
  return read_json_document(*parsed_, parsed_->path);
}

void Dataset::write_json(const Json& document) {
  resolve();
  if (parsed_->engine != "json") throw Error("write_json() is for json:// datasets; " + parsed_->url + " is " + parsed_->engine);
  if (access_ == Access::kRead) throw Error("dataset " + parsed_->url + " is read-only; declare it Access::kWrite to write it");
  write_json_document(*parsed_, parsed_->path, document);
}

void Dataset::close() {
  reader_.reset();
  if (writer_) {
    auto writer = std::move(writer_);
    writer->commit();
  }
}

void Dataset::abandon() {
  reader_.reset();
  if (writer_) {
    auto writer = std::move(writer_);
    writer->abandon();
  }
}

DatasetTemplate::DatasetTemplate(Model* owner, std::string url_template, Access access,
                                 std::vector<std::string> field_names)
    : DatasetBase(owner), url_template_(std::move(url_template)), access_(access), field_names_(std::move(field_names)) {}

Dataset& DatasetTemplate::new_dataset(std::map<std::string, std::string> extra) {
  made_.push_back(std::unique_ptr<Dataset>(new Dataset(owner(), url_template_, std::move(extra), access_, field_names_)));
  return *made_.back();
}

std::vector<TaskPartition> one_subtask_per_file(const Dataset& files, const std::string& method,
                                                const std::string& url_kwarg) {
  std::vector<TaskPartition> subtasks;
  for (const auto& url : files.files()) subtasks.emplace_back(method, Json{{url_kwarg, url}});
  return subtasks;
}

}  // namespace ayeaye
