#pragma once
// The BLAS's single-precision matrix product, for the stacked head's own
// autograd functions (stacked_linear, fused_projection).
#include <cstdint>

namespace daf {

// True when the BLAS LibTorch loaded exports cblas_sgemm (Debian's OpenBLAS
// does; LibTorch builds that link MKL statically hide it, and the callers then
// use LibTorch's own products).
bool have_sgemm();

// Row-major C[m, n] = op(A)[m, k] op(B)[k, n] + beta C, op = transpose or not.
void sgemm(bool transpose_a, bool transpose_b, int64_t m, int64_t n, int64_t k, const float* a, int64_t lda,
           const float* b, int64_t ldb, float beta, float* c, int64_t ldc);

}  // namespace daf
