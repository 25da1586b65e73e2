#pragma once
// The C interface of libdaf_sentencepiece, a tiny shared library around
// sentencepiece. daf never links sentencepiece directly: Debian's
// libsentencepiece carries its own protobuf (3.14), LibTorch another (3.21),
// and a process that links both crashes before main(). The shim is loaded with
// dlmopen(LM_ID_NEWLM) into a link-map namespace of its own, so each keeps its own protobuf.
#ifdef __cplusplus
extern "C" {
#endif

typedef struct daf_spm daf_spm;

// Bumped when a function below changes; the loader checks it.
int daf_spm_abi_version(void);

// Loads a .model file; NULL on failure, with the reason in `error`.
daf_spm* daf_spm_load(const char* model_path, char* error, int error_size);
void daf_spm_free(daf_spm* model);

int daf_spm_vocab_size(const daf_spm* model);
// which: 0 unk, 1 bos, 2 eos, 3 pad; -1 when the model has none.
int daf_spm_special_id(const daf_spm* model, int which);

// Encodes UTF-8 text into piece ids. Writes at most `capacity` ids and returns
// how many the text has (which may be more), or -1 with the reason in `error`.
int daf_spm_encode(const daf_spm* model, const char* text, int* ids, int capacity, char* error, int error_size);

// Copies piece `id`'s text (NUL-terminated, cut to capacity - 1 bytes) and returns its full
// length in bytes, or -1 for an id outside the vocabulary.
int daf_spm_piece(const daf_spm* model, int id, char* piece, int capacity);

// Trains a model; `args` as spm_train takes them ("--input=x --model_prefix=y ...").
// Returns 0 on success, -1 with the reason in `error`.
int daf_spm_train(const char* args, char* error, int error_size);

#ifdef __cplusplus
}
#endif
