#include "container_audio.h"

#include "daf/audio/audio_file.h"

namespace daf {
namespace {

// libsndfile's messages end in a period ("Format not recognised."); daf's quote them mid-sentence.
std::string without_period(std::string text) {
  while (!text.empty() && (text.back() == '.' || text.back() == ' ')) text.pop_back();
  return text;
}

}  // namespace
}  // namespace daf

#include "daf/util/error.h"

#ifdef DAF_HAVE_FFMPEG

#include <spdlog/spdlog.h>

#include <algorithm>
#include <cstdarg>
#include <cstdio>
#include <memory>
#include <mutex>

extern "C" {
#include <libavcodec/avcodec.h>
#include <libavformat/avformat.h>
#include <libavutil/channel_layout.h>
#include <libswresample/swresample.h>
}

#include "daf/util/strings.h"

// AVChannelLayout and swr_alloc_set_opts2 (FFmpeg 5.1) are the only channel
// API that both Debian 12 (FFmpeg 5.1) and Debian 13 (7.1, which removed the
// old one) have.
#if LIBAVUTIL_VERSION_INT < AV_VERSION_INT(57, 28, 100)
#error "daf needs FFmpeg 5.1 or newer (libavutil 57.28)"
#endif

namespace daf {
namespace {

std::string av_error(int code) {
  char text[AV_ERROR_MAX_STRING_SIZE] = {};
  av_strerror(code, text, sizeof text);
  return text;
}

// FFmpeg prints to stderr by default; its messages go to daf's log instead,
// at debug level: the errors that matter reach the user as InputError.
void log_to_spdlog(void* context, int level, const char* format, va_list arguments) {
  if (level > AV_LOG_WARNING || !spdlog::should_log(spdlog::level::debug)) return;
  char line[1024];
  int print_prefix = 1;
  av_log_format_line2(context, level, format, arguments, line, sizeof line, &print_prefix);
  std::string text = line;
  while (!text.empty() && (text.back() == '\n' || text.back() == '\r')) text.pop_back();
  spdlog::debug("FFmpeg: {}", text);
}

struct FormatCloser {
  void operator()(AVFormatContext* c) const { avformat_close_input(&c); }
};
struct CodecCloser {
  void operator()(AVCodecContext* c) const { avcodec_free_context(&c); }
};
struct PacketFree {
  void operator()(AVPacket* p) const { av_packet_free(&p); }
};
struct FrameFree {
  void operator()(AVFrame* f) const { av_frame_free(&f); }
};
struct SwrFree {
  void operator()(SwrContext* s) const { swr_free(&s); }
};

// "1 video stream, 1 subtitle stream" -- what a file without audio holds.
std::string stream_kinds(const AVFormatContext& format) {
  int counts[AVMEDIA_TYPE_NB] = {};
  int other = 0;
  for (unsigned i = 0; i < format.nb_streams; ++i) {
    const int type = format.streams[i]->codecpar->codec_type;
    if (type >= 0 && type < AVMEDIA_TYPE_NB) ++counts[type]; else ++other;
  }
  std::string text;
  for (int t = 0; t < AVMEDIA_TYPE_NB; ++t) {
    if (counts[t] == 0) continue;
    const char* name = av_get_media_type_string(static_cast<AVMediaType>(t));
    text += (text.empty() ? "" : ", ") + std::to_string(counts[t]) + " " + (name ? name : "other") + " stream" +
            (counts[t] == 1 ? "" : "s");
  }
  if (other > 0) text += (text.empty() ? "" : ", ") + std::to_string(other) + " stream(s) of unknown type";
  return text.empty() ? "no streams" : text;
}

std::string describe_stream(const AVFormatContext& format, int index) {
  const AVStream& stream = *format.streams[index];
  const AVCodecParameters& p = *stream.codecpar;
  std::string text = "FFmpeg, audio stream #" + std::to_string(index) + " of " + std::to_string(format.nb_streams) +
                     " stream" + (format.nb_streams == 1 ? "" : "s") + " (" + avcodec_get_name(p.codec_id) + ", " +
                     std::to_string(p.sample_rate) + " Hz, " + std::to_string(p.ch_layout.nb_channels) + " channel" +
                     (p.ch_layout.nb_channels == 1 ? "" : "s");
  const AVDictionaryEntry* language = av_dict_get(stream.metadata, "language", nullptr, 0);
  if (language && std::string(language->value) != "und") text += std::string(", language ") + language->value;
  return text + ")";
}

// A layout swresample accepts: FFmpeg's default order for the channel count
// when the file leaves the order unspecified. Input and output use the same
// one, so no channel is mixed; only the sample format changes.
AVChannelLayout usable_layout(const AVChannelLayout& layout) {
  AVChannelLayout out{};
  if (layout.order == AV_CHANNEL_ORDER_UNSPEC || av_channel_layout_copy(&out, &layout) < 0)
    av_channel_layout_default(&out, layout.nb_channels);
  return out;
}

// Decoding state of one file: the frames go through swresample into packed
// float samples (for 16-bit input that is x / 32768, as libsndfile reads WAVs).
class StreamDecoder {
 public:
  StreamDecoder(const std::string& path, const std::string& stream, bool keep)
      : path_(path), stream_(stream), keep_(keep) {}

  void add(const AVFrame& frame, double at_seconds) {
    if (frame.nb_samples <= 0) return;
    const int channels = frame.ch_layout.nb_channels;
    if (rate_ == 0) {
      rate_ = frame.sample_rate;
      channels_ = channels;
      format_ = frame.format;
      if (rate_ <= 0 || channels_ <= 0)
        throw InputError(path_ + ": " + stream_ + " decodes to " + std::to_string(rate_) + " Hz with " +
                         std::to_string(channels_) + " channels");
      if (keep_) open_converter(frame);
    } else if (frame.sample_rate != rate_ || channels != channels_ || frame.format != format_) {
      throw InputError(path_ + ": " + stream_ + " changes from " + std::to_string(rate_) + " Hz, " +
                       std::to_string(channels_) + " channels to " + std::to_string(frame.sample_rate) + " Hz, " +
                       std::to_string(channels) + " channels at " + format_fixed(at_seconds, 3) + " s");
    }
    if (keep_) {
      const size_t offset = samples_.size();
      samples_.resize(offset + static_cast<size_t>(frame.nb_samples) * static_cast<size_t>(channels_));
      uint8_t* out[1] = {reinterpret_cast<uint8_t*>(samples_.data() + offset)};
      const int converted = swr_convert(swr_.get(), out, frame.nb_samples,
                                        const_cast<const uint8_t**>(frame.extended_data), frame.nb_samples);
      if (converted != frame.nb_samples)
        throw RuntimeFailure(path_ + ": converting the decoded samples failed" +
                             (converted < 0 ? ": " + av_error(converted) : std::string()));
    }
    frames_ += frame.nb_samples;
  }

  ContainerAudio finish() {
    ContainerAudio audio;
    audio.interleaved = std::move(samples_);
    audio.frames = frames_;
    audio.sample_rate = rate_;
    audio.channels = channels_;
    audio.stream = stream_;
    return audio;
  }

 private:
  void open_converter(const AVFrame& frame) {
    AVChannelLayout layout = usable_layout(frame.ch_layout);
    SwrContext* swr = nullptr;
    int error = swr_alloc_set_opts2(&swr, &layout, AV_SAMPLE_FMT_FLT, rate_, &layout,
                                    static_cast<AVSampleFormat>(frame.format), rate_, 0, nullptr);
    av_channel_layout_uninit(&layout);
    swr_.reset(swr);
    if (error >= 0) error = swr_init(swr);
    if (error < 0) throw InputError(path_ + ": " + stream_ + ": cannot convert its samples: " + av_error(error));
  }

  std::string path_, stream_;
  bool keep_;
  int rate_ = 0, channels_ = 0, format_ = -1;
  int64_t frames_ = 0;
  std::vector<float> samples_;
  std::unique_ptr<SwrContext, SwrFree> swr_;
};

// How long the header says the audio stream is (0: it does not say): the
// stream's duration (mp4, avi), else Matroska's per-track DURATION tag
// ("00:00:02.000000000", written by ffmpeg and mkvmerge), else the file's
// duration when the audio is its only stream.
double announced_seconds(const AVFormatContext& format, const AVStream& stream) {
  if (stream.duration != AV_NOPTS_VALUE && stream.duration > 0)
    return static_cast<double>(stream.duration) * av_q2d(stream.time_base);
  if (const AVDictionaryEntry* tag = av_dict_get(stream.metadata, "DURATION", nullptr, 0)) {
    int hours = 0, minutes = 0;
    double seconds = 0;
    if (std::sscanf(tag->value, "%d:%d:%lf", &hours, &minutes, &seconds) == 3)
      return hours * 3600.0 + minutes * 60.0 + seconds;
  }
  if (format.nb_streams == 1 && format.duration != AV_NOPTS_VALUE && format.duration > 0)
    return static_cast<double>(format.duration) / AV_TIME_BASE;
  return 0;
}

// Sends one packet (nullptr: the end) and takes every frame it completes.
void decode_packet(AVCodecContext& codec, const AVPacket* packet, AVFrame& frame, StreamDecoder& out,
                   const std::string& path, const std::string& stream, double at_seconds) {
  int error = avcodec_send_packet(&codec, packet);
  if (error < 0 && error != AVERROR_EOF)
    throw InputError(path + ": " + stream + " does not decode at " + format_fixed(at_seconds, 3) + " s: " +
                     av_error(error));
  while ((error = avcodec_receive_frame(&codec, &frame)) >= 0) {
    out.add(frame, at_seconds);
    av_frame_unref(&frame);
  }
  if (error != AVERROR(EAGAIN) && error != AVERROR_EOF)
    throw InputError(path + ": " + stream + " does not decode at " + format_fixed(at_seconds, 3) + " s: " +
                     av_error(error));
}

}  // namespace

bool reads_video_containers() { return true; }

ContainerAudio read_container_audio(const std::string& path, bool keep_samples, const std::string& sndfile_error) {
  static std::once_flag logging;
  std::call_once(logging, [] { av_log_set_callback(log_to_spdlog); });

  AVFormatContext* raw_format = nullptr;
  int error = avformat_open_input(&raw_format, path.c_str(), nullptr, nullptr);
  if (error < 0)
    throw InputError(path + ": cannot decode audio (libsndfile: " + without_period(sndfile_error) + "; FFmpeg: " +
                     av_error(error) + ")");
  std::unique_ptr<AVFormatContext, FormatCloser> format(raw_format);
  if ((error = avformat_find_stream_info(format.get(), nullptr)) < 0)
    throw InputError(path + ": cannot read the streams of the file (FFmpeg: " + av_error(error) + ")");

  const AVCodec* decoder = nullptr;
  const int index = av_find_best_stream(format.get(), AVMEDIA_TYPE_AUDIO, -1, -1, &decoder, 0);
  if (index == AVERROR_STREAM_NOT_FOUND)
    throw InputError(path + ": the file holds no audio stream (" + stream_kinds(*format) + ")");
  if (index < 0 || decoder == nullptr) {
    // av_find_best_stream names no stream when the best has no decoder.
    for (unsigned i = 0; i < format->nb_streams; ++i)
      if (format->streams[i]->codecpar->codec_type == AVMEDIA_TYPE_AUDIO)
        throw InputError(path + ": " + describe_stream(*format, static_cast<int>(i)) +
                         ": this FFmpeg has no decoder for it");
    throw InputError(path + ": cannot choose an audio stream (FFmpeg: " + av_error(index) + ")");
  }
  AVStream& stream = *format->streams[index];
  const std::string description = describe_stream(*format, index);
  int audio_streams = 0;
  for (unsigned i = 0; i < format->nb_streams; ++i) {
    audio_streams += format->streams[i]->codecpar->codec_type == AVMEDIA_TYPE_AUDIO;
    // Packets of other streams are dropped by the demuxer, not read and thrown away.
    if (static_cast<int>(i) != index) format->streams[i]->discard = AVDISCARD_ALL;
  }

  std::unique_ptr<AVCodecContext, CodecCloser> codec(avcodec_alloc_context3(decoder));
  if (!codec) throw RuntimeFailure(path + ": out of memory opening the audio decoder");
  if ((error = avcodec_parameters_to_context(codec.get(), stream.codecpar)) < 0)
    throw InputError(path + ": " + description + ": invalid codec parameters (" + av_error(error) + ")");
  codec->pkt_timebase = stream.time_base;
  codec->thread_count = 1;  // the same samples on every machine
  if ((error = avcodec_open2(codec.get(), decoder, nullptr)) < 0)
    throw InputError(path + ": " + description + ": cannot open its decoder (" + av_error(error) + ")");

  std::unique_ptr<AVPacket, PacketFree> packet(av_packet_alloc());
  std::unique_ptr<AVFrame, FrameFree> frame(av_frame_alloc());
  if (!packet || !frame) throw RuntimeFailure(path + ": out of memory decoding audio");
  StreamDecoder out(path, description, keep_samples);
  double at_seconds = 0;
  while ((error = av_read_frame(format.get(), packet.get())) >= 0) {
    if (packet->stream_index == index) {
      if (packet->pts != AV_NOPTS_VALUE) at_seconds = static_cast<double>(packet->pts) * av_q2d(stream.time_base);
      try {
        decode_packet(*codec, packet.get(), *frame, out, path, description, at_seconds);
      } catch (...) {
        av_packet_unref(packet.get());
        throw;
      }
    }
    av_packet_unref(packet.get());
  }
  if (error != AVERROR_EOF)
    throw InputError(path + ": " + description + ": reading the file failed after " + format_fixed(at_seconds, 3) +
                     " s (FFmpeg: " + av_error(error) + ")");
  decode_packet(*codec, nullptr, *frame, out, path, description, at_seconds);

  ContainerAudio audio = out.finish();
  audio.audio_streams = audio_streams;
  if (audio.frames <= 0) throw InputError(path + ": " + description + " holds no samples");
  // A file cut short decodes without an error up to where it ends; its header
  // still announces the whole duration.
  const double announced = announced_seconds(*format, stream);
  const double decoded = static_cast<double>(audio.frames) / audio.sample_rate;
  if (announced > 0 && decoded < announced - std::max(0.25, 0.05 * announced))
    throw InputError(path + ": the file is truncated: " + description + " announces " + format_fixed(announced, 3) +
                     " s of audio, the file holds " + format_fixed(decoded, 3) + " s");
  return audio;
}

}  // namespace daf

#else  // built without FFmpeg

namespace daf {

bool reads_video_containers() { return false; }

ContainerAudio read_container_audio(const std::string& path, bool, const std::string& sndfile_error) {
  throw InputError(path + ": cannot decode audio (libsndfile: " + without_period(sndfile_error) +
                   "); this daf was built without FFmpeg, which reads the audio of video containers (mp4, mkv, "
                   "avi, webm): install libavformat-dev, libavcodec-dev and libswresample-dev and rebuild");
}

}  // namespace daf

#endif
