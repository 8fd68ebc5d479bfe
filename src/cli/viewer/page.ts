/**
 * index.html of the viewer folder. Static text first (what the page is, that nothing leaves the
 * machine), so a browser that cannot run the script still shows why; the banner shows errors.
 */
const esc = (s: string): string => s.replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c]!);

export function viewerHtml(title: string): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="default-src 'self' blob: data:; script-src 'self' 'unsafe-inline' 'wasm-unsafe-eval' 'unsafe-eval'; style-src 'unsafe-inline'; connect-src 'self' blob: data:; img-src 'self' blob: data:">
<link rel="icon" href="data:,">
<title>${esc(title)}</title>
<style>
body { font: 14px system-ui, sans-serif; margin: 0; color: #222; }
header { padding: 8px 12px; background: #f3f3f3; border-bottom: 1px solid #ccc; }
h1 { font-size: 17px; margin: 0 0 4px; }
.privacy { color: #064; }
#banner { background: #fdd; color: #700; padding: 6px 12px; white-space: pre-wrap; }
main { display: grid; grid-template-columns: minmax(340px, 40%) 1fr; height: calc(100vh - 90px); }
#left { overflow: auto; padding: 8px; border-right: 1px solid #ccc; }
#drop { border: 2px dashed #999; padding: 14px; text-align: center; margin-bottom: 8px; }
#drop.over { background: #eef; }
table { border-collapse: collapse; width: 100%; font-size: 13px; }
th, td { border-bottom: 1px solid #ddd; padding: 3px 5px; text-align: left; vertical-align: top; }
th#score-head { cursor: pointer; text-decoration: underline dotted; }
tr.error td { color: #a00; }
tr.selected { background: #ffe; }
tr.ok { cursor: pointer; }
#right { display: flex; flex-direction: column; min-width: 0; }
#controls { padding: 6px 8px; border-bottom: 1px solid #ccc; display: flex; flex-wrap: wrap; gap: 12px; align-items: center; }
#viewport { flex: 1; overflow: hidden; position: relative; background: #000; cursor: grab; touch-action: none; }
#stage { position: absolute; left: 0; top: 0; transform-origin: 0 0; }
#stage canvas { position: absolute; left: 0; top: 0; image-rendering: pixelated; }
#details { padding: 4px 8px; font-size: 12px; min-height: 2.5em; }
</style>
</head>
<body>
<header>
<h1>${esc(title)}</h1>
<div class="privacy">Runs entirely in this browser, offline: the model and the image decoders are files of this folder, and no image or score leaves this machine.</div>
<div id="model">Loading the model...</div>
</header>
<div id="banner" hidden></div>
<main>
<section id="left">
<div id="drop"><div id="status">Loading the model...</div>
<label>Open files: <input id="files" type="file" multiple></label>
<div>DICOM (uncompressed, RLE, JPEG, JPEG-LS, JPEG 2000, deflated), PNG, JPEG, PGM</div></div>
<button id="csv" disabled>Download scores (CSV)</button>
<table><thead><tr><th>file</th><th>lat.</th><th>view</th><th id="score-head" title="click to sort by score">score</th><th>call</th><th>time / error</th></tr></thead><tbody id="rows"></tbody></table>
</section>
<section id="right">
<div id="controls">
<label>heatmap opacity <input id="opacity" type="range" min="0" max="100" value="45"></label>
<label>window centre <input id="centre" type="range" min="0" max="65535" value="32768"></label>
<label>width <input id="width" type="range" min="1" max="65535" value="65535"></label>
<button id="fit">fit</button>
<span>wheel: zoom, drag: pan</span>
</div>
<div id="viewport"><div id="stage"><canvas id="image"></canvas><canvas id="heat"></canvas></div></div>
<div id="details"></div>
</section>
</main>
<script src="model.js"></script>
<script src="ort-wasm.js"></script>
<script src="codecs-wasm.js"></script>
<script src="app.js"></script>
</body>
</html>
`;
}
