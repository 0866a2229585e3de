// tests/support/pch_anchor.cpp: the one source of the target that owns the tests' precompiled
// header (tests/CMakeLists.txt, GUM_PCH); it has nothing else to do.
