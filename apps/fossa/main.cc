// The `fossa` program: the engine's command line with the example models registered.
// A model author's own program is the same three lines (examples/external-models/).
#include "fossa/main.h"

int main(int argc, char** argv) { return fossa::main(argc, argv); }
