// The TorchScript text of an exported head's forward(): the same operations, in the same
// order, as FusionHeadImpl::forward in evaluation mode (no dropout), so the exported
// module's numbers are daf-eval's. Module::define() compiles without Python, so only
// aten builtins (torch.linear, ...) resolve: no torch.nn.functional, dtypes or exceptions.
#include <sstream>

#include "daf/config/task.h"
#include "daf/export/head_export.h"
#include "daf/util/strings.h"

namespace daf {
namespace {

std::string activation(const std::string& name, const std::string& x) {
  if (name == "gelu") return "torch.gelu(" + x + ")";
  if (name == "tanh") return "torch.tanh(" + x + ")";
  return "torch.relu(" + x + ")";
}

// A TorchScript string literal (JSON's escapes are a subset of Python's).
std::string literal(const std::string& text) { return json_escape(text); }

}  // namespace

std::string head_forward_source(const ModelMetadata& metadata) {
  const ModelConfig& c = metadata.config.model;
  const auto& names = metadata.modalities();
  const size_t m_count = names.size();
  std::ostringstream s;
  s << "def forward(self, features: Dict[str, Tensor], present: Optional[Dict[str, Tensor]] = None)"
       " -> Dict[str, Tensor]:\n";
  for (size_t m = 0; m < m_count; ++m) {
    const std::string x = "x" + std::to_string(m), p = "p" + std::to_string(m), h = "h" + std::to_string(m);
    const std::string name = literal(names[m]), dims = std::to_string(metadata.input_dims[m]);
    // (assert: define() has no Python builtins to resolve exception classes with)
    s << "    assert " << name << " in features, \"daf head: features has no \" + " << name << " + \"; it takes "
      << join(names, ", ") << "\"\n"
      << "    " << x << " = features[" << name << "].float()\n"
      << "    assert " << x << ".dim() == 2 and " << x << ".size(1) == " << dims << ", \"daf head: features[\" + "
      << name << " + \"] must be [B, " << dims << "]\"\n";
    if (metadata.normalization.count(names[m]))
      s << "    " << x << " = (" << x << " - self.mean_" << m << ") / self.std_" << m << "\n";
    s << "    " << p << " = torch.ones_like(" << x << ".select(1, 0))\n"
      << "    if present is not None:\n"
      << "        if " << name << " in present:\n"
      << "            " << p << " = present[" << name << "].float().reshape([-1])\n"
      << "    " << h << " = torch.linear(" << x << ", self.project_" << m << "_weight, self.project_" << m
      << "_bias)\n";
    if (c.layer_norm)
      s << "    " << h << " = torch.layer_norm(" << h << ", [" << c.dim << "], self.norm_" << m << "_weight, self.norm_"
        << m << "_bias, 1e-05)\n";
    s << "    " << h << " = " << activation(c.activation, h) << "\n"
      << "    " << h << " = " << h << " * " << p << ".unsqueeze(1)\n";
  }
  std::string hs, ps;
  for (size_t m = 0; m < m_count; ++m) {
    hs += (m ? ", h" : "h") + std::to_string(m);
    ps += (m ? ", p" : "p") + std::to_string(m);
  }
  s << "    h = torch.stack([" << hs << "], 1)\n"
    << "    present_all = torch.stack([" << ps << "], 1)\n"
    << "    result: Dict[str, Tensor] = {}\n";
  const bool weights = c.fusion != "concat";
  if (!weights) {
    s << "    z = h.reshape([h.size(0), -1])\n";
  } else {
    if (m_count == 1 || c.fusion == "mean")
      s << "    scores = torch.zeros_like(present_all)\n";
    else if (c.fusion == "static")
      s << "    scores = self.static_logits.unsqueeze(0).expand([h.size(0), " << m_count << "])\n";
    else if (c.gate == "additive")
      s << "    scores = torch.linear(torch.tanh(torch.linear(h, self.gate_hidden_weight, "
           "self.gate_hidden_bias)), self.gate_out_weight).squeeze(-1)\n";
    else
      s << "    scores = torch.linear(torch.tanh(torch.linear(h.reshape([h.size(0), -1]), "
           "self.gate_hidden_weight, self.gate_hidden_bias)), self.gate_out_weight, self.gate_out_bias)\n";
    if (c.fusion == "dynamic" || c.fusion == "static")
      s << "    scores = scores / " << format_number(c.temperature) << (c.temperature == static_cast<int64_t>(c.temperature) ? ".0" : "") << "\n";
    s << "    scores = scores.masked_fill(present_all <= 0, -1000000000.0)\n"
      << "    weights = torch.softmax(scores, 1)\n"
      << "    z = (weights.unsqueeze(2) * h).sum(1)\n"
      << "    result[\"weights\"] = weights\n";
    for (size_t m = 0; m < m_count; ++m)
      s << "    result[" << literal("weight_" + names[m]) << "] = weights.select(1, " << m << ")\n";
  }
  for (int64_t l = 0; l < c.head_layers; ++l)
    s << "    z = " << activation(c.activation, "torch.linear(z, self.head_" + std::to_string(l) +
                                                  "_weight, self.head_" + std::to_string(l) + "_bias)")
      << "\n";
  s << "    out = torch.linear(z, self.head_out_weight, self.head_out_bias)\n";
  if (is_multilabel_task(metadata.config.model.task))
    s << "    result[\"probabilities\"] = torch.sigmoid(out)\n"
      << "    result[\"labels\"] = (out > 0.0).long()\n";
  else if (metadata.num_outputs() == 1)
    s << "    result[\"prediction\"] = out.squeeze(1)\n";
  else
    s << "    result[\"probabilities\"] = torch.softmax(out, 1)\n"
      << "    result[\"class\"] = out.argmax(1)\n";
  s << "    return result\n";
  return s.str();
}

}  // namespace daf
