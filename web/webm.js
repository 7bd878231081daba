// Animations with exact timing (src/render/video_encoder_web.cpp): the browser's WebCodecs
// VideoEncoder compresses the frames (VP8, or VP9 where VP8 is missing) and this file writes the
// WebM (Matroska) container around them. MediaRecorder, the fallback where VideoEncoder is missing,
// stamps frames with the time they arrive, so a page that draws slower than the video's frame rate
// made a longer video; here frame i starts at i * 1000 / fps ms whatever the drawing speed, and the
// Info says the duration.
'use strict';

// The codec this browser's VideoEncoder can use for a video of about this size ({codec, codecId}),
// or null: WebCodecs answers asynchronously, so the page asks once when it loads.
async function optivizProbeVideoCodec(width, height) {
  if (typeof VideoEncoder === 'undefined' || typeof VideoFrame === 'undefined') return null;
  for (const [codec, codecId] of [['vp8', 'V_VP8'], ['vp09.00.10.08', 'V_VP9']]) {
    try {
      const answer = await VideoEncoder.isConfigSupported({codec, width, height, bitrate: 4e6, framerate: 30});
      if (answer.supported) return {codec, codecId};
    } catch (e) {
      // an unknown codec string: try the next
    }
  }
  return null;
}

// EBML's variable-length integers: the size of an element's payload, in the fewest bytes (up to 8).
function webmSize(size) {
  for (let length = 1; length <= 8; ++length) {
    if (size < 2 ** (7 * length) - 1) {
      const bytes = new Uint8Array(length);
      let rest = size;
      for (let i = length - 1; i >= 0; --i) {
        bytes[i] = rest % 256;
        rest = Math.floor(rest / 256);
      }
      bytes[0] |= 0x80 >> (length - 1);
      return bytes;
    }
  }
  throw new RangeError('WebM: an element of ' + size + ' bytes');
}

function webmConcat(parts) {
  const out = new Uint8Array(parts.reduce((sum, part) => sum + part.length, 0));
  let at = 0;
  for (const part of parts) {
    out.set(part, at);
    at += part.length;
  }
  return out;
}

// An element: its ID (the bytes as written, marker included), its size, its payload (bytes, or a list of elements).
function webmElement(id, payload) {
  const body = Array.isArray(payload) ? webmConcat(payload) : payload;
  const idBytes = [];
  for (let rest = id; rest > 0; rest = Math.floor(rest / 256)) idBytes.unshift(rest % 256);
  return webmConcat([Uint8Array.from(idBytes), webmSize(body.length), body]);
}

function webmUint(id, value) {
  const bytes = [];
  for (let rest = value; bytes.length === 0 || rest > 0; rest = Math.floor(rest / 256)) bytes.unshift(rest % 256);
  return webmElement(id, Uint8Array.from(bytes));
}

function webmFloat(id, value) {
  const bytes = new Uint8Array(8);
  new DataView(bytes.buffer).setFloat64(0, value);
  return webmElement(id, bytes);
}

function webmString(id, text) { return webmElement(id, new TextEncoder().encode(text)); }

// A SimpleBlock of track 1: the frame's time relative to its cluster (signed 16-bit ms), key-frame flag.
function webmSimpleBlock(relativeMs, key, data) {
  const head = new Uint8Array(4);
  head[0] = 0x81;  // track number 1, as a one-byte vint
  new DataView(head.buffer).setInt16(1, relativeMs);
  head[3] = key ? 0x80 : 0;
  return webmElement(0xa3, webmConcat([head, data]));
}

// The WebM file for encoded frames [{data: Uint8Array, key: bool}] in order, frame i at i * 1000 / fps
// ms (1 ms time scale). A cluster starts at every key frame (and before a block would be 32 s past
// its cluster's start); Cues point at each cluster so players seek without reading the whole file.
function optivizWebm(frames, {width, height, fps, codecId}) {
  const frameMs = (i) => Math.round((i * 1000) / fps);
  const clusters = [], cueTimes = [];
  let blocks = [], clusterMs = 0;
  const close = () => {
    if (blocks.length) clusters.push(webmElement(0x1f43b675, [webmUint(0xe7, clusterMs), ...blocks]));
    blocks = [];
  };
  frames.forEach((frame, i) => {
    if (i === 0 || frame.key || frameMs(i) - clusterMs > 30000) {
      close();
      clusterMs = frameMs(i);
      cueTimes.push(clusterMs);
    }
    blocks.push(webmSimpleBlock(frameMs(i) - clusterMs, frame.key, frame.data));
  });
  close();
  const header = webmElement(0x1a45dfa3, [webmUint(0x4286, 1), webmUint(0x42f7, 1), webmUint(0x42f2, 4), webmUint(0x42f3, 8),
                                          webmString(0x4282, 'webm'), webmUint(0x4287, 2), webmUint(0x4285, 2)]);
  const info = webmElement(0x1549a966, [webmUint(0x2ad7b1, 1000000), webmString(0x4d80, 'optiviz'), webmString(0x5741, 'optiviz'),
                                         webmFloat(0x4489, (frames.length * 1000) / fps)]);
  const tracks = webmElement(0x1654ae6b, [webmElement(0xae, [
    webmUint(0xd7, 1), webmUint(0x73c5, 1), webmUint(0x83, 1), webmString(0x86, codecId),
    webmUint(0x23e383, Math.round(1e9 / fps)),  // each frame's duration, ns
    webmElement(0xe0, [webmUint(0xb0, width), webmUint(0xba, height)])])]);
  // The cues' cluster positions count from the segment's payload; the cues come before the clusters,
  // so their own size is found by writing them twice (positions can only grow the second time).
  const cues = (start) => {
    let at = start;
    return webmElement(0x1c53bb6b, clusters.map((cluster, i) => {
      const point = webmElement(0xbb, [webmUint(0xb3, cueTimes[i]), webmElement(0xb7, [webmUint(0xf7, 1), webmUint(0xf1, at)])]);
      at += cluster.length;
      return point;
    }));
  };
  const before = info.length + tracks.length;
  let cueBytes = cues(before);
  for (let size = 0; size !== cueBytes.length;) {
    size = cueBytes.length;
    cueBytes = cues(before + size);
  }
  return webmConcat([header, webmElement(0x18538067, [info, tracks, cueBytes, ...clusters])]);
}

// Encodes RGBA frames as they come and, once finished, hands the WebM to `done` (a Blob) or the
// failure to `failed` (a message).
class OptivizWebmRecorder {
  constructor({width, height, fps, codec, codecId}, done, failed) {
    this.settings = {width, height, fps, codecId};
    this.chunks = [];
    this.count = 0;
    this.failure = null;
    this.done = done;
    this.failed = failed;
    this.encoder = new VideoEncoder({
      output: (chunk) => {
        const data = new Uint8Array(chunk.byteLength);
        chunk.copyTo(data);
        this.chunks.push({data, key: chunk.type === 'key'});
      },
      error: (error) => { this.failure = this.failure || String(error.message || error); },
    });
    // About 0.12 bits a pixel a frame: plots' thin lines stay sharp at 1280x720 and 30 fps (3.3 Mbit/s).
    this.encoder.configure({codec, width, height, framerate: fps, bitrate: Math.round(width * height * fps * 0.12), latencyMode: 'quality'});
    this.mostQueued = 0;  // the longest the encoder's queue was when a frame came (the test reads it)
  }

  // Whether the encoder can take another frame now: it is not yet kMostQueued frames behind. The app
  // draws the next frame of the animation in a later page frame otherwise (back-pressure that never
  // blocks the page), so the frames waiting in the encoder stay a few megabytes, not the whole video.
  hasRoom() { return this.encoder.encodeQueueSize < OptivizWebmRecorder.kMostQueued; }

  // One frame (RGBA rows, top first); a key frame every 2 s.
  add(rgba) {
    if (this.failure) return;
    const {width, height, fps} = this.settings;
    const frame = new VideoFrame(rgba, {format: 'RGBA', codedWidth: width, codedHeight: height,
                                        timestamp: Math.round((this.count * 1e6) / fps), duration: Math.round(1e6 / fps)});
    this.mostQueued = Math.max(this.mostQueued, this.encoder.encodeQueueSize);
    this.encoder.encode(frame, {keyFrame: this.count % (2 * fps) === 0});
    frame.close();
    ++this.count;
  }

  async finish() {
    try {
      await this.encoder.flush();
    } catch (error) {
      this.failure = this.failure || String(error.message || error);
    }
    this.encoder.close();
    if (this.failure || this.chunks.length !== this.count) {
      this.failed(`the browser's video encoder failed (${this.failure || this.chunks.length + ' of ' + this.count + ' frames'})`);
      return;
    }
    this.done(new Blob([optivizWebm(this.chunks, this.settings)], {type: 'video/webm'}));
  }

  cancel() {
    if (this.encoder.state !== 'closed') this.encoder.close();
  }
}
OptivizWebmRecorder.kMostQueued = 4;
