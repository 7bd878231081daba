// The page around the app (web/index.html): the Module object emscripten's output reads, the scene
// in the page's address or kept in its localStorage, the canvas's size (HiDPI: devicePixelRatio
// pixels to a CSS pixel), files in (the file input; dropping on the picture is GLFW's, dropping
// elsewhere is handled here) and out (every file the app saves becomes a download), and the link
// to the current scene.
'use strict';

const kBarHeight = 30;
const statusText = document.getElementById('status');

// The canvas's size on the page, in CSS pixels; its backing store, the app's window
// (src/app/window/web_main.cpp asks when it opens it), has devicePixelRatio pixels to one of them,
// and the app draws its fonts and layout at that scale: sharp on a HiDPI display.
function pixelRatio() { return window.devicePixelRatio || 1; }
function cssWidth() { return Math.max(window.innerWidth, 640); }
function cssHeight() { return Math.max(window.innerHeight - kBarHeight, 400); }
function optivizCanvasWidth() { return Math.round(cssWidth() * pixelRatio()); }
function optivizCanvasHeight() { return Math.round(cssHeight() * pixelRatio()); }
// Emscripten's setCanvasSize clears the canvas's inline size, so the CSS size is a style rule.
const canvasStyle = document.createElement('style');
document.head.appendChild(canvasStyle);
function sizeCanvasOnPage() {
  canvasStyle.textContent = `#canvas { width: ${cssWidth()}px !important; height: ${cssHeight()}px !important; }`;
}
sizeCanvasOnPage();

function toBase64Url(text) {
  const bytes = new TextEncoder().encode(text);
  let binary = '';
  for (const b of bytes) binary += String.fromCharCode(b);
  return btoa(binary).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

function fromBase64Url(text) {
  const base64 = text.replace(/-/g, '+').replace(/_/g, '/') + '==='.slice((text.length + 3) % 4);
  const binary = atob(base64);
  return new TextDecoder('utf-8', {fatal: true}).decode(Uint8Array.from(binary, (c) => c.charCodeAt(0)));
}

// The scene kept in this browser's localStorage between visits: the scene file's JSON (what the
// desktop saves), written a second after it changes and when the page is left.
const kStoredSceneKey = 'optiviz.scene';
let storedScene = null;
function keepScene() {
  if (!Module.ccall || frames === 0) return;
  const json = Module.ccall('optiviz_scene_json', 'string', [], []);
  if (!json || json === storedScene) return;
  try {
    localStorage.setItem(kStoredSceneKey, json);
    storedScene = json;
  } catch (e) {
    // storage full (a scene with a large CSV) or refused (private browsing): the scene is not kept
    console.warn('optiviz: this browser does not keep the scene (' + e.message + ')');
    storedScene = json;
  }
}
setInterval(keepScene, 1000);
window.addEventListener('pagehide', keepScene);
document.addEventListener('visibilitychange', () => { if (document.visibilityState === 'hidden') keepScene(); });

// "preset\nNAME", "scene\nJSON" (the address's), "stored\nJSON" (this browser's, when the address
// names none) or "" for the app's first scene (#preset=NAME or #scene=BASE64URL).
function optivizSceneFromAddress() {
  const params = new URLSearchParams(location.hash.replace(/^#/, ''));
  if (params.has('preset')) return 'preset\n' + params.get('preset');
  if (params.has('scene')) {
    try {
      return 'scene\n' + fromBase64Url(params.get('scene'));
    } catch (e) {
      console.warn('optiviz: the link\'s scene is not base64url-encoded UTF-8: ' + e.message);
    }
  }
  let stored = null;
  try {
    stored = localStorage.getItem(kStoredSceneKey);
  } catch (e) {
    // no storage for this page
  }
  return stored ? 'stored\n' + stored : '';
}

// A file the app saved, as a download. The app's own files (settings, session: dot folders of its
// home) and temporary files stay in the page.
function offerDownload(path) {
  if (/\/\.|^\/tmp\//.test(path)) return;
  const name = path.substring(path.lastIndexOf('/') + 1);
  const types = {png: 'image/png', svg: 'image/svg+xml', json: 'application/json', csv: 'text/csv'};
  const type = types[name.split('.').pop().toLowerCase()] || 'application/octet-stream';
  offerBlobDownload(new Blob([Module.FS.readFile(path)], {type}), name);
}

// Bytes made in the page (an animation the browser's recorder made: src/render/video_encoder_web.cpp)
// as a download named `name`.
function offerBlobDownload(blob, name) {
  const url = URL.createObjectURL(blob);
  const link = document.createElement('a');
  link.href = url;
  link.download = name;
  document.body.appendChild(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 60000);
  statusText.textContent = 'saved ' + name + ' (download)';
}

// Files the page hands to the app: written into its file system, then opened as a drop is.
async function openFiles(files) {
  Module.FS.mkdirTree('/uploads');
  for (const file of files) {
    const path = '/uploads/' + file.name.replace(/\//g, '_');
    Module.FS.writeFile(path, new Uint8Array(await file.arrayBuffer()));
    Module.ccall('optiviz_open_file', null, ['string'], [path]);
  }
}

// The codec the animation export gives WebCodecs (web/webm.js), found once: WebCodecs answers asynchronously.
window.optivizVideoCodec = null;
optivizProbeVideoCodec(1280, 720).then((codec) => { window.optivizVideoCodec = codec; });

let frames = 0;
var Module = {
  canvas: document.getElementById('canvas'),
  print: (text) => console.log(text),
  // The app's stderr: its errors as console errors, anything else as warnings.
  printErr: (text) => (/error/.test(text) ? console.error(text) : console.warn(text)),
  preRun: [() => { Module.canvas.width = optivizCanvasWidth(); Module.canvas.height = optivizCanvasHeight(); }],
  onRuntimeInitialized: () => {
    // The app writes every file through a temporary and a rename (core/atomic_file.cpp).
    const rename = Module.FS.rename;
    Module.FS.rename = (from, to) => {
      rename(from, to);
      offerDownload(to);
    };
  },
  postMainLoop: () => {
    if (++frames === 1) {
      window.optivizFirstFrameMs = performance.now();
      statusText.textContent = 'drop a scene or CSV on the picture to open it';
    }
    // A capture asked for by optivizCapture, taken while the frame's drawing is still there.
    if (window.optivizCaptureWaiting) {
      const resolve = window.optivizCaptureWaiting;
      window.optivizCaptureWaiting = null;
      resolve(Module.canvas.toDataURL('image/png'));
    }
  },
};

// Which build runs the page. With threads (optiviz-mt: the worker pool's threads are Web Workers, so
// maps and tuning compute beside the frames) where the page is cross-origin isolated, which shared
// memory needs: the server sends Cross-Origin-Opener-Policy: same-origin and
// Cross-Origin-Embedder-Policy: require-corp. Otherwise the build without threads, which any static
// host serves. As many workers as core/runtime/worker_pool.cpp uses: one fewer than the cores, 1 to 8.
Module.optivizWorkers = Math.min(Math.max((navigator.hardwareConcurrency || 2) - 1, 1), 8);
window.optivizVariant = self.crossOriginIsolated ? 'optiviz-mt' : 'optiviz';
function loadVariant(name) {
  const script = document.createElement('script');
  script.src = name + '.js';
  script.async = true;
  script.onerror = () => {
    if (name === 'optiviz') return;
    console.warn(`optiviz: ${name}.js is missing: running without threads`);  // a site copied without it
    window.optivizVariant = 'optiviz';
    loadVariant('optiviz');
  };
  document.body.appendChild(script);
}
loadVariant(window.optivizVariant);

// The next frame's picture as a PNG data URL (the test reads pixels through it).
function optivizCapture() { return new Promise((resolve) => { window.optivizCaptureWaiting = resolve; }); }

document.getElementById('open').addEventListener('click', () => document.getElementById('file').click());
document.getElementById('file').addEventListener('change', async (event) => {
  await openFiles(event.target.files);
  event.target.value = '';
});
document.addEventListener('dragover', (event) => event.preventDefault());
document.addEventListener('drop', (event) => {
  if (event.defaultPrevented) return;  // dropped on the picture: GLFW opened it
  event.preventDefault();
  openFiles(event.dataTransfer.files);
});
document.getElementById('link').addEventListener('click', () => {
  const json = Module.ccall('optiviz_scene_json', 'string', [], []);
  if (!json) return;
  history.replaceState(null, '', '#scene=' + toBase64Url(json));
  const text = document.getElementById('link-text');
  text.value = location.href;
  text.select();
  if (navigator.clipboard) navigator.clipboard.writeText(location.href).then(() => { statusText.textContent = 'link copied'; }, () => {});
});
// A new address typed or pasted into this tab opens its scene (replaceState above fires no event).
window.addEventListener('hashchange', () => location.reload());
let resizeTimer = 0, shownRatio = pixelRatio();
window.addEventListener('resize', () => {
  clearTimeout(resizeTimer);
  resizeTimer = setTimeout(() => {
    sizeCanvasOnPage();
    if (Module.setCanvasSize) Module.setCanvasSize(optivizCanvasWidth(), optivizCanvasHeight());
    if (pixelRatio() !== shownRatio && Module.ccall) {  // the browser's zoom or another monitor
      shownRatio = pixelRatio();
      Module.ccall('optiviz_set_content_scale', null, ['number'], [shownRatio]);
    }
  }, 100);
});
