// Datasets a model declares as members, by URL. DATASETS HELPER: extend this file.
#pragma once

#include "ayeaye/model.h"

namespace ayeaye {

// Base of every dataset: registers with its owning model, which closes it after each build stage.
class DatasetBase {
 public:
  explicit DatasetBase(Model* owner);
  virtual ~DatasetBase();
  DatasetBase(const DatasetBase&) = delete;
  DatasetBase& operator=(const DatasetBase&) = delete;

  // Releases files and positions; the next use opens afresh.
  virtual void close() = 0;

 protected:
  Model* owner() const { return owner_; }

 private:
  Model* owner_;
};

}  // namespace ayeaye
