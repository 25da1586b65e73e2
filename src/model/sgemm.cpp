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

}  // namespace

bool have_sgemm() { return cblas_sgemm() != nullptr; }

void sgemm(bool transpose_a, bool transpose_b, int64_t m, int64_t n, int64_t k, const float* a, int64_t lda,
           const float* b, int64_t ldb, float beta, float* c, int64_t ldc) {
  auto i = [](int64_t v) { return static_cast<int>(v); };
  cblas_sgemm()(kRowMajor, transpose_a ? kTrans : kNoTrans, transpose_b ? kTrans : kNoTrans, i(m), i(n), i(k), 1.0f, a,
                i(lda), b, i(ldb), beta, c, i(ldc));
}

}  // namespace daf
