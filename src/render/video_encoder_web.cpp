// The browser build's VideoEncoder: FFmpeg is not built for WebAssembly from Debian's packages, so
// the browser's own encoders make the animation, always a WebM (MP4 and WebM both give one; GIF is
// not available). Where WebCodecs' VideoEncoder is (the page probes for VP8 or VP9 when it loads:
// web/webm.js), each frame is encoded with the timestamp frame * 1/fps and web/webm.js writes the
// WebM with its duration: the video plays at its frame rate whatever the drawing speed. Elsewhere a
// MediaRecorder records a canvas whose captureStream(0) is fed one frame every 1/fps seconds; the
// recorder stamps frames with the time they arrive, so that video is only right when the page draws
// at least fps frames a second. The file is downloaded once the encoder is done, a little after
// finish_as_download returns.
#include <emscripten.h>

#include <stdexcept>

#include "render/video_encoder.h"

namespace optiviz::render {

namespace {

// 1 when the page could start recording, 0 when this browser has neither a VideoEncoder for VP8 or
// VP9 nor MediaRecorder with canvas.captureStream.
EM_JS(int, optiviz_recorder_start, (int width, int height, int fps), {
  if (Module.optivizRecording) Module.optivizRecording.cancel();
  Module.optivizRecording = null;
  const codec = window.optivizVideoCodec;
  if (codec && typeof OptivizWebmRecorder === "function") {
    const recording = {name: "", cancelled: false};
    const failed = (message) => {
      console.error("optiviz: " + message);
      if (typeof statusText !== "undefined") statusText.textContent = message;
    };
    recording.encoder = new OptivizWebmRecorder({width, height, fps, codec: codec.codec, codecId: codec.codecId},
                                                (blob) => { if (typeof offerBlobDownload === "function") offerBlobDownload(blob, recording.name); }, failed);
    recording.frame = (rgba) => recording.encoder.add(rgba);
    recording.hasRoom = () => recording.encoder.hasRoom();
    recording.finish = (name) => { recording.name = name; recording.encoder.finish(); };
    recording.cancel = () => recording.encoder.cancel();
    recording.kind = "webcodecs";
    Module.optivizRecording = recording;
    return 1;
  }
  const canvas = document.createElement("canvas");
  if (typeof MediaRecorder === "undefined" || !canvas.captureStream) return 0;
  const type = ["video/webm;codecs=vp9", "video/webm;codecs=vp8", "video/webm"].find((t) => MediaRecorder.isTypeSupported(t));
  if (!type) return 0;
  canvas.width = width;
  canvas.height = height;
  const stream = canvas.captureStream(0);
  const recording = {context: canvas.getContext("2d"), track: stream.getVideoTracks()[0], width, height,
                     recorder: new MediaRecorder(stream, {mimeType: type}), chunks: [], frames: [], name: "", cancelled: false,
                     kind: "mediarecorder"};
  Module.optivizRecording = recording;
  recording.recorder.ondataavailable = (event) => { if (event.data.size) recording.chunks.push(event.data); };
  recording.recorder.onstop = () => {
    if (recording.cancelled || !recording.name) return;
    const blob = new Blob(recording.chunks, {type: "video/webm"});
    if (typeof offerBlobDownload === "function") offerBlobDownload(blob, recording.name);
  };
  // One frame every 1/fps seconds; once the last has been shown for its time, the recording ends.
  recording.timer = setInterval(() => {
    if (recording.frames.length) {
      recording.context.putImageData(new ImageData(recording.frames.shift(), width, height), 0, 0);
      recording.track.requestFrame();
    } else if (recording.name) {
      clearInterval(recording.timer);
      recording.recorder.stop();
    }
  }, 1000 / fps);
  recording.frame = (rgba) => recording.frames.push(new Uint8ClampedArray(rgba));
  recording.hasRoom = () => recording.frames.length < fps;  // a second of frames waits at most
  recording.finish = (name) => { recording.name = name; };
  recording.cancel = () => {
    recording.cancelled = true;
    clearInterval(recording.timer);
    if (recording.recorder.state !== "inactive") recording.recorder.stop();
  };
  recording.recorder.start();
  return 1;
});

// The frame's bytes are copied (by VideoFrame, or into the recorder's queue) before this returns.
// The threaded build's memory is shared, which VideoFrame refuses: there they are copied out first.
EM_JS(void, optiviz_recorder_frame, (const std::uint8_t* rgba, int size), {
  const bytes = HEAPU8.subarray(rgba, rgba + size);
  const shared = typeof SharedArrayBuffer !== "undefined" && bytes.buffer instanceof SharedArrayBuffer;
  if (Module.optivizRecording) Module.optivizRecording.frame(shared ? bytes.slice() : bytes);
});

EM_JS(int, optiviz_recorder_has_room, (), {
  return !Module.optivizRecording || Module.optivizRecording.hasRoom() ? 1 : 0;
});

EM_JS(void, optiviz_recorder_finish, (const char* name), {
  if (Module.optivizRecording) Module.optivizRecording.finish(UTF8ToString(name));
});

EM_JS(void, optiviz_recorder_cancel, (), {
  if (Module.optivizRecording) Module.optivizRecording.cancel();
  Module.optivizRecording = null;
});

}  // namespace

struct VideoEncoder::Impl {
    VideoSettings settings;
    int frames = 0;
    bool finished = false;
};

VideoEncoder::VideoEncoder(const VideoSettings& settings, const std::string& /*path: the page downloads under its name at finish*/) {
    check_video_settings(settings);
    if (settings.format == VideoFormat::Gif)
        throw std::runtime_error("GIF animations are not available in the browser: export a WebM (or use the desktop app)");
    if (!optiviz_recorder_start(settings.width, settings.height, settings.fps))
        throw std::runtime_error("this browser cannot record video (it lacks WebCodecs' VideoEncoder for VP8 or VP9, and MediaRecorder)");
    impl_ = std::make_unique<Impl>(Impl{settings, 0, false});
}

// A recording dropped before it finished (a cancel) is thrown away; nothing is downloaded.
VideoEncoder::~VideoEncoder() {
    if (impl_ && !impl_->finished) optiviz_recorder_cancel();
}

bool VideoEncoder::has_room() const { return optiviz_recorder_has_room() != 0; }

void VideoEncoder::add_frame(const std::vector<std::uint8_t>& rgba) {
    const std::size_t expected = static_cast<std::size_t>(impl_->settings.width) * impl_->settings.height * 4;
    if (impl_->finished || rgba.size() != expected) throw std::runtime_error("video frame: wrong size or encoder finished");
    optiviz_recorder_frame(rgba.data(), static_cast<int>(rgba.size()));
    ++impl_->frames;
}

int VideoEncoder::frames() const { return impl_->frames; }

void VideoEncoder::finish() {
    throw std::runtime_error("the browser's recorder finishes on its own: call finish_as_download");
}

std::string VideoEncoder::finish_as_download(const std::string& path) {
    const std::size_t slash = path.find_last_of('/'), dot = path.find_last_of('.');
    const std::string name = (dot != std::string::npos && (slash == std::string::npos || dot > slash) ? path.substr(0, dot) : path) + ".webm";
    impl_->finished = true;
    optiviz_recorder_finish(name.substr(slash == std::string::npos ? 0 : slash + 1).c_str());
    return name;
}

}  // namespace optiviz::render
