// The browser build in a real browser (scripts/test-web.sh): Debian's Chromium, headless, WebGL2
// through SwiftShader, driven by puppeteer-core. Usage: node browser_test.js URL ISOLATED_URL OUT_DIR
// URL serves the site plainly: the page must run the build without threads, and passes every check
// below. ISOLATED_URL serves it cross-origin isolated (COOP + COEP): the page must run the threaded
// build (optiviz-mt) and pass the main checks again (threadedChecks), and a basin map must compute
// on its workers while the page keeps drawing frames.
// Checks: the page loads with no console errors; the picture is drawn (not blank); dragging a
// learning-rate slider changes the paths; a preset opens from the address; the link to the scene
// reopens it; a dropped CSV and one from the file input are used; a PNG export downloads a non-blank image;
// an SVG export downloads well-formed SVG that draws; the animation export downloads a WebM of the asked
// duration and frame count (WebCodecs, read back by readWebm); the scene is kept over a reload, and a
// #scene link wins over the kept scene; at devicePixelRatio 2 the canvas and the UI are at 2x; without
// WebCodecs the MediaRecorder fallback still gives a WebM. Screenshots go to
// OUT_DIR. Exits 1 on the first failed check.
'use strict';
const fs = require('fs');
const path = require('path');
const puppeteer = require('puppeteer-core');

const [url, isolatedUrl, outDir] = process.argv.slice(2);
const kWidth = 1280, kHeight = 830;  // the page: a 30-pixel bar over a 1280x800 canvas
const kBar = 30;
// Where the window's controls are at this size (the panel's layout: docs/app-window.png). The
// landscape is the picture's right part; the panel is on the left.
const kLandscape = {x: 460, y: kBar + 40, width: 560, height: 540};
const failures = [];
const log = (text) => console.log('test-web: ' + text);
function check(ok, what) {
  log((ok ? 'ok   ' : 'FAIL ') + what);
  if (!ok) failures.push(what);
}

// The next frame's canvas as a data URL, read inside the frame (web/page.js's optivizCapture).
const capture = (page) => page.evaluate(() => optivizCapture());

// Statistics of a picture (a data URL), computed by the page's own 2-D canvas: the number of distinct
// colours and a sample of pixels, in a region.
// withPixels false: the colours only (a 2x picture's pixels are slow to carry out of the page).
function pictureStats(page, dataUrl, region, withPixels = true) {
  return page.evaluate(async (dataUrl, region, withPixels) => {
    const image = new Image();
    image.src = dataUrl;
    await image.decode();
    const canvas = document.createElement('canvas');
    canvas.width = image.width;
    canvas.height = image.height;
    const context = canvas.getContext('2d');
    context.drawImage(image, 0, 0);
    const r = region || {x: 0, y: 0, width: image.width, height: image.height};
    const data = context.getImageData(r.x, r.y, r.width, r.height).data;
    const colours = new Set();
    for (let i = 0; i < data.length; i += 4) colours.add((data[i] << 16) | (data[i + 1] << 8) | data[i + 2]);
    return {width: image.width, height: image.height, colours: colours.size, pixels: withPixels ? Array.from(data) : []};
  }, dataUrl, region, withPixels);
}

// The fraction of pixels that differ by more than a little between two same-sized pixel arrays.
function changedFraction(a, b) {
  let changed = 0;
  for (let i = 0; i < a.length; i += 4)
    if (Math.abs(a[i] - b[i]) + Math.abs(a[i + 1] - b[i + 1]) + Math.abs(a[i + 2] - b[i + 2]) > 24) ++changed;
  return changed / (a.length / 4);
}

// A WebM read back from its bytes (EBML: IDs and sizes as variable-length integers): the Info's
// duration in seconds, the track's codec and size, and each SimpleBlock's time in seconds (its
// cluster's time plus its own offset, in the file's time scale). Written apart from web/webm.js,
// which writes the file.
function readWebm(bytes) {
  const masters = new Set([0x18538067, 0x1549a966, 0x1654ae6b, 0xae, 0xe0, 0x1f43b675]);
  const file = {scale: 1e6, duration: NaN, codec: '', width: 0, height: 0, blocks: [], keyFrames: 0, firstIsKey: false,
                clusters: [], cues: []};  // clusters: where each starts in the segment's payload; cues: where the Cues say
  const masters2 = new Set([0x1c53bb6b, 0xbb, 0xb7]);
  let segmentStart = 0;
  const vint = (at, keepMarker) => {
    let length = 1;
    while (length <= 8 && !(bytes[at] & (0x80 >> (length - 1)))) ++length;
    if (length > 8) throw new Error(`no EBML number at byte ${at}`);
    let value = keepMarker ? bytes[at] : bytes[at] & (0xff >> length);
    for (let i = 1; i < length; ++i) value = value * 256 + bytes[at + i];
    return {value, length};
  };
  const uint = (at, size) => { let v = 0; for (let i = 0; i < size; ++i) v = v * 256 + bytes[at + i]; return v; };
  let clusterTime = 0;
  const walk = (start, end) => {
    for (let at = start; at < end;) {
      const id = vint(at, true), size = vint(at + id.length, false);
      const body = at + id.length + size.length, next = body + size.value;
      if (next > bytes.length) throw new Error(`element ${id.value.toString(16)} runs past the file's end`);
      if (id.value === 0x2ad7b1) file.scale = uint(body, size.value);
      else if (id.value === 0x4489) file.duration = size.value === 8 ? bytes.readDoubleBE(body) : bytes.readFloatBE(body);
      else if (id.value === 0x86) file.codec = bytes.toString('latin1', body, next);
      else if (id.value === 0xb0) file.width = uint(body, size.value);
      else if (id.value === 0xba) file.height = uint(body, size.value);
      else if (id.value === 0xe7) clusterTime = uint(body, size.value);
      else if (id.value === 0xf1) file.cues.push(uint(body, size.value));
      else if (id.value === 0xa3) {
        const track = vint(body, false);
        const key = (bytes[body + track.length + 2] & 0x80) !== 0;
        if (file.blocks.length === 0) file.firstIsKey = key;
        file.keyFrames += key ? 1 : 0;
        file.blocks.push(((clusterTime + bytes.readInt16BE(body + track.length)) * file.scale) / 1e9);
      } else if (masters.has(id.value) || masters2.has(id.value)) {
        if (id.value === 0x18538067) segmentStart = body;
        if (id.value === 0x1f43b675) file.clusters.push(at - segmentStart);
        walk(body, next);
      }
      at = next;
    }
  };
  walk(0, bytes.length);
  file.durationSeconds = (file.duration * file.scale) / 1e9;
  return file;
}

async function saveShot(page, name) {
  const file = path.join(outDir, name);
  await page.screenshot({path: file});
  log('screenshot ' + file);
}

// A new tab on `address`. Its first load starts with an empty localStorage (so a scene kept by an
// earlier tab does not open instead of the default one), or one holding storedScene (the key of
// web/page.js); reloads keep what the page stored.
async function openPage(browser, address, errors, {storedScene = null, deviceScaleFactor = 1} = {}) {
  const page = await browser.newPage();
  await page.setViewport({width: kWidth, height: kHeight, deviceScaleFactor});
  await page.evaluateOnNewDocument((storedScene) => {
    if (!sessionStorage.getItem('optiviz-test-storage-set')) {
      localStorage.clear();
      if (storedScene) localStorage.setItem('optiviz.scene', storedScene);
      sessionStorage.setItem('optiviz-test-storage-set', '1');
    }
  }, storedScene);
  page.on('console', (message) => {
    // emscripten's warning when the page's main thread waits for another thread (the threaded build
    // must never: it would stall frames) counts as an error too.
    if (message.type() === 'error' || /Blocking on the main thread/.test(message.text())) errors.push(message.text());
  });
  page.on('pageerror', (error) => errors.push(String(error)));
  const started = Date.now();
  await page.goto(address);
  await page.waitForFunction(() => window.optivizFirstFrameMs !== undefined, {timeout: 60000});
  const firstFrame = await page.evaluate(() => window.optivizFirstFrameMs);
  return {page, firstFrameMs: firstFrame, wallMs: Date.now() - started};
}

const sceneOf = async (page) => JSON.parse(await page.evaluate(() => Module.ccall('optiviz_scene_json', 'string', [], [])));

// Waits for the app to settle: a few frames.
async function frames(page, count) {
  for (let i = 0; i < count; ++i) await capture(page);
}

async function main() {
  fs.mkdirSync(outDir, {recursive: true});
  const downloads = path.join(outDir, 'downloads');
  fs.rmSync(downloads, {recursive: true, force: true});
  fs.mkdirSync(downloads, {recursive: true});
  const browser = await puppeteer.launch({
    executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
    headless: true,
    args: ['--no-sandbox', '--use-angle=swiftshader', '--enable-unsafe-swiftshader', `--window-size=${kWidth},${kHeight}`],
  });
  try {
    // OPTIVIZ_WEB_TEST=threads: the threaded checks only (to try a change quickly; CI runs both).
    if (process.env.OPTIVIZ_WEB_TEST === 'threads') {
      const defaultPage = await openPage(browser, url, []);
      const defaultScene = await sceneOf(defaultPage.page);
      await defaultPage.page.close();
      await threadedChecks(browser, defaultScene);
      return;
    }
    // 0. web/webm.js's muxer alone, on made-up frames: 100 at 25 fps, a key frame every 40 (clusters
    // at 0, 1.6 and 3.2 s), read back: times, key frames, duration, and Cues that point at the clusters.
    const optivizWebm = new Function(fs.readFileSync(path.join(__dirname, '../webm.js'), 'utf8') + '\nreturn optivizWebm;')();
    const made = readWebm(Buffer.from(optivizWebm(Array.from({length: 100}, (_, i) => ({data: new Uint8Array(50 + i).fill(i), key: i % 40 === 0})),
                                                  {width: 64, height: 48, fps: 25, codecId: 'V_VP9'})));
    check(made.blocks.length === 100 && made.blocks.every((t, i) => Math.abs(t - i * 0.04) < 1e-9) && made.keyFrames === 3 &&
          made.durationSeconds === 4 && made.codec === 'V_VP9' && made.width === 64,
          `the muxer's WebM reads back: 100 frames at i/25 s, 3 key frames, 4 s (${made.blocks.length} frames, ${made.keyFrames} key, ${made.durationSeconds} s)`);
    check(made.clusters.length === 3 && JSON.stringify(made.cues) === JSON.stringify(made.clusters),
          `one cluster a key frame, and the Cues point at them (clusters at ${made.clusters}, cues ${made.cues})`);

    // 1. Loads without console errors and draws a picture.
    const errors = [];
    const {page, firstFrameMs, wallMs} = await openPage(browser, url, errors);
    log(`time to first picture: ${(firstFrameMs / 1000).toFixed(2)} s after navigation (${(wallMs / 1000).toFixed(2)} s wall)`);
    fs.writeFileSync(path.join(outDir, 'first-picture-ms.txt'), `${Math.round(firstFrameMs)}\n`);
    const variant = await runningVariant(page);
    check(variant.name === 'optiviz' && !variant.isolated && variant.workers === 0,
          `served plainly, the page runs the build without threads (${JSON.stringify(variant)})`);
    await frames(page, 10);
    const first = await pictureStats(page, await capture(page), kLandscape);
    check(first.width === 1280 && first.height === 800, `the canvas is 1280x800 (got ${first.width}x${first.height})`);
    check(first.colours > 200, `the landscape is drawn (${first.colours} colours in it)`);
    await saveShot(page, 'default-scene.png');

    // 2. The learning-rate slider: pause the playback (so only the slider changes the picture), open
    // the Adam run's settings and drag its lr slider.
    // ImGui reads the pointer once a frame: one click a frame.
    await page.mouse.click(...kPause);
    await frames(page, 3);
    await page.mouse.click(...kAdamRun);
    await frames(page, 5);
    await saveShot(page, 'run-opened.png');
    const before = await pictureStats(page, await capture(page), kLandscape);
    const sceneBefore = await page.evaluate(() => Module.ccall('optiviz_scene_json', 'string', [], []));
    await frames(page, 5);
    const still = await pictureStats(page, await capture(page), kLandscape);
    check(changedFraction(before.pixels, still.pixels) === 0, 'paused, the landscape stays the same from frame to frame');
    await dragLearningRate(page, {open: false});
    const after = await pictureStats(page, await capture(page), kLandscape);
    const sceneAfter = await page.evaluate(() => Module.ccall('optiviz_scene_json', 'string', [], []));
    check(sceneAfter !== sceneBefore, 'the drag changed the scene (the run\'s learning rate)');
    const moved = changedFraction(before.pixels, after.pixels);
    check(moved > 0.002, `dragging the learning-rate slider changes the paths (${(100 * moved).toFixed(2)}% of the landscape changed)`);
    await saveShot(page, 'lr-dragged.png');

    // 2b. The scene is kept in the page's localStorage: a reload opens it, the dragged rate included.
    await page.reload();
    await page.waitForFunction(() => window.optivizFirstFrameMs !== undefined, {timeout: 60000});
    await frames(page, 3);
    const reloaded = await sceneOf(page);
    const dragged = JSON.parse(sceneAfter), untouched = JSON.parse(sceneBefore);
    check(JSON.stringify(reloaded.runs) === JSON.stringify(dragged.runs) && JSON.stringify(dragged.runs) !== JSON.stringify(untouched.runs),
          'after a reload the runs are the dragged ones (the learning rate is kept)');

    // 3. A PNG export (Ctrl+S) downloads a non-blank picture.
    const cdp = await page.createCDPSession();
    await cdp.send('Browser.setDownloadBehavior', {behavior: 'allow', downloadPath: downloads});
    await page.mouse.click(kLandscape.x + 10, kLandscape.y + kLandscape.height + 150);  // focus, on the loss plot
    await page.keyboard.down('Control');
    await page.keyboard.press('s');
    await page.keyboard.up('Control');
    const png = path.join(downloads, 'optiviz.png');
    for (let i = 0; i < 100 && !fs.existsSync(png); ++i) await new Promise((r) => setTimeout(r, 100));
    check(fs.existsSync(png), 'Ctrl+S downloads optiviz.png');
    if (fs.existsSync(png)) {
      const bytes = fs.readFileSync(png);
      const stats = await pictureStats(page, 'data:image/png;base64,' + bytes.toString('base64'));
      check(stats.colours > 200, `the downloaded PNG is a picture (${stats.width}x${stats.height}, ${stats.colours} colours)`);
      fs.copyFileSync(png, path.join(outDir, 'exported.png'));
    }

    // 4. A dropped CSV is used: the scene reads it, on the MSE surface of a line fit.
    const csv = fs.readFileSync(path.join(__dirname, '../../tests/data/linear.csv'), 'utf8');
    await page.evaluate((csv) => {
      const transfer = new DataTransfer();
      transfer.items.add(new File([csv], 'points.csv', {type: 'text/csv'}));
      const canvas = document.getElementById('canvas');
      const box = canvas.getBoundingClientRect();
      canvas.dispatchEvent(new DragEvent('drop', {dataTransfer: transfer, bubbles: true, cancelable: true,
                                                  clientX: box.left + 700, clientY: box.top + 300}));
    }, csv);
    await frames(page, 20);
    const dropped = JSON.parse(await page.evaluate(() => Module.ccall('optiviz_scene_json', 'string', [], [])));
    check(JSON.stringify(dropped.surface.data || {}).includes('points.csv') && dropped.surface.name === 'mse',
          `the dropped CSV is the scene's data (surface ${dropped.surface.name}, file ${(dropped.surface.data || {}).file})`);
    const withData = await pictureStats(page, await capture(page), kLandscape);
    check(changedFraction(after.pixels, withData.pixels) > 0.05, 'the picture shows the new surface');
    await saveShot(page, 'csv-dropped.png');

    // 5. The page's file input opens a file too (here the same rows under their own name).
    const input = await page.$('#file');
    await input.uploadFile(path.join(__dirname, '../../tests/data/linear.csv'));
    await page.waitForFunction(() => JSON.parse(Module.ccall('optiviz_scene_json', 'string', [], [])).surface.data?.file === '/uploads/linear.csv',
                               {timeout: 10000}).catch(() => {});
    const uploaded = JSON.parse(await page.evaluate(() => Module.ccall('optiviz_scene_json', 'string', [], [])));
    check((uploaded.surface.data || {}).file === '/uploads/linear.csv', `the file input opens a CSV (${(uploaded.surface.data || {}).file})`);
    check(errors.length === 0, 'no console errors' + (errors.length ? ': ' + errors.join(' | ') : ''));
    await page.close();

    // 6. A preset opens from the address.
    const presetErrors = [];
    const preset = await openPage(browser, url + '#preset=narrow-valley', presetErrors);
    await frames(preset.page, 10);
    const presetScene = JSON.parse(await preset.page.evaluate(() => Module.ccall('optiviz_scene_json', 'string', [], [])));
    const presetStats = await pictureStats(preset.page, await capture(preset.page), kLandscape);
    check(changedFraction(first.pixels, presetStats.pixels) > 0.05, '#preset=narrow-valley shows another picture');
    await saveShot(preset.page, 'preset-narrow-valley.png');

    // 7. The link to the scene reopens it.
    await preset.page.click('#link');
    const link = await preset.page.$eval('#link-text', (input) => input.value);
    check(/#scene=[A-Za-z0-9_-]+$/.test(link), 'the page gives a link to the scene (#scene=…)');
    // The link opens its scene even where this browser kept another (the lr-dragged default scene).
    await preset.page.close();
    const linked = await openPage(browser, link, presetErrors, {storedScene: sceneAfter});
    await frames(linked.page, 5);
    const linkedScene = JSON.parse(await linked.page.evaluate(() => Module.ccall('optiviz_scene_json', 'string', [], [])));
    check(JSON.stringify(linkedScene) === JSON.stringify(presetScene), 'the link opens the same scene');
    // 8. A link whose text is not ASCII (a caption with accents and symbols): its base64url uses both
    // of the alphabet's URL-safe letters, and the caption arrives whole.
    const captioned = {...presetScene};
    const encoded = (link) => link.split('#scene=')[1] || '';
    const urlSafe = (link) => /-/.test(encoded(link)) && /_/.test(encoded(link));
    let captionLink = '';
    for (let i = 0; i < 64 && !urlSafe(captionLink); ++i) {
      captioned.caption = `${' '.repeat(i)}Why? Adam’s β₁ >= 0.9 — € ▽ über café ¿ÿ`;  // '?', '>', 'ÿ' give '_' and '-'
      captionLink = url + '#scene=' + await linked.page.evaluate((text) => toBase64Url(text), JSON.stringify(captioned));
    }
    check(urlSafe(captionLink), 'a captioned scene\'s link uses - and _');
    const withCaption = await openPage(browser, captionLink, presetErrors);
    const captionScene = JSON.parse(await withCaption.page.evaluate(() => Module.ccall('optiviz_scene_json', 'string', [], [])));
    check(captionScene.caption === captioned.caption, `the caption arrives whole (${captionScene.caption})`);
    await saveShot(withCaption.page, 'link-with-caption.png');
    await linked.page.close();
    await withCaption.page.close();  // (open tabs keep their scenes in the shared localStorage)
    check(presetErrors.length === 0, 'no console errors with a preset and a link' + (presetErrors.length ? ': ' + presetErrors.join(' | ') : ''));

    // 9a. HiDPI: at devicePixelRatio 2 the canvas has two pixels to a CSS pixel each way, the picture
    // is drawn, and the window's fonts and layout are at twice the size (the desktop's content scale):
    // the controls are where they are at 1x in CSS pixels.
    const hidpiErrors = [];
    const hidpi = await openPage(browser, url, hidpiErrors, {deviceScaleFactor: 2});
    await frames(hidpi.page, 10);
    const sizes = await hidpi.page.evaluate(() => {
      const canvas = document.getElementById('canvas'), box = canvas.getBoundingClientRect();
      return {width: canvas.width, height: canvas.height, cssWidth: box.width, cssHeight: box.height, ratio: devicePixelRatio};
    });
    check(sizes.ratio === 2 && sizes.cssWidth === 1280 && sizes.cssHeight === 800 && sizes.width === 2560 && sizes.height === 1600,
          `at devicePixelRatio 2 the canvas's backing store is twice its CSS size (${JSON.stringify(sizes)})`);
    const double = (r) => ({x: 2 * r.x, y: 2 * r.y, width: 2 * r.width, height: 2 * r.height});
    const hidpiPicture = await pictureStats(hidpi.page, await capture(hidpi.page), double(kLandscape), false);
    check(hidpiPicture.width === 2560 && hidpiPicture.colours > 200, `the 2x picture is drawn (${hidpiPicture.width}x${hidpiPicture.height}, ${hidpiPicture.colours} colours in the landscape)`);
    await saveShot(hidpi.page, 'hidpi-2x.png');
    await hidpi.page.mouse.click(...kPause);  // as at 1x: the playback paused, the panel's rows stay put
    await frames(hidpi.page, 3);
    await dragLearningRate(hidpi.page);
    await saveShot(hidpi.page, 'hidpi-2x-dragged.png');
    const hidpiDragged = await sceneOf(hidpi.page);
    check(JSON.stringify(hidpiDragged.runs) !== JSON.stringify(JSON.parse(sceneBefore).runs),
          'the UI is laid out at 2x: the Adam run and its learning-rate slider are where they are at 1x in CSS pixels, and the drag changes the rate');
    check(hidpiErrors.length === 0, 'no console errors at devicePixelRatio 2' + (hidpiErrors.length ? ': ' + hidpiErrors.join(' | ') : ''));
    await hidpi.page.close();

    // 9. An SVG export (the picture field named .svg, then Ctrl+S) downloads well-formed SVG that
    // draws, and the animation dialog's export downloads a WebM that WebCodecs encoded, of the asked length.
    const exportErrors = [];
    const exporting = await openPage(browser, url, exportErrors);
    const exportPage = exporting.page;
    const exportCdp = await exportPage.createCDPSession();
    await exportCdp.send('Browser.setDownloadBehavior', {behavior: 'allow', downloadPath: downloads});
    await frames(exportPage, 10);
    await exportPage.mouse.click(...kPause);
    await frames(exportPage, 3);
    await typeInto(exportPage, kPictureField, '/optiviz.svg');
    await exportPage.mouse.click(...kExportPicture);
    const svg = path.join(downloads, 'optiviz.svg');
    for (let i = 0; i < 100 && !fs.existsSync(svg); ++i) await frames(exportPage, 1);
    check(fs.existsSync(svg), 'Export picture with picture field /optiviz.svg downloads optiviz.svg');
    if (fs.existsSync(svg)) {
      const text = fs.readFileSync(svg, 'utf8');
      const parsed = await exportPage.evaluate((text) => {
        const document = new DOMParser().parseFromString(text, 'image/svg+xml');
        return {error: document.getElementsByTagName('parsererror').length > 0, root: document.documentElement.nodeName,
                texts: document.getElementsByTagName('text').length, lines: document.querySelectorAll('polyline, polygon').length,
                pngs: [...document.getElementsByTagName('image')].filter((i) => /^data:image\/png;base64,/.test(i.getAttribute('href'))).length};
      }, text);
      check(!parsed.error && parsed.root === 'svg', `the SVG is well-formed XML (root <${parsed.root}>)`);
      check(parsed.texts > 10 && parsed.lines > 10, `the SVG keeps text and lines as vectors (${parsed.texts} <text>, ${parsed.lines} lines and polygons)`);
      check(parsed.pngs >= 1, `the heatmap is embedded in the SVG as a PNG (${parsed.pngs} <image>)`);
      const stats = await pictureStats(exportPage, 'data:image/svg+xml;base64,' + Buffer.from(text).toString('base64'));
      const dark = stats.pixels.filter((v, i) => i % 4 === 0 && v < 128).length;
      check(stats.width === 1280 && stats.colours > 20 && dark > 1000,
            `the SVG draws as an <img> (${stats.width}x${stats.height}, ${stats.colours} colours, ${dark} dark pixels)`);
      fs.copyFileSync(svg, path.join(outDir, 'exported.svg'));
    }
    await exportPage.mouse.click(...kExportAnimation);
    await frames(exportPage, 3);
    await typeInto(exportPage, kAnimationLength, '1');  // 1 s: 30 frames
    // A VideoEncoder that says 4 frames wait in it for its first 2 s (a slow encoder): the app must
    // draw no frame of the animation meanwhile (back-pressure), and goes on once there is room.
    await exportPage.evaluate(() => {
      const Real = VideoEncoder;
      window.VideoEncoder = class extends Real {
        constructor(init) {
          super(init);
          this.behindUntil = performance.now() + 2000;
        }
        get encodeQueueSize() { return performance.now() < this.behindUntil ? 4 : super.encodeQueueSize; }
      };
    });
    await exportPage.mouse.click(...kAnimationExport);
    const webm = path.join(downloads, 'optiviz.webm');
    for (let i = 0; i < 600 && !fs.existsSync(webm); ++i) await frames(exportPage, 1);
    await saveShot(exportPage, 'animation-exported.png');
    check(fs.existsSync(webm), 'the animation dialog\'s export (MP4 chosen) downloads optiviz.webm');
    const recorder = await exportPage.evaluate(() => Module.optivizRecording && Module.optivizRecording.kind);
    check(recorder === 'webcodecs', `WebCodecs' VideoEncoder made it, not the MediaRecorder fallback (${recorder})`);
    // Back-pressure: the app draws the next frame only while the encoder has fewer than 4 waiting
    // (webm.js records the most that waited when a frame came).
    const queued = await exportPage.evaluate(() => Module.optivizRecording && Module.optivizRecording.encoder.mostQueued);
    check(queued !== undefined && queued < 4, `the encoder never had 4 frames waiting when one came (at most ${queued})`);
    if (fs.existsSync(webm)) {
      const bytes = fs.readFileSync(webm);
      check(bytes.length > 1000 && bytes.subarray(0, 4).equals(Buffer.from([0x1a, 0x45, 0xdf, 0xa3])),
            `the WebM starts with the EBML magic 1A 45 DF A3 (${bytes.length} bytes)`);
      // 1 s at the dialog's 30 fps: 30 frames, frame i at i/30 s, and a duration of 1 s within a frame.
      const kFps = 30, kFrames = 30;
      let file = {error: 'unread'};
      try {
        file = readWebm(bytes);
      } catch (error) {
        file.error = String(error);
      }
      const frameTimes = file.blocks || [];
      check(frameTimes.length === kFrames && file.keyFrames >= 1 && file.firstIsKey,
            `the WebM holds ${kFrames} frames, the first a key frame (${frameTimes.length} frames, ${file.keyFrames} key frames${file.error ? ', ' + file.error : ''})`);
      check(Math.abs(file.durationSeconds - kFrames / kFps) <= 1 / kFps,
            `its Info gives the animation's duration, 1 s within one frame (${file.durationSeconds} s)`);
      check(frameTimes.every((t, i) => Math.abs(t - i / kFps) < 0.001),
            `frame i is stamped i/${kFps} s (${frameTimes.map((t) => t.toFixed(3)).join(' ')})`);
      check(/^V_VP[89]$/.test(file.codec) && file.width === 1280 && file.height === 720, `a ${file.codec} track, ${file.width}x${file.height}`);
      const video = await exportPage.evaluate(async (base64) => {
        const element = document.createElement('video');
        element.src = 'data:video/webm;base64,' + base64;
        element.muted = true;
        await new Promise((resolve, reject) => { element.onloadeddata = resolve; element.onerror = () => reject(new Error('the video does not load')); });
        const duration = element.duration;  // from the header: no seeking to the end first
        await new Promise((resolve) => { element.onseeked = resolve; element.currentTime = duration / 2; });
        const canvas = document.createElement('canvas');
        canvas.width = element.videoWidth;
        canvas.height = element.videoHeight;
        const context = canvas.getContext('2d');
        context.drawImage(element, 0, 0);
        const data = context.getImageData(0, 0, canvas.width, canvas.height).data;
        const colours = new Set();
        for (let i = 0; i < data.length; i += 4) colours.add((data[i] << 16) | (data[i + 1] << 8) | data[i + 2]);
        return {width: element.videoWidth, height: element.videoHeight, duration, colours: colours.size};
      }, bytes.toString('base64')).catch((error) => ({error: String(error)}));
      check(video.width === 1280 && video.height === 720, `Chromium plays the WebM back at 1280x720 (${JSON.stringify(video)})`);
      check(Math.abs(video.duration - kFrames / kFps) <= 1 / kFps, `Chromium finds it lasts 1 s within one frame (${video.duration} s)`);
      check(video.colours > 200, `its middle frame is a picture (${video.colours} colours)`);
      fs.copyFileSync(webm, path.join(outDir, 'exported.webm'));
    }
    // 10. Where WebCodecs is missing, the MediaRecorder fallback still records a WebM that plays.
    await exportPage.close();
    fs.rmSync(webm, {force: true});
    const fallback = await openPage(browser, url, exportErrors);
    await fallback.page.evaluate(() => { window.optivizVideoCodec = null; });  // as if the probe found no VideoEncoder
    const fallbackCdp = await fallback.page.createCDPSession();
    await fallbackCdp.send('Browser.setDownloadBehavior', {behavior: 'allow', downloadPath: downloads});
    await frames(fallback.page, 5);
    await fallback.page.mouse.click(...kPause);
    await frames(fallback.page, 3);
    await fallback.page.mouse.click(...kExportAnimation);
    await frames(fallback.page, 3);
    await typeInto(fallback.page, kAnimationLength, '1');
    await fallback.page.mouse.click(...kAnimationExport);
    for (let i = 0; i < 600 && !fs.existsSync(webm); ++i) await frames(fallback.page, 1);
    const fallbackKind = await fallback.page.evaluate(() => Module.optivizRecording && Module.optivizRecording.kind);
    const fallbackBytes = fs.existsSync(webm) ? fs.readFileSync(webm) : Buffer.alloc(0);
    check(fallbackKind === 'mediarecorder' && fallbackBytes.length > 1000 && fallbackBytes.subarray(0, 4).equals(Buffer.from([0x1a, 0x45, 0xdf, 0xa3])),
          `without a VideoEncoder, MediaRecorder makes the WebM (${fallbackKind}, ${fallbackBytes.length} bytes)`);
    check(exportErrors.length === 0, 'no console errors while exporting' + (exportErrors.length ? ': ' + exportErrors.join(' | ') : ''));
    await fallback.page.close();

    // 11. Without threads a basin map is computed between frames, in one piece (for the log only).
    const plainMap = await basinMapFrames(browser, url, JSON.parse(sceneBefore), []);
    log(`without threads: ${plainMap.framesWhileComputing} frames drawn while the basin map computed`);

    await threadedChecks(browser, JSON.parse(sceneBefore));
  } finally {
    await browser.close();
  }
}

// Which build the page runs, whether it is cross-origin isolated, and its worker pool's threads.
const runningVariant = (page) => page.evaluate(() => ({name: window.optivizVariant, isolated: self.crossOriginIsolated,
                                                         workers: Module.ccall('optiviz_worker_threads', 'number', [], [])}));

// A basin map of `scene`'s first run, large enough to take a while, opened from a #scene link at
// `address`: the frames the page draws while it is computed, and whether it finished.
async function basinMapFrames(browser, address, scene, errors) {
  const withMap = {...scene, overlays: {...(scene.overlays || {}), 'basin-map': {resolution: kBasinResolution, starts: 2}}};
  const opened = await openPage(browser, address + '#scene=' + Buffer.from(JSON.stringify(withMap)).toString('base64url'), errors);
  const result = await opened.page.evaluate(async () => {
    const computing = () => Module.ccall('optiviz_maps_computing', 'number', [], []) === 1;
    const nextFrame = () => new Promise((resolve) => requestAnimationFrame(resolve));
    for (let i = 0; i < 30 && !computing(); ++i) await nextFrame();
    const from = frames, started = performance.now();
    while (computing() && performance.now() - started < 60000) await nextFrame();
    return {framesWhileComputing: frames - from, finished: !computing(), seconds: (performance.now() - started) / 1000};
  });
  await frames(opened.page, 3);
  await saveShot(opened.page, address === url ? 'basin-map.png' : 'threads-basin-map.png');
  await opened.page.close();
  return result;
}
const kBasinResolution = 512;

// The threaded build on the cross-origin-isolated site: the page must pick it, and pass the main
// checks (no console errors, a picture, a slider drag that moves the paths, a PNG download, a
// dropped CSV, a preset); a basin map must be computed by its workers while frames keep coming.
async function threadedChecks(browser, defaultScene) {
  const errors = [];
  const downloads = path.join(outDir, 'downloads-threads');
  fs.rmSync(downloads, {recursive: true, force: true});
  fs.mkdirSync(downloads, {recursive: true});
  const {page, firstFrameMs} = await openPage(browser, isolatedUrl, errors);
  log(`threads: time to first picture: ${(firstFrameMs / 1000).toFixed(2)} s after navigation`);
  fs.writeFileSync(path.join(outDir, 'first-picture-ms-threads.txt'), `${Math.round(firstFrameMs)}\n`);
  const variant = await runningVariant(page);
  check(variant.name === 'optiviz-mt' && variant.isolated && variant.workers >= 1,
        `served cross-origin isolated, the page runs the threaded build (${JSON.stringify(variant)})`);
  await frames(page, 10);
  const first = await pictureStats(page, await capture(page), kLandscape);
  check(first.width === 1280 && first.colours > 200, `threads: the landscape is drawn (${first.colours} colours in it)`);
  await saveShot(page, 'threads-default-scene.png');
  await page.mouse.click(...kPause);
  await frames(page, 3);
  const before = await pictureStats(page, await capture(page), kLandscape);
  await dragLearningRate(page);
  await saveShot(page, 'threads-lr-dragged.png');
  const after = await pictureStats(page, await capture(page), kLandscape);
  const dragged = await sceneOf(page);
  check(JSON.stringify(dragged.runs) !== JSON.stringify(defaultScene.runs), 'threads: the drag changed the run\'s learning rate');
  const moved = changedFraction(before.pixels, after.pixels);
  check(moved > 0.002, `threads: dragging the learning-rate slider changes the paths (${(100 * moved).toFixed(2)}% of the landscape changed)`);

  const cdp = await page.createCDPSession();
  await cdp.send('Browser.setDownloadBehavior', {behavior: 'allow', downloadPath: downloads});
  await page.mouse.click(kLandscape.x + 10, kLandscape.y + kLandscape.height + 150);
  await page.keyboard.down('Control');
  await page.keyboard.press('s');
  await page.keyboard.up('Control');
  const png = path.join(downloads, 'optiviz.png');
  for (let i = 0; i < 100 && !fs.existsSync(png); ++i) await new Promise((r) => setTimeout(r, 100));
  const stats = fs.existsSync(png) ? await pictureStats(page, 'data:image/png;base64,' + fs.readFileSync(png).toString('base64')) : {colours: 0};
  check(stats.colours > 200, `threads: Ctrl+S downloads a PNG that is a picture (${stats.colours} colours)`);

  const csv = fs.readFileSync(path.join(__dirname, '../../tests/data/linear.csv'), 'utf8');
  await page.evaluate((csv) => {
    const transfer = new DataTransfer();
    transfer.items.add(new File([csv], 'points.csv', {type: 'text/csv'}));
    const canvas = document.getElementById('canvas');
    const box = canvas.getBoundingClientRect();
    canvas.dispatchEvent(new DragEvent('drop', {dataTransfer: transfer, bubbles: true, cancelable: true,
                                                clientX: box.left + 700, clientY: box.top + 300}));
  }, csv);
  await frames(page, 20);
  const dropped = await sceneOf(page);
  const withData = await pictureStats(page, await capture(page), kLandscape);
  check(JSON.stringify(dropped.surface.data || {}).includes('points.csv') && dropped.surface.name === 'mse' &&
        changedFraction(after.pixels, withData.pixels) > 0.05, `threads: the dropped CSV is the scene's data and the picture shows it (${dropped.surface.name})`);
  await saveShot(page, 'threads-csv-dropped.png');
  await page.close();

  const preset = await openPage(browser, isolatedUrl + '#preset=narrow-valley', errors);
  await frames(preset.page, 10);
  const presetStats = await pictureStats(preset.page, await capture(preset.page), kLandscape);
  check((await sceneOf(preset.page)).surface.name !== defaultScene.surface.name || changedFraction(first.pixels, presetStats.pixels) > 0.05,
        'threads: #preset=narrow-valley shows another picture');
  await saveShot(preset.page, 'threads-preset-narrow-valley.png');
  await preset.page.close();

  // Off the main thread: the page keeps drawing while the workers compute the map (without threads
  // the map is one task between two frames), and the map finishes.
  const map = await basinMapFrames(browser, isolatedUrl, defaultScene, errors);
  log(`threads: ${map.framesWhileComputing} frames drawn while the basin map computed (${map.seconds.toFixed(1)} s)`);
  check(map.finished && map.framesWhileComputing >= 10,
        `threads: a ${kBasinResolution}x${kBasinResolution} basin map is computed by the workers while the page draws frames (${JSON.stringify(map)})`);
  check(errors.length === 0, 'threads: no console errors' + (errors.length ? ': ' + errors.join(' | ') : ''));
}

// Controls, in page coordinates (the canvas starts kBar pixels down). Found on the default scene at
// 1280x800; a change of the panel's layout moves them (the checks then fail, loudly).
const kPause = [40, 57];        // the Pause button
const kAdamRun = [140, 629];   // the Adam run's row (opens its settings)
const kLrSlider = [172, 681];  // the grab of its learning-rate slider, once open
const kPictureField = [120, 711];     // the picture's file field (default scene, nothing opened)
const kExportPicture = [100, 763];    // "Export picture (Ctrl+S)"
const kExportAnimation = [259, 763];  // "Export animation..."
const kAnimationLength = [575, 470];  // the animation dialog's length (s), where it opens
const kAnimationExport = [518, 542];  // its Export button

// Drags the open Adam run's learning-rate slider 80 CSS pixels right (opening the run first unless
// open is false), one mouse event a frame: ImGui reads the pointer once a frame.
async function dragLearningRate(page, {open = true} = {}) {
  if (open) {
    await page.mouse.click(...kAdamRun);
    await frames(page, 5);
  }
  await page.mouse.move(...kLrSlider);
  await frames(page, 2);
  await page.mouse.down();
  await frames(page, 2);
  for (let step = 1; step <= 10; ++step) {
    await page.mouse.move(kLrSlider[0] + 8 * step, kLrSlider[1]);
    await frames(page, 1);
  }
  await page.mouse.up();
  await frames(page, 5);
}

// Replaces an ImGui text field's text: click it, select all, type, Enter (one event a frame).
async function typeInto(page, field, text) {
  await page.mouse.click(...field);
  await frames(page, 2);
  await page.keyboard.down('Control');
  await page.keyboard.press('a');
  await page.keyboard.up('Control');
  await frames(page, 2);
  await page.keyboard.type(text);
  await page.keyboard.press('Enter');
  await frames(page, 3);
}

main().then(() => {
  if (failures.length) {
    log(`${failures.length} check(s) failed`);
    process.exit(1);
  }
  log('all checks passed');
}, (error) => {
  console.error('test-web: ' + (error && error.stack ? error.stack : error));
  process.exit(1);
});
