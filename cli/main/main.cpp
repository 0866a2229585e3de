// cli/main/main.cpp: the gum executable is a thin front end over the engine library.
#include "cli/app.hpp"

int main(int argc, char** argv) { return gum::cli::run(argc, argv); }
