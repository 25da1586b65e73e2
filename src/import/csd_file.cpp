#include "daf/import/csd_file.h"

#include <algorithm>
#include <cmath>

#include "daf/import/segment_alignment.h"
#include "daf/util/error.h"
#include "data/hdf5_file.h"

namespace daf {

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

std::vector<int64_t> bad_interval_rows(const CsdVideo& video) {
  std::vector<int64_t> bad;
  for (int64_t i = 0; i < video.rows(); ++i) {
    const double a = video.starts[static_cast<size_t>(i)], b = video.ends[static_cast<size_t>(i)];
    if (!std::isfinite(a) || !std::isfinite(b) || b < a) bad.push_back(i);
  }
  return bad;
}

void remove_rows(CsdVideo& video, const std::vector<int64_t>& rows) {
  if (rows.empty()) return;
  const bool numeric = video.features.rows == video.rows() && video.features.cols > 0;
  const int64_t cols = video.features.cols;
  int64_t kept = 0;
  size_t next = 0;
  for (int64_t i = 0; i < video.rows(); ++i) {
    if (next < rows.size() && rows[next] == i) {
      ++next;
      continue;
    }
    const auto k = static_cast<size_t>(kept), from = static_cast<size_t>(i);
    video.starts[k] = video.starts[from];
    video.ends[k] = video.ends[from];
    if (!video.words.empty()) video.words[k] = std::move(video.words[from]);
    if (numeric && kept != i) std::copy(video.features.row(i), video.features.row(i) + cols, video.features.row(kept));
    ++kept;
  }
  video.starts.resize(static_cast<size_t>(kept));
  video.ends.resize(static_cast<size_t>(kept));
  if (!video.words.empty()) video.words.resize(static_cast<size_t>(kept));
  if (numeric) {
    video.features.rows = kept;
    video.features.values.resize(static_cast<size_t>(kept * cols));
  }
}

void sort_rows_by_start(CsdVideo& video) {
  if (std::is_sorted(video.starts.begin(), video.starts.end())) return;  // the usual case: nothing to copy
  const auto order = order_by_start(video.starts);
  CsdVideo sorted;
  sorted.features = FeatureMatrix(video.features.rows, video.features.cols);
  for (size_t k = 0; k < order.size(); ++k) {
    const auto i = order[k];
    sorted.starts.push_back(video.starts[static_cast<size_t>(i)]);
    sorted.ends.push_back(video.ends[static_cast<size_t>(i)]);
    if (!video.words.empty()) sorted.words.push_back(std::move(video.words[static_cast<size_t>(i)]));
    if (video.features.rows == video.rows())
      std::copy(video.features.row(i), video.features.row(i) + video.features.cols,
                sorted.features.row(static_cast<int64_t>(k)));
  }
  video = std::move(sorted);
}

SegmentRows rows_in_segment(const CsdVideo& sorted, double start, double end) {
  SegmentRows rows;
  for (int64_t i = 0; i < sorted.rows(); ++i) {
    const double a = sorted.starts[static_cast<size_t>(i)];
    if (a > end + kSdkEpsilon) break;  // sorted by start: every later row is apart too
    switch (classify_row(a, sorted.ends[static_cast<size_t>(i)], start, end)) {
      case RowOverlap::used: rows.used.push_back(i); break;
      case RowOverlap::marginal: ++rows.marginal; break;
      case RowOverlap::apart: break;
    }
  }
  return rows;
}

SegmentRows average_segment(const CsdVideo& sorted, double start, double end, float* out) {
  const int64_t cols = sorted.features.cols;
  SegmentRows rows = rows_in_segment(sorted, start, end);
  std::vector<double> sum(static_cast<size_t>(cols), 0.0);
  for (const int64_t i : rows.used) {
    const float* row = sorted.features.row(i);
    for (int64_t j = 0; j < cols; ++j) sum[static_cast<size_t>(j)] += row[j];
  }
  const double used = static_cast<double>(rows.used.size());
  for (int64_t j = 0; j < cols; ++j)
    out[j] = rows.used.empty() ? 0.0f : static_cast<float>(sum[static_cast<size_t>(j)] / used);
  return rows;
}

std::string words_in(const CsdVideo& sorted_words, double start, double end) {
  std::string text;
  for (const int64_t i : rows_in_segment(sorted_words, start, end).used) {
    const std::string& word = sorted_words.words[static_cast<size_t>(i)];
    if (word == "sp" || word.empty()) continue;
    text += (text.empty() ? "" : " ") + word;
  }
  return text;
}

}  // namespace daf
