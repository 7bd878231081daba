// The animation formats by file name and the settings every encoder checks: shared by the FFmpeg
// encoder (video_encoder.cpp) and the browser build's (video_encoder_web.cpp).
#include <algorithm>
#include <cctype>
#include <stdexcept>
#include <string>

#include "core/io/limits.h"
#include "render/video_encoder.h"

namespace optiviz::render {

namespace {

std::string lower(std::string text) {
    std::transform(text.begin(), text.end(), text.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    return text;
}

}  // namespace

VideoFormat video_format_for_path(const std::string& path) {
    const auto slash = path.find_last_of('/');
    const std::string name = lower(slash == std::string::npos ? path : path.substr(slash + 1));
    auto ends_with = [&](const std::string& suffix) {
        return name.size() > suffix.size() && name.compare(name.size() - suffix.size(), suffix.size(), suffix) == 0;
    };
    if (ends_with(".gif")) return VideoFormat::Gif;
    if (ends_with(".mp4")) return VideoFormat::Mp4;
    if (ends_with(".webm")) return VideoFormat::WebM;
    throw std::invalid_argument("--animate: expected a file name ending in .gif, .mp4 or .webm, got '" + path + "'");
}

const char* video_format_name(VideoFormat format) {
    switch (format) {
        case VideoFormat::Gif: return "GIF";
        case VideoFormat::Mp4: return "MP4";
        case VideoFormat::WebM: return "WebM";
    }
    return "?";
}

void check_video_settings(const VideoSettings& settings) {
    if (settings.width < 16 || settings.height < 16 || settings.width > limits::kMaxPictureWidth ||
        settings.height > limits::kMaxPictureHeight)
        throw std::invalid_argument("--size: must be between 16x16 and " + std::to_string(limits::kMaxPictureWidth) + "x" +
                                    std::to_string(limits::kMaxPictureHeight) + ", got " + std::to_string(settings.width) +
                                    "x" + std::to_string(settings.height));
    if (settings.format == VideoFormat::Mp4 && (settings.width % 2 != 0 || settings.height % 2 != 0))
        throw std::invalid_argument("--size: MP4 (H.264) needs an even width and height, got " +
                                    std::to_string(settings.width) + "x" + std::to_string(settings.height));
    if (settings.fps < limits::kMinAnimationFps || settings.fps > limits::kMaxAnimationFps)
        throw std::invalid_argument("--fps must be a whole number from " + std::to_string(limits::kMinAnimationFps) + " to " +
                                    std::to_string(limits::kMaxAnimationFps) + ", got " + std::to_string(settings.fps));
}

}  // namespace optiviz::render
