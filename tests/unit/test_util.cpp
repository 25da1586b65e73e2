#include "catch.h"
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <vector>

#include "daf/config/yaml_text.h"
#include "daf/util/atomic_file.h"
#include "daf/util/error.h"
#include "daf/util/file_lock.h"
#include "daf/util/memory.h"
#include "daf/util/progress.h"
#include "daf/util/sha256.h"
#include "daf/util/strings.h"
#include "test_helpers.h"
#include "util/sha256_blocks.h"

using Catch::Matchers::ContainsSubstring;
using daf::test::TempDir;

TEST_CASE("UTF-8 validation follows the standard's well-formed byte sequences", "[util]") {
  size_t at = 0;
  CHECK(daf::is_valid_utf8("plain ascii"));
  CHECK(daf::is_valid_utf8("caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80"));  // 2-, 3- and 4-byte forms
  CHECK_FALSE(daf::is_valid_utf8("caf\xe9", &at));                       // Latin-1
  CHECK(at == 3);
  CHECK_FALSE(daf::is_valid_utf8("\xc0\xaf"));          // overlong '/'
  CHECK_FALSE(daf::is_valid_utf8("\xed\xa0\x80"));      // a UTF-16 surrogate
  CHECK_FALSE(daf::is_valid_utf8("\xf4\x90\x80\x80"));  // above U+10FFFF
  CHECK_FALSE(daf::is_valid_utf8("\xe2\x82"));          // cut short
  CHECK(daf::without_bom("\xEF\xBB\xBFid") == "id");
  CHECK(daf::without_bom("id") == "id");
}

TEST_CASE("sha256 matches the standard test vectors", "[util]") {
  daf::Sha256 empty;
  CHECK(empty.hex_digest() == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  daf::Sha256 abc;
  abc.update("abc");
  CHECK(abc.hex_digest() == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  // FIPS 180-2's two-block message, fed in pieces that straddle the block boundary.
  const std::string two_blocks = "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq";
  daf::Sha256 pieces;
  pieces.update(two_blocks.substr(0, 5));
  pieces.update(two_blocks.substr(5, 50));
  pieces.update(two_blocks.substr(55));
  CHECK(pieces.hex_digest() == "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
  daf::Sha256 long_input;  // whole blocks straight from the input
  long_input.update(std::string(1000000, 'a'));
  CHECK(long_input.hex_digest() == "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0");
}

TEST_CASE("sha256 on the CPU's SHA extensions gives the portable code's state", "[util]") {
  if (!daf::sha256_hardware_available()) {
    WARN("this CPU has no SHA extensions: only the portable code is tested");
    return;
  }
  std::vector<uint8_t> data(64 * 257);
  uint32_t x = 12345;
  for (auto& byte : data) byte = static_cast<uint8_t>((x = x * 1664525u + 1013904223u) >> 24);
  for (size_t blocks : {1, 2, 3, 16, 257}) {
    uint32_t portable[8] = {0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a,
                            0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19};
    uint32_t hardware[8];
    std::copy(portable, portable + 8, hardware);
    daf::sha256_blocks_portable(portable, data.data(), blocks);
    daf::sha256_blocks_hardware(hardware, data.data(), blocks);
    CAPTURE(blocks);
    CHECK(std::equal(portable, portable + 8, hardware));
  }
}

namespace {

// The definition format_number and format_float follow, as printf and strtod
// compute it: "%.{p}g" with the smallest p from 6 that reads back exactly.
std::string shortest_printf(double value, int max_precision, bool as_float) {
  char buffer[64];
  for (int precision = 6; precision <= max_precision; ++precision) {
    std::snprintf(buffer, sizeof buffer, "%.*g", precision, value);
    if (as_float ? std::strtof(buffer, nullptr) == static_cast<float>(value) : std::strtod(buffer, nullptr) == value)
      break;
  }
  return buffer;
}

}  // namespace

TEST_CASE("numbers are written as printf's shortest %g that reads back the same value", "[util]") {
  std::vector<double> doubles = {0.0, -0.0, 0.1, 1.0 / 3.0, 1e6, 1234567, 0.0001, 1e-5, 123456.5, 5e-324,
                                 2.2250738585072014e-308, 1.7976931348623157e308, 100, -42.125, 9007199254740993.0};
  std::vector<float> floats = {0.0f, 0.1f, 1.0f / 3.0f, 1e6f, 16777216.0f, 0.0001f, 1e-45f, 3.4028235e38f, -2.5f};
  uint64_t x = 88172645463325252ULL;  // xorshift64: random bit patterns, every exponent
  auto next = [&x] { return x ^= x << 13, x ^= x >> 7, x ^= x << 17; };
  while (doubles.size() < 20000) {
    double d;
    const uint64_t bits = next();
    std::memcpy(&d, &bits, sizeof d);
    if (std::isfinite(d)) doubles.push_back(d);
  }
  while (floats.size() < 20000) {
    float f;
    const auto bits = static_cast<uint32_t>(next());
    std::memcpy(&f, &bits, sizeof f);
    if (std::isfinite(f)) floats.push_back(f);
  }
  for (int i = 0; i < 20000; ++i)  // values like the ones daf writes: predictions, metrics, weights
    doubles.push_back(static_cast<double>(static_cast<int64_t>(next() % 2000001) - 1000000) / 1e5 / (1 + i % 7));
  size_t mismatches = 0;
  for (double d : doubles)
    if (daf::format_number(d) != shortest_printf(d, 17, false)) {
      if (++mismatches < 5) FAIL_CHECK(daf::format_number(d) << " != " << shortest_printf(d, 17, false));
    }
  for (float f : floats)
    if (daf::format_float(f) != shortest_printf(f, 9, true)) {
      if (++mismatches < 5) FAIL_CHECK(daf::format_float(f) << " != " << shortest_printf(f, 9, true));
    }
  CHECK(mismatches == 0);
  CHECK(daf::format_number(std::nan("")) == "nan");
  CHECK(daf::format_number(-INFINITY) == "-inf");
  CHECK(daf::format_float(INFINITY) == "inf");
}

TEST_CASE("duplicate YAML keys are errors with the line of both", "[util][config]") {
  CHECK_THROWS_WITH(daf::parse_yaml("train:\n  lr: 1\nmodel: {dim: 4}\ntrain:\n  lr: 2\n", "c.yaml"),
                    ContainsSubstring("c.yaml:4: key 'train' appears twice in one mapping (first at line 1)"));
  CHECK_THROWS_WITH(daf::parse_yaml("train: {lr: 1, lr: 2}\n", "c.yaml"), ContainsSubstring("key 'lr' appears twice"));
  CHECK_THROWS_WITH(daf::parse_yaml("a: [\n", "c.yaml"), ContainsSubstring("c.yaml:") && ContainsSubstring("not valid YAML"));
  CHECK(daf::parse_yaml("train: {lr: 1}\nmodel: {lr: 1}\n", "c.yaml")["model"]["lr"].as<int>() == 1);
  // Found by fuzz_manifest: a JSON line followed by " : " is a YAML mapping whose key is a mapping.
  CHECK_THROWS_WITH(daf::parse_yaml("{\"id\": \"a\"} : \n", "m.jsonl:1"),
                    ContainsSubstring("m.jsonl:1:1: a mapping key must be a plain name or value, found a mapping"));
  CHECK_THROWS_WITH(daf::parse_yaml("? [a, b]\n: 1\n", "c.yaml"), ContainsSubstring("found a list"));
  CHECK_THROWS_WITH(daf::parse_yaml("~: 1\n", "c.yaml"), ContainsSubstring("found an empty key"));
}

TEST_CASE("a file that is a directory, and a write the OS refuses, are named", "[util]") {
  TempDir dir;
  CHECK_THROWS_WITH(daf::read_file(dir.path()), ContainsSubstring(dir.path() + ": is a directory, expected a file"));
  std::ofstream(dir.file("plain")) << "x";
  CHECK_THROWS_WITH(daf::write_file_atomic(dir.file("plain/out.csv"), "a,b\n"),
                    ContainsSubstring("cannot write " + dir.file("plain/out.csv")) && ContainsSubstring("Not a directory"));
}

TEST_CASE("stale temporaries of dead processes are removed, live ones kept", "[util]") {
  TempDir dir;
  // A PID that cannot be alive (beyond the kernel's pid_max) and our own.
  std::ofstream(dir.file("checkpoint.pt.tmp.999999999")) << "x";
  std::ofstream(dir.file("model.pt.tmp." + std::to_string(::getpid()))) << "x";
  std::ofstream(dir.file("notes.tmp.txt")) << "x";
  CHECK(daf::remove_stale_temporaries(dir.path()) == 1);
  CHECK_FALSE(std::filesystem::exists(dir.file("checkpoint.pt.tmp.999999999")));
  CHECK(std::filesystem::exists(dir.file("model.pt.tmp." + std::to_string(::getpid()))));
  CHECK(std::filesystem::exists(dir.file("notes.tmp.txt")));
}

TEST_CASE("an output locked by another process is refused, naming its PID, the kernel frees it", "[util]") {
  TempDir dir;
  int ready[2], release[2];
  REQUIRE(::pipe(ready) == 0);
  REQUIRE(::pipe(release) == 0);
  const pid_t child = ::fork();
  REQUIRE(child >= 0);
  if (child == 0) {
    const auto lock = daf::lock_run_directory(dir.file("run"));
    char c = 1;
    (void)!::write(ready[1], &c, 1);
    (void)!::read(release[0], &c, 1);
    ::_exit(0);
  }
  char c = 0;
  REQUIRE(::read(ready[0], &c, 1) == 1);
  CHECK_THROWS_WITH(daf::lock_run_directory(dir.file("run")),
                    ContainsSubstring("run directory " + dir.file("run") + " is being written by another process (PID " +
                             std::to_string(child)));
  (void)!::write(release[1], &c, 1);
  int status = 0;
  ::waitpid(child, &status, 0);
  const auto lock = daf::lock_run_directory(dir.file("run"));  // released when the holder exited
  CHECK(daf::lock_run_directory(dir.file("run")) == lock);     // the same process shares its lock
  for (int fd : {ready[0], ready[1], release[0], release[1]}) ::close(fd);
}

TEST_CASE("a request larger than the machine's memory is refused up front", "[util]") {
  CHECK(daf::physical_memory_bytes() > 0);
  CHECK_NOTHROW(daf::check_memory_request(1e6, "x", "small"));
  CHECK_THROWS_WITH(daf::check_memory_request(1e18, "synth: the cache", "1e9 x 1e9"),
                    ContainsSubstring("synth: the cache needs about 1e+09 GB of memory (1e9 x 1e9); this machine has"));
}

TEST_CASE("time left comes from work done, not from items, when batches go longest first") {
  CHECK(daf::remaining_seconds(10.0, 0.0, 100.0) == 0.0);
  CHECK(daf::remaining_seconds(10.0, 100.0, 100.0) == 0.0);
  CHECK(daf::remaining_seconds(10.0, 25.0, 100.0) == Catch::Approx(30.0));
  // Ten utterances of 20, 18, ..., 2 s encoded longest first at 1 s of audio per second:
  // after the first (20 s of 110 s, 1 of 10 items) 90 s are left.
  const double elapsed = 20.0;
  CHECK(daf::remaining_seconds(elapsed, 20.0, 110.0) == Catch::Approx(90.0));
  CHECK(daf::remaining_seconds(elapsed, 1.0, 10.0) == Catch::Approx(180.0));  // by items: twice too long
}
