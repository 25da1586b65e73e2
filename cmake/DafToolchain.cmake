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
