// Animations as GIF, MP4 (H.264) or WebM (VP9) files, encoded in-process with Debian's FFmpeg
// libraries (libavcodec, libavformat, libswscale; FFmpeg 5.1 on Debian 12, 7.1 on Debian 13).
// Nothing shells out to the ffmpeg program.
//
// The container is written to disk as frames are encoded (memory stays one frame and the
// encoder's look-ahead, whatever the length), into a temporary file beside the output that is
// renamed over it at finish() (core/io/atomic_file.h: PendingFile): a failure or a cancel never
// leaves part of a video behind. MP4 files carry their index at the front (faststart).
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "render/gif_palette.h"

namespace optiviz::render {

enum class VideoFormat { Gif, Mp4, WebM };

// The format a file name asks for, by its extension (.gif, .mp4, .webm; any case). Throws
// std::invalid_argument with one line for anything else.
VideoFormat video_format_for_path(const std::string& path);
const char* video_format_name(VideoFormat format);  // "GIF", "MP4", "WebM"

struct VideoSettings {
    VideoFormat format = VideoFormat::Mp4;
    int width = 1280, height = 720;  // MP4: both even (H.264 4:2:0)
    int fps = 30;                    // 1..120
    GifPalette palette;              // GIF only: the palette of every frame (see gif_palette.h)
};

// Checks the settings a user chooses, without opening anything: the size (16..3840 x 16..2160,
// even for MP4), fps 1..120 (not the palette). Throws std::invalid_argument with one line.
void check_video_settings(const VideoSettings& settings);

class VideoEncoder {
public:
    // Opens the encoder and the temporary file for `path`. Throws std::invalid_argument for bad
    // settings (check_video_settings, or a GIF without a palette of 1..255 colours) or a path that
    // cannot be written (check_output_path), and std::runtime_error when this FFmpeg lacks the
    // encoder (libx264, libvpx-vp9, gif) or the file cannot be created.
    VideoEncoder(const VideoSettings& settings, const std::string& path);
    ~VideoEncoder();
    VideoEncoder(const VideoEncoder&) = delete;
    VideoEncoder& operator=(const VideoEncoder&) = delete;

    // Encodes the next frame: RGBA8, width * height * 4 bytes, top row first. Frame i is shown
    // from i / fps seconds for 1 / fps seconds. Throws std::runtime_error (one line) on failure.
    void add_frame(const std::vector<std::uint8_t>& rgba);
    int frames() const;

    // Flushes the encoder, completes the file and renames it over the path. The encoder is spent
    // afterwards. Destroyed without finish() (a cancel, a failure), it leaves nothing at the path.
    void finish();
#ifdef __EMSCRIPTEN__
    // The browser's recorder ends later, on its own: the page downloads the WebM under `path`'s name
    // with the extension .webm, which this returns. The encoder is spent afterwards.
    std::string finish_as_download(const std::string& path);
    // False while the browser's encoder still has many frames to compress: the caller draws the next
    // frame later (a later page frame) instead of piling frames up, and never waits.
    bool has_room() const;
#endif

private:
    struct Impl;
    std::unique_ptr<Impl> impl_;
};

}  // namespace optiviz::render
