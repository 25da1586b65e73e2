#include "catch.h"
#include <fstream>

#include "daf/config/config.h"
#include "daf/config/option_set.h"
#include "daf/config/task.h"
#include "daf/util/error.h"
#include "test_helpers.h"

using Catch::Matchers::ContainsSubstring;

TEST_CASE("load_config merges file and overrides, and resolves auto", "[config]") {
  daf::test::TempDir dir;
  std::ofstream(dir.file("c.yaml")) << "data:\n  cache: x.h5\nmodel:\n  fusion: static\ntrain:\n  lr: 0.01\n";
  const auto c = daf::load_config(dir.file("c.yaml"), {"train.lr=0.002", "model.task=binary"});
  CHECK(c.data.cache == "x.h5");
  CHECK(c.model.fusion == "static");
  CHECK(c.train.lr == 0.002);
  CHECK(c.train.seed == 1111);
  CHECK(c.train.early_stop_metric == "F1_weighted");
  CHECK(daf::load_config("", {"data.cache=x.h5"}).train.early_stop_metric == "MAE");
}

TEST_CASE("cross-key validation names the key", "[config]") {
  CHECK_THROWS_WITH(daf::load_config("", {}), ContainsSubstring("'data.cache' is not set"));
  CHECK_THROWS_WITH(daf::load_config("", {"data.cache=x", "data.modalities=[text, text]"}),
                    ContainsSubstring("modality 'text' is listed twice"));
  CHECK_THROWS_WITH(daf::load_config("", {"data.cache=x", "data.modalities=[]"}),
                    ContainsSubstring("expected at least one modality"));
  CHECK_THROWS_WITH(daf::load_config("", {"data.cache=x", "train.early_stop_metric=MAE", "model.task=seven_class"}),
                    ContainsSubstring("'train.early_stop_metric': expected one of accuracy|F1_weighted|F1_macro|loss"));
  CHECK_THROWS_WITH(daf::load_config("", {"data.cache=x", "train.early_stop_metric=mae"}),
                    ContainsSubstring("did you mean 'MAE'?"));
  CHECK_THROWS_WITH(daf::load_config("", {"data.cache=x", "data.modalities=[text]", "train.modality_dropout=0.2"}),
                    ContainsSubstring("needs at least two modalities"));
}

TEST_CASE("config file errors name the file", "[config]") {
  daf::test::TempDir dir;
  CHECK_THROWS_WITH(daf::load_config(dir.file("missing.yaml"), {}), ContainsSubstring("missing.yaml: cannot open file"));
  std::ofstream(dir.file("bad.yaml")) << "data: [unclosed\n";
  CHECK_THROWS_WITH(daf::load_config(dir.file("bad.yaml"), {}), ContainsSubstring("bad.yaml:") && ContainsSubstring("not valid YAML"));
  std::ofstream(dir.file("list.yaml")) << "- a\n- b\n";
  CHECK_THROWS_WITH(daf::load_config(dir.file("list.yaml"), {}), ContainsSubstring("expected a mapping of sections"));
  std::ofstream(dir.file("typo.yaml")) << "data:\n  cache: x\nmodel:\n  fusoin: mean\n";
  CHECK_THROWS_WITH(daf::load_config(dir.file("typo.yaml"), {}),
                    ContainsSubstring("typo.yaml:4") && ContainsSubstring("did you mean 'model.fusion'?"));
}

TEST_CASE("the resolved config round-trips through YAML and diffs by key", "[config]") {
  daf::test::TempDir dir;
  const auto a = daf::load_config("", {"data.cache=x.h5", "model.fusion=mean", "train.lr=0.0003"});
  std::ofstream(dir.file("dump.yaml")) << daf::config_to_yaml(a);
  const auto b = daf::load_config(dir.file("dump.yaml"), {});
  CHECK(daf::config_to_yaml(b) == daf::config_to_yaml(a));
  CHECK(daf::config_differences(a, b).empty());
  const auto c = daf::load_config(dir.file("dump.yaml"), {"train.lr=0.001", "train.threads=2", "output.dir=elsewhere"});
  const auto diff = daf::config_differences(a, c);
  REQUIRE(diff.size() == 1);
  CHECK_THAT(diff[0], ContainsSubstring("train.lr"));
}

TEST_CASE("every option is documented in the help", "[config]") {
  daf::Config config;
  daf::OptionSet options;
  daf::declare_options(options, config);
  const std::string help = options.help_text();
  for (const auto* key : {"data.cache", "data.nonfinite", "model.fusion", "model.gate", "model.temperature",
                          "train.modality_dropout", "train.early_stop_metric", "output.dir"})
    CHECK_THAT(help, ContainsSubstring(key));
}

TEST_CASE("train.modality_dropout: one number, or one per modality", "[config]") {
  const auto one = daf::load_config("", {"data.cache=x", "train.modality_dropout=0.2"});
  CHECK(one.train.modality_dropout.of("audio") == 0.2);
  CHECK(one.train.modality_dropout.any());
  const auto each = daf::load_config("", {"data.cache=x", "train.modality_dropout={text: 0.1, audio: 0.3}"});
  CHECK(each.train.modality_dropout.of(std::vector<std::string>{"text", "audio", "video"}) ==
        std::vector<double>{0.1, 0.3, 0.0});
  CHECK_THAT(daf::config_to_yaml(each), ContainsSubstring("modality_dropout: {audio: 0.3, text: 0.1}"));
  // The resolved config reads back to the same value.
  daf::test::TempDir dir;
  std::ofstream(dir.file("resolved.yaml")) << daf::config_to_yaml(each);
  CHECK(daf::load_config(dir.file("resolved.yaml"), {}).train.modality_dropout.each == each.train.modality_dropout.each);
  CHECK_FALSE(daf::load_config("", {"data.cache=x", "train.modality_dropout={text: 0}"}).train.modality_dropout.any());

  CHECK_THROWS_WITH(daf::load_config("", {"data.cache=x", "train.modality_dropout={text: 1.5}"}),
                    ContainsSubstring("key 'train.modality_dropout': modality 'text': expected a number in [0, 1), found '1.5'"));
  CHECK_THROWS_WITH(daf::load_config("", {"data.cache=x", "train.modality_dropout=[0.1]"}),
                    ContainsSubstring("expected a number in [0, 1), or a mapping from modality to such a number"));
  CHECK_THROWS_WITH(daf::load_config("", {"data.cache=x", "train.modality_dropout={txt: 0.1}"}),
                    ContainsSubstring("key 'train.modality_dropout': modality 'txt' is not in data.modalities "
                             "[text, audio, video]") && ContainsSubstring("did you mean 'text'?"));
  CHECK_THROWS_WITH(daf::load_config("", {"data.cache=x", "data.modalities=[text]", "train.modality_dropout={text: 0.2}"}),
                    ContainsSubstring("needs at least two modalities"));
  CHECK_NOTHROW(daf::load_config("", {"data.cache=x", "data.modalities=[text]", "train.modality_dropout={text: 0}"}));
}

TEST_CASE("multiclass and multilabel keys: required where the task needs them, refused elsewhere", "[config]") {
  const auto multiclass = daf::load_config(
      "", {"data.cache=x", "model.task=multiclass", "data.target=emotion", "data.classes=[neutral, happy, sad]",
           "train.class_weights=[1, 2, 0.5]"});
  CHECK(multiclass.train.early_stop_metric == "UAR");
  CHECK(multiclass.train.class_weights.mode == "list");
  CHECK(multiclass.train.class_weights.values == std::vector<double>{1, 2, 0.5});
  CHECK_THAT(daf::config_to_yaml(multiclass), ContainsSubstring("class_weights: [1, 2, 0.5]") && ContainsSubstring("pos_weight: none"));
  CHECK(daf::task_num_outputs(multiclass) == 3);
  const auto multilabel = daf::load_config(
      "", {"data.cache=x", "model.task=multilabel", "data.targets=[happiness, fear]", "train.pos_weight=balanced"});
  CHECK(multilabel.train.early_stop_metric == "WA_mean");
  CHECK(daf::task_label_columns(multilabel) == std::vector<std::string>{"happiness", "fear"});
  CHECK(daf::task_output_names(multilabel) == std::vector<std::string>{"happiness", "fear"});
  // The resolved config reads back to the same weights.
  CHECK(daf::load_config_text(daf::config_to_yaml(multiclass), "round trip", {}).train.class_weights.values ==
        multiclass.train.class_weights.values);

  CHECK_THROWS_WITH(daf::load_config("", {"data.cache=x", "model.task=multiclass"}),
                    ContainsSubstring("'data.classes': model.task=multiclass needs the class names"));
  CHECK_THROWS_WITH(daf::load_config("", {"data.cache=x", "model.task=multiclass", "data.classes=[a, a]"}),
                    ContainsSubstring("'a' is listed twice"));
  CHECK_THROWS_WITH(daf::load_config("", {"data.cache=x", "data.classes=[a, b]"}),
                    ContainsSubstring("'data.classes' is only used by model.task=multiclass (model.task is regression)"));
  CHECK_THROWS_WITH(daf::load_config("", {"data.cache=x", "model.task=multilabel"}),
                    ContainsSubstring("'data.targets': model.task=multilabel needs the label columns"));
  CHECK_THROWS_WITH(daf::load_config("", {"data.cache=x", "data.targets=[a]"}),
                    ContainsSubstring("'data.targets' is only used by model.task=multilabel"));
  CHECK_THROWS_WITH(daf::load_config("", {"data.cache=x", "model.task=multiclass", "data.classes=[a, b]",
                                          "train.class_weights=[1, 2, 3]"}),
                    ContainsSubstring("'train.class_weights': expected 2 weights (one per class), found 3"));
  CHECK_THROWS_WITH(daf::load_config("", {"data.cache=x", "train.class_weights=balanced"}),
                    ContainsSubstring("'train.class_weights' is for binary, seven_class and multiclass tasks"));
  CHECK_THROWS_WITH(daf::load_config("", {"data.cache=x", "model.task=binary", "train.pos_weight=[2]"}),
                    ContainsSubstring("'train.pos_weight' is only used by model.task=multilabel; use train.class_weights"));
  CHECK_THROWS_WITH(daf::load_config("", {"data.cache=x", "model.task=multilabel", "data.targets=[a]",
                                          "train.class_weights=balanced"}),
                    ContainsSubstring("multilabel weights positives with train.pos_weight"));
  CHECK_THROWS_WITH(daf::load_config("", {"data.cache=x", "model.task=binary", "train.class_weights=[1, -2]"}),
                    ContainsSubstring("expected none, balanced, or a list of numbers > 0, found '-2'"));
  CHECK_THROWS_WITH(daf::load_config("", {"data.cache=x", "model.task=binary", "train.class_weights=heavy"}),
                    ContainsSubstring("expected none, balanced, or a list of numbers > 0, found 'heavy'"));
  CHECK_THROWS_WITH(daf::load_config("", {"data.cache=x", "model.task=multilabel", "data.targets=[a]",
                                          "train.early_stop_metric=UAR"}),
                    ContainsSubstring("expected one of accuracy_mean|WA_mean|F1_macro|F1_micro|loss for model.task=multilabel"));
}
