// What the dataset tests share: a temporary directory, and a model owning datasets in a context
// whose `dir` names it.
#pragma once

#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

#include "ayeaye/dataset.h"

namespace ayeaye_test {

class TempDirectory {
 public:
  TempDirectory() {
    std::string pattern = (std::filesystem::temp_directory_path() / "ayeaye-dataset-XXXXXX").string();
    path_ = ::mkdtemp(pattern.data());
  }
  ~TempDirectory() { std::filesystem::remove_all(path_); }
  const std::string& path() const { return path_; }
  std::string file(const std::string& name, const std::string& content) const {
    const std::string full = path_ + "/" + name;
    std::filesystem::create_directories(std::filesystem::path(full).parent_path());
    std::ofstream(full, std::ios::binary) << content;
    return full;
  }
  std::string read(const std::string& name) const {
    std::ifstream in(path_ + "/" + name, std::ios::binary);
    std::stringstream s;
    s << in.rdbuf();
    return s.str();
  }

 private:
  std::string path_;
};

// A model to own datasets, in a context naming the temp directory.
class Owner : public ayeaye::Model {
 public:
  explicit Owner(const std::string& dir) {
    ayeaye::ResolverContext context;
    context.set("dir", dir);
    set_context(context);
  }
  void build() override {}
};

}  // namespace ayeaye_test
