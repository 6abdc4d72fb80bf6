// `fossa models`: the models this program can run, with their subtask methods and parameters.
#pragma once

namespace fossa::cli {

int models_command();

}  // namespace fossa::cli
