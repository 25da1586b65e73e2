#include "daf/train/checkpoint.h"

#include <sstream>

#include "daf/model/model_io.h"
#include "daf/util/atomic_file.h"
#include "daf/util/error.h"
#include "daf/util/sha256.h"

namespace daf {
namespace {
const std::string kHeader = "daf-checkpoint sha256=";
}  // namespace

void save_checkpoint(const std::string& path, FusionHead& model, const FlatAdam& optimizer, int64_t optimizer_row,
                     const LoopState& state) {
  torch::serialize::OutputArchive archive, model_archive, optimizer_archive;
  model->save(model_archive);
  optimizer.save_row(optimizer_archive, optimizer_row);
  archive.write("model", model_archive);
  archive.write("optimizer", optimizer_archive);
  archive.write("epochs_done", c10::IValue(state.epochs_done));
  archive.write("best_value", c10::IValue(state.best_value));
  archive.write("best_epoch", c10::IValue(state.best_epoch));
  archive.write("stale_epochs", c10::IValue(state.stale_epochs));
  archive.write("history_csv", c10::IValue(state.history_csv));
  archive.write("weights_sha256", c10::IValue(state.weights_sha256));
  std::ostringstream bytes;  // checked writes: LibTorch's file writer aborts on a full disk
  archive.save_to(bytes);
  const std::string payload = bytes.str();
  Sha256 digest;
  digest.update(payload);
  write_file_atomic(path, kHeader + digest.hex_digest() + "\n" + payload);
}

LoopState load_checkpoint(const std::string& path, FusionHead& model, torch::serialize::InputArchive& optimizer_state) {
  std::string payload = read_file(path);
  if (payload.compare(0, kHeader.size(), kHeader) == 0) {
    const auto end = payload.find('\n');
    if (end == std::string::npos)
      throw InputError(path + ": truncated checkpoint record; set output.overwrite=true to start over");
    const std::string recorded = payload.substr(kHeader.size(), end - kHeader.size());
    payload.erase(0, end + 1);
    try {
      verify_sha256(path, payload, recorded, "its own record");
    } catch (const InputError& e) {
      throw InputError(std::string(e.what()) + "; set output.overwrite=true to start over");
    }
  }  // else: a checkpoint written before the record existed
  try {
    torch::serialize::InputArchive archive, model_archive;
    std::istringstream stream(payload);
    archive.load_from(stream);
    archive.read("model", model_archive);
    archive.read("optimizer", optimizer_state);
    model->load(model_archive);
    LoopState state;
    c10::IValue value;
    archive.read("epochs_done", value);
    state.epochs_done = value.toInt();
    archive.read("best_value", value);
    state.best_value = value.toDouble();
    archive.read("best_epoch", value);
    state.best_epoch = value.toInt();
    archive.read("stale_epochs", value);
    state.stale_epochs = value.toInt();
    archive.read("history_csv", value);
    state.history_csv = value.toStringRef();
    if (archive.try_read("weights_sha256", value)) state.weights_sha256 = value.toStringRef();
    return state;
  } catch (const c10::Error& e) {
    throw InputError(path + ": cannot resume from this checkpoint (" + e.what_without_backtrace() +
                     "); set output.overwrite=true to start over");
  }
}

}  // namespace daf
