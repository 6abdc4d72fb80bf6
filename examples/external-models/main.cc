// The whole `fossa` command line with this project's models registered.
#include <fossa/main.h>

int main(int argc, char** argv) { return fossa::main(argc, argv); }
