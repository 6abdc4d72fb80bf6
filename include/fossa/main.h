// The whole `fossa` command line (`fossa --help` lists its commands), for a program that
// registers its own models: link Fossa::engine, register models, and call fossa::main.
#pragma once

namespace fossa {

// Parses argv and runs the chosen command; returns the process exit code.
int main(int argc, char** argv);

}  // namespace fossa
