// SecondTimeLucky: 3 subtasks, each writing its own CSV under {output_datasets}. Each fails the
// first time it runs (its file does not exist yet: it writes it, then throws) and succeeds when
// run again — so it completes only through a retry.
#include <stdexcept>

#include "ayeaye/ayeaye.h"

namespace examples {

class SecondTimeLucky : public ayeaye::PartitionedModel {
 public:
  std::vector<ayeaye::TaskPartition> partition_slice(int /*partition_count*/) override {
    return {{"build_document", {{"doc_name", "a"}}},
            {"build_document", {{"doc_name", "b"}}},
            {"build_document", {{"doc_name", "c"}}}};
  }

  void build_document(const std::string& doc_name) {
    ayeaye::Dataset& doc = subtask_docs.new_dataset({{"subtask_id", doc_name}});
    if (!doc.exists()) {
      doc.add({{"name", "hello_world"}});
      doc.close();
      throw std::runtime_error("Fake error: " + doc.path() + " did not exist yet");
    }
  }

  ayeaye::DatasetTemplate subtask_docs{this, "csv://{output_datasets}/{subtask_id}_results.csv"};
};

}  // namespace examples

using examples::SecondTimeLucky;
AYEAYE_REGISTER_MODEL(SecondTimeLucky, AYEAYE_SUBTASK(build_document, doc_name));
