// daf-extract's torch-free parts: manifests, batching, audio, tokenizer, checksums, shards.
#include "catch.h"
#include <cmath>

#include "daf/audio/audio_file.h"
#include "daf/extract/batching.h"
#include "daf/extract/cache_rows.h"
#include "daf/extract/extract_config.h"
#include "daf/extract/manifest.h"
#include "daf/extract/partial_results.h"
#include "daf/extract/skip_report.h"
#include "daf/text/sentencepiece_tokenizer.h"
#include "daf/util/atomic_file.h"
#include "daf/util/error.h"
#include "test_helpers.h"

using Catch::Matchers::ContainsSubstring;
using Approx = Catch::Approx;
using daf::test::TempDir;

TEST_CASE("manifests are read from CSV and JSON Lines with labels and relative audio paths") {
  TempDir dir;
  daf::write_file_atomic(dir.file("m.csv"),
                         "id,split,text,audio,start,end,sentiment,happy\n"
                         "a,train,\"hello, world\",x/a.wav,,,1.5,0\n"
                         "b,test,bye,/abs/b.flac,0.5,2,-2,1\n");
  daf::SkipReport problems(false);
  const auto csv = daf::read_manifest(dir.file("m.csv"), {}, problems);
  REQUIRE(csv.rows.size() == 2);
  CHECK(csv.label_columns == std::vector<std::string>{"sentiment", "happy"});
  CHECK(csv.rows[0].text == "hello, world");
  CHECK(csv.rows[0].audio == dir.file("x/a.wav"));
  CHECK(csv.rows[1].audio == "/abs/b.flac");
  CHECK(csv.rows[1].start == 0.5);
  CHECK(csv.rows[1].end == 2.0);
  CHECK(csv.rows[1].labels.at("sentiment") == -2.0f);
  CHECK(csv.rows[1].where == dir.file("m.csv") + ":3");

  daf::write_file_atomic(dir.file("m.jsonl"),
                         "{\"id\": \"a\", \"split\": \"valid\", \"text\": \"caf\\u00e9\", \"sentiment\": 2}\n\n"
                         "{\"id\": \"b\", \"split\": \"train\", \"text\": \"x\", \"sentiment\": -1.25}\n");
  const auto jsonl = daf::read_manifest(dir.file("m.jsonl"), {"sentiment"}, problems);
  REQUIRE(jsonl.rows.size() == 2);
  CHECK(jsonl.rows[0].text == "caf\xc3\xa9");
  CHECK(jsonl.rows[1].labels.at("sentiment") == -1.25f);
  CHECK(jsonl.rows[1].where == dir.file("m.jsonl") + ":3");
}

TEST_CASE("bad manifest rows fail with file:line, or are dropped and listed under skip") {
  TempDir dir;
  daf::write_file_atomic(dir.file("m.csv"),
                         "id,split,text,sentiment\n"
                         "a,train,x,1\n"
                         "a,train,y,1\n"
                         "b,tain,z,1\n"
                         "c,test,w,lots\n"
                         "d,test,v,0\n");
  daf::SkipReport fail(false);
  CHECK_THROWS_WITH(daf::read_manifest(dir.file("m.csv"), {}, fail), ContainsSubstring("m.csv:3: id 'a' appears twice"));
  daf::SkipReport skip(true);
  const auto manifest = daf::read_manifest(dir.file("m.csv"), {}, skip);
  CHECK(manifest.rows.size() == 2);
  REQUIRE(skip.entries().size() == 3);
  CHECK_THAT(skip.entries()[1].reason, ContainsSubstring("split 'tain': expected one of train, valid, test, did you mean 'train'?"));
  CHECK_THAT(skip.entries()[2].reason, ContainsSubstring("label 'sentiment': expected a finite number, found 'lots'"));

  daf::write_file_atomic(dir.file("noid.csv"), "name,split\nx,train\n");
  CHECK_THROWS_WITH(daf::read_manifest(dir.file("noid.csv"), {}, skip), ContainsSubstring("no column 'id'"));
  CHECK_THROWS_WITH(daf::read_manifest(dir.file("m.csv"), {"valence"}, skip), ContainsSubstring("lacks"));
}

TEST_CASE("manifests with a byte-order mark, non-UTF-8 text or repeated JSON keys") {
  TempDir dir;
  daf::write_file_atomic(dir.file("bom.csv"), "\xEF\xBB\xBFid,split,text\na,train,x\n");
  daf::write_file_atomic(dir.file("bom.jsonl"), "\xEF\xBB\xBF{\"id\": \"a\", \"split\": \"train\"}\n");
  daf::SkipReport fail(false);
  for (const auto* name : {"bom.csv", "bom.jsonl"}) {
    const auto manifest = daf::read_manifest(dir.file(name), {}, fail);  // spreadsheet exports start with a BOM
    REQUIRE(manifest.rows.size() == 1);
    CHECK(manifest.rows[0].id == "a");
  }
  daf::write_file_atomic(dir.file("latin1.csv"), "id,split,text\na,train,caf\xe9\n");
  CHECK_THROWS_WITH(daf::read_manifest(dir.file("latin1.csv"), {}, fail),
                    ContainsSubstring("latin1.csv:2: column 'text' is not valid UTF-8 (bad byte at offset 3)"));
  daf::write_file_atomic(dir.file("twice.jsonl"), "{\"id\": \"a\", \"split\": \"train\", \"id\": \"b\"}\n");
  CHECK_THROWS_WITH(daf::read_manifest(dir.file("twice.jsonl"), {}, fail),
                    ContainsSubstring("twice.jsonl:1") && ContainsSubstring("key 'id' appears twice"));
  // Found by fuzz_manifest (crash-67f6e16a) when YAML read JSON Lines: a mapping keyed by a
  // mapping. As JSON it is text after the object, named with its column.
  daf::write_file_atomic(dir.file("keyed.jsonl"), "{\"id\": \"a\", \"split\": \"valid\"} : \n");
  CHECK_THROWS_WITH(daf::read_manifest(dir.file("keyed.jsonl"), {}, fail),
                    ContainsSubstring("keyed.jsonl:1:31: not valid JSON"));
}

TEST_CASE("a truncated WAV file is reported, not decoded from what is left") {
  TempDir dir;
  daf::write_wav(dir.file("whole.wav"), std::vector<float>(16000, 0.1f), 16000, 1);
  const std::string bytes = daf::read_file(dir.file("whole.wav"));
  daf::write_file_atomic(dir.file("cut.wav"), bytes.substr(0, 60));
  CHECK(daf::probe_audio(dir.file("whole.wav")).frames == 16000);
  CHECK_THROWS_WITH(daf::probe_audio(dir.file("cut.wav")),
                    ContainsSubstring("cut.wav: audio file is truncated: its header announces 32000 bytes of audio, the "
                             "file holds 16"));
}

TEST_CASE("bucketed batches pad less than batches in corpus order, within the limits") {
  const std::vector<int64_t> lengths = {5, 50, 6, 48, 7, 45, 8, 40};
  const auto fixed = daf::make_batches(lengths, {2, 1000}, false);
  const auto bucketed = daf::make_batches(lengths, {2, 1000}, true);
  daf::PaddingStats fixed_stats, bucketed_stats;
  for (const auto& b : fixed) fixed_stats.add(b, lengths);
  for (const auto& b : bucketed) bucketed_stats.add(b, lengths);
  CHECK(fixed.front() == std::vector<int64_t>{0, 1});
  CHECK(bucketed.front() == std::vector<int64_t>{1, 3});  // longest first
  CHECK(fixed_stats.useful == bucketed_stats.useful);
  CHECK(bucketed_stats.efficiency() > 0.9);
  CHECK(fixed_stats.efficiency() < 0.6);

  // max_padded caps items x longest; an item over the cap still gets its own batch.
  const auto capped = daf::make_batches({10, 10, 10, 30}, {8, 25}, false);
  CHECK(capped == std::vector<std::vector<int64_t>>{{0, 1}, {2}, {3}});
}

TEST_CASE("audio is decoded, downmixed, cut and resampled") {
  TempDir dir;
  const int rate = 22050;
  std::vector<float> stereo(static_cast<size_t>(2 * rate * 2));  // 2 s, left 0.5, right -0.1
  for (size_t i = 0; i < stereo.size(); ++i) stereo[i] = i % 2 == 0 ? 0.5f : -0.1f;
  daf::write_wav(dir.file("s.wav"), stereo, rate, 2);
  const auto info = daf::probe_audio(dir.file("s.wav"));
  CHECK(info.channels == 2);
  CHECK(info.frames == 2 * rate);
  const auto mono = daf::read_audio(dir.file("s.wav"), 0.5, 1.5, 16000);
  CHECK(std::abs(static_cast<int64_t>(mono.size()) - 16000) <= 1);
  CHECK(mono[8000] == Approx(0.2f).margin(2e-3));  // mean of the channels
  CHECK(daf::segment_samples(dir.file("s.wav"), info, 0.5, 1.5, 16000) == 16000);
  CHECK(daf::segment_samples(dir.file("s.wav"), info, 1.0, 0, 16000) == 16000);  // to the end
  CHECK(daf::segment_samples(dir.file("s.wav"), info, 1.0, 9.0, 16000) == 16000); // end clamped

  // A 1 kHz tone keeps its frequency through 44.1 -> 16 kHz resampling (zero crossings per second).
  std::vector<float> tone(44100);
  for (size_t i = 0; i < tone.size(); ++i) tone[i] = static_cast<float>(std::sin(2 * M_PI * 1000.0 * i / 44100.0));
  const auto down = daf::resample(tone, 44100, 16000);
  int crossings = 0;
  for (size_t i = 1000; i < 15000; ++i) crossings += (down[i - 1] < 0) != (down[i] < 0);
  CHECK(crossings == Approx(2 * 1000 * 14000 / 16000.0).margin(2));

  CHECK_THROWS_WITH(daf::read_audio(dir.file("s.wav"), 2.5, 0, 16000), ContainsSubstring("start 2.500 s is at or beyond the end"));
  CHECK_THROWS_WITH(daf::probe_audio(dir.file("none.wav")), ContainsSubstring("none.wav: audio file not found"));
  daf::write_file_atomic(dir.file("empty.wav"), "");
  CHECK_THROWS_WITH(daf::probe_audio(dir.file("empty.wav")), ContainsSubstring("audio file is empty"));
  daf::write_file_atomic(dir.file("text.wav"), "RIFF? no");
  CHECK_THROWS_WITH(daf::probe_audio(dir.file("text.wav")), ContainsSubstring("cannot decode audio"));
}

TEST_CASE("a sentencepiece model trained in the test tokenizes through the dlopen'd shim") {
  TempDir dir;
  std::string corpus;
  for (int i = 0; i < 200; ++i) corpus += "the movie was great and the acting was awful number " + std::to_string(i % 17) + "\n";
  daf::write_file_atomic(dir.file("c.txt"), corpus);
  daf::train_sentencepiece("--input=" + dir.file("c.txt") + " --model_prefix=" + dir.file("spm") +
                           " --vocab_size=60 --hard_vocab_limit=false --minloglevel=2 --num_threads=1");
  const auto tokenizer = daf::SentencePieceTokenizer::load(dir.file("spm.model"));
  CHECK(tokenizer.vocab_size() <= 60);
  CHECK(tokenizer.unk_id() == 0);
  CHECK(tokenizer.bos_id() == 1);
  CHECK(tokenizer.eos_id() == 2);
  const auto ids = tokenizer.encode("the movie was great");
  CHECK(!ids.empty());
  for (const int id : ids) CHECK((id >= 0 && id < tokenizer.vocab_size()));
  CHECK(tokenizer.encode("the movie was great") == ids);
  CHECK(tokenizer.encode("").empty());
  CHECK_THROWS_WITH(daf::SentencePieceTokenizer::load(dir.file("c.txt")), ContainsSubstring("not a sentencepiece model"));
  CHECK_THROWS_WITH(daf::SentencePieceTokenizer::load(dir.file("none.model")), ContainsSubstring("not found"));
}

TEST_CASE("extract.meta columns are kept as text and are never labels") {
  TempDir dir;
  daf::write_file_atomic(dir.file("m.csv"),
                         "id,split,text,speaker,session,sentiment\n"
                         "a,train,hi,Ses01F, 1 ,1.5\n"
                         "b,test,bye,Ses02M,2,-2\n");
  daf::SkipReport problems(false);
  const auto manifest = daf::read_manifest(dir.file("m.csv"), {}, problems, {}, {"speaker", "session"});
  CHECK(manifest.label_columns == std::vector<std::string>{"sentiment"});
  REQUIRE(manifest.rows.size() == 2);
  CHECK(manifest.rows[0].meta.at("speaker") == "Ses01F");
  CHECK(manifest.rows[0].meta.at("session") == "1");
  CHECK(manifest.rows[1].meta.at("speaker") == "Ses02M");
  CHECK_THROWS_WITH(daf::read_manifest(dir.file("m.csv"), {}, problems, {}, {"speakr"}),
                    ContainsSubstring("extract.meta names column 'speakr', which the manifest lacks, did you mean "
                                      "'speaker'?"));
  CHECK_THROWS_WITH(daf::read_manifest(dir.file("m.csv"), {"sentiment", "session"}, problems, {}, {"session"}),
                    ContainsSubstring("column 'session' is named in both extract.labels and extract.meta"));
}

TEST_CASE("shard slices cover every row once and append back to the whole") {
  for (int64_t n : {0, 1, 7, 10})
    for (int64_t count : {1, 3, 4}) {
      int64_t covered = 0, previous_end = 0;
      for (int64_t k = 1; k <= count; ++k) {
        const auto [begin, end] = daf::shard_range(n, k, count);
        CHECK(begin == previous_end);
        covered += end - begin;
        previous_end = end;
      }
      CHECK(covered == n);
    }
  const daf::EmbeddingCache cache = daf::test::small_cache();
  const daf::SplitData& whole = cache.splits.at("valid");
  daf::SplitData first = daf::slice_rows(whole, 0, 30), second = daf::slice_rows(whole, 30, whole.size());
  second.present["audio"] = std::vector<uint8_t>(static_cast<size_t>(second.size()), 0);
  daf::append_rows(first, second);
  CHECK(first.ids == whole.ids);
  CHECK(first.features.at("text").values == whole.features.at("text").values);
  CHECK(first.labels == whole.labels);
  CHECK(first.meta == whole.meta);  // daf-synth's speakers
  REQUIRE(first.present.count("audio"));
  CHECK(first.present.at("audio")[29] == 1);
  CHECK(first.present.at("audio")[30] == 0);
}

TEST_CASE("partial results round-trip, skipped utterances included") {
  TempDir dir;
  daf::PartialResults partial;
  partial.job = "job-1";
  const float a[3] = {1, 2, 3}, b[3] = {4, 5, 6};
  partial.modalities["text"].add("u1", a, 3);
  partial.modalities["text"].add("u2", b, 3);
  partial.modalities["audio"].skipped.push_back({"u3", "audio", "u3.wav: audio file not found"});
  daf::write_partial(dir.file("p"), partial);
  daf::PartialResults back;
  REQUIRE(daf::read_partial(dir.file("p"), back));
  CHECK(back.job == "job-1");
  CHECK(back.modalities.at("text").ids == std::vector<std::string>{"u1", "u2"});
  CHECK(back.modalities.at("text").values == std::vector<float>{1, 2, 3, 4, 5, 6});
  CHECK(back.finished_ids("audio").count("u3") == 1);
  CHECK(back.finished_ids("text").count("u2") == 1);
  CHECK(!daf::read_partial(dir.file("absent"), back));
}

TEST_CASE("extract config checks keys that depend on each other") {
  TempDir dir;
  daf::write_file_atomic(dir.file("m.csv"), "id,split\n");
  daf::write_file_atomic(dir.file("e.pt"), "x");
  const std::string m = "extract.manifest=" + dir.file("m.csv"), e = "text.encoder=" + dir.file("e.pt");
  CHECK_THROWS_WITH(daf::load_extract_config("", {"extract.output=o.h5", e}), ContainsSubstring("exactly one of extract.manifest"));
  CHECK_THROWS_WITH(daf::load_extract_config("", {m, e}), ContainsSubstring("extract.output' is not set"));
  CHECK_THROWS_WITH(daf::load_extract_config("", {m, "extract.output=o.h5"}), ContainsSubstring("no encoder"));
  CHECK_THROWS_WITH(daf::load_extract_config("", {m, "extract.output=o.h5", e}), ContainsSubstring("text.tokenizer is sentencepiece but text.sentencepiece_model is not set"));
  CHECK_THROWS_WITH(daf::load_extract_config("", {m, "extract.output=o.h5", "audio.encoder=none.pt"}),
                    ContainsSubstring("audio.encoder: none.pt: file not found"));
  CHECK_THROWS_WITH(daf::load_extract_config("", {m, "extract.output=o.h5", e, "extract.on_eror=skip"}),
                    ContainsSubstring("did you mean 'extract.on_error'"));
  const auto config = daf::load_extract_config(
      "", {m, "extract.output=data/c.h5", "audio.encoder=" + dir.file("e.pt"), "extract.shard=2/4"});
  CHECK(config.shard_output() == "data/c.shard-2-of-4.h5");
  CHECK(config.report_path() == "data/c.shard-2-of-4.h5.skipped.csv");
}

TEST_CASE("a label column of class names is stored as class indices, an unknown name fails naming the row") {
  TempDir dir;
  daf::write_file_atomic(dir.file("m.csv"),
                         "id,split,text,emotion,sentiment\n"
                         "a,train,hi,angry,1\n"
                         "b,test,yo, sad ,0\n"
                         "c,valid,no,Sad,0\n");
  const daf::ClassColumn classes{"emotion", {"neutral", "happy", "sad", "angry"}};
  daf::SkipReport skip(true);
  const auto manifest = daf::read_manifest(dir.file("m.csv"), {}, skip, classes);
  REQUIRE(manifest.rows.size() == 2);
  CHECK(manifest.rows[0].labels.at("emotion") == 3.0f);
  CHECK(manifest.rows[1].labels.at("emotion") == 2.0f);
  daf::SkipReport fail(false);
  CHECK_THROWS_WITH(daf::read_manifest(dir.file("m.csv"), {}, fail, classes),
                    ContainsSubstring("m.csv:4: label 'emotion': class 'Sad' is not one of extract.classes [neutral, happy, "
                             "sad, angry], did you mean 'sad'?"));
  CHECK_THROWS_WITH(daf::read_manifest(dir.file("m.csv"), {"sentiment"}, fail, classes),
                    ContainsSubstring("extract.class_label names column 'emotion', which is not among the manifest's label "
                             "columns (sentiment)"));
}
