#!/usr/bin/python3
"""Export frozen text and speech encoders as TorchScript modules that obey
daf-extract's contracts, with their sentencepiece tokenizer and a config
snippet (extract.yaml) holding the matching ids and paths.

Contracts (docs: daf-extract --help):
  text:   forward(input_ids int64 [B,T], attention_mask int64 [B,T]) -> float [B,T,D]
  speech: forward(waveform float [B,S], lengths int64 [B]) -> (float [B,T',D], int64 [B]);
          integer attribute `sample_rate`

Offline, with random weights (the architectures Debian's python3-torch and
python3-torchaudio provide; nothing is downloaded):
  export_encoders.py --out enc --random --text-corpus sentences.txt
Pretrained (needs network access the first time, and `transformers` for text):
  export_encoders.py --out enc --text-model xlm-roberta-base --speech-model WAV2VEC2_BASE

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


def export_random_text(args, out: str) -> dict:
    if not args.text_corpus:
        sys.exit("export_encoders.py: --random needs --text-corpus (sentences to train the tokenizer on)")
    prefix = os.path.join(out, "tokenizer")
    train_tokenizer(args.text_corpus, prefix, args.vocab_size)
    vocab = piece_count(prefix + ".vocab")
    model = RandomTextEncoder(vocab, args.text_dim, args.text_layers, 4, args.max_length).eval()
    scripted = torch.jit.script(model)
    save(scripted, os.path.join(out, "text_encoder.pt"))
    # spm_train's defaults: unk 0, bos 1, eos 2; daf pads with the extra id `vocab`.
    return {"encoder": "text_encoder.pt", "tokenizer": "tokenizer.model", "bos_id": 1, "eos_id": 2,
            "pad_id": vocab, "max_length": args.max_length, "pooling": "mean"}


def export_pretrained_text(args, out: str) -> dict:
    try:
        from transformers import AutoModel, AutoTokenizer
    except ImportError:
        sys.exit("export_encoders.py: --text-model needs the transformers package")
    tokenizer = AutoTokenizer.from_pretrained(args.text_model, use_fast=False)
    sp = getattr(tokenizer, "sp_model", None)
    if sp is None or not getattr(tokenizer, "vocab_file", None):
        sys.exit(f"export_encoders.py: {args.text_model} has no sentencepiece tokenizer (sp_model/vocab_file)")
    model = AutoModel.from_pretrained(args.text_model, torchscript=True).eval()
    pieces = sp.get_piece_size()
    table = torch.tensor([tokenizer.convert_tokens_to_ids(sp.id_to_piece(i)) for i in range(pieces)]
                         + [tokenizer.pad_token_id], dtype=torch.long)
    wrapper = MappedTextEncoder(model, table).eval()
    ids = torch.tensor([[sp.bos_id(), 100, 200, sp.eos_id()]], dtype=torch.long)
    traced = torch.jit.trace(wrapper, (ids, torch.ones_like(ids)), strict=False)
    save(traced, os.path.join(out, "text_encoder.pt"))
    shutil.copyfile(tokenizer.vocab_file, os.path.join(out, "tokenizer.model"))
    return {"encoder": "text_encoder.pt", "tokenizer": "tokenizer.model", "bos_id": sp.bos_id(),
            "eos_id": sp.eos_id(), "pad_id": pieces, "max_length": args.max_length, "pooling": "mean"}


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
                if key in ("encoder", "tokenizer"):
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
    parser.add_argument("--max-length", type=int, default=128, help="tokens per text incl. BOS/EOS [128]")
    parser.add_argument("--text-model", help="Hugging Face model with a sentencepiece tokenizer, e.g. xlm-roberta-base")
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
