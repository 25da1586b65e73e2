#include "torchscript_module.h"

#include <cctype>
#include <filesystem>
#include <map>
#include <mutex>

#include "daf/train/runtime.h"
#include "daf/util/error.h"

namespace daf::encoders {
namespace {

std::string first_line(const std::string& text) { return text.substr(0, text.find('\n')); }

std::string last_line(const std::string& text) {
  size_t end = text.find_last_not_of("\n ");
  if (end == std::string::npos) return text;
  const size_t start = text.rfind('\n', end);
  return text.substr(start == std::string::npos ? 0 : start + 1, end + 1 - (start == std::string::npos ? 0 : start + 1));
}

std::string dtype_name(const torch::Tensor& tensor) {
  switch (tensor.scalar_type()) {
    case torch::kFloat: return "float";
    case torch::kDouble: return "double";
    case torch::kHalf: return "half";
    case torch::kLong: return "int64";
    case torch::kInt: return "int32";
    case torch::kBool: return "bool";
    default: return std::string(c10::toString(tensor.scalar_type()));
  }
}

}  // namespace

std::string describe(const torch::Tensor& tensor) {
  std::string out = dtype_name(tensor) + " [";
  for (int64_t d = 0; d < tensor.dim(); ++d) out += (d ? ", " : "") + std::to_string(tensor.size(d));
  return out + "]";
}

std::string describe(const torch::IValue& value) {
  if (value.isTensor()) return describe(value.toTensor());
  if (value.isNone()) return "None";
  if (value.isTuple() || value.isList()) {
    const auto elements = value.isTuple() ? value.toTupleRef().elements().vec() : value.toListRef().vec();
    std::string out = "(";
    for (size_t i = 0; i < elements.size(); ++i) out += (i ? ", " : "") + describe(elements[i]);
    return out + ")";
  }
  return value.tagKind();
}

torch::jit::Module load_module(const std::string& path, const torch::Device& device) {
  if (!std::filesystem::is_regular_file(path)) throw InputError(path + ": encoder file not found");
  // Loaded once per process (daf-predict embeds one utterance at a time from a pipe);
  // the file's size and time tell a changed file from the one loaded.
  static std::mutex mutex;
  static std::map<std::string, torch::jit::Module> loaded;
  std::error_code error;
  const std::string key = path + "|" + device.str() + "|" + std::to_string(std::filesystem::file_size(path, error)) +
                          "|" + std::to_string(std::filesystem::last_write_time(path, error).time_since_epoch().count());
  std::lock_guard<std::mutex> guard(mutex);
  if (const auto it = loaded.find(key); it != loaded.end()) return it->second;
  torch::jit::Module module;
  try {
    module = torch::jit::load(path, device);
  } catch (const c10::Error& e) {
    throw InputError(path + ": not a TorchScript module (" + first_line(e.what_without_backtrace()) + ")");
  }
  if (!module.find_method("forward")) throw InputError(path + ": the TorchScript module has no forward()");
  module.eval();
  loaded.emplace(key, module);
  return module;
}

std::vector<std::string> forward_arguments(const torch::jit::Module& module) {
  const auto& schema = module.get_method("forward").function().getSchema();
  std::vector<std::string> names;
  for (const auto& argument : schema.arguments())
    if (argument.name() != "self") names.push_back(argument.name() + ": " + argument.type()->str());
  return names;
}

std::string describe_embedding_table(const torch::jit::Module& module, int64_t* rows) {
  for (const auto& parameter : module.named_parameters(true)) {
    std::string lower = parameter.name;
    for (char& c : lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    if (parameter.value.dim() == 2 && lower.find("embed") != std::string::npos) {
      if (rows) *rows = parameter.value.size(0);
      return "[" + std::to_string(parameter.value.size(0)) + ", " + std::to_string(parameter.value.size(1)) + "] (" +
             parameter.name + ")";
    }
  }
  return "";
}

void check_forward_arity(const torch::jit::Module& module, const std::string& path,
                         const std::string& expected_signature, size_t arguments) {
  const std::vector<std::string> names = forward_arguments(module);
  if (names.size() != arguments) {
    std::string found;
    for (size_t i = 0; i < names.size(); ++i) found += (i ? ", " : "") + names[i];
    throw InputError(path + ": encoder contract: expected " + expected_signature + ", found forward(" + found + ")");
  }
}

std::string describe_all(const std::vector<torch::IValue>& values) {
  std::string out;
  for (size_t i = 0; i < values.size(); ++i) out += (i ? ", " : "") + describe(values[i]);
  return out;
}

torch::IValue run_forward(torch::jit::Module& module, const std::string& path, std::vector<torch::IValue> inputs) {
  c10::InferenceMode no_autograd;
  try {
    return module.forward(inputs);  // a copy: the inputs are described if it fails
  } catch (const c10::Error& e) {
    throw InputError(path + ": the encoder failed on input (" + describe_all(inputs) + "): " +
                     first_line(e.what_without_backtrace()));
  } catch (const std::exception& e) {
    // TorchScript interpreter errors end with the Python-style "RuntimeError: ..." line.
    throw InputError(path + ": the encoder failed on input (" + describe_all(inputs) + "): " + last_line(e.what()));
  }
}

}  // namespace daf::encoders
