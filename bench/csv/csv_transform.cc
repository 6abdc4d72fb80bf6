// The C++ side of the CSV benchmark: read every record of a CSV through ayeaye::Dataset,
// transform it (upper-case a name, derive a column), write it to a new CSV.
// Usage: bench_csv_transform <input.csv> <output.csv>   (the same work as transform.py)
#include <algorithm>
#include <cctype>
#include <cstdio>
#include <string>

#include "ayeaye/dataset.h"

namespace {

class Transform : public ayeaye::Model {
 public:
  Transform(const std::string& in, const std::string& out)
      : input{this, "csv://" + in}, output{this, "csv://" + out, ayeaye::Access::kWrite,
                                          {"id", "name", "city", "amount", "note", "amount_with_tax"}} {}
  void build() override {
    for (const ayeaye::Json& row : input) {
      ayeaye::Json out = row;
      std::string name = row["name"].get<std::string>();
      std::transform(name.begin(), name.end(), name.begin(), [](unsigned char c) { return static_cast<char>(std::toupper(c)); });
      out["name"] = name;
      char tax[32];
      std::snprintf(tax, sizeof tax, "%.2f", std::stod(row["amount"].get<std::string>()) * 1.2);
      out["amount_with_tax"] = tax;
      output.add(out);
    }
  }
  ayeaye::Dataset input;
  ayeaye::Dataset output;
};

}  // namespace

int main(int argc, char** argv) {
  if (argc != 3) {
    std::fprintf(stderr, "usage: %s <input.csv> <output.csv>\n", argv[0]);
    return 2;
  }
  Transform transform(argv[1], argv[2]);
  return transform.go() ? 0 : 1;
}
