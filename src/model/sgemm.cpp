#include "sgemm.h"

#include <dlfcn.h>

namespace daf {
namespace {

// cblas_sgemm of the BLAS LibTorch itself loaded (Debian: libblas.so.3, i.e.
// OpenBLAS), looked up at run time: LibTorch does not export its own gemm.
using CblasSgemm = void (*)(int order, int transa, int transb, int m, int n, int k, float alpha, const float* a,
                            int lda, const float* b, int ldb, float beta, float* c, int ldc);
CblasSgemm cblas_sgemm() {
  static const auto function = reinterpret_cast<CblasSgemm>(dlsym(RTLD_DEFAULT, "cblas_sgemm"));
  return function;
}
constexpr int kRowMajor = 101, kNoTrans = 111, kTrans = 112;

// Row-major C[m, n] = op(A)[m, k] op(B)[k, n] + beta C, op = transpose or not.
void sgemm(bool transpose_a, bool transpose_b, int64_t m, int64_t n, int64_t k, const float* a, int64_t lda,
           const float* b, int64_t ldb, float beta, float* c, int64_t ldc) {
  auto i = [](int64_t v) { return static_cast<int>(v); };
  cblas_sgemm()(kRowMajor, transpose_a ? kTrans : kNoTrans, transpose_b ? kTrans : kNoTrans, i(m), i(n), i(k), 1.0f, a,
                i(lda), b, i(ldb), beta, c, i(ldc));
}

}  // namespace

bool have_sgemm() { return cblas_sgemm() != nullptr; }

void stacked_forward(int64_t heads, int64_t rows, int64_t in, int64_t out, const float* x, const float* weights,
                     int64_t weight_stride, float beta, float* y) {
  for (int64_t s = 0; s < heads; ++s)
    sgemm(false, true, rows, out, in, x + s * rows * in, in, weights + s * weight_stride, in, beta, y + s * rows * out,
          out);
}

void stacked_grad_input(int64_t heads, int64_t rows, int64_t in, int64_t out, const float* grad_y,
                        const float* weights, int64_t weight_stride, float* grad_x) {
  for (int64_t s = 0; s < heads; ++s)
    sgemm(false, false, rows, in, out, grad_y + s * rows * out, out, weights + s * weight_stride, in, 0.0f,
          grad_x + s * rows * in, in);
}

void stacked_grad_weight(int64_t heads, int64_t rows, int64_t in, int64_t out, const float* grad_y, const float* x,
                         float* grad_weights, int64_t grad_stride) {
  for (int64_t s = 0; s < heads; ++s)
    sgemm(true, false, out, in, rows, grad_y + s * rows * out, out, x + s * rows * in, in, 1.0f,
          grad_weights + s * grad_stride, in);
}

}  // namespace daf
