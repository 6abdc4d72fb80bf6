#include "wildcard.h"

#include <algorithm>
#include <filesystem>

namespace ayeaye {

bool wildcard_match(std::string_view pattern, std::string_view text) {
  // Greedy matching with one backtrack point, the last '*' seen (it may not cross a '/').
  std::size_t p = 0;
  std::size_t t = 0;
  std::size_t star = std::string_view::npos;
  std::size_t star_text = 0;
  while (t < text.size()) {
    if (p < pattern.size() && (pattern[p] == text[t] || (pattern[p] == '?' && text[t] != '/'))) {
      ++p;
      ++t;
    } else if (p < pattern.size() && pattern[p] == '*') {
      star = p++;
      star_text = t;
    } else if (star != std::string_view::npos && text[star_text] != '/') {
      p = star + 1;
      t = ++star_text;
    } else {
      return false;
    }
  }
  while (p < pattern.size() && pattern[p] == '*') ++p;
  return p == pattern.size();
}

std::vector<std::string> local_matching(const std::string& pattern) {
  namespace fs = std::filesystem;
  // Walk from the deepest directory named without wildcards.
  const std::size_t first_wild = pattern.find_first_of("*?");
  const std::size_t slash = pattern.rfind('/', first_wild);
  const std::string root = slash == std::string::npos ? "." : (slash == 0 ? "/" : pattern.substr(0, slash));
  const std::string prefix = slash == std::string::npos ? "" : pattern.substr(0, slash + 1);
  const auto depth = std::count(pattern.begin() + static_cast<std::ptrdiff_t>(prefix.size()), pattern.end(), '/');
  std::vector<std::string> matches;
  std::error_code error;
  if (!fs::is_directory(root, error)) return matches;
  for (auto it = fs::recursive_directory_iterator(root, fs::directory_options::skip_permission_denied, error);
       !error && it != fs::recursive_directory_iterator(); it.increment(error)) {
    if (it.depth() >= depth) it.disable_recursion_pending();
    if (!it->is_regular_file(error)) continue;
    const std::string relative = fs::relative(it->path(), root, error).generic_string();
    if (wildcard_match(pattern.substr(prefix.size()), relative)) matches.push_back(prefix + relative);
  }
  std::sort(matches.begin(), matches.end());
  return matches;
}

}  // namespace ayeaye
