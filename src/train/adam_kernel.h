#pragma once
// The Adam / AdamW update of a range of parameters in one pass over the
// buffers. It lives in a file without LibTorch so it can be compiled with
// -fno-math-errno, which lets the compiler vectorise the square root (and
// for AVX2 as well as the baseline, chosen at run time).
#include <cstdint>

namespace daf {

struct AdamCoefficients {
  float beta1, beta2, eps;
  float step;            // -lr / bias_correction1
  float correction;      // sqrt(bias_correction2)
  float grad_scale;      // gradient clipping factor (1: none)
  float weight_decay;    // L2 (Adam): added to the gradient; 0 for none
  float decay;           // decoupled (AdamW): 1 - lr * weight_decay; 1 for none
};

// Per element, in the order of the LibTorch operations it replaces:
//   g = grad * grad_scale + weight_decay * value;  value *= decay
//   m = beta1 m + (1 - beta1) g;  v = beta2 v + (1 - beta2) g^2
//   value += step * m / (sqrt(v) / correction + eps)
// and, with zero_grad, grad = 0 once read (saving the next step a pass over it).
void adam_update(float* value, float* grad, float* m, float* v, int64_t count, const AdamCoefficients& c,
                 bool zero_grad);

}  // namespace daf
