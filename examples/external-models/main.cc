// The whole `fossa` command line (run, node, submit, cluster, models) with this project's models.
#include <fossa/main.h>

int main(int argc, char** argv) { return fossa::main(argc, argv); }
