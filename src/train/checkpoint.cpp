#include "daf/train/checkpoint.h"

#include "daf/util/atomic_file.h"
#include "daf/util/error.h"

namespace daf {

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
  AtomicOutput output(path);
  archive.save_to(output.temp_path());
  output.commit();
}

LoopState load_checkpoint(const std::string& path, FusionHead& model, torch::serialize::InputArchive& optimizer_state) {
  try {
    torch::serialize::InputArchive archive, model_archive;
    archive.load_from(path);
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
    return state;
  } catch (const c10::Error& e) {
    throw InputError(path + ": cannot resume from this checkpoint (" + e.what_without_backtrace() +
                     "); set output.overwrite=true to start over");
  }
}

}  // namespace daf
