// The browser build's VideoEncoder: FFmpeg is not built for WebAssembly from Debian's packages, so
// animation export says so (one clear message in the window) instead of writing a file. The
// browser's own encoders (WebCodecs, MediaRecorder) are the way to add it.
#include <stdexcept>

#include "render/video_encoder.h"

namespace optiviz::render {

struct VideoEncoder::Impl {};

VideoEncoder::VideoEncoder(const VideoSettings& settings) {
    check_video_settings(settings);
    throw std::runtime_error(std::string(video_format_name(settings.format)) +
                             " animations are not available in the browser yet (use the desktop app)");
}

VideoEncoder::~VideoEncoder() = default;

void VideoEncoder::add_frame(const std::vector<std::uint8_t>&) {}
int VideoEncoder::frames() const { return 0; }
std::string VideoEncoder::finish() { return {}; }

}  // namespace optiviz::render
