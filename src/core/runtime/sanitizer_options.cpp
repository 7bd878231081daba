// LeakSanitizer settings for sanitized builds, linked into every executable (a static library's member
// would be left out of the programs that do not use it). Empty in other builds.
// GCC says __SANITIZE_ADDRESS__; clang (the fuzz build) says __has_feature(address_sanitizer).
#if defined(__SANITIZE_ADDRESS__)
#define OPTIVIZ_ADDRESS_SANITIZER 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define OPTIVIZ_ADDRESS_SANITIZER 1
#endif
#endif
#if defined(OPTIVIZ_ADDRESS_SANITIZER)
// Without this, every sanitized run would end its output with a "Suppressions used" table, which
// would break the tests that read a command's whole output (optiviz --version).
extern "C" const char* __lsan_default_options() { return "print_suppressions=0"; }
#endif
