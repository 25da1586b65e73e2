#!/usr/bin/python3
"""Export frozen text and speech encoders as TorchScript modules that obey
daf-extract's contracts, with their tokenizer files and a config snippet
(extract.yaml: the text/audio sections that select the right tokenizer).

Contracts (docs: daf-extract --help):
  text:   forward(input_ids int64 [B,T], attention_mask int64 [B,T][, token_type_ids int64 [B,T]])
          -> float [B,T,D], or a tuple (float [B,T,D], float [B,D] pooled)
  speech: forward(waveform float [B,S], lengths int64 [B]) -> (float [B,T',D], int64 [B]);
          integer attribute `sample_rate`

Offline, with random weights (the architectures Debian's python3-torch and
python3-torchaudio provide; nothing is downloaded):
  export_encoders.py --out enc --random --text-corpus sentences.txt       # sentencepiece
  export_encoders.py --out enc --random --text-tokenizer wordpiece \
      --text-corpus sentences.txt [--vocab vocab.txt]                      # BERT-shaped, 3 inputs
Pretrained, from Hugging Face transformers (network access the first time, or a local folder
written by save_pretrained()):
  export_encoders.py --out enc --text-model bert-base-uncased --speech-model WAV2VEC2_BASE
  export_encoders.py --out enc --text-model roberta-base --no-speech
  export_encoders.py --out enc --text-model xlm-roberta-base --no-speech
  (--random-init: the model's architecture from its config with random weights, for checks)
BERT-family models get a WordPiece vocab.txt, GPT-2/RoBERTa ones vocab.json + merges.txt,
XLM-R and other sentencepiece models their .model file.

Uses Debian's python3-torch 1.13 / python3-torchaudio 0.13 (the LibTorch daf links).
"""
import argparse
import os
import shutil
import subprocess
import sys
import tempfile

try:
    import torch
    from torch import Tensor, nn
except ImportError:
    sys.exit("export_encoders.py: needs PyTorch (Debian: apt install python3-torch; run with /usr/bin/python3)")
from typing import Optional, Tuple


# --------------------------------------------------------------------- text
class RandomTextEncoder(nn.Module):
    """Token + position embeddings and a TransformerEncoder: [B,T] ids -> [B,T,D]."""

    def __init__(self, vocab_size: int, dim: int, layers: int, heads: int, max_length: int):
        super().__init__()
        self.tokens = nn.Embedding(vocab_size + 1, dim)  # +1: the padding id daf uses (vocab_size)
        self.positions = nn.Embedding(max_length, dim)
        layer = nn.TransformerEncoderLayer(dim, heads, 4 * dim, dropout=0.0, batch_first=True)
        self.encoder = nn.TransformerEncoder(layer, layers)

    def forward(self, input_ids: Tensor, attention_mask: Tensor) -> Tensor:
        positions = torch.arange(input_ids.size(1), device=input_ids.device).unsqueeze(0)
        x = self.tokens(input_ids) + self.positions(positions)
        return self.encoder(x, src_key_padding_mask=attention_mask == 0)


class MappedTextEncoder(nn.Module):
    """A Hugging Face encoder behind raw sentencepiece ids: a lookup table maps
    them to the model's own ids (e.g. XLM-R's fairseq offset)."""

    def __init__(self, model: nn.Module, table: Tensor):
        super().__init__()
        self.model = model
        self.register_buffer("table", table)

    def forward(self, input_ids: Tensor, attention_mask: Tensor) -> Tensor:
        return self.model(input_ids=self.table[input_ids], attention_mask=attention_mask)[0]


class RandomBertEncoder(nn.Module):
    """BERT-shaped: word + position + token type embeddings, LayerNorm, a TransformerEncoder and
    BERT's pooler (tanh dense on [CLS]); forward takes BERT's three inputs and returns
    (sequence [B,T,D], pooled [B,D]) as BertModel(torchscript=True) does."""

    def __init__(self, vocab_size: int, dim: int, layers: int, heads: int, max_length: int):
        super().__init__()
        self.word_embeddings = nn.Embedding(vocab_size, dim)
        self.position_embeddings = nn.Embedding(max_length, dim)
        self.token_type_embeddings = nn.Embedding(2, dim)
        self.norm = nn.LayerNorm(dim)
        layer = nn.TransformerEncoderLayer(dim, heads, 4 * dim, dropout=0.0, batch_first=True)
        self.encoder = nn.TransformerEncoder(layer, layers)
        self.pooler = nn.Linear(dim, dim)

    def forward(self, input_ids: Tensor, attention_mask: Tensor, token_type_ids: Tensor) -> Tuple[Tensor, Tensor]:
        positions = torch.arange(input_ids.size(1), device=input_ids.device).unsqueeze(0)
        x = self.word_embeddings(input_ids) + self.position_embeddings(positions) + \
            self.token_type_embeddings(token_type_ids)
        sequence = self.encoder(self.norm(x), src_key_padding_mask=attention_mask == 0)
        return sequence, torch.tanh(self.pooler(sequence[:, 0]))


BERT_SPECIALS = ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]"]


def build_wordpiece_vocab(corpus: str, path: str) -> int:
    """A WordPiece vocab.txt for an uncased model: BERT's special tokens, every character of the
    corpus (lower-cased, accents stripped) alone and as a ## continuation, then its words."""
    import unicodedata
    chars, words = set(), []
    with open(corpus, encoding="utf-8") as f:
        for line in f:
            text = "".join(c for c in unicodedata.normalize("NFD", line.lower()) if unicodedata.category(c) != "Mn")
            for word in "".join(c if c.isalnum() else f" {c} " for c in text).split():
                chars.update(word)
                if word not in words:
                    words.append(word)
    tokens = BERT_SPECIALS + sorted(chars) + ["##" + c for c in sorted(chars)]
    tokens += [w for w in words if w not in tokens]
    with open(path, "w", encoding="utf-8") as f:
        f.write("".join(t + "\n" for t in tokens))
    return len(tokens)


def line_count(path: str) -> int:
    with open(path, encoding="utf-8") as f:
        return sum(1 for _ in f)


def train_tokenizer(corpus: str, prefix: str, vocab_size: int) -> None:
    spm_train = shutil.which("spm_train")
    if spm_train is None:
        sys.exit("export_encoders.py: spm_train not found (Debian: apt install sentencepiece)")
    subprocess.run([spm_train, f"--input={corpus}", f"--model_prefix={prefix}", f"--vocab_size={vocab_size}",
                    "--hard_vocab_limit=false", "--character_coverage=1.0", "--minloglevel=2"],
                   check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def piece_count(vocab_file: str) -> int:
    with open(vocab_file, encoding="utf-8") as f:
        return sum(1 for _ in f)


def export_random_bert(args, out: str) -> dict:
    vocab_path = os.path.join(out, "vocab.txt")
    if args.vocab:
        shutil.copyfile(args.vocab, vocab_path)
        size = line_count(vocab_path)
    elif args.text_corpus:
        size = build_wordpiece_vocab(args.text_corpus, vocab_path)
    else:
        sys.exit("export_encoders.py: --text-tokenizer wordpiece needs --vocab or --text-corpus")
    model = RandomBertEncoder(size, args.text_dim, args.text_layers, 4, args.max_length).eval()
    save(torch.jit.script(model), os.path.join(out, "text_encoder.pt"))
    return {"encoder": "text_encoder.pt", "tokenizer": "wordpiece", "vocab": "vocab.txt", "lowercase": "true",
            "max_length": args.max_length, "pooling": "first"}


def export_random_text(args, out: str) -> dict:
    if args.text_tokenizer == "wordpiece":
        return export_random_bert(args, out)
    if not args.text_corpus:
        sys.exit("export_encoders.py: --random needs --text-corpus (sentences to train the tokenizer on)")
    prefix = os.path.join(out, "tokenizer")
    train_tokenizer(args.text_corpus, prefix, args.vocab_size)
    vocab = piece_count(prefix + ".vocab")
    model = RandomTextEncoder(vocab, args.text_dim, args.text_layers, 4, args.max_length).eval()
    scripted = torch.jit.script(model)
    save(scripted, os.path.join(out, "text_encoder.pt"))
    # spm_train's defaults: unk 0, bos 1, eos 2; daf pads with the extra id `vocab`.
    return {"encoder": "text_encoder.pt", "tokenizer": "sentencepiece", "sentencepiece_model": "tokenizer.model",
            "bos_id": 1, "eos_id": 2, "pad_id": vocab, "max_length": args.max_length, "pooling": "mean"}


class ThreeInputEncoder(nn.Module):
    """A BERT-family transformers model behind daf's 3-input contract; with torchscript=True it
    returns (last hidden layer [B,T,D], pooler output [B,D])."""

    def __init__(self, model: nn.Module):
        super().__init__()
        self.model = model

    def forward(self, input_ids: Tensor, attention_mask: Tensor, token_type_ids: Tensor):
        return self.model(input_ids=input_ids, attention_mask=attention_mask, token_type_ids=token_type_ids)


class TwoInputEncoder(nn.Module):
    """RoBERTa/GPT-2-family models: one segment type, so no token_type_ids."""

    def __init__(self, model: nn.Module):
        super().__init__()
        self.model = model

    def forward(self, input_ids: Tensor, attention_mask: Tensor):
        return self.model(input_ids=input_ids, attention_mask=attention_mask)


def load_transformers_model(args):
    try:
        from transformers import AutoConfig, AutoModel, AutoTokenizer
    except ImportError:
        sys.exit("export_encoders.py: --text-model needs the transformers package")
    if args.random_init:
        model = AutoModel.from_config(AutoConfig.from_pretrained(args.text_model, torchscript=True))
    else:
        model = AutoModel.from_pretrained(args.text_model, torchscript=True)
    return model.eval(), AutoTokenizer


def tokenizer_family(fast) -> dict:
    """The fast tokenizer's own description (its tokenizer.json): model type and options."""
    import json
    spec = json.loads(fast.backend_tokenizer.to_str())
    return {"model": spec["model"]["type"], "normalizer": spec.get("normalizer") or {},
            "pre_tokenizer": spec.get("pre_tokenizer") or {}}


def find_step(spec: dict, kind: str) -> dict:
    """A normalizer or pre-tokenizer of `kind`, also inside a Sequence."""
    if spec.get("type") == kind:
        return spec
    for inner in spec.get("normalizers", []) + spec.get("pretokenizers", []):
        found = find_step(inner, kind)
        if found:
            return found
    return {}


def export_pretrained_text(args, out: str) -> dict:
    model, AutoTokenizer = load_transformers_model(args)
    fast = AutoTokenizer.from_pretrained(args.text_model, use_fast=True)
    family = tokenizer_family(fast) if getattr(fast, "is_fast", False) else {"model": "Unigram"}
    section = {"encoder": "text_encoder.pt", "max_length": args.max_length, "pooling": args.text_pooling}
    if family["model"] == "WordPiece":
        fast.save_vocabulary(out)  # vocab.txt
        bert = find_step(family["normalizer"], "BertNormalizer")
        lowercase = bool(bert.get("lowercase", True))
        strip = bert.get("strip_accents")
        section.update({"tokenizer": "wordpiece", "vocab": "vocab.txt", "lowercase": str(lowercase).lower(),
                        "strip_accents": "auto" if strip is None else str(bool(strip)).lower()})
        wrapper, inputs = ThreeInputEncoder(model), 3
    elif family["model"] == "BPE" and find_step(family["pre_tokenizer"], "ByteLevel"):
        files = fast.save_vocabulary(out)  # vocab.json, merges.txt
        names = sorted(os.path.basename(f) for f in files)
        byte_level = find_step(family["pre_tokenizer"], "ByteLevel")
        section.update({"tokenizer": "bpe", "vocab": next(n for n in names if n.endswith(".json")),
                        "merges": next(n for n in names if n.endswith(".txt")),
                        "add_prefix_space": str(bool(byte_level.get("add_prefix_space", False))).lower()})
        wrapper, inputs = TwoInputEncoder(model), 2
    else:
        return export_sentencepiece_text(args, out, model, AutoTokenizer, section)
    ids = torch.tensor([[fast.cls_token_id or 0, 100, 200, fast.sep_token_id or 2]], dtype=torch.long)
    example = (ids, torch.ones_like(ids), torch.zeros_like(ids))[:inputs]
    traced = torch.jit.trace(wrapper.eval(), example, strict=False)
    save(traced, os.path.join(out, "text_encoder.pt"))
    return section


def export_sentencepiece_text(args, out: str, model, AutoTokenizer, section: dict) -> dict:
    tokenizer = AutoTokenizer.from_pretrained(args.text_model, use_fast=False)
    sp = getattr(tokenizer, "sp_model", None)
    if sp is None or not getattr(tokenizer, "vocab_file", None):
        sys.exit(f"export_encoders.py: {args.text_model}'s tokenizer is neither WordPiece, byte-level BPE nor "
                 "sentencepiece (sp_model/vocab_file)")
    pieces = sp.get_piece_size()
    table = torch.tensor([tokenizer.convert_tokens_to_ids(sp.id_to_piece(i)) for i in range(pieces)]
                         + [tokenizer.pad_token_id], dtype=torch.long)
    wrapper = MappedTextEncoder(model, table).eval()
    ids = torch.tensor([[sp.bos_id(), 100, 200, sp.eos_id()]], dtype=torch.long)
    traced = torch.jit.trace(wrapper, (ids, torch.ones_like(ids)), strict=False)
    save(traced, os.path.join(out, "text_encoder.pt"))
    shutil.copyfile(tokenizer.vocab_file, os.path.join(out, "tokenizer.model"))
    section.update({"tokenizer": "sentencepiece", "sentencepiece_model": "tokenizer.model", "bos_id": sp.bos_id(),
                    "eos_id": sp.eos_id(), "pad_id": pieces})
    if section["pooling"] == "module":
        section["pooling"] = "mean"  # MappedTextEncoder returns the sequence only
    return section


# ------------------------------------------------------------------- speech
class SpeechEncoder(nn.Module):
    """torchaudio's Wav2Vec2Model/HuBERT: (waveform, lengths) -> last layer and valid frames."""

    def __init__(self, model: nn.Module, sample_rate: int, normalize: bool):
        super().__init__()
        self.model = model
        self.sample_rate = sample_rate
        self.normalize = normalize

    def forward(self, waveform: Tensor, lengths: Tensor) -> Tuple[Tensor, Tensor]:
        if self.normalize:  # per utterance, over its valid samples (as the large bundles expect)
            mask = (torch.arange(waveform.size(1), device=waveform.device).unsqueeze(0) < lengths.unsqueeze(1))
            mask = mask.to(waveform.dtype)
            count = mask.sum(1, keepdim=True).clamp(min=1.0)
            mean = (waveform * mask).sum(1, keepdim=True) / count
            var = (((waveform - mean) * mask) ** 2).sum(1, keepdim=True) / count
            waveform = (waveform - mean) / torch.sqrt(var + 1e-5) * mask
        frames, frame_lengths = self.model(waveform, lengths)
        if frame_lengths is None:
            frame_lengths = torch.full([waveform.size(0)], frames.size(1), dtype=torch.long)
        return frames, frame_lengths


def export_speech(args, out: str) -> dict:
    try:
        import torchaudio
    except ImportError:
        sys.exit("export_encoders.py: needs torchaudio (Debian: apt install python3-torchaudio)")
    if args.random:
        model, rate, normalize = torchaudio.models.wav2vec2_base(), 16000, False
    else:
        bundle = getattr(torchaudio.pipelines, args.speech_model)
        model, rate = bundle.get_model(), bundle.sample_rate
        normalize = bool(getattr(bundle, "_normalize_waveform", False))
    scripted = torch.jit.script(SpeechEncoder(model.eval(), rate, normalize).eval())
    save(scripted, os.path.join(out, "speech_encoder.pt"))
    return {"encoder": "speech_encoder.pt", "sample_rate": rate}


# -------------------------------------------------------------------- output
def save(module, path: str) -> None:
    tmp = f"{path}.tmp.{os.getpid()}"
    module.save(tmp)
    os.replace(tmp, path)


def write_snippet(out: str, text: Optional[dict], speech: Optional[dict]) -> str:
    lines = ["# Written by scripts/encoders/export_encoders.py: the text/audio sections of a",
             "# daf-extract config. Paths start with --out as it was given."]
    for section, values in (("text", text), ("audio", speech)):
        if values:
            lines.append(f"{section}:")
            for key, value in values.items():
                if key in ("encoder", "sentencepiece_model", "vocab", "merges"):
                    value = os.path.join(out, value)
                lines.append(f"  {key}: {value}")
    path = os.path.join(out, "extract.yaml")
    with open(path + ".tmp", "w", encoding="utf-8") as f:
        f.write("\n".join(lines) + "\n")
    os.replace(path + ".tmp", path)
    return path


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--out", required=True, help="folder for the modules, tokenizer and extract.yaml")
    parser.add_argument("--random", action="store_true",
                        help="random weights, offline: TransformerEncoder text model, torchaudio wav2vec2_base")
    parser.add_argument("--text-corpus", help="(--random) sentences to train the sentencepiece tokenizer on")
    parser.add_argument("--vocab-size", type=int, default=500, help="(--random) tokenizer size [500]")
    parser.add_argument("--text-dim", type=int, default=256, help="(--random) text model width [256]")
    parser.add_argument("--text-layers", type=int, default=2, help="(--random) transformer layers [2]")
    parser.add_argument("--max-length", type=int, default=128, help="tokens per text incl. special tokens [128]")
    parser.add_argument("--text-tokenizer", choices=["sentencepiece", "wordpiece"], default="sentencepiece",
                        help="(--random) sentencepiece: a TransformerEncoder with a trained .model; wordpiece: a "
                             "BERT-shaped encoder (3 inputs, pooled output) with a vocab.txt [sentencepiece]")
    parser.add_argument("--vocab", help="(--random --text-tokenizer wordpiece) the vocab.txt to use; default: one "
                                        "built from --text-corpus")
    parser.add_argument("--text-model", help="Hugging Face model (name or save_pretrained folder): BERT, RoBERTa, "
                                             "XLM-R, ... e.g. bert-base-uncased")
    parser.add_argument("--random-init", action="store_true",
                        help="(--text-model) the model's architecture from its config, with random weights")
    parser.add_argument("--text-pooling", choices=["mean", "first", "module"], default="mean",
                        help="(--text-model) text.pooling of the snippet [mean, as MMSA's features]")
    parser.add_argument("--speech-model", help="torchaudio.pipelines bundle, e.g. WAV2VEC2_BASE or HUBERT_BASE")
    parser.add_argument("--no-text", action="store_true", help="export the speech encoder only")
    parser.add_argument("--no-speech", action="store_true", help="export the text encoder only")
    parser.add_argument("--seed", type=int, default=0, help="(--random) weight seed [0]")
    args = parser.parse_args()
    if not args.random and not (args.text_model or args.speech_model):
        parser.error("give --random, or --text-model and/or --speech-model")
    os.makedirs(args.out, exist_ok=True)
    torch.manual_seed(args.seed)

    text = speech = None
    if not args.no_text and (args.random or args.text_model):
        text = export_random_text(args, args.out) if args.random else export_pretrained_text(args, args.out)
        print(f"text encoder: {os.path.join(args.out, text['encoder'])}")
    if not args.no_speech and (args.random or args.speech_model):
        speech = export_speech(args, args.out)
        print(f"speech encoder: {os.path.join(args.out, speech['encoder'])} ({speech['sample_rate']} Hz)")
    print(f"config snippet: {write_snippet(args.out, text, speech)}")


if __name__ == "__main__":
    main()
