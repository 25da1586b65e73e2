#include "catch.h"

#include <filesystem>
#include <fstream>

#include <unistd.h>

#include "daf/datasets/dataset_manifest.h"
#include "daf/datasets/iemocap.h"
#include "daf/datasets/meld.h"
#include "daf/util/atomic_file.h"
#include "daf/util/error.h"

using Catch::Matchers::ContainsSubstring;

TEST_CASE("IEMOCAP: the speaker is the session plus the turn's own gender letter", "[datasets]") {
  // The dialogue prefix names the actor wearing markers; both actors speak in every dialogue.
  CHECK(daf::iemocap_speaker("Ses01F_impro01_M000") == "Ses01M");
  CHECK(daf::iemocap_speaker("Ses01F_impro01_F012") == "Ses01F");
  CHECK(daf::iemocap_speaker("Ses05M_script02_2_F031") == "Ses05F");
  CHECK(daf::iemocap_speaker("Ses03M_impro05a_M007") == "Ses03M");
  CHECK(daf::iemocap_speaker("Ses01F_impro01") == "");  // a dialogue, no turn
  CHECK(daf::iemocap_speaker("Ses0XF_impro01_M000") == "");
  CHECK(daf::iemocap_speaker("M: hello") == "");
}

TEST_CASE("IEMOCAP class sets: 4 merges excited into happy, 6 and all keep it", "[datasets]") {
  CHECK(daf::iemocap_classes("4") == std::vector<std::string>{"neutral", "happy", "sad", "angry"});
  CHECK(daf::iemocap_classes("6") ==
        std::vector<std::string>{"neutral", "happy", "sad", "angry", "excited", "frustrated"});
  CHECK(daf::iemocap_classes("all").size() == 10);
  CHECK(daf::iemocap_class("exc", "4") == "happy");
  CHECK(daf::iemocap_class("hap", "4") == "happy");
  CHECK(daf::iemocap_class("fru", "4") == "");
  CHECK(daf::iemocap_class("exc", "6") == "excited");
  CHECK(daf::iemocap_class("fru", "6") == "frustrated");
  CHECK(daf::iemocap_class("sur", "6") == "");
  CHECK(daf::iemocap_class("oth", "all") == "other");
  CHECK(daf::iemocap_class("xxx", "all") == "");
  CHECK_THROWS_WITH(daf::iemocap_classes("5"), ContainsSubstring("expected 4, 6 or all, found '5'"));
}

TEST_CASE("IEMOCAP transcripts lose their bracketed tags and doubled spaces", "[datasets]") {
  CHECK(daf::strip_transcript_tags("[LAUGHTER] Oh my god. [BREATHING]") == "Oh my god.");
  CHECK(daf::strip_transcript_tags("I [GARBAGE] know") == "I know");
  CHECK(daf::strip_transcript_tags("[LAUGHTER]") == "");
  CHECK(daf::strip_transcript_tags("a [ b") == "a [ b");  // unclosed: kept
}

namespace {
daf::DatasetManifest two_rows() {
  daf::DatasetManifest m;
  m.dataset = "toy";
  m.label_columns = {"emotion", "valence"};
  m.class_column = "emotion";
  m.classes = {"neutral", "happy"};
  m.meta_columns = {"speaker"};
  m.rows.push_back({"u1", "train", "Well, \"fine\"", "/a/u1.wav", "", "", {"happy", "2.5"}, {"s1"}});
  m.rows.push_back({"u2", "test", "ok", "/a/u2.wav", "", "", {"neutral", "3"}, {"s2"}});
  m.skipped.push_back({"f.txt:3", "u3", "no audio file", "/a/u3.wav not found"});
  return m;
}
}  // namespace

TEST_CASE("a dataset manifest is CSV that Python's csv module reads, with a summary per split and class",
          "[datasets]") {
  const daf::DatasetManifest m = two_rows();
  CHECK(daf::manifest_csv(m) ==
        "id,split,text,audio,emotion,valence,speaker\n"
        "u1,train,\"Well, \"\"fine\"\"\",/a/u1.wav,happy,2.5,s1\n"
        "u2,test,ok,/a/u2.wav,neutral,3,s2\n");
  CHECK(daf::skipped_csv(m) == "where,id,kind,reason\nf.txt:3,u3,no audio file,/a/u3.wav not found\n");
  const std::string summary = daf::manifest_summary(m);
  CHECK_THAT(summary, ContainsSubstring("| train | 1          | 0       | 1     |"));
  CHECK_THAT(summary, ContainsSubstring("| valid | 0          | 0       | 0     |"));
  CHECK_THAT(summary, ContainsSubstring("| all   | 2          | 1       | 1     |"));
  CHECK_THAT(summary, ContainsSubstring("| no audio file | 1     |"));
  daf::DatasetManifest segments = m;
  segments.rows[0].start = "1.5";
  segments.rows[0].end = "2";
  CHECK_THAT(daf::manifest_csv(segments), ContainsSubstring("id,split,text,audio,start,end,emotion"));
  CHECK_THAT(daf::manifest_csv(segments), ContainsSubstring("u2,test,ok,/a/u2.wav,,,neutral"));
}

TEST_CASE("a dataset manifest is written with its summary and skip list, never over an input", "[datasets]") {
  const auto dir = std::filesystem::temp_directory_path() / ("daf-datasets-" + std::to_string(::getpid()));
  std::filesystem::create_directories(dir);
  daf::DatasetManifest m = two_rows();
  const std::string input = (dir / "labels.csv").string();
  std::ofstream(input) << "keep me";
  m.inputs = {input};
  CHECK_THROWS_WITH(daf::write_dataset_manifest(input, m), ContainsSubstring("one of its inputs"));
  CHECK(daf::read_file(input) == "keep me");
  const std::string out = (dir / "manifest.csv").string();
  daf::write_dataset_manifest(out, m);
  CHECK(daf::read_file(out) == daf::manifest_csv(m));
  CHECK(daf::read_file(out + ".skipped.csv") == daf::skipped_csv(m));
  CHECK(daf::read_file(out + ".summary.md") == daf::manifest_summary(m));
  // A run that fails before the manifest leaves none, not the old one beside new companions.
  std::filesystem::remove(out + ".summary.md");
  std::filesystem::create_directory(out + ".summary.md");  // a directory where a file is written
  CHECK_THROWS_WITH(daf::write_dataset_manifest(out, m), ContainsSubstring("manifest.csv.summary.md"));
  CHECK_FALSE(std::filesystem::exists(out));
  daf::DatasetManifest empty = m;
  empty.rows.clear();
  CHECK_THROWS_WITH(daf::write_dataset_manifest((dir / "none.csv").string(), empty),
                    ContainsSubstring("toy: no utterance found (1 items skipped, the first: f.txt:3: /a/u3.wav not found)"));
  std::filesystem::remove_all(dir);
}

TEST_CASE("MELD text: C1 controls and raw bytes read as Windows-1252 punctuation", "[datasets]") {
  CHECK(daf::repair_cp1252("You\xC2\x92re") == "You\xE2\x80\x99re");                   // U+0092 -> U+2019
  CHECK(daf::repair_cp1252("Wait\xC2\x85") == "Wait\xE2\x80\xA6");                     // U+0085 -> ellipsis
  CHECK(daf::repair_cp1252("\xC2\x93hi\xC2\x94 \xC2\x97") == "\xE2\x80\x9Chi\xE2\x80\x9D \xE2\x80\x94");
  CHECK(daf::repair_cp1252("No\xC2\xA0way") == "No way");                              // no-break space
  CHECK(daf::repair_cp1252("a\xC2\x81z") == "az");                                     // cp1252 has no 0x81
  CHECK(daf::repair_cp1252("caf\xC3\xA9 \xE2\x80\x99") == "caf\xC3\xA9 \xE2\x80\x99");  // proper UTF-8 unchanged
  CHECK(daf::repair_cp1252("You\x92re caf\xE9") == "You\xE2\x80\x99re caf\xC3\xA9");    // not UTF-8: cp1252 bytes
}

TEST_CASE("MELD times: hh:mm:ss,fff with one-digit hours and short fractions", "[datasets]") {
  double s = 0;
  CHECK(daf::parse_episode_time("00:14:38,127", s));
  CHECK(s == Approx(878.127));
  CHECK(daf::parse_episode_time("0:14:38,127", s));
  CHECK(s == Approx(878.127));
  CHECK(daf::parse_episode_time("1:00:00,5", s));
  CHECK(s == Approx(3600.5));
  CHECK(daf::parse_episode_time("00:00:01,25", s));
  CHECK(s == Approx(1.25));
  CHECK_FALSE(daf::parse_episode_time("00:00:4,250", s));
  CHECK_FALSE(daf::parse_episode_time("00:61:00,000", s));
  CHECK_FALSE(daf::parse_episode_time("00:14:38.127", s));
  CHECK_FALSE(daf::parse_episode_time("", s));
  CHECK(daf::meld_classes().size() == 7);
}
