// Hugging Face's own tokenizers (the Rust library, through its npm binding) configured exactly as the
// hub's tokenizer.json files of bert-base-uncased, gpt2 and roberta-base configure them.
// Reads UTF-8 text from standard input, split on "\n" only (a final empty line is dropped),
// and prints one JSON array of ids per line.
// usage: node hf_tokenize.js bert VOCAB_TXT MAX_LENGTH [--cased] [--strip-accents true|false]
//        node hf_tokenize.js gpt2|roberta VOCAB_JSON MERGES_TXT MAX_LENGTH [--add-prefix-space]
'use strict';
const fs = require('fs');
const { Tokenizer } = require('./node_modules/tokenizers');

function added(content, id, lstrip = false) {
  return { id, content, single_word: false, lstrip, rstrip: false, normalized: false, special: true };
}

function bertJson(vocabFile, args) {
  const tokens = fs.readFileSync(vocabFile, 'utf8').split('\n');
  if (tokens[tokens.length - 1] === '') tokens.pop();
  const vocab = {};
  tokens.forEach((t, i) => { vocab[t] = i; });
  const lowercase = !args.includes('--cased');
  const sa = args.indexOf('--strip-accents');
  const stripAccents = sa >= 0 ? args[sa + 1] === 'true' : null;
  const special = ['[PAD]', '[UNK]', '[CLS]', '[SEP]', '[MASK]'].filter((t) => t in vocab);
  return {
    version: '1.0', truncation: null, padding: null,
    added_tokens: special.map((t) => added(t, vocab[t])),
    normalizer: { type: 'BertNormalizer', clean_text: true, handle_chinese_chars: true, strip_accents: stripAccents, lowercase },
    pre_tokenizer: { type: 'BertPreTokenizer' },
    post_processor: {
      type: 'TemplateProcessing',
      single: [{ SpecialToken: { id: '[CLS]', type_id: 0 } }, { Sequence: { id: 'A', type_id: 0 } }, { SpecialToken: { id: '[SEP]', type_id: 0 } }],
      pair: [{ SpecialToken: { id: '[CLS]', type_id: 0 } }, { Sequence: { id: 'A', type_id: 0 } }, { SpecialToken: { id: '[SEP]', type_id: 0 } },
             { Sequence: { id: 'B', type_id: 1 } }, { SpecialToken: { id: '[SEP]', type_id: 1 } }],
      special_tokens: {
        '[CLS]': { id: '[CLS]', ids: [vocab['[CLS]']], tokens: ['[CLS]'] },
        '[SEP]': { id: '[SEP]', ids: [vocab['[SEP]']], tokens: ['[SEP]'] },
      },
    },
    decoder: { type: 'WordPiece', prefix: '##', cleanup: true },
    model: { type: 'WordPiece', unk_token: '[UNK]', continuing_subword_prefix: '##', max_input_chars_per_word: 100, vocab },
  };
}

function byteLevelJson(kind, vocabFile, mergesFile, args) {
  const vocab = JSON.parse(fs.readFileSync(vocabFile, 'utf8'));
  const merges = fs.readFileSync(mergesFile, 'utf8').split('\n').filter((l) => l && !l.startsWith('#version'));
  const addPrefixSpace = args.includes('--add-prefix-space');
  const roberta = kind === 'roberta';
  const specials = roberta ? ['<s>', '<pad>', '</s>', '<unk>', '<mask>'] : ['<|endoftext|>'];
  return {
    version: '1.0', truncation: null, padding: null,
    // roberta-base's <mask> strips the whitespace on its left (lstrip); the others do not.
    added_tokens: specials.filter((t) => t in vocab).map((t) => added(t, vocab[t], t === '<mask>')),
    normalizer: null,
    pre_tokenizer: { type: 'ByteLevel', add_prefix_space: addPrefixSpace, trim_offsets: true, use_regex: true },
    post_processor: roberta
      ? { type: 'RobertaProcessing', sep: ['</s>', vocab['</s>']], cls: ['<s>', vocab['<s>']], trim_offsets: true, add_prefix_space: addPrefixSpace }
      : { type: 'ByteLevel', add_prefix_space: addPrefixSpace, trim_offsets: true, use_regex: true },
    decoder: { type: 'ByteLevel', add_prefix_space: addPrefixSpace, trim_offsets: true, use_regex: true },
    model: { type: 'BPE', dropout: null, unk_token: null, continuing_subword_prefix: '', end_of_word_suffix: '',
             fuse_unk: false, byte_fallback: false, vocab, merges },
  };
}

async function main() {
  const [kind, ...rest] = process.argv.slice(2);
  let json, maxLength;
  if (kind === 'bert') {
    json = bertJson(rest[0], rest.slice(2));
    maxLength = Number(rest[1]);
  } else if (kind === 'gpt2' || kind === 'roberta') {
    json = byteLevelJson(kind, rest[0], rest[1], rest.slice(3));
    maxLength = Number(rest[2]);
  } else {
    console.error('usage: node hf_tokenize.js bert VOCAB_TXT MAX_LENGTH [--cased] [--strip-accents true|false]\n' +
                  '       node hf_tokenize.js gpt2|roberta VOCAB_JSON MERGES_TXT MAX_LENGTH [--add-prefix-space]');
    process.exit(2);
  }
  const tokenizer = Tokenizer.fromString(JSON.stringify(json));
  if (maxLength > 0) tokenizer.setTruncation(maxLength);
  const lines = fs.readFileSync(0, 'utf8').split('\n');
  if (lines.length && lines[lines.length - 1] === '') lines.pop();
  const out = [];
  for (const line of lines) out.push(JSON.stringify((await tokenizer.encode(line)).getIds()));
  process.stdout.write(out.join('\n') + (out.length ? '\n' : ''));
}
main().catch((e) => { console.error(String(e)); process.exit(1); });
