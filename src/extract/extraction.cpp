#include "daf/extract/extraction.h"

#include <spdlog/spdlog.h>

#include <filesystem>
#include <set>
#include <unordered_map>

#include "daf/config/task.h"
#include "daf/data/cache_io.h"
#include "daf/extract/cache_rows.h"
#include "daf/extract/manifest.h"
#include "daf/train/runtime.h"
#include "daf/util/error.h"
#include "daf/util/shard.h"
#include "daf/util/file_lock.h"
#include "daf/util/sha256.h"
#include "daf/util/strings.h"
#include "passes.h"

namespace daf {
namespace {

// The utterances of a run and the cache their embeddings join.
struct Source {
  EmbeddingCache base;
  std::map<std::string, std::vector<Utterance>> rows;  // per split, in cache row order
  std::string digest;                                  // identifies the input
  std::vector<SkippedUtterance> dropped;               // manifest rows that could not be read
};

Source from_manifest(const ExtractConfig& config, SkipReport& problems) {
  const Manifest manifest = read_manifest(config.manifest, config.labels, problems, {config.class_label, config.classes}, config.meta);
  for (const auto& [column, key] : {std::pair<std::string, std::string>{"text", config.text.encoder},
                                    {"audio", config.audio.encoder}})
    if (!key.empty() && !manifest.has_column(column))
      throw InputError(config.manifest + ": no column '" + column + "', which " + column +
                       ".encoder needs (found: " + join(manifest.columns, ", ") + ")");
  Source source;
  source.digest = sha256_file(config.manifest);
  source.dropped = problems.entries();
  bool any_text = false;
  for (const auto& row : manifest.rows) any_text |= !row.text.empty();
  // Where each row's audio came from, for the reports' audio players (meta/audio_file, absolute).
  const bool audio_files = !config.audio.encoder.empty();
  for (const auto& split : cache_split_names()) {
    SplitData& data = source.base.splits[split];
    for (const auto& label : manifest.label_columns) data.labels[label];
    for (const auto& column : config.meta) data.meta[column];
    if (audio_files) data.meta["audio_file"];
    for (const Utterance* row : split_rows(manifest, split)) {
      data.ids.push_back(row->id);
      if (any_text) data.transcripts.push_back(row->text);
      for (const auto& [label, value] : row->labels) data.labels[label].push_back(value);
      for (const auto& [column, value] : row->meta) data.meta[column].push_back(value);
      if (audio_files)
        data.meta["audio_file"].push_back(
            row->audio.empty() ? "" : std::filesystem::absolute(row->audio).lexically_normal().string());
      source.rows[split].push_back(*row);
    }
  }
  return source;
}

Source from_cache(const ExtractConfig& config) {
  Source source;
  source.base = read_cache(config.input_cache);
  Sha256 hash;
  for (const auto& split : cache_split_names()) {
    const SplitData& data = source.base.splits.at(split);
    if (data.transcripts.empty() && data.size() > 0)
      throw InputError(config.input_cache + ": /" + split + "/transcripts is missing: extract.input_cache needs "
                       "transcripts (daf-import writes them from a words .csd)");
    if (data.features.count(config.text.modality))
      throw InputError(config.input_cache + ": already holds /" + split + "/features/" + config.text.modality +
                       "; set text.modality to a new name (e.g. text_" +
                       std::filesystem::path(config.text.encoder).stem().string() + ")");
    for (int64_t i = 0; i < data.size(); ++i) {
      Utterance row;
      row.id = data.ids[static_cast<size_t>(i)];
      row.split = split;
      row.text = data.transcripts.empty() ? "" : data.transcripts[static_cast<size_t>(i)];
      row.where = config.input_cache + " /" + split + " row " + std::to_string(i);
      hash.update(row.id + '\n' + row.text + '\n');
      source.rows[split].push_back(std::move(row));
    }
  }
  source.base.attributes.erase("daf_extract_job");
  source.digest = hash.hex_digest();
  return source;
}

// What makes two runs the same job: input, encoders and their settings (not
// threads, device, batching or sharding, which do not change the embeddings).
std::string job_fingerprint(const ExtractConfig& c, const std::string& source_digest) {
  Sha256 hash;
  hash.update("source " + source_digest + "\nlabels " + join(c.labels, ",") + "\non_error " + c.on_error + "\n");
  // Only when set, so that jobs begun before extract.meta existed resume.
  if (!c.meta.empty()) hash.update("meta " + join(c.meta, ",") + "\n");
  if (!c.text.encoder.empty())
    hash.update("text " + sha256_file(c.text.encoder) + " " + tokenizer_fingerprint(c.text.tokenizer) + " " +
                c.text.modality + " " + c.text.pooling + "\n");
  if (!c.audio.encoder.empty())
    hash.update("audio " + sha256_file(c.audio.encoder) + " " + c.audio.modality + " " +
                std::to_string(c.audio.sample_rate) + " " + format_number(c.audio.max_seconds) + "\n");
  return hash.hex_digest().substr(0, 32);
}

std::string row_counts(const EmbeddingCache& cache) {
  std::vector<std::string> parts;
  for (const auto& split : cache_split_names())
    parts.push_back(split + "=" + std::to_string(cache.splits.count(split) ? cache.splits.at(split).size() : 0));
  return join(parts, ",");
}

// Keeps this shard's contiguous slice of every split.
void take_shard(Source& source, int64_t shard, int64_t count) {
  for (auto& [split, data] : source.base.splits) {
    const auto [begin, end] = shard_range(data.size(), shard, count);
    data = slice_rows(data, begin, end);
    auto& rows = source.rows[split];
    rows = std::vector<Utterance>(rows.begin() + begin, rows.begin() + end);
  }
}

// Adds a pass's embeddings to the base cache, in row order; skipped rows are zeros with present = 0.
void add_modality(EmbeddingCache& cache, const ModalityResults& results, const extract::PassStats& stats) {
  std::unordered_map<std::string, int64_t> row_of;
  for (size_t i = 0; i < results.ids.size(); ++i) row_of[results.ids[i]] = static_cast<int64_t>(i);
  std::set<std::string> skipped;
  for (const auto& s : results.skipped) skipped.insert(s.id);
  for (auto& [split, data] : cache.splits) {
    FeatureMatrix matrix(data.size(), results.dims);
    std::vector<uint8_t> present(static_cast<size_t>(data.size()), 1);
    bool any_missing = false;
    for (int64_t i = 0; i < data.size(); ++i) {
      const std::string& id = data.ids[static_cast<size_t>(i)];
      const auto it = row_of.find(id);
      if (it != row_of.end()) {
        std::copy_n(results.values.begin() + it->second * results.dims, results.dims, matrix.row(i));
      } else if (skipped.count(id)) {
        present[static_cast<size_t>(i)] = 0;
        any_missing = true;
      } else {
        throw RuntimeFailure("internal error: no " + stats.modality + " embedding for id '" + id + "'");
      }
    }
    data.features[stats.modality] = std::move(matrix);
    if (any_missing) data.present[stats.modality] = std::move(present);
  }
  cache.modality_attributes[stats.modality] = stats.attributes;
}

}  // namespace

ExtractionResult run_extraction(const ExtractConfig& config) {
  configure_threads(config.threads);
  SkipReport problems(config.skip_errors());
  Source source = config.manifest.empty() ? from_cache(config) : from_manifest(config, problems);
  const std::string job = job_fingerprint(config, source.digest);
  const std::string full_rows = row_counts(source.base);
  int64_t shard = 0, shard_count = 0;
  if (!config.shard.empty()) {
    std::tie(shard, shard_count) = parse_shard(config.shard);
    take_shard(source, shard, shard_count);
  }

  ExtractionResult result;
  result.output = config.shard_output();
  result.report = config.report_path();
  // Locked before anything is looked at: a second process with the same
  // output (or its partial file) fails at once, naming this one's PID.
  const auto lock = lock_output_file(result.output);
  if (std::filesystem::exists(result.output)) {
    const auto attributes = read_cache_attributes(result.output);
    const auto it = attributes.find("daf_extract_job");
    if (it != attributes.end() && it->second == job) {
      result.already_complete = true;
      return result;
    }
    std::error_code error;
    const bool in_place = !config.input_cache.empty() &&
                          std::filesystem::equivalent(result.output, config.input_cache, error);
    if (!in_place)
      throw InputError(result.output + ": exists and holds another job's results; delete it or set extract.output");
  }

  for (const auto& path : {result.output, result.report}) {
    const auto folder = std::filesystem::path(path).parent_path();
    if (!folder.empty()) std::filesystem::create_directories(folder);
  }

  // Resume: embeddings a killed run already saved are reused, if it was the same job.
  const std::string partial_file = partial_path(result.output);
  PartialResults partial;
  const std::string partial_job = job + (config.shard.empty() ? "" : " shard " + config.shard);
  if (read_partial(partial_file, partial) && partial.job != partial_job)
    throw InputError(partial_file + ": saved by a run with another input, encoder or setting; delete it to start over");
  partial.job = partial_job;

  std::vector<const Utterance*> rows;
  for (const auto& split : cache_split_names())
    for (const auto& row : source.rows[split]) rows.push_back(&row);
  extract::Checkpointer checkpoint(partial_file, partial, config.checkpoint_seconds);
  extract::PassContext context{config, rows, partial, problems, checkpoint};
  std::vector<extract::PassStats> passes;
  if (!config.text.encoder.empty()) {
    extract::TextModels models = extract::load_text_models(config);
    passes.push_back(extract::run_text_pass(context, models));
  }
  if (!config.audio.encoder.empty()) {
    extract::SpeechModels models = extract::load_speech_models(config);
    passes.push_back(extract::run_speech_pass(context, models));
  }
  checkpoint.maybe_save(true);

  for (const auto& stats : passes) {
    add_modality(source.base, partial.modalities.at(stats.modality), stats);
    result.pass_summaries.push_back(stats.summary(config.bucketing));
  }
  source.base.attributes["daf_extract_job"] = job;
  if (!config.class_label.empty())
    source.base.attributes[class_names_attribute(config.class_label)] = join_class_names(config.classes);
  if (shard_count > 0) {
    source.base.attributes["daf_shard"] = config.shard;
    source.base.attributes["daf_shard_rows"] = row_counts(source.base);
    source.base.attributes["daf_job_rows"] = full_rows;
  }

  SkipReport report(true);
  for (const auto& entry : source.dropped) report.add(entry);
  for (const auto& [modality, m] : partial.modalities)
    for (const auto& entry : m.skipped) report.add(entry);
  report.write(result.report);
  for (const auto& [split, data] : source.base.splits)
    if (data.size() == 0)
      spdlog::warn("{}: split '{}' has no rows{}", result.output, split,
                   shard_count > 0 ? " in this shard" : " (training on this cache will fail until it has some)");
  write_cache(result.output, source.base);
  std::filesystem::remove(partial_file);
  result.skipped = static_cast<int64_t>(report.entries().size());
  for (const auto& [split, data] : source.base.splits) result.utterances += data.size();
  return result;
}

void merge_extract_shards(const std::vector<std::string>& shards, const std::string& output) {
  if (shards.empty()) throw InputError("--merge: no shard caches given");
  std::map<int64_t, std::pair<std::string, EmbeddingCache>> by_index;
  int64_t count = 0;
  std::string job, job_rows;
  for (const auto& path : shards) {
    EmbeddingCache cache = read_cache(path);
    const auto attribute = [&](const std::string& key) {
      const auto it = cache.attributes.find(key);
      if (it == cache.attributes.end())
        throw InputError(path + ": not a daf-extract shard (root attribute '" + key + "' is missing)");
      return it->second;
    };
    const auto [k, n] = parse_shard(attribute("daf_shard"));
    if (count == 0) count = n, job = attribute("daf_extract_job"), job_rows = attribute("daf_job_rows");
    if (n != count) throw InputError(path + ": shard " + attribute("daf_shard") + " of a " + std::to_string(n) +
                                     "-way split, but " + shards.front() + " is of a " + std::to_string(count) + "-way split");
    if (attribute("daf_extract_job") != job)
      throw InputError(path + ": comes from another extraction job (input, encoders or settings differ) than " +
                       shards.front());
    if (row_counts(cache) != attribute("daf_shard_rows"))
      throw InputError(path + ": holds rows " + row_counts(cache) + ", expected " + attribute("daf_shard_rows"));
    if (by_index.count(k))
      throw InputError(path + ": shard " + std::to_string(k) + "/" + std::to_string(n) + " is also " +
                       by_index.at(k).first);
    by_index.emplace(k, std::make_pair(path, std::move(cache)));
  }
  std::vector<std::string> missing;
  for (int64_t k = 1; k <= count; ++k)
    if (!by_index.count(k)) missing.push_back(std::to_string(k) + "/" + std::to_string(count));
  if (!missing.empty())
    throw InputError("--merge: missing shard" + std::string(missing.size() > 1 ? "s " : " ") + join(missing, ", ") +
                     " of " + std::to_string(count) + " (a shard that was killed leaves only <shard file>.partial; "
                     "rerun it with the same --shard)");

  EmbeddingCache merged;
  for (auto& [k, entry] : by_index) {
    EmbeddingCache& part = entry.second;
    if (merged.splits.empty()) merged.modality_attributes = part.modality_attributes;
    else if (part.modality_attributes != merged.modality_attributes)
      throw InputError(entry.first + ": its encoders' attributes differ from the other shards'");
    for (auto& [split, data] : part.splits) append_rows(merged.splits[split], data);
  }
  merged.attributes = by_index.begin()->second.second.attributes;
  merged.attributes.erase("daf_shard");
  merged.attributes.erase("daf_shard_rows");
  merged.attributes.erase("daf_job_rows");
  if (row_counts(merged) != job_rows)
    throw InputError("--merge: the shards hold rows " + row_counts(merged) + ", the job has " + job_rows);
  write_cache(output, merged);
}

void collect_extract_shards(const ExtractConfig& config, int64_t shard_count) {
  std::vector<std::string> shards, missing;
  for (int64_t k = 1; k <= shard_count; ++k) {
    ExtractConfig shard = config;
    shard.shard = std::to_string(k) + "/" + std::to_string(shard_count);
    const std::string path = shard.shard_output();
    if (std::filesystem::exists(path)) {
      shards.push_back(path);
    } else {
      const bool interrupted = std::filesystem::exists(partial_path(path));
      missing.push_back("  shard " + shard.shard + ": " + path +
                        (interrupted ? " (interrupted: " + partial_path(path) + " exists; rerun the shard to resume)"
                                     : " (not written: rerun the shard)"));
    }
  }
  if (!missing.empty())
    throw InputError("cannot merge " + config.output + ": " + std::to_string(missing.size()) + " of " +
                     std::to_string(shard_count) + " shards missing:\n" + join(missing, "\n"));
  merge_extract_shards(shards, config.output);
}

}  // namespace daf
