# Third-party packages. Everything comes from Debian 12 packages; an official
# LibTorch build (e.g. with CUDA) is picked up instead when its folder is on
# CMAKE_PREFIX_PATH.
find_package(Torch REQUIRED)
find_package(HDF5 REQUIRED COMPONENTS C)
find_package(yaml-cpp REQUIRED)
find_package(spdlog REQUIRED)
find_package(CLI11 REQUIRED)
# JSON Lines inputs (daf-predict's pipe, manifests): an RFC 8259 parser, header-only.
find_package(nlohmann_json 3.10 REQUIRED)

message(STATUS "daf: LibTorch ${Torch_VERSION} from ${Torch_DIR}")
if(TORCH_CUDA_LIBRARIES OR CUDA_FOUND)
  message(STATUS "daf: LibTorch has CUDA support")
endif()

# LibTorch 1.13's TorchConfig exports plain variables; wrap them in one target.
# daf_c10 is LibTorch's small core library alone (its error type, the version):
# what daf's code without tensor operations links (daf_core), because loading
# libtorch_cpu costs ~0.7 s per process start (Debian's pulls ~280 more
# libraries, OpenCV and GDAL among them, and registers every operator). Both
# carry LibTorch's compile flags (its C++ ABI), so the two libraries agree.
separate_arguments(daf_torch_flags UNIX_COMMAND "${TORCH_CXX_FLAGS}")
add_library(daf_c10 INTERFACE)
target_link_libraries(daf_c10 INTERFACE c10)
# LibTorch's headers too (torch/version.h names the API version); only c10 is linked.
target_include_directories(daf_c10 INTERFACE $<TARGET_PROPERTY:torch,INTERFACE_INCLUDE_DIRECTORIES>)
target_compile_options(daf_c10 INTERFACE ${daf_torch_flags})
add_library(daf_torch INTERFACE)
target_link_libraries(daf_torch INTERFACE ${TORCH_LIBRARIES} daf_c10)

add_library(daf_hdf5 INTERFACE)
target_include_directories(daf_hdf5 SYSTEM INTERFACE ${HDF5_C_INCLUDE_DIRS} ${HDF5_INCLUDE_DIRS})
target_link_libraries(daf_hdf5 INTERFACE ${HDF5_C_LIBRARIES})
target_compile_definitions(daf_hdf5 INTERFACE ${HDF5_C_DEFINITIONS} ${HDF5_DEFINITIONS})

# Audio decoding and resampling (daf-extract) come through pkg-config.
find_package(PkgConfig REQUIRED)
pkg_check_modules(SNDFILE REQUIRED IMPORTED_TARGET sndfile)
# ICU: Unicode categories, NFD, case mapping and the regular expressions of the WordPiece and BPE tokenizers.
pkg_check_modules(ICU REQUIRED IMPORTED_TARGET icu-uc icu-i18n)
pkg_check_modules(SAMPLERATE REQUIRED IMPORTED_TARGET samplerate)
# Audio from video containers (mp4, mkv, avi, webm: MELD, CH-SIMS) through
# FFmpeg's libraries, for files libsndfile cannot open. AUTO builds it where
# pkg-config finds FFmpeg 5.1 or newer (Debian 12: 5.1, Debian 13: 7.1); ON
# requires it (CI); OFF leaves it out (a daf without it names the missing
# support in its error for a video file).
set(DAF_FFMPEG AUTO CACHE STRING "Decode audio from video containers with FFmpeg: AUTO, ON or OFF")
set_property(CACHE DAF_FFMPEG PROPERTY STRINGS AUTO ON OFF)
set(DAF_HAVE_FFMPEG OFF)
if(NOT DAF_FFMPEG STREQUAL "OFF")
  set(daf_ffmpeg_modules libavformat libavcodec libswresample "libavutil>=57.28")
  if(DAF_FFMPEG STREQUAL "ON")
    pkg_check_modules(FFMPEG REQUIRED IMPORTED_TARGET ${daf_ffmpeg_modules})
  else()
    pkg_check_modules(FFMPEG QUIET IMPORTED_TARGET ${daf_ffmpeg_modules})
  endif()
  if(FFMPEG_FOUND)
    set(DAF_HAVE_FFMPEG ON)
  endif()
endif()
message(STATUS "daf: audio from video containers through FFmpeg: ${DAF_HAVE_FFMPEG}")
# sentencepiece is linked ONLY into the small daf_sentencepiece shim library,
# never into daf or a torch executable: Debian's libsentencepiece exports its
# own protobuf 3.14 and LibTorch uses 3.21, so linking both crashes before
# main(). daf loads the shim with dlopen(RTLD_LOCAL | RTLD_DEEPBIND).
pkg_check_modules(SENTENCEPIECE REQUIRED IMPORTED_TARGET sentencepiece)
