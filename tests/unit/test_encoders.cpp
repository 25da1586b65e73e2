// TorchScript encoders built in the test with torch::jit::Module::define: pooling,
// padding invariance and contract errors.
#include <algorithm>
#include <torch/script.h>
#include <torch/torch.h>

#include "catch.h"

#include "daf/encoders/speech_encoder.h"
#include "daf/encoders/text_encoder.h"
#include "daf/util/error.h"
#include "test_helpers.h"

using Catch::Matchers::ContainsSubstring;
using Approx = Catch::Approx;
using daf::test::TempDir;

namespace {

std::string text_module(const TempDir& dir, const std::string& body, const torch::Tensor& table) {
  torch::jit::Module m("m");
  m.register_buffer("table", table);
  m.define("def forward(self, input_ids, attention_mask):\n" + body);
  const std::string path = dir.file("text.pt");
  m.save(path);
  return path;
}

daf::TokenBatch batch(const std::vector<std::vector<int64_t>>& texts) {
  daf::TokenBatch b;
  b.rows = static_cast<int64_t>(texts.size());
  for (const auto& t : texts) b.length = std::max(b.length, static_cast<int64_t>(t.size()));
  b.ids.assign(static_cast<size_t>(b.rows * b.length), 0);
  b.mask.assign(b.ids.size(), 0);
  for (size_t r = 0; r < texts.size(); ++r)
    for (size_t t = 0; t < texts[r].size(); ++t) {
      b.ids[r * static_cast<size_t>(b.length) + t] = texts[r][t];
      b.mask[r * static_cast<size_t>(b.length) + t] = 1;
    }
  return b;
}

}  // namespace

TEST_CASE("text pooling: masked mean ignores padding, first takes token 0") {
  TempDir dir;
  const torch::Tensor table = torch::arange(20, torch::kFloat).reshape({10, 2});  // row i = [2i, 2i+1]
  const std::string path = text_module(dir, "    return torch.embedding(self.table, input_ids)\n", table);
  daf::TextEncoder mean(path, "mean", "cpu");
  const auto out = mean.encode(batch({{1, 3}, {5, 7, 9}}));
  CHECK(out.row(0)[0] == Approx(4.0));   // mean of 2 and 6: the padding (id 0) is excluded
  CHECK(out.row(1)[1] == Approx(15.0));  // mean of 11, 15, 19
  // The same text alone or beside a longer one gives the same vector.
  const auto alone = mean.encode(batch({{1, 3}}));
  CHECK(alone.row(0)[0] == out.row(0)[0]);
  daf::TextEncoder first(path, "first", "cpu");
  CHECK(first.encode(batch({{5, 7, 9}})).row(0)[0] == Approx(10.0));
  CHECK(mean.check_contract(batch({{1}, {2, 3}})) == 2);
}

TEST_CASE("text contract violations are reported with shapes") {
  TempDir dir;
  const torch::Tensor table = torch::randn({10, 4});
  daf::TextEncoder transposed(
      text_module(dir, "    return torch.embedding(self.table, input_ids).transpose(1, 2)\n", table), "mean", "cpu");
  CHECK_THROWS_WITH(transposed.check_contract(batch({{1, 2, 3}, {4}})),
                    ContainsSubstring("returned float [2, 4, 3]; expected float [B, T, D] = [2, 3, D]"));
  daf::TextEncoder pooled(text_module(dir, "    return torch.embedding(self.table, input_ids).mean(1)\n", table),
                          "mean", "cpu");
  CHECK_THROWS_WITH(pooled.check_contract(batch({{1}})), ContainsSubstring("set text.pooling=module"));
  daf::TextEncoder module_pooled(
      text_module(dir, "    return torch.embedding(self.table, input_ids).mean(1)\n", table), "module", "cpu");
  CHECK(module_pooled.check_contract(batch({{1}, {2}})) == 4);
  daf::TextEncoder integer(text_module(dir, "    return input_ids.unsqueeze(-1)\n", table), "mean", "cpu");
  CHECK_THROWS_WITH(integer.check_contract(batch({{1}})), ContainsSubstring("not floating point"));
  daf::TextEncoder out_of_range(text_module(dir, "    return torch.embedding(self.table, input_ids)\n", table),
                                "mean", "cpu");
  CHECK_THROWS_WITH(out_of_range.encode(batch({{50}})), ContainsSubstring("the encoder failed on input (int64 [1, 1]"));
}

TEST_CASE("three-input (BERT) encoders get token type ids of 0, a too small embedding table is named") {
  TempDir dir;
  torch::jit::Module m("m");
  m.register_buffer("table", torch::arange(20, torch::kFloat).reshape({10, 2}));
  // The sequence plus 100 * token type (0 here), and a pooled output as BertModel's tuple has it.
  m.define("def forward(self, input_ids, attention_mask, token_type_ids):\n"
           "    x = torch.embedding(self.table, input_ids) + 100.0 * token_type_ids.unsqueeze(-1)\n"
           "    return (x, x.sum(1))\n");
  m.save(dir.file("bert.pt"));
  for (const std::string pooling : {"mean", "first", "module"}) {
    daf::TextEncoder encoder(dir.file("bert.pt"), pooling, "cpu");
    CHECK(encoder.inputs() == 3);
    const auto out = encoder.encode(batch({{1, 3}, {5}}));
    const double expected = pooling == "mean" ? 4.0 : pooling == "first" ? 2.0 : 8.0;  // rows 1 and 3: [2,3], [6,7]
    CHECK(out.row(0)[0] == Approx(expected));
  }
  daf::TextEncoder encoder(dir.file("bert.pt"), "first", "cpu");
  CHECK_NOTHROW(encoder.check_vocabulary(10, "vocab.txt"));
  CHECK_THROWS_WITH(encoder.check_vocabulary(30522, "vocab.txt"),
                    ContainsSubstring("vocab.txt has 30522 token ids but the encoder " + dir.file("bert.pt") +
                             " cannot embed id 30521"));
  CHECK(daf::TextEncoder(text_module(dir, "    return torch.embedding(self.table, input_ids)\n", torch::randn({4, 2})),
                         "mean", "cpu").inputs() == 2);
}

TEST_CASE("speech frames past an utterance's end are excluded from its mean") {
  TempDir dir;
  torch::jit::Module m("speech");
  m.register_attribute("sample_rate", c10::IntType::get(), int64_t{100});
  // One frame per 10 samples whose value is the frame's mean sample; no output lengths.
  m.define("def forward(self, waveform, lengths):\n"
           "    return torch.avg_pool1d(waveform.unsqueeze(1), 10, 10).transpose(1, 2)\n");
  m.save(dir.file("s.pt"));
  daf::SpeechEncoder encoder(dir.file("s.pt"), "cpu");
  CHECK(encoder.module_sample_rate() == 100);
  daf::WaveBatch b;
  b.rows = 2;
  b.length = 40;
  b.samples.assign(80, 0.0f);
  for (int i = 0; i < 40; ++i) b.samples[static_cast<size_t>(i)] = 1.0f;       // row 0: 40 samples of 1
  for (int i = 0; i < 20; ++i) b.samples[static_cast<size_t>(40 + i)] = 3.0f;  // row 1: 20 samples of 3, padded
  b.lengths = {40, 20};
  const auto out = encoder.encode(b);
  CHECK(out.frames == std::vector<int64_t>{4, 2});
  CHECK(out.sums.row(0)[0] == Approx(4.0));
  CHECK(out.sums.row(1)[0] == Approx(6.0));  // two valid frames of 3; the padded ones are left out

  torch::jit::Module pooled("pooled");
  pooled.define("def forward(self, waveform, lengths):\n    return waveform.mean(1, keepdim=True)\n");
  pooled.save(dir.file("p.pt"));
  daf::SpeechEncoder bad(dir.file("p.pt"), "cpu");
  CHECK(bad.module_sample_rate() == 0);
  CHECK_THROWS_WITH(bad.check_contract(b), ContainsSubstring("returned float [2, 1]; expected float [B, T', D]"));
  CHECK_THROWS_WITH(daf::SpeechEncoder(dir.file("none.pt"), "cpu"), ContainsSubstring("encoder file not found"));
}
