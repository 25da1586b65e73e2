#include "daf/datasets/manifest_config.h"

#include "daf/config/config_sources.h"
#include "daf/config/option_set.h"
#include "daf/datasets/meld.h"
#include "daf/datasets/sims.h"
#include "daf/util/error.h"
#include "daf/util/strings.h"

namespace daf {

void declare_manifest_options(OptionSet& o, ManifestConfig& c) {
  o.add("manifest.dataset", c.dataset, "",
        "the dataset's layout: iemocap, meld, sims (CH-SIMS v1 and v2), mosi or mosei (CMU-MOSI / CMU-MOSEI's "
        "Raw/ folders; docs/datasets.md)");
  o.add("manifest.root", c.root, "", "the dataset's folder as distributed: IEMOCAP_full_release or MELD.Raw (or the folder holding either), "
        "CH-SIMS's folder with label.csv or meta.csv, CMU-MOSI's or CMU-MOSEI's folder holding Raw/");
  o.add("manifest.out", c.out, "",
        "manifest CSV to write; <out>.skipped.csv lists what was left out and why, <out>.summary.md counts rows "
        "per split and class");
  o.add("iemocap.classes", c.iemocap.classes, "4",
        "class set: 4 (neutral, happy = hap + exc, sad, angry), 6 (neutral, happy, sad, angry, excited, "
        "frustrated) or all (the 10 codes but xxx)",
        {"4", "6", "all"});
  o.add("iemocap.strip_tags", c.iemocap.strip_tags, true,
        "drop bracketed tags such as [LAUGHTER] and [BREATHING] from the transcripts");
  o.add("iemocap.test_session", c.iemocap.test_session, 5, "the fixed split's test session (1-5)",
        Range::closed(1, 5));
  o.add("iemocap.valid_session", c.iemocap.valid_session, 4,
        "the fixed split's validation session (1-5); the other three train. Leave-one-session-out "
        "cross-validation (cv.by: session) pools the splits again",
        Range::closed(1, 5));
  o.add("mosi.labels", c.mosi.labels, "", "CMU-MOSI's labels: the SDK's CMU_MOSI_Opinion_Labels.csd");
  o.add("mosi.folds", c.mosi.folds, "", "CMU-MOSI's splits: a folds file, e.g. configs/folds/cmu-mosi.yaml");
  o.add("mosei.labels", c.mosei.labels, "", "CMU-MOSEI's labels: the SDK's CMU_MOSEI_Labels.csd");
  o.add("mosei.folds", c.mosei.folds, "", "CMU-MOSEI's splits: a folds file, e.g. configs/folds/cmu-mosei.yaml");
}

ManifestConfig load_manifest_config(const std::string& file, const std::vector<std::string>& overrides) {
  ManifestConfig config;
  OptionSet options;
  declare_manifest_options(options, config);
  apply_config_sources(options, file, overrides);
  const std::vector<std::string> datasets = {"iemocap", "meld", "sims", "mosi", "mosei"};
  if (!contains(datasets, config.dataset))
    throw InputError("manifest.dataset (--dataset): expected one of " + join(datasets, ", ") + ", found " +
                     (config.dataset.empty() ? "nothing" : "'" + config.dataset + "'" + did_you_mean(config.dataset, datasets)));
  if (config.root.empty()) throw InputError("manifest.root (--root): expected the dataset's folder, found nothing");
  if (config.out.empty()) throw InputError("manifest.out (--out): expected the manifest file to write, found nothing");
  if (config.iemocap.test_session == config.iemocap.valid_session)
    throw InputError("iemocap.valid_session: expected another session than iemocap.test_session (" +
                     std::to_string(config.iemocap.test_session) + ")");
  return config;
}

std::string manifest_config_yaml(const ManifestConfig& config) {
  return resolved_yaml(declare_manifest_options, config);
}

DatasetManifest read_dataset(const ManifestConfig& config) {
  if (config.dataset == "meld") return read_meld(config.root);
  if (config.dataset == "sims") return read_sims(config.root);
  if (config.dataset == "mosi") return read_mosi(config.root, config.mosi);
  if (config.dataset == "mosei") return read_mosei(config.root, config.mosei);
  return read_iemocap(config.root, config.iemocap);  // the only other name load_manifest_config accepts
}

}  // namespace daf
