#pragma once
// The BLAS's single-precision matrix product, for the stacked head's own
// autograd functions (stacked_linear, fused_projection).
#include <cstdint>

namespace daf {

// True when the BLAS LibTorch loaded exports cblas_sgemm (Debian's OpenBLAS
// does; LibTorch builds that link MKL statically hide it, and the callers then
// use LibTorch's own products).
bool have_sgemm();

// The products of S stacked linear layers y[s] = x[s] W[s]^T, x: [S, rows, in]
// and y: [S, rows, out] dense, W[s] at weights + s * weight_stride ([out, in]
// row-major), one BLAS call per head:
//   y[s] = x[s] W[s]^T + beta y[s]
void stacked_forward(int64_t heads, int64_t rows, int64_t in, int64_t out, const float* x, const float* weights,
                     int64_t weight_stride, float beta, float* y);
//   grad_x[s] = grad_y[s] W[s]
void stacked_grad_input(int64_t heads, int64_t rows, int64_t in, int64_t out, const float* grad_y,
                        const float* weights, int64_t weight_stride, float* grad_x);
//   grad_w[s] += grad_y[s]^T x[s]   (grad_w[s] at grad_weights + s * grad_stride)
void stacked_grad_weight(int64_t heads, int64_t rows, int64_t in, int64_t out, const float* grad_y, const float* x,
                         float* grad_weights, int64_t grad_stride);

}  // namespace daf
