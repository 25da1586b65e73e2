#include "daf/import/csd_file.h"

#include <algorithm>

#include "daf/util/error.h"
#include "data/hdf5_file.h"

namespace daf {
namespace {

bool overlaps(double a, double b, double start, double end) {
  if (a == b || start == end) return std::max(a, start) <= std::min(b, end) && (a < end || start == end);
  return a < end && b > start;
}

}  // namespace

CsdFile CsdFile::open(const std::string& path) {
  CsdFile csd;
  csd.file_ = std::make_shared<hdf5::File>(hdf5::File::open_read(path));
  csd.path_ = path;
  const auto roots = csd.file_->children("/");
  if (roots.size() != 1)
    throw InputError(path + ": expected one root group named after the sequence, found " +
                     std::to_string(roots.size()));
  csd.sequence_ = roots.front();
  if (!csd.file_->is_group("/" + csd.sequence_ + "/data"))
    throw InputError(path + ": /" + csd.sequence_ + "/data is missing: not a computational sequence");
  return csd;
}

std::string CsdFile::video_group(const std::string& video) const { return "/" + sequence_ + "/data/" + video; }

std::vector<std::string> CsdFile::videos() const { return file_->children("/" + sequence_ + "/data"); }

bool CsdFile::has_video(const std::string& video) const { return file_->is_group(video_group(video)); }

std::vector<double> CsdFile::read_intervals(const std::string& video, CsdVideo& out) const {
  const std::string dataset = video_group(video) + "/intervals";
  const auto intervals = file_->read_doubles(dataset);
  if (intervals.shape.size() != 2 || intervals.shape[1] != 2)
    throw InputError(path_ + ": video '" + video + "': " + dataset + ": expected [T, 2] (start, end), found rank " +
                     std::to_string(intervals.shape.size()) +
                     (intervals.shape.size() == 2 ? " with " + std::to_string(intervals.shape[1]) + " columns" : ""));
  for (int64_t i = 0; i < intervals.shape[0]; ++i) {
    out.starts.push_back(intervals.values[static_cast<size_t>(2 * i)]);
    out.ends.push_back(intervals.values[static_cast<size_t>(2 * i + 1)]);
  }
  return out.starts;
}

CsdVideo CsdFile::read_numeric(const std::string& video) const {
  CsdVideo out;
  read_intervals(video, out);
  const std::string dataset = video_group(video) + "/features";
  auto features = file_->read_floats(dataset);
  if (features.shape.size() != 2)
    throw InputError(path_ + ": video '" + video + "': " + dataset + ": expected [T, D] features, found rank " +
                     std::to_string(features.shape.size()));
  if (features.shape[0] != out.rows())
    throw InputError(path_ + ": video '" + video + "': " + dataset + " has " + std::to_string(features.shape[0]) +
                     " rows but intervals has " + std::to_string(out.rows()));
  out.features.rows = features.shape[0];
  out.features.cols = features.shape[1];
  out.features.values = std::move(features.values);
  return out;
}

CsdVideo CsdFile::read_words(const std::string& video) const {
  CsdVideo out;
  read_intervals(video, out);
  const std::string dataset = video_group(video) + "/features";
  out.words = file_->read_strings(dataset);
  if (static_cast<int64_t>(out.words.size()) != out.rows())
    throw InputError(path_ + ": video '" + video + "': " + dataset + " has " + std::to_string(out.words.size()) +
                     " words but intervals has " + std::to_string(out.rows()));
  return out;
}

int64_t average_overlapping(const CsdVideo& video, double start, double end, float* out) {
  const int64_t cols = video.features.cols;
  std::vector<double> sum(static_cast<size_t>(cols), 0.0);
  int64_t used = 0;
  for (int64_t i = 0; i < video.rows(); ++i) {
    if (!overlaps(video.starts[static_cast<size_t>(i)], video.ends[static_cast<size_t>(i)], start, end)) continue;
    const float* row = video.features.row(i);
    for (int64_t j = 0; j < cols; ++j) sum[static_cast<size_t>(j)] += row[j];
    ++used;
  }
  for (int64_t j = 0; j < cols; ++j) out[j] = used ? static_cast<float>(sum[static_cast<size_t>(j)] / used) : 0.0f;
  return used;
}

std::string words_in(const CsdVideo& words, double start, double end) {
  std::string text;
  for (int64_t i = 0; i < words.rows(); ++i) {
    const std::string& word = words.words[static_cast<size_t>(i)];
    if (word == "sp" || word.empty()) continue;
    if (!overlaps(words.starts[static_cast<size_t>(i)], words.ends[static_cast<size_t>(i)], start, end)) continue;
    text += (text.empty() ? "" : " ") + word;
  }
  return text;
}

}  // namespace daf
