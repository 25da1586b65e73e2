#include "daf/text/sentencepiece_tokenizer.h"

#include <dlfcn.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <mutex>

#include "daf/util/error.h"
#include "text/sentencepiece_c.h"

namespace daf {
namespace {

constexpr int kAbiVersion = 2;
constexpr int kErrorSize = 1024;

// The shim's functions, resolved once per process.
struct Shim {
  std::string path;
  int (*abi_version)();
  daf_spm* (*load)(const char*, char*, int);
  void (*free)(daf_spm*);
  int (*vocab_size)(const daf_spm*);
  int (*special_id)(const daf_spm*, int);
  int (*encode)(const daf_spm*, const char*, int*, int, char*, int);
  int (*piece)(const daf_spm*, int, char*, int);
  int (*train)(const char*, char*, int);
};

std::string executable_dir() {
  std::error_code error;
  const auto exe = std::filesystem::read_symlink("/proc/self/exe", error);
  return error ? std::string() : exe.parent_path().string();
}

// Candidates in order: $DAF_SENTENCEPIECE_LIBRARY, beside the executable or in
// its ../lib (installed layout), the build tree, then the loader's search path.
std::vector<std::string> candidate_paths() {
  std::vector<std::string> paths;
  if (const char* env = std::getenv("DAF_SENTENCEPIECE_LIBRARY"); env && *env) return {env};
  const std::string name = "libdaf_sentencepiece.so";
  const std::string dir = executable_dir();
  if (!dir.empty()) {
    paths.push_back(dir + "/" + name);
    paths.push_back(dir + "/../lib/" + name);
  }
#ifdef DAF_SENTENCEPIECE_BUILD_PATH
  paths.push_back(DAF_SENTENCEPIECE_BUILD_PATH);
#endif
  paths.push_back(name);
  return paths;
}

template <class F>
void resolve(void* handle, const char* symbol, F& function, const std::string& path) {
  function = reinterpret_cast<F>(dlsym(handle, symbol));
  if (!function) throw RuntimeFailure(path + ": missing symbol " + symbol + " (rebuild daf)");
}

Shim open_shim() {
  std::string tried;
  for (const auto& path : candidate_paths()) {
    if (path.find('/') != std::string::npos && !std::filesystem::exists(path)) {
      tried += "\n  " + path + " (absent)";
      continue;
    }
    // A link-map namespace of its own: the shim, libsentencepiece and their
    // protobuf and libstdc++ never see LibTorch's symbols, nor the executable's
    // (RTLD_DEEPBIND alone isolates protobuf, but sentencepiece's log output then
    // binds to an unconstructed std::cerr in executables built as PIE).
    void* handle = dlmopen(LM_ID_NEWLM, path.c_str(), RTLD_NOW | RTLD_LOCAL);
    if (!handle) {
      tried += "\n  " + path + " (" + dlerror() + ")";
      continue;
    }
    Shim shim;
    shim.path = path;
    resolve(handle, "daf_spm_abi_version", shim.abi_version, path);
    if (shim.abi_version() != kAbiVersion)
      throw RuntimeFailure(path + ": interface version " + std::to_string(shim.abi_version()) + ", expected " +
                           std::to_string(kAbiVersion) + " (an old build on the search path?)");
    resolve(handle, "daf_spm_load", shim.load, path);
    resolve(handle, "daf_spm_free", shim.free, path);
    resolve(handle, "daf_spm_vocab_size", shim.vocab_size, path);
    resolve(handle, "daf_spm_special_id", shim.special_id, path);
    resolve(handle, "daf_spm_encode", shim.encode, path);
    resolve(handle, "daf_spm_piece", shim.piece, path);
    resolve(handle, "daf_spm_train", shim.train, path);
    return shim;
  }
  throw RuntimeFailure("cannot load libdaf_sentencepiece.so (set DAF_SENTENCEPIECE_LIBRARY to its path); tried:" +
                       tried);
}

const Shim& shim() {
  static std::once_flag once;
  static std::unique_ptr<Shim> instance;
  static std::string failure;
  std::call_once(once, [] {
    try {
      instance = std::make_unique<Shim>(open_shim());
    } catch (const std::exception& e) {
      failure = e.what();
    }
  });
  if (!instance) throw RuntimeFailure(failure);
  return *instance;
}

}  // namespace

struct SentencePieceTokenizer::Model {
  daf_spm* handle = nullptr;
  ~Model() {
    if (handle) shim().free(handle);
  }
};

SentencePieceTokenizer::SentencePieceTokenizer(std::unique_ptr<Model> model, std::string path)
    : model_(std::move(model)), path_(std::move(path)) {}
SentencePieceTokenizer::~SentencePieceTokenizer() = default;
SentencePieceTokenizer::SentencePieceTokenizer(SentencePieceTokenizer&&) noexcept = default;
SentencePieceTokenizer& SentencePieceTokenizer::operator=(SentencePieceTokenizer&&) noexcept = default;

SentencePieceTokenizer SentencePieceTokenizer::load(const std::string& model_path) {
  if (!std::filesystem::is_regular_file(model_path))
    throw InputError(model_path + ": sentencepiece model not found");
  char error[kErrorSize] = {0};
  auto model = std::make_unique<Model>();
  model->handle = shim().load(model_path.c_str(), error, kErrorSize);
  if (!model->handle)
    throw InputError(model_path + ": not a sentencepiece model (" + std::string(error) + ")");
  return SentencePieceTokenizer(std::move(model), model_path);
}

std::vector<int> SentencePieceTokenizer::encode(const std::string& text) const {
  char error[kErrorSize] = {0};
  std::vector<int> ids(text.size() + 8);
  int n = shim().encode(model_->handle, text.c_str(), ids.data(), static_cast<int>(ids.size()), error, kErrorSize);
  if (n > static_cast<int>(ids.size())) {  // more pieces than bytes cannot happen, but stay safe
    ids.resize(static_cast<size_t>(n));
    n = shim().encode(model_->handle, text.c_str(), ids.data(), n, error, kErrorSize);
  }
  if (n < 0) throw InputError(path_ + ": cannot encode text: " + error);
  ids.resize(static_cast<size_t>(n));
  return ids;
}

std::string SentencePieceTokenizer::piece(int id) const {
  char buffer[256];
  const int n = shim().piece(model_->handle, id, buffer, sizeof buffer);
  if (n < 0) return "";
  if (n < static_cast<int>(sizeof buffer)) return std::string(buffer, static_cast<size_t>(n));
  std::string text(static_cast<size_t>(n) + 1, '\0');
  shim().piece(model_->handle, id, text.data(), n + 1);
  text.resize(static_cast<size_t>(n));
  return text;
}

int SentencePieceTokenizer::vocab_size() const { return shim().vocab_size(model_->handle); }
int SentencePieceTokenizer::unk_id() const { return shim().special_id(model_->handle, 0); }
int SentencePieceTokenizer::bos_id() const { return shim().special_id(model_->handle, 1); }
int SentencePieceTokenizer::eos_id() const { return shim().special_id(model_->handle, 2); }
int SentencePieceTokenizer::pad_id() const { return shim().special_id(model_->handle, 3); }

void train_sentencepiece(const std::string& args) {
  char error[kErrorSize] = {0};
  if (shim().train(args.c_str(), error, kErrorSize) != 0)
    throw RuntimeFailure("sentencepiece training failed: " + std::string(error));
}

std::string sentencepiece_library_path() { return shim().path; }

}  // namespace daf
