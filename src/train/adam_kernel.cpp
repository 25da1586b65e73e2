#include "adam_kernel.h"

#include <cmath>

namespace daf {

// Compiled twice, the AVX2 copy chosen at load time where the CPU has it: the
// square root and the division make this loop compute-bound, not memory-bound.
__attribute__((target_clones("arch=x86-64-v3", "default")))
void adam_update(float* __restrict value, float* __restrict grad, float* __restrict m, float* __restrict v,
                 int64_t count, const AdamCoefficients& c, bool zero_grad) {
  const float beta1 = c.beta1, beta2 = c.beta2, eps = c.eps, step = c.step, correction = c.correction;
  const float grad_scale = c.grad_scale, weight_decay = c.weight_decay, decay = c.decay;
  for (int64_t i = 0; i < count; ++i) {
    const float g = grad[i] * grad_scale + weight_decay * value[i];
    const float p = value[i] * decay;
    const float mi = m[i] * beta1 + (1 - beta1) * g;
    const float vi = v[i] * beta2 + (1 - beta2) * (g * g);
    m[i] = mi;
    v[i] = vi;
    value[i] = p + step * (mi / (std::sqrt(vi) / correction + eps));
    if (zero_grad) grad[i] = 0;  // hoisted out of the loop by the compiler (loop unswitching)
  }
}

}  // namespace daf
