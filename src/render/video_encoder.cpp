#include "render/video_encoder.h"

extern "C" {
#include <libavcodec/avcodec.h>
#include <libavformat/avformat.h>
#include <libavformat/avio.h>
#include <libavutil/imgutils.h>
#include <libavutil/mem.h>
#include <libavutil/opt.h>
#include <libswscale/swscale.h>
}

#include <algorithm>
#include <cctype>
#include <cstdarg>
#include <cstring>
#include <stdexcept>
#include <utility>

#include "core/io/atomic_file.h"
#include "core/io/limits.h"

namespace optiviz::render {

namespace {

// FFmpeg's own messages would go to stderr, beside (or instead of) our one line: they are kept
// instead, and the last error of this thread is added to the message of the failure it explains.
thread_local std::string last_ffmpeg_error;

void keep_ffmpeg_message(void* object, int level, const char* format, va_list arguments) {
    if (level > AV_LOG_ERROR) return;
    char line[512];
    int prefix = 1;
    av_log_format_line2(object, level, format, arguments, line, sizeof line, &prefix);
    std::string text = line;
    while (!text.empty() && (text.back() == '\n' || text.back() == '\r')) text.pop_back();
    last_ffmpeg_error = text;
}

void quiet_ffmpeg() {
    static const bool installed = [] {
        av_log_set_callback(&keep_ffmpeg_message);
        return true;
    }();
    (void)installed;
}

std::string av_error_text(int code) {
    char text[AV_ERROR_MAX_STRING_SIZE] = {};
    av_strerror(code, text, sizeof text);
    return text;
}

void check(int code, const char* what) {
    if (code >= 0) return;
    std::string message = std::string("video encoder: ") + what + ": " + av_error_text(code);
    if (!last_ffmpeg_error.empty()) message += " (" + std::exchange(last_ffmpeg_error, {}) + ")";
    throw std::runtime_error(message);
}

struct FormatInfo {
    const char* muxer;
    const char* encoder;  // by name: Debian's libavcodec has several H.264 and VP9 encoders
    AVPixelFormat pixels;
};

FormatInfo format_info(VideoFormat format) {
    switch (format) {
        case VideoFormat::Gif: return {"gif", "gif", AV_PIX_FMT_PAL8};
        case VideoFormat::Mp4: return {"mp4", "libx264", AV_PIX_FMT_YUV420P};
        case VideoFormat::WebM: return {"webm", "libvpx-vp9", AV_PIX_FMT_YUV420P};
    }
    throw std::logic_error("unknown video format");
}

}  // namespace

struct VideoEncoder::Impl {
    VideoSettings settings;
    std::unique_ptr<PendingFile> file;  // the muxer writes here as frames come; renamed at finish
    AVFormatContext* format = nullptr;
    AVCodecContext* codec = nullptr;
    AVStream* stream = nullptr;
    AVFrame* frame = nullptr;
    AVPacket* packet = nullptr;
    SwsContext* scaler = nullptr;
    std::unique_ptr<PaletteMapper> mapper;
    std::vector<std::uint8_t> indices;
    int frames = 0;
    bool finished = false;

    ~Impl() {
        sws_freeContext(scaler);
        av_packet_free(&packet);
        av_frame_free(&frame);
        avcodec_free_context(&codec);
        if (format) {
            avio_closep(&format->pb);
            avformat_free_context(format);
        }
        // `file` (declared first, destroyed last) removes the temporary file unless committed.
    }

    // Sends `input` (null: flush) and writes every packet the encoder has ready.
    void encode(const AVFrame* input) {
        check(avcodec_send_frame(codec, input), "sending a frame");
        while (true) {
            const int status = avcodec_receive_packet(codec, packet);
            if (status == AVERROR(EAGAIN) || status == AVERROR_EOF) return;
            check(status, "encoding a frame");
            if (packet->duration <= 0) packet->duration = 1;  // one frame, in the codec's time base
            av_packet_rescale_ts(packet, codec->time_base, stream->time_base);
            packet->stream_index = stream->index;
            check(av_interleaved_write_frame(format, packet), "writing a frame");  // takes the packet's data
        }
    }
};

VideoEncoder::VideoEncoder(const VideoSettings& settings, const std::string& path) : impl_(std::make_unique<Impl>()) {
    check_video_settings(settings);
    quiet_ffmpeg();
    last_ffmpeg_error.clear();
    if (settings.format == VideoFormat::Gif &&
        (settings.palette.colors.empty() || settings.palette.colors.size() > static_cast<std::size_t>(GifPalette::kMaxColors)))
        throw std::invalid_argument("video encoder: a GIF needs a palette of 1 to 255 colours");
    Impl& m = *impl_;
    m.settings = settings;
    const FormatInfo info = format_info(settings.format);

    check(avformat_alloc_output_context2(&m.format, nullptr, info.muxer, nullptr), "no muxer");
    const AVCodec* encoder = avcodec_find_encoder_by_name(info.encoder);
    if (!encoder)
        throw std::runtime_error(std::string("video encoder: this FFmpeg has no ") + info.encoder + " encoder for " +
                                 video_format_name(settings.format));
    m.codec = avcodec_alloc_context3(encoder);
    if (!m.codec) throw std::runtime_error("video encoder: out of memory");
    m.codec->width = settings.width;
    m.codec->height = settings.height;
    m.codec->time_base = AVRational{1, settings.fps};
    m.codec->framerate = AVRational{settings.fps, 1};
    m.codec->pix_fmt = info.pixels;
    m.codec->thread_count = 0;  // as many as FFmpeg thinks useful
    if (settings.format != VideoFormat::Gif) {
        // The pictures are sRGB; convert with BT.709's matrix to limited-range YUV and say so in
        // the stream, so players turn them back into the same colours.
        m.codec->colorspace = AVCOL_SPC_BT709;
        m.codec->color_primaries = AVCOL_PRI_BT709;
        m.codec->color_trc = AVCOL_TRC_IEC61966_2_1;
        m.codec->color_range = AVCOL_RANGE_MPEG;
        m.codec->gop_size = settings.fps * 5;  // a keyframe every 5 s: seeking stays cheap
    }
    AVDictionary* options = nullptr;
    if (settings.format == VideoFormat::Mp4) {
        // Flat colours and thin lines: the "animation" tuning keeps edges; CRF 18 is near
        // transparent for such pictures; "veryfast" takes a quarter of "medium"'s time for ~15% more bytes.
        av_dict_set(&options, "preset", "veryfast", 0);
        av_dict_set(&options, "tune", "animation", 0);
        av_dict_set(&options, "crf", "18", 0);
    } else if (settings.format == VideoFormat::WebM) {
        // Constant quality (bit rate 0 + crf), row multithreading, and a speed setting that keeps
        // VP9 within a few times H.264's encoding time.
        m.codec->bit_rate = 0;
        av_dict_set(&options, "crf", "28", 0);
        av_dict_set(&options, "deadline", "good", 0);
        av_dict_set(&options, "cpu-used", "5", 0);
        av_dict_set(&options, "row-mt", "1", 0);
    }
    if (m.format->oformat->flags & AVFMT_GLOBALHEADER) m.codec->flags |= AV_CODEC_FLAG_GLOBAL_HEADER;
    const int opened = avcodec_open2(m.codec, encoder, &options);
    av_dict_free(&options);
    check(opened, "opening the encoder");

    m.stream = avformat_new_stream(m.format, nullptr);
    if (!m.stream) throw std::runtime_error("video encoder: out of memory");
    m.stream->time_base = m.codec->time_base;
    m.stream->avg_frame_rate = m.codec->framerate;
    check(avcodec_parameters_from_context(m.stream->codecpar, m.codec), "stream parameters");

    // Written to a file as frames come (not held in memory), through libavformat's own file I/O:
    // the MP4 muxer's faststart reopens the file by name to move its index to the front.
    m.file = std::make_unique<PendingFile>(path);
    const std::string url = "file:" + m.file->temporary_path();
    check(avio_open(&m.format->pb, url.c_str(), AVIO_FLAG_WRITE), "opening the file");
    av_freep(&m.format->url);
    m.format->url = av_strdup(url.c_str());
    AVDictionary* muxer_options = nullptr;
    // MP4: the index (moov) before the frames, so a web page plays the video while it loads.
    if (settings.format == VideoFormat::Mp4) av_dict_set(&muxer_options, "movflags", "+faststart", 0);
    const int header = avformat_write_header(m.format, &muxer_options);
    av_dict_free(&muxer_options);
    check(header, "writing the header");

    m.frame = av_frame_alloc();
    m.packet = av_packet_alloc();
    if (!m.frame || !m.packet) throw std::runtime_error("video encoder: out of memory");
    m.frame->format = info.pixels;
    m.frame->width = settings.width;
    m.frame->height = settings.height;
    check(av_frame_get_buffer(m.frame, 0), "allocating a frame");
    if (settings.format == VideoFormat::Gif) {
        m.mapper = std::make_unique<PaletteMapper>(settings.palette);
        m.indices.resize(static_cast<std::size_t>(settings.width) * static_cast<std::size_t>(settings.height));
    } else {
        m.scaler = sws_getContext(settings.width, settings.height, AV_PIX_FMT_RGBA, settings.width, settings.height,
                                  AV_PIX_FMT_YUV420P, SWS_BICUBIC | SWS_ACCURATE_RND | SWS_FULL_CHR_H_INP, nullptr,
                                  nullptr, nullptr);
        if (!m.scaler) throw std::runtime_error("video encoder: cannot convert RGBA to YUV 4:2:0");
        const int* rgb = sws_getCoefficients(SWS_CS_DEFAULT);
        const int* bt709 = sws_getCoefficients(SWS_CS_ITU709);
        sws_setColorspaceDetails(m.scaler, rgb, 1, bt709, 0, 0, 1 << 16, 1 << 16);
    }
}

VideoEncoder::~VideoEncoder() = default;

int VideoEncoder::frames() const { return impl_->frames; }

void VideoEncoder::add_frame(const std::vector<std::uint8_t>& rgba) {
    Impl& m = *impl_;
    const int w = m.settings.width, h = m.settings.height;
    if (m.finished) throw std::logic_error("video encoder: add_frame after finish");
    if (rgba.size() != static_cast<std::size_t>(w) * static_cast<std::size_t>(h) * 4)
        throw std::runtime_error("video encoder: the frame is not " + std::to_string(w) + "x" + std::to_string(h));
    check(av_frame_make_writable(m.frame), "frame buffer");
    if (m.settings.format == VideoFormat::Gif) {
        m.mapper->map(rgba.data(), w, h, m.indices.data());
        for (int y = 0; y < h; ++y)
            std::memcpy(m.frame->data[0] + static_cast<std::ptrdiff_t>(y) * m.frame->linesize[0],
                        m.indices.data() + static_cast<std::size_t>(y) * static_cast<std::size_t>(w), static_cast<std::size_t>(w));
        // The palette travels with every frame; the encoder writes it once when it does not change.
        auto* palette = reinterpret_cast<std::uint32_t*>(m.frame->data[1]);
        for (int i = 0; i < 256; ++i) palette[i] = 0;  // index 255 (and unused ones): transparent
        for (std::size_t i = 0; i < m.settings.palette.colors.size(); ++i) {
            const auto& c = m.settings.palette.colors[i];
            palette[i] = 0xFF000000u | (std::uint32_t{c[0]} << 16) | (std::uint32_t{c[1]} << 8) | c[2];
        }
    } else {
        const std::uint8_t* source[1] = {rgba.data()};
        const int stride[1] = {w * 4};
        sws_scale(m.scaler, source, stride, 0, h, m.frame->data, m.frame->linesize);
    }
    m.frame->pts = m.frames;
    m.encode(m.frame);
    ++m.frames;
}

void VideoEncoder::finish() {
    Impl& m = *impl_;
    if (m.finished) throw std::logic_error("video encoder: finish twice");
    m.finished = true;
    m.encode(nullptr);
    check(av_write_trailer(m.format), "writing the trailer");
    check(avio_closep(&m.format->pb), "closing the file");
    m.file->commit();
}

}  // namespace optiviz::render
