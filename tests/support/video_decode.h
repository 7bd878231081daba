// Reads back a video file with Debian's libavformat/libavcodec (the tests' own decoder, independent
// of the encoder's code): every frame as RGBA8, the size, the container's duration, and for a GIF
// the global colour table as written in the file.
#pragma once

extern "C" {
#include <libavcodec/avcodec.h>
#include <libavformat/avformat.h>
#include <libavutil/imgutils.h>
#include <libswscale/swscale.h>
}

#include <array>
#include <cstdint>
#include <fstream>
#include <iterator>
#include <stdexcept>
#include <string>
#include <vector>

namespace optiviz::test {

struct DecodedVideo {
    std::string codec;  // "gif", "h264", "vp9"
    int width = 0, height = 0;
    double duration = 0;              // seconds, as the container reports it
    std::vector<double> times;        // each frame's presentation time, seconds
    std::vector<std::vector<std::uint8_t>> frames;  // RGBA8, top row first
};

inline DecodedVideo decode_video(const std::string& path) {
    DecodedVideo video;
    AVFormatContext* format = nullptr;
    if (avformat_open_input(&format, path.c_str(), nullptr, nullptr) < 0) throw std::runtime_error("cannot open " + path);
    struct Closer {
        AVFormatContext** format;
        AVCodecContext* codec = nullptr;
        AVFrame* frame = nullptr;
        AVPacket* packet = nullptr;
        SwsContext* scaler = nullptr;
        ~Closer() {
            sws_freeContext(scaler);
            av_packet_free(&packet);
            av_frame_free(&frame);
            avcodec_free_context(&codec);
            avformat_close_input(format);
        }
    } closer{&format};
    if (avformat_find_stream_info(format, nullptr) < 0) throw std::runtime_error("no stream info in " + path);
    const int index = av_find_best_stream(format, AVMEDIA_TYPE_VIDEO, -1, -1, nullptr, 0);
    if (index < 0) throw std::runtime_error("no video stream in " + path);
    AVStream* stream = format->streams[index];
    const AVCodec* decoder = avcodec_find_decoder(stream->codecpar->codec_id);
    if (!decoder) throw std::runtime_error("no decoder for " + path);
    video.codec = decoder->name;
    closer.codec = avcodec_alloc_context3(decoder);
    avcodec_parameters_to_context(closer.codec, stream->codecpar);
    if (avcodec_open2(closer.codec, decoder, nullptr) < 0) throw std::runtime_error("cannot open the decoder");
    video.width = stream->codecpar->width;
    video.height = stream->codecpar->height;
    if (format->duration != AV_NOPTS_VALUE) video.duration = static_cast<double>(format->duration) / AV_TIME_BASE;
    closer.frame = av_frame_alloc();
    closer.packet = av_packet_alloc();

    auto take_frames = [&] {
        while (avcodec_receive_frame(closer.codec, closer.frame) == 0) {
            AVFrame* f = closer.frame;
            if (!closer.scaler) {
                closer.scaler = sws_getContext(f->width, f->height, static_cast<AVPixelFormat>(f->format), f->width, f->height,
                                               AV_PIX_FMT_RGBA, SWS_BICUBIC | SWS_ACCURATE_RND | SWS_FULL_CHR_H_INT,
                                               nullptr, nullptr, nullptr);
                if (f->format == AV_PIX_FMT_YUV420P) {
                    // The stream says BT.709, limited range (the encoder's choice): turn it back.
                    const int* bt709 = sws_getCoefficients(SWS_CS_ITU709);
                    sws_setColorspaceDetails(closer.scaler, bt709, f->color_range == AVCOL_RANGE_JPEG ? 1 : 0,
                                             sws_getCoefficients(SWS_CS_DEFAULT), 1, 0, 1 << 16, 1 << 16);
                }
            }
            std::vector<std::uint8_t> rgba(static_cast<std::size_t>(f->width) * static_cast<std::size_t>(f->height) * 4);
            std::uint8_t* out[1] = {rgba.data()};
            const int stride[1] = {f->width * 4};
            sws_scale(closer.scaler, f->data, f->linesize, 0, f->height, out, stride);
            video.frames.push_back(std::move(rgba));
            const std::int64_t pts = f->best_effort_timestamp;
            video.times.push_back(pts == AV_NOPTS_VALUE ? -1.0 : static_cast<double>(pts) * av_q2d(stream->time_base));
        }
    };
    while (av_read_frame(format, closer.packet) >= 0) {
        if (closer.packet->stream_index == index) avcodec_send_packet(closer.codec, closer.packet);
        av_packet_unref(closer.packet);
        take_frames();
    }
    avcodec_send_packet(closer.codec, nullptr);
    take_frames();
    return video;
}

// A GIF's global colour table, straight from the file's bytes (GIF89a logical screen descriptor).
inline std::vector<std::array<std::uint8_t, 3>> gif_global_palette(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    const std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    if (bytes.size() < 13 || bytes.compare(0, 3, "GIF") != 0) throw std::runtime_error(path + " is not a GIF");
    const auto flags = static_cast<std::uint8_t>(bytes[10]);
    if (!(flags & 0x80)) return {};
    const std::size_t count = std::size_t{1} << ((flags & 7) + 1);
    if (bytes.size() < 13 + 3 * count) throw std::runtime_error(path + ": truncated colour table");
    std::vector<std::array<std::uint8_t, 3>> colors(count);
    for (std::size_t i = 0; i < count; ++i)
        for (std::size_t c = 0; c < 3; ++c) colors[i][c] = static_cast<std::uint8_t>(bytes[13 + 3 * i + c]);
    return colors;
}

}  // namespace optiviz::test
