#include "daf/report/plots.h"

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <filesystem>

#include "daf/util/atomic_file.h"
#include "daf/util/error.h"
#include "daf/util/strings.h"

namespace daf {
namespace {

std::string stem(const std::string& png) { return png.substr(0, png.size() - 4); }

std::string quote(const std::string& text) {
  std::string out = "\"";
  for (char c : text) out += (c == '"' || c == '\\') ? std::string("\\") + c : std::string(1, c);
  return out + "\"";
}

// Moves a finished image into place; gnuplot does not always report a write
// that failed (a full disk), so a missing or empty file is not renamed.
void commit_image(const std::string& temp, const std::string& path, const std::string& log) {
  std::error_code error;
  const auto size = std::filesystem::file_size(temp, error);
  if (error || size == 0) {
    std::filesystem::remove(temp, error);
    throw RuntimeFailure("cannot write " + path + ": gnuplot produced no image (disk full? see " + log + ")");
  }
  std::filesystem::rename(temp, path, error);
  if (error) throw RuntimeFailure("cannot write " + path + ": " + error.message());
}

// Writes the script and renders it; an image appears under its name only when
// gnuplot succeeded. A PNG (pngcairo) comes with the same plot as SVG beside
// it (x.png, x.svg: vector, for papers and the HTML reports), drawn by the
// same gnuplot run; a name ending in .svg gets the SVG alone.
void render(const std::string& png, const std::string& script_body, int width, int height) {
  const bool svg_only = png.size() > 4 && png.compare(png.size() - 4, 4, ".svg") == 0;
  const std::string svg = stem(png) + ".svg";
  const std::string geometry = " size " + std::to_string(width) + "," + std::to_string(height) + " font 'sans,10'";
  const std::string as_svg = "set terminal svg" + geometry + " background rgb 'white'\nset output " +
                             quote(svg + ".tmp") + "\n" + script_body + "\nset output\n";
  const std::string script =
      svg_only ? as_svg
               : "set terminal pngcairo" + geometry + "\nset output " + quote(png + ".tmp") + "\n" + script_body +
                     "\nset output\n\n# The same plot as SVG.\nreset\n" + as_svg;
  write_file_atomic(stem(png) + ".gp", script);
  const std::string log = stem(png) + ".gnuplot.log";
  const std::string command = "gnuplot " + quote(stem(png) + ".gp") + " 2>" + quote(log);
  if (std::system(command.c_str()) != 0)
    throw RuntimeFailure("gnuplot failed on " + stem(png) + ".gp (see " + log + ")");
  if (!svg_only) commit_image(png + ".tmp", png, log);
  commit_image(svg + ".tmp", svg, log);
  std::error_code error;
  std::filesystem::remove(log, error);
}

}  // namespace

bool gnuplot_available() { return std::system("command -v gnuplot >/dev/null 2>&1") == 0; }

void plot_bars(const std::string& png, const std::string& title, const std::string& ylabel,
               const std::vector<BarGroup>& bars) {
  std::string data;
  for (const auto& bar : bars)
    data += quote(bar.label) + " " + format_number(bar.mean) + " " + format_number(bar.std) + "\n";
  write_file_atomic(stem(png) + ".dat", data);
  const std::string script = "set title " + quote(title) + "\nset ylabel " + quote(ylabel) +
                             "\nset style fill solid 0.6 border -1\nset boxwidth 0.6\nset grid ytics\n"
                             "set xtics rotate by -30\nset key off\nset yrange [0:*]\nset xrange [-0.6:" +
                             format_number(static_cast<double>(bars.size()) - 0.4) + "]\n"
                             "plot " + quote(stem(png) + ".dat") +
                             " using 0:2:3:xtic(1) with boxerrorbars lc rgb '#4477aa'\n";
  render(png, script, 900, 500);
}

namespace {

std::string number_or_nan(double v) { return std::isfinite(v) ? format_number(v) : "NaN"; }

// The bars' data: label, then mean (and std) per series; the key names the series.
std::string bar_data(const std::vector<BarCluster>& clusters, bool with_std) {
  std::string data;
  for (const auto& c : clusters) {
    data += quote(c.label);
    for (size_t k = 0; k < c.mean.size(); ++k)
      data += " " + number_or_nan(c.mean[k]) + (with_std ? " " + number_or_nan(k < c.std.size() ? c.std[k] : 0) : "");
    data += "\n";
  }
  return data;
}

int bars_width(size_t bars) { return std::clamp(200 + 22 * static_cast<int>(bars), 700, 2400); }

}  // namespace

void plot_clustered_bars(const std::string& png, const std::string& title, const std::string& ylabel,
                         const std::vector<std::string>& series, const std::vector<BarCluster>& clusters) {
  write_file_atomic(stem(png) + ".dat", bar_data(clusters, true));
  std::string plot;
  for (size_t k = 0; k < series.size(); ++k)
    plot += std::string(k ? ", ''" : quote(stem(png) + ".dat")) + " using " + std::to_string(2 + 2 * k) + ":" +
            std::to_string(3 + 2 * k) + (k ? "" : ":xtic(1)") + " title " + quote(series[k]);
  const std::string script = "set title " + quote(title) + "\nset ylabel " + quote(ylabel) +
                             "\nset style data histogram\nset style histogram errorbars gap 1 lw 1\n"
                             "set style fill solid 0.7 border -1\nset grid ytics\nset xtics rotate by -25\n"
                             "set key outside right top\nset yrange [0:*]\nplot " + plot + "\n";
  render(png, script, bars_width(clusters.size() * (series.size() + 1)), 520);
}

void plot_stacked_bars(const std::string& png, const std::string& title, const std::string& ylabel,
                       const std::vector<std::string>& series, const std::vector<BarCluster>& bars) {
  write_file_atomic(stem(png) + ".dat", bar_data(bars, false));
  std::string plot;
  for (size_t k = 0; k < series.size(); ++k)
    plot += std::string(k ? ", ''" : quote(stem(png) + ".dat")) + " using " + std::to_string(2 + k) +
            (k ? "" : ":xtic(1)") + " title " + quote(series[k]);
  const std::string script = "set title " + quote(title) + "\nset ylabel " + quote(ylabel) +
                             "\nset style data histogram\nset style histogram rowstacked\nset boxwidth 0.6\n"
                             "set style fill solid 0.8 border -1\nset grid ytics\nset xtics rotate by -25\n"
                             "set key outside right top\nset yrange [0:1]\nplot " + plot + "\n";
  render(png, script, bars_width(4 * bars.size()), 520);
}

void plot_boxes(const std::string& png, const std::string& title, const std::string& ylabel,
                const std::vector<std::pair<std::string, std::vector<double>>>& samples) {
  std::string data;
  size_t rows = 0;
  for (const auto& s : samples) rows = std::max(rows, s.second.size());
  for (size_t i = 0; i < rows; ++i) {
    for (size_t c = 0; c < samples.size(); ++c)
      data += (c ? " " : "") + (i < samples[c].second.size() ? format_number(samples[c].second[i]) : "NaN");
    data += "\n";
  }
  write_file_atomic(stem(png) + ".dat", data);
  std::string tics;
  for (size_t c = 0; c < samples.size(); ++c)
    tics += (c ? ", " : "") + quote(samples[c].first) + " " + std::to_string(c + 1);
  const std::string script = "set title " + quote(title) + "\nset ylabel " + quote(ylabel) +
                             "\nset style fill solid 0.4 border -1\nset style data boxplot\nset key off\n"
                             "set grid ytics\nset yrange [0:1]\nset xtics (" + tics + ")\n"
                             "plot for [i=1:" + std::to_string(samples.size()) + "] " + quote(stem(png) + ".dat") +
                             " using (i):i lc i\n";
  render(png, script, 700, 450);
}

void plot_lines(const std::string& png, const std::string& xlabel, const std::string& ylabel,
                const std::vector<LinePanel>& panels) {
  std::string data, script = "set multiplot layout 1," + std::to_string(std::max<size_t>(1, panels.size())) + "\n";
  size_t block = 0;
  for (const auto& panel : panels) {
    std::string plots;
    for (const auto& series : panel.series) {
      for (size_t i = 0; i < series.x.size(); ++i)
        data += format_number(series.x[i]) + " " + format_number(series.y[i]) + " " + format_number(series.err[i]) + "\n";
      data += "\n\n";  // gnuplot data block separator
      const bool errors = std::any_of(series.err.begin(), series.err.end(), [](double e) { return e != 0; });
      plots += std::string(plots.empty() ? "" : ", ") + quote(stem(png) + ".dat") + " index " + std::to_string(block++) +
               (errors ? " using 1:2:3 with yerrorlines" : " using 1:2 with linespoints pt 7 ps 0.4") +
               (panel.legend ? " title " + quote(series.name) : " notitle");
    }
    script += "set title " + quote(panel.title) + "\nset xlabel " + quote(xlabel) + "\nset ylabel " + quote(ylabel) +
              "\nset grid\n" + (panel.legend ? "set key top left\n" : "set key off\n") + "plot " + plots + "\n";
  }
  script += "unset multiplot\n";
  write_file_atomic(stem(png) + ".dat", data);
  render(png, script, 520 * static_cast<int>(std::max<size_t>(1, panels.size())), 450);
}

void plot_points(const std::string& png, const std::string& title, const std::string& ylabel,
                 const std::vector<PointPanel>& panels) {
  const size_t columns = std::min<size_t>(3, std::max<size_t>(1, panels.size()));
  const size_t rows = (panels.size() + columns - 1) / columns;
  // noenhanced: config keys are shown as written (train.weight_decay, not a subscript).
  std::string data, script = "set termoption noenhanced\nset multiplot layout " + std::to_string(std::max<size_t>(1, rows)) + "," +
                             std::to_string(columns) + " title " + quote(title) + "\n";
  for (size_t p = 0; p < panels.size(); ++p) {
    const auto& panel = panels[p];
    for (size_t i = 0; i < panel.x.size(); ++i) data += format_number(panel.x[i]) + " " + format_number(panel.y[i]) + "\n";
    data += "\n\n";
    std::string xtics = "set xtics autofreq\n";
    if (!panel.x_labels.empty()) {
      xtics = "set xtics (";
      for (size_t k = 0; k < panel.x_labels.size(); ++k)
        xtics += std::string(k ? ", " : "") + quote(panel.x_labels[k]) + " " + std::to_string(k);
      xtics += ")\nset xrange [-0.5:" + format_number(static_cast<double>(panel.x_labels.size()) - 0.5) + "]\n";
    } else {
      xtics += "set autoscale x\n";
    }
    script += std::string(panel.log_x ? "set logscale x\nset format x '%g'\n" : "unset logscale x\nset format x\n") +
              xtics + "set xlabel " +
              quote(panel.xlabel) + "\nset ylabel " + quote(ylabel) + "\nset grid\nset key off\nplot " +
              quote(stem(png) + ".dat") + " index " + std::to_string(p) +
              " using 1:2 with points pt 7 ps 0.8 lc rgb '#4477aa'\n";
  }
  script += "unset multiplot\n";
  write_file_atomic(stem(png) + ".dat", data);
  render(png, script, 420 * static_cast<int>(columns), 340 * static_cast<int>(std::max<size_t>(1, rows)) + 30);
}

void plot_forest(const std::string& png, const std::string& title, const std::string& xlabel,
                 const std::vector<ForestRow>& rows) {
  std::string data, tics;
  const size_t n = rows.size();
  for (size_t i = 0; i < n; ++i) {
    const auto y = static_cast<double>(n - i);  // the first row on top
    const auto& r = rows[i];
    data += format_number(y) + " " + (std::isfinite(r.estimate) ? format_number(r.estimate) : "NaN") + " " +
            (std::isfinite(r.low) ? format_number(r.low) : "NaN") + " " +
            (std::isfinite(r.high) ? format_number(r.high) : "NaN") + "\n";
    tics += (i ? ", " : "") + quote(r.label) + " " + format_number(y);
  }
  write_file_atomic(stem(png) + ".dat", data);
  const std::string script = "set title " + quote(title) + "\nset xlabel " + quote(xlabel) +
                             "\nset key off\nset grid xtics\nset ytics (" + tics + ")\nset yrange [0.5:" +
                             format_number(static_cast<double>(n) + 0.5) + "]\nset arrow from 0, graph 0 to 0, graph 1 "
                             "nohead dashtype 2 lc rgb '#888888'\nplot " + quote(stem(png) + ".dat") +
                             " using 2:1:3:4 with xerrorbars pt 7 lc rgb '#4477aa'\n";
  render(png, script, 900, 120 + 28 * static_cast<int>(n));
}

}  // namespace daf
