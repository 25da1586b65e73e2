#pragma once
// Plots drawn by gnuplot (Debian's gnuplot-nox): a PNG (pngcairo terminal)
// and the same plot as SVG beside it (x.png and x.svg; vector, for papers and
// the HTML reports), or the SVG alone when the name given ends in .svg. Each
// plot keeps its data (.dat) and script (.gp) beside the image so it can be
// restyled by hand.
#include <string>
#include <utility>
#include <vector>

namespace daf {

bool gnuplot_available();

struct BarGroup {
  std::string label;
  double mean = 0;
  double std = 0;
};
// Bars with error bars, one per label.
void plot_bars(const std::string& png, const std::string& title, const std::string& ylabel,
               const std::vector<BarGroup>& bars);

// Box plots of several samples (e.g. each modality's gate weight).
void plot_boxes(const std::string& png, const std::string& title, const std::string& ylabel,
                const std::vector<std::pair<std::string, std::vector<double>>>& samples);

struct LineSeries {
  std::string name;
  std::vector<double> x, y, err;
};
struct LinePanel {
  std::string title;
  std::vector<LineSeries> series;
  bool legend = true;  // false: many series, no key
};
// Panels side by side, each with one line (with error bars) per series; a
// series whose errors are all 0 is drawn as plain lines.
void plot_lines(const std::string& png, const std::string& xlabel, const std::string& ylabel,
                const std::vector<LinePanel>& panels);

struct PointPanel {
  std::string xlabel;
  std::vector<double> x, y;
  bool log_x = false;
  std::vector<std::string> x_labels;  // when given: x are positions 0..k-1 named by these
};
// One scatter panel per entry, three to a row, sharing the y label.
void plot_points(const std::string& png, const std::string& title, const std::string& ylabel,
                 const std::vector<PointPanel>& panels);

// One group of bars: one value (and std, 0 for none; NaN: no bar) per series.
struct BarCluster {
  std::string label;
  std::vector<double> mean, std;
};
// Clustered bars: one cluster per entry, one coloured bar per series within it, with error bars.
void plot_clustered_bars(const std::string& png, const std::string& title, const std::string& ylabel,
                         const std::vector<std::string>& series, const std::vector<BarCluster>& clusters);
// Stacked bars: one bar per entry, its `mean` values stacked in series order (shares: fusion weights).
void plot_stacked_bars(const std::string& png, const std::string& title, const std::string& ylabel,
                       const std::vector<std::string>& series, const std::vector<BarCluster>& bars);

struct ForestRow {
  std::string label;
  double estimate = 0, low = 0, high = 0;  // a NaN estimate: the row is labelled and left empty
};
// A forest plot: one row per entry (first at the top), a point at the estimate with a
// horizontal interval, and a dashed line at 0.
void plot_forest(const std::string& png, const std::string& title, const std::string& xlabel,
                 const std::vector<ForestRow>& rows);

}  // namespace daf
