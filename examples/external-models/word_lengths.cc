// WordLengths: a partitioned model of our own. Each subtask measures one word; the parent adds
// the lengths up. Run it with: my-fossa run WordLengths --context words=alpha,beta,gamma
#include <ayeaye/ayeaye.h>

#include <sstream>

class WordLengths : public ayeaye::PartitionedModel {
 public:
  std::vector<ayeaye::TaskPartition> partition_slice(int /*partition_count*/) override {
    std::vector<ayeaye::TaskPartition> subtasks;
    std::stringstream words(context().require("words"));
    for (std::string word; std::getline(words, word, ',');) subtasks.push_back({"measure", {{"word", word}}});
    return subtasks;
  }

  void partition_subtask_complete(const std::string&, const ayeaye::Json& kwargs,
                                  const ayeaye::Json& length) override {
    total_ += length.get<int>();
    log(kwargs["word"].get<std::string>() + " has " + length.dump() + " letters");
  }

  void partition_complete() override { log("total letters: " + std::to_string(total_)); }

  int measure(const std::string& word) { return static_cast<int>(word.size()); }

 private:
  int total_ = 0;
};

AYEAYE_REGISTER_MODEL(WordLengths, AYEAYE_SUBTASK(measure, word));
