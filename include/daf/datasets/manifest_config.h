#pragma once
// daf-manifest's settings: which dataset, where it is, where the manifest goes,
// and each dataset's own options (a section per dataset).
#include <string>
#include <vector>

#include "daf/datasets/cmu_raw.h"
#include "daf/datasets/dataset_manifest.h"
#include "daf/datasets/iemocap.h"

namespace daf {

class OptionSet;

struct ManifestConfig {
  std::string dataset;  // iemocap, meld, sims, mosi, mosei
  std::string root;     // the dataset's folder as distributed
  std::string out;      // the manifest CSV
  IemocapOptions iemocap;
  CmuRawOptions mosi;
  CmuRawOptions mosei;
};

void declare_manifest_options(OptionSet& options, ManifestConfig& config);
// A YAML file (skipped when empty), then section.key=value overrides; checked.
ManifestConfig load_manifest_config(const std::string& file, const std::vector<std::string>& overrides);
// The resolved settings as YAML.
std::string manifest_config_yaml(const ManifestConfig& config);

// Reads the dataset the config names.
DatasetManifest read_dataset(const ManifestConfig& config);

}  // namespace daf
