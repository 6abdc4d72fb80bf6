// Finding a program as a shell would: the first executable `name` in the directories of PATH.
// (posix_spawn, as ChildProcess uses it, takes a path.)
#pragma once

#include <optional>
#include <string>

namespace fossa {

std::optional<std::string> find_on_path(const std::string& name);

}  // namespace fossa
