// Stand-in for std::ios_base_library_init() (_ZSt21ios_base_library_initv, GLIBCXX_3.4.32, new in GCC 13).
// GCC 13's <iostream> only references this symbol to make sure a libstdc++ that sets up std::cout itself is
// loaded; the function in libstdc++ is empty too. Loaded by the patched libLibTorchSharp.so on systems whose
// libstdc++ predates GCC 13. See docs/libtorch-on-debian12.md.
namespace std { void ios_base_library_init() {} }
