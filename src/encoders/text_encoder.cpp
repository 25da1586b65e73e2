#include "daf/encoders/text_encoder.h"

#include "daf/train/runtime.h"
#include "daf/util/error.h"
#include "torchscript_module.h"

namespace daf {
namespace {

const char* kTextSignature =
    "forward(input_ids: int64 [B, T], attention_mask: int64 [B, T][, token_type_ids: int64 [B, T]])";

torch::Tensor to_tensor(const std::vector<int64_t>& values, int64_t rows, int64_t length, const torch::Device& device) {
  return torch::from_blob(const_cast<int64_t*>(values.data()), {rows, length}, torch::kLong).to(device, true);
}

FeatureMatrix to_matrix(const torch::Tensor& pooled) {
  const torch::Tensor cpu = pooled.to(torch::kCPU, torch::kFloat).contiguous();
  FeatureMatrix out(cpu.size(0), cpu.size(1));
  std::memcpy(out.values.data(), cpu.data_ptr<float>(), out.values.size() * sizeof(float));
  return out;
}

}  // namespace

struct TextEncoder::Impl {
  std::string path;
  std::string pooling;
  torch::Device device = torch::kCPU;
  torch::jit::Module module;
  int inputs = 2;

  // Selects the tensor the pooling works on, or explains why the output does not fit.
  torch::Tensor pool(const torch::IValue& output, const torch::Tensor& mask, const TokenBatch& batch) const {
    const std::string expected = "float [B, T, D] = [" + std::to_string(batch.rows) + ", " +
                                 std::to_string(batch.length) + ", D], float [B, D] = [" + std::to_string(batch.rows) +
                                 ", D] or a tuple of them";
    const auto fail = [&](const std::string& why) -> torch::Tensor {
      throw InputError(path + ": encoder contract: " + kTextSignature + " returned " + encoders::describe(output) +
                       "; expected " + expected + (why.empty() ? "" : " (" + why + ")"));
    };
    torch::Tensor sequence, pooled;
    if (output.isTensor()) {
      const torch::Tensor t = output.toTensor();
      (t.dim() == 3 ? sequence : pooled) = t;
      if (t.dim() != 2 && t.dim() != 3) return fail("");
    } else if (output.isTuple()) {
      const auto& elements = output.toTupleRef().elements();
      if (elements.empty() || !elements[0].isTensor() || elements[0].toTensor().dim() != 3) return fail("");
      sequence = elements[0].toTensor();
      if (elements.size() > 1 && elements[1].isTensor()) pooled = elements[1].toTensor();
    } else {
      return fail("");
    }
    if (sequence.defined() && (sequence.size(0) != batch.rows || sequence.size(1) != batch.length))
      return fail("");
    if (pooled.defined() && (pooled.dim() != 2 || pooled.size(0) != batch.rows)) return fail("");
    const torch::Tensor& any = sequence.defined() ? sequence : pooled;
    if (!any.is_floating_point()) return fail("not floating point");

    if (pooling == "module") {
      if (!pooled.defined()) return fail("text.pooling=module needs the module's pooled [B, D] output");
      return pooled;
    }
    if (!sequence.defined())
      return fail("the module pools itself: set text.pooling=module, or return [B, T, D] for " + pooling);
    if (pooling == "first") return sequence.select(1, 0);
    const torch::Tensor weights = mask.to(sequence.scalar_type()).unsqueeze(-1);
    return (sequence * weights).sum(1) / weights.sum(1).clamp_min(1.0);
  }
};

TextEncoder::TextEncoder(const std::string& path, const std::string& pooling, const std::string& device)
    : impl_(std::make_unique<Impl>()) {
  impl_->path = path;
  impl_->pooling = pooling;
  impl_->device = select_device(device);
  impl_->module = encoders::load_module(path, impl_->device);
  impl_->inputs = static_cast<int>(encoders::forward_arguments(impl_->module).size());
  if (impl_->inputs != 3) encoders::check_forward_arity(impl_->module, path, kTextSignature, 2);
}

int TextEncoder::inputs() const { return impl_->inputs; }

TextEncoder::~TextEncoder() = default;

FeatureMatrix TextEncoder::encode(const TokenBatch& batch) {
  c10::InferenceMode no_autograd;
  const torch::Tensor ids = to_tensor(batch.ids, batch.rows, batch.length, impl_->device);
  const torch::Tensor mask = to_tensor(batch.mask, batch.rows, batch.length, impl_->device);
  std::vector<torch::IValue> inputs{ids, mask};
  if (impl_->inputs == 3) inputs.emplace_back(torch::zeros_like(ids));  // one segment: token type 0
  const torch::IValue output = encoders::run_forward(impl_->module, impl_->path, std::move(inputs));
  return to_matrix(impl_->pool(output, mask, batch));
}

int64_t TextEncoder::check_contract(const TokenBatch& probe) {
  const FeatureMatrix out = encode(probe);
  if (out.rows != probe.rows || out.cols < 1)
    throw InputError(impl_->path + ": encoder contract: pooled output has shape [" + std::to_string(out.rows) + ", " +
                     std::to_string(out.cols) + "], expected [" + std::to_string(probe.rows) + ", D >= 1]");
  return out.cols;
}

void TextEncoder::check_vocabulary(int64_t tokenizer_vocab_size, const std::string& tokenizer_file) {
  // A text of id 0 and one of the largest id: when only the second fails, the embedding
  // table is smaller than the vocabulary. Anything else is left to the contract check.
  const auto runs = [&](int64_t id) {
    const torch::Tensor ids = torch::full({1, 1}, id, torch::kLong).to(impl_->device);
    const torch::Tensor mask = torch::ones({1, 1}, torch::kLong).to(impl_->device);
    std::vector<torch::IValue> inputs{ids, mask};
    if (impl_->inputs == 3) inputs.emplace_back(torch::zeros_like(ids));
    try {
      encoders::run_forward(impl_->module, impl_->path, std::move(inputs));
      return std::string();
    } catch (const InputError& e) {
      return std::string(e.what());
    }
  };
  if (!runs(0).empty()) return;
  const std::string failure = runs(tokenizer_vocab_size - 1);
  if (failure.empty()) return;
  // The table is only named in the message: a module's first "embed" parameter need not be its token table.
  const std::string table = encoders::describe_embedding_table(impl_->module);
  const size_t reason = failure.find("): ");
  throw InputError(tokenizer_file + " has " + std::to_string(tokenizer_vocab_size) + " token ids but the encoder " +
                   impl_->path + (table.empty() ? "" : " (embedding table " + table + ")") + " cannot embed id " +
                   std::to_string(tokenizer_vocab_size - 1) +
                   (reason == std::string::npos ? "" : " (" + failure.substr(reason + 3) + ")") +
                   ": the tokenizer files do not belong to this encoder");
}

}  // namespace daf
