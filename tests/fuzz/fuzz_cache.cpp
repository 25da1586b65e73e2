// The embedding-cache reader. The input is not an HDF5 image: it describes an
// HDF5 file (which groups, datasets, shapes, types and values exist), which
// the harness writes with the HDF5 library and daf then reads. That fuzzes
// daf's checks of a cache's structure and values rather than HDF5's own
// binary parser (Debian's libhdf5, fuzzed upstream and outside daf's control).
#include <algorithm>
#include <fuzzer/FuzzedDataProvider.h>

#include "daf/data/cache_io.h"
#include "fuzz_common.h"
#include "hdf5_file.h"

namespace {

std::vector<float> floats(FuzzedDataProvider& in, size_t count) {
  std::vector<float> values(count);
  for (auto& v : values) v = in.ConsumeBool() ? in.ConsumeFloatingPoint<float>() : in.ConsumeIntegralInRange(-3, 3);
  return values;
}

void write_matrix(daf::hdf5::File& f, FuzzedDataProvider& in, const std::string& name, std::vector<int64_t> shape) {
  size_t count = 1;
  for (auto d : shape) count *= static_cast<size_t>(d);
  const auto values = floats(in, count);
  if (in.ConsumeBool()) {
    f.write_floats(name, shape, values.data());
  } else {
    const std::vector<double> wide(values.begin(), values.end());
    f.write_doubles(name, shape, wide.data());
  }
}

void write_split(daf::hdf5::File& f, FuzzedDataProvider& in, const std::string& group) {
  f.create_group(group);
  const int64_t n = in.ConsumeIntegralInRange<int64_t>(0, 5);
  auto rows = [&] { return std::max<int64_t>(0, n + in.ConsumeIntegralInRange<int64_t>(-1, 1) * in.ConsumeBool()); };
  if (in.ConsumeBool()) {
    std::vector<std::string> ids;
    for (int64_t i = 0, r = rows(); i < r; ++i) ids.push_back(in.ConsumeBool() ? "u" + std::to_string(i) : in.ConsumeRandomLengthString(6));
    f.write_strings(group + "/ids", ids);
  }
  if (in.ConsumeBool()) {
    f.create_group(group + "/labels");
    for (const char* label : {"sentiment", "happy"})
      if (in.ConsumeBool()) write_matrix(f, in, group + "/labels/" + label, {rows()});
  }
  if (in.ConsumeBool()) {
    f.create_group(group + "/features");
    for (const char* modality : {"text", "audio"})
      if (in.ConsumeBool()) {
        const std::string name = group + "/features/" + modality;
        if (in.ConsumeBool())
          write_matrix(f, in, name, {rows(), in.ConsumeIntegralInRange<int64_t>(0, 3)});
        else
          write_matrix(f, in, name, {rows()});  // wrong rank
        if (in.ConsumeBool()) f.write_string_attribute(name, "encoder", in.ConsumeRandomLengthString(8));
      }
  }
  if (in.ConsumeBool()) {
    f.create_group(group + "/present");
    for (const char* modality : {"text", "audio", "video"})
      if (in.ConsumeBool()) {
        std::vector<uint8_t> present(static_cast<size_t>(rows()));
        for (auto& p : present) p = in.ConsumeIntegralInRange<uint8_t>(0, 2);
        f.write_bytes(group + "/present/" + modality, present);
      }
  }
  if (in.ConsumeBool()) {
    std::vector<std::string> transcripts(static_cast<size_t>(rows()));
    for (auto& t : transcripts) t = in.ConsumeRandomLengthString(8);
    f.write_strings(group + "/transcripts", transcripts);
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  FuzzedDataProvider in(data, size);
  const std::string path = daf::fuzz::scratch() + "/c.h5";
  {
    auto f = daf::hdf5::File::create(path, path);
    if (!in.ConsumeBool()) f.write_int_attribute("/", "daf_format", in.ConsumeIntegralInRange<int64_t>(0, 2));
    for (const char* split : {"train", "valid", "test", "extra"})
      if (!in.ConsumeBool() || std::string(split) == "extra") write_split(f, in, std::string("/") + split);
    f.close();
  }
  daf::CacheReadOptions options;
  if (in.ConsumeBool()) options.modalities = {in.ConsumeBool() ? "text" : "video"};
  if (in.ConsumeBool()) options.labels = {in.ConsumeBool() ? "sentiment" : "valence"};
  if (in.ConsumeBool()) options.splits = {"test"};
  options.replace_nonfinite = in.ConsumeBool();
  daf::fuzz::expect_clean_errors([&] {
    const auto cache = daf::read_cache(path, options);
    daf::require_rows(cache, path);
  });
  return 0;
}
