#pragma once
// MultiBench's summaries of a metric-vs-imperfection curve (Liang et al.,
// "MultiBench: Multiscale Benchmarks for Multimodal Representation Learning",
// NeurIPS 2021 Datasets and Benchmarks; eval_scripts/robustness.py). The curve
// holds the metric at rates[0] = 0 (clean) and at each rate after it.
#include <vector>

namespace daf {

// Relative robustness: the trapezoidal area under the curve,
// sum_i (r[i+1] - r[i]) * (f[i] + f[i+1]) / 2. MultiBench's helper is this with
// rates 0, 0.1, 0.2, ...; it then min-max normalises the areas across the
// methods it compares, which depends on that set and is left out here.
double relative_robustness(const std::vector<double>& rates, const std::vector<double>& metric);

// Effective robustness against a reference curve b on the same rates (MultiBench:
// late fusion): sum_i (f[i] - (b[i] + f[0] - b[0])), i.e. how much less (or
// more) f falls from its clean value than b does, summed over the rates. In
// the metric's own direction: for MAE a negative value is the more robust.
double effective_robustness(const std::vector<double>& metric, const std::vector<double>& reference);

}  // namespace daf
