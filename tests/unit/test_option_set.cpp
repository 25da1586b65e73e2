#include <yaml-cpp/yaml.h>

#include "catch.h"

#include "daf/config/option_set.h"
#include "daf/util/error.h"

using daf::InputError;
using daf::OptionSet;
using daf::Range;
using Catch::Matchers::ContainsSubstring;

namespace {
struct Fields {
  double lr = 0;
  int64_t batch = 0;
  bool flag = false;
  std::string fusion;
  std::vector<std::string> modalities;
};

void declare(OptionSet& o, Fields& f) {
  o.add("train.lr", f.lr, 1e-3, "learning rate", Range::above(0));
  o.add("train.batch_size", f.batch, 32, "batch", Range::at_least(1));
  o.add("model.layer_norm", f.flag, true, "layer norm");
  o.add("model.fusion", f.fusion, "dynamic", "fusion", {"dynamic", "static", "mean", "concat"});
  o.add("data.modalities", f.modalities, {"text", "audio"}, "modalities");
}
}  // namespace

TEST_CASE("options start at their declared defaults", "[config]") {
  Fields f;
  OptionSet o;
  declare(o, f);
  CHECK(f.lr == 1e-3);
  CHECK(f.batch == 32);
  CHECK(f.flag);
  CHECK(f.fusion == "dynamic");
  CHECK(f.modalities == std::vector<std::string>{"text", "audio"});
  CHECK_FALSE(o.was_set("train.lr"));
}

TEST_CASE("YAML and overrides set typed values", "[config]") {
  Fields f;
  OptionSet o;
  declare(o, f);
  o.apply_yaml(YAML::Load("train: {lr: 5e-4, batch_size: 64}\nmodel: {layer_norm: false}"), "c.yaml");
  o.apply_override("model.fusion=concat");
  o.apply_override("data.modalities=[text, audio, video]");
  CHECK(f.lr == 5e-4);
  CHECK(f.batch == 64);
  CHECK_FALSE(f.flag);
  CHECK(f.fusion == "concat");
  CHECK(f.modalities == std::vector<std::string>{"text", "audio", "video"});
  CHECK(o.was_set("train.lr"));
  o.apply_override("data.modalities=text");
  CHECK(f.modalities == std::vector<std::string>{"text"});
}

TEST_CASE("unknown keys are errors that suggest the closest key", "[config]") {
  Fields f;
  OptionSet o;
  declare(o, f);
  CHECK_THROWS_WITH(o.apply_override("train.lrr=1"),
                    ContainsSubstring("unknown key 'train.lrr'") && ContainsSubstring("did you mean 'train.lr'?"));
  CHECK_THROWS_WITH(o.apply_yaml(YAML::Load("trian: {lr: 1}"), "c.yaml"),
                    ContainsSubstring("c.yaml:1") && ContainsSubstring("unknown section 'trian'") && ContainsSubstring("did you mean 'train'?"));
  CHECK_THROWS_WITH(o.apply_yaml(YAML::Load("train:\n  batchsize: 3"), "c.yaml"),
                    ContainsSubstring("c.yaml:2") && ContainsSubstring("did you mean 'train.batch_size'?"));
}

TEST_CASE("wrong types and out-of-range values name the key and the expected form", "[config]") {
  Fields f;
  OptionSet o;
  declare(o, f);
  CHECK_THROWS_WITH(o.apply_override("train.lr=abc"),
                    ContainsSubstring("key 'train.lr'") && ContainsSubstring("expected a number > 0, found 'abc'"));
  CHECK_THROWS_WITH(o.apply_override("train.lr=0"), ContainsSubstring("expected a number > 0, found '0'"));
  CHECK_THROWS_WITH(o.apply_override("train.batch_size=2.5"), ContainsSubstring("expected an integer >= 1, found '2.5'"));
  CHECK_THROWS_WITH(o.apply_override("model.layer_norm=maybe"), ContainsSubstring("expected true or false"));
  CHECK_THROWS_WITH(o.apply_override("model.fusion=dinamic"),
                    ContainsSubstring("expected one of dynamic|static|mean|concat, found 'dinamic'") &&
                        ContainsSubstring("did you mean 'dynamic'?"));
  CHECK_THROWS_WITH(o.apply_override("data.modalities={a: 1}"), ContainsSubstring("expected a list of strings"));
  CHECK_THROWS_WITH(o.apply_yaml(YAML::Load("train: 3"), "c.yaml"), ContainsSubstring("section 'train' must be a mapping"));
  CHECK_THROWS_WITH(o.apply_override("novalue"), ContainsSubstring("expected an override of the form section.key=value"));
  CHECK_THROWS_AS(o.apply_override("train.lr=-1"), InputError);
}

TEST_CASE("the resolved YAML reads back to the same values", "[config]") {
  Fields f;
  OptionSet o;
  declare(o, f);
  o.apply_override("train.lr=0.00031");
  o.apply_override("data.modalities=[video]");
  const std::string text = o.to_yaml();
  Fields g;
  OptionSet p;
  declare(p, g);
  p.apply_yaml(YAML::Load(text), "dump");
  CHECK(g.lr == f.lr);
  CHECK(g.modalities == f.modalities);
  CHECK(g.fusion == f.fusion);
  CHECK_THAT(o.help_text(), ContainsSubstring("train.lr (a number > 0, default 0.001)") && ContainsSubstring("learning rate"));
}
