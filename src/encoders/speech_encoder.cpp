#include "daf/encoders/speech_encoder.h"

#include <cmath>

#include "daf/train/runtime.h"
#include "daf/util/error.h"
#include "torchscript_module.h"

namespace daf {
namespace {
const char* kSpeechSignature = "forward(waveform: float [B, S], lengths: int64 [B])";
}

struct SpeechEncoder::Impl {
  std::string path;
  torch::Device device = torch::kCPU;
  torch::jit::Module module;

  [[noreturn]] void fail(const torch::IValue& output, const WaveBatch& batch, const std::string& why) const {
    throw InputError(path + ": encoder contract: " + kSpeechSignature + " with B = " + std::to_string(batch.rows) +
                     ", S = " + std::to_string(batch.length) + " returned " + encoders::describe(output) +
                     "; expected float [B, T', D] = [" + std::to_string(batch.rows) +
                     ", T', D] or a tuple (float [B, T', D], int64 [B])" + (why.empty() ? "" : " (" + why + ")"));
  }

  // Valid frames per row: the module's output lengths, or the share of the padded input each row fills.
  std::vector<int64_t> valid_frames(const torch::IValue& output, const torch::Tensor& frames,
                                    const WaveBatch& batch) const {
    const int64_t total = frames.size(1);
    std::vector<int64_t> valid(static_cast<size_t>(batch.rows));
    torch::Tensor lengths;
    if (output.isTuple() && output.toTupleRef().elements().size() > 1 && output.toTupleRef().elements()[1].isTensor())
      lengths = output.toTupleRef().elements()[1].toTensor();
    if (lengths.defined()) {
      if (lengths.dim() != 1 || lengths.size(0) != batch.rows) fail(output, batch, "output lengths are not [B]");
      lengths = lengths.to(torch::kCPU, torch::kLong).contiguous();
    }
    for (int64_t i = 0; i < batch.rows; ++i) {
      const int64_t n = lengths.defined()
                            ? lengths.data_ptr<int64_t>()[i]
                            : static_cast<int64_t>(std::ceil(static_cast<double>(total) *
                                                             batch.lengths[static_cast<size_t>(i)] / batch.length));
      valid[static_cast<size_t>(i)] = std::clamp<int64_t>(n, 1, total);
    }
    return valid;
  }
};

SpeechEncoder::SpeechEncoder(const std::string& path, const std::string& device) : impl_(std::make_unique<Impl>()) {
  impl_->path = path;
  impl_->device = select_device(device);
  impl_->module = encoders::load_module(path, impl_->device);
  encoders::check_forward_arity(impl_->module, path, kSpeechSignature, 2);
}

SpeechEncoder::~SpeechEncoder() = default;

int64_t SpeechEncoder::module_sample_rate() const {
  if (!impl_->module.hasattr("sample_rate")) return 0;
  const torch::IValue value = impl_->module.attr("sample_rate");
  return value.isInt() ? value.toInt() : 0;
}

FrameSums SpeechEncoder::encode(const WaveBatch& batch) {
  c10::InferenceMode no_autograd;
  const torch::Tensor waveform =
      torch::from_blob(const_cast<float*>(batch.samples.data()), {batch.rows, batch.length}, torch::kFloat)
          .to(impl_->device, true);
  const torch::Tensor lengths =
      torch::from_blob(const_cast<int64_t*>(batch.lengths.data()), {batch.rows}, torch::kLong).to(impl_->device, true);
  const torch::IValue output = encoders::run_forward(impl_->module, impl_->path, {waveform, lengths});

  torch::Tensor frames;
  if (output.isTensor()) frames = output.toTensor();
  else if (output.isTuple() && !output.toTupleRef().elements().empty() && output.toTupleRef().elements()[0].isTensor())
    frames = output.toTupleRef().elements()[0].toTensor();
  if (!frames.defined() || frames.dim() != 3 || frames.size(0) != batch.rows) impl_->fail(output, batch, "");
  if (!frames.is_floating_point()) impl_->fail(output, batch, "not floating point");
  if (frames.size(1) < 1 || frames.size(2) < 1) impl_->fail(output, batch, "no frames or no features");

  const std::vector<int64_t> valid = impl_->valid_frames(output, frames, batch);
  const torch::Tensor valid_tensor = torch::tensor(valid, torch::kLong).to(frames.device());
  const torch::Tensor mask =
      (torch::arange(frames.size(1), frames.device()).unsqueeze(0) < valid_tensor.unsqueeze(1)).to(frames.dtype());
  const torch::Tensor sums = (frames * mask.unsqueeze(-1)).sum(1).to(torch::kCPU, torch::kFloat).contiguous();

  FrameSums out;
  out.sums = FeatureMatrix(sums.size(0), sums.size(1));
  std::memcpy(out.sums.values.data(), sums.data_ptr<float>(), out.sums.values.size() * sizeof(float));
  out.frames = valid;
  return out;
}

int64_t SpeechEncoder::check_contract(const WaveBatch& probe) { return encode(probe).sums.cols; }

}  // namespace daf
