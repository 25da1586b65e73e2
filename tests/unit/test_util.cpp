#include "catch.h"
#include <sys/wait.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>

#include "daf/config/yaml_text.h"
#include "daf/util/atomic_file.h"
#include "daf/util/error.h"
#include "daf/util/file_lock.h"
#include "daf/util/memory.h"
#include "daf/util/progress.h"
#include "daf/util/strings.h"
#include "test_helpers.h"

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
