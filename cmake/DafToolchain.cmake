# Compiler and linker settings shared by every target.
include(CheckLinkerFlag)

# lld (or gold) links the LibTorch executables several times faster than bfd.
foreach(linker lld gold)
  check_linker_flag(CXX "-fuse-ld=${linker}" DAF_HAVE_LD_${linker})
  if(DAF_HAVE_LD_${linker})
    add_link_options("-fuse-ld=${linker}")
    message(STATUS "daf: linking with ${linker}")
    break()
  endif()
endforeach()

if(CMAKE_CXX_COMPILER_ID MATCHES "GNU|Clang")
  add_compile_options(-Wall -Wextra -Wno-unused-parameter)
endif()
# GCC 13-15 (Debian 13's 14) report -Warray-bounds and -Wstringop-overflow in
# std::vector<bool>::reserve inlined from LibTorch 2.6's
# torch::autograd::Function::apply (every hand-written autograd node in
# src/model): the middle end's known false positive on vector<bool> copies;
# the memmove stays in bounds. A pragma around each apply() call did not hold
# (not in unity batches, nor where apply is not inlined into the caller), so
# the two are off for those compilers; GCC 12 (Debian 12) and clang (the
# sanitizer build) keep them.
if(CMAKE_CXX_COMPILER_ID STREQUAL "GNU" AND CMAKE_CXX_COMPILER_VERSION VERSION_GREATER_EQUAL 13)
  add_compile_options(-Wno-array-bounds -Wno-stringop-overflow)
endif()

# Sanitizer builds (scripts/sanitize.sh): e.g. -DDAF_SANITIZE=address,undefined
# instruments every target; UBSan findings abort instead of scrolling past.
set(DAF_SANITIZE "" CACHE STRING "sanitizers for every target, e.g. address,undefined")
if(DAF_SANITIZE)
  add_compile_options(-fsanitize=${DAF_SANITIZE} -fno-omit-frame-pointer -fno-sanitize-recover=all)
  add_link_options(-fsanitize=${DAF_SANITIZE})
endif()
# libFuzzer harnesses (scripts/fuzz.sh, clang only): the library gets
# coverage instrumentation, the harnesses link libFuzzer's main.
option(DAF_BUILD_FUZZERS "Build the libFuzzer harnesses in tests/fuzz (clang)" OFF)
if(DAF_BUILD_FUZZERS)
  if(NOT CMAKE_CXX_COMPILER_ID MATCHES "Clang")
    message(FATAL_ERROR "DAF_BUILD_FUZZERS needs clang (e.g. CXX=clang++-14 or clang++-19)")
  endif()
  add_compile_options(-fsanitize=fuzzer-no-link)
endif()

# Targets whose own code is argument parsing or test assertions (the tools'
# main files, the unit tests without LibTorch): -O1 instead of the release
# build's -O3 compiles them ~35% faster (CLI11 and Catch2 are header-only) and
# changes no number, since all the work happens in the daf library. Not for
# targets reusing the precompiled header, whose options must match daf's.
function(daf_light_optimisation target)
  target_compile_options(${target} PRIVATE $<$<CONFIG:Release>:-O1>)
endfunction()
