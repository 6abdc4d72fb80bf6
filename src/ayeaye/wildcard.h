// Wildcards in dataset paths: `*` (any run of characters) and `?` (one character), neither
// crossing a '/'. A wildcard dataset stands for every file (or S3 object) that matches, in sorted
// order (byte order of the path). Internal.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace ayeaye {

bool wildcard_match(std::string_view pattern, std::string_view text);

// Every local file matching `pattern` (relative patterns from the working directory), sorted.
std::vector<std::string> local_matching(const std::string& pattern);

}  // namespace ayeaye
