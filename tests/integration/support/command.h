// Running build/bin/fossa-fixtures (or any program) from a test and collecting its output and exit code.
#pragma once

#include <string>
#include <vector>

namespace fossa::testing {

struct CommandResult {
  int exit_code = -1;
  std::string out;  // stdout
  std::string err;  // stderr
};

// Runs `program args...` to completion (no shell), with `extra_env` ("K=V") added. A program silent
// for two minutes is killed (its exit code then says so), so a hang fails a test instead of stalling it.
CommandResult run_command(const std::string& program, const std::vector<std::string>& args,
                          const std::vector<std::string>& extra_env = {});

// build/bin/fossa-fixtures (fossa with the tests' fixture models), from the FOSSA_BIN variable that
// CTest sets.
std::string fossa_bin();

// build/bin/fossa, the program as it ships (the example models alone): beside fossa_bin().
std::string shipped_fossa_bin();

// A fresh directory under /tmp, removed with everything in it when the object goes.
class TempDir {
 public:
  TempDir();
  ~TempDir();
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  const std::string& path() const { return path_; }

 private:
  std::string path_;
};

}  // namespace fossa::testing
