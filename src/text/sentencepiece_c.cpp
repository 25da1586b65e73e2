// libdaf_sentencepiece: see sentencepiece_c.h for why this library exists.
#include "sentencepiece_c.h"

#include <sentencepiece_processor.h>
#include <sentencepiece_trainer.h>

#include <cstring>
#include <string>
#include <vector>

#define DAF_SPM_EXPORT __attribute__((visibility("default")))

struct daf_spm {
  sentencepiece::SentencePieceProcessor processor;
};

namespace {
void copy_error(const std::string& message, char* error, int error_size) {
  if (!error || error_size <= 0) return;
  std::strncpy(error, message.c_str(), static_cast<size_t>(error_size) - 1);
  error[error_size - 1] = '\0';
}
}  // namespace

extern "C" {

DAF_SPM_EXPORT int daf_spm_abi_version(void) { return 2; }

DAF_SPM_EXPORT daf_spm* daf_spm_load(const char* model_path, char* error, int error_size) {
  auto* model = new daf_spm;
  const auto status = model->processor.Load(model_path);
  if (!status.ok()) {
    copy_error(status.ToString(), error, error_size);
    delete model;
    return nullptr;
  }
  return model;
}

DAF_SPM_EXPORT void daf_spm_free(daf_spm* model) { delete model; }

DAF_SPM_EXPORT int daf_spm_vocab_size(const daf_spm* model) { return model->processor.GetPieceSize(); }

DAF_SPM_EXPORT int daf_spm_special_id(const daf_spm* model, int which) {
  switch (which) {
    case 0: return model->processor.unk_id();
    case 1: return model->processor.bos_id();
    case 2: return model->processor.eos_id();
    case 3: return model->processor.pad_id();
    default: return -1;
  }
}

DAF_SPM_EXPORT int daf_spm_encode(const daf_spm* model, const char* text, int* ids, int capacity, char* error,
                                  int error_size) {
  std::vector<int> pieces;
  const auto status = model->processor.Encode(text, &pieces);
  if (!status.ok()) {
    copy_error(status.ToString(), error, error_size);
    return -1;
  }
  const int n = static_cast<int>(pieces.size());
  for (int i = 0; i < n && i < capacity; ++i) ids[i] = pieces[static_cast<size_t>(i)];
  return n;
}

DAF_SPM_EXPORT int daf_spm_piece(const daf_spm* model, int id, char* piece, int capacity) {
  if (id < 0 || id >= model->processor.GetPieceSize()) return -1;
  const std::string& text = model->processor.IdToPiece(id);
  const int n = static_cast<int>(text.size());
  if (capacity > 0) {
    const int copied = n < capacity - 1 ? n : capacity - 1;
    std::memcpy(piece, text.data(), static_cast<size_t>(copied));
    piece[copied] = '\0';
  }
  return n;
}

DAF_SPM_EXPORT int daf_spm_train(const char* args, char* error, int error_size) {
  const auto status = sentencepiece::SentencePieceTrainer::Train(args);
  if (!status.ok()) {
    copy_error(status.ToString(), error, error_size);
    return -1;
  }
  return 0;
}

}  // extern "C"
