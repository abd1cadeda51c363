/**
 * The dashboard's HTML: a list of live streams filled in by `/assets/dashboard.js` from
 * `/api/streams`, each with a preview played by mpegts.js over HTTP-FLV. No inline script
 * (the page is served with a strict Content-Security-Policy).
 */
export function dashboardPage(version: string): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>rtmpkit</title>
<style>
  body { font: 14px/1.4 system-ui, sans-serif; margin: 0; background: #f4f5f7; color: #1d2330; }
  header { background: #1d2330; color: #fff; padding: 12px 20px; display: flex; gap: 16px; align-items: baseline; }
  header h1 { font-size: 18px; margin: 0; }
  header span { opacity: .75; }
  main { padding: 20px; display: grid; gap: 16px; grid-template-columns: repeat(auto-fill, minmax(340px, 1fr)); }
  .stream { background: #fff; border-radius: 8px; padding: 14px; box-shadow: 0 1px 3px rgba(0,0,0,.12); }
  .stream h2 { font-size: 16px; margin: 0 0 6px; word-break: break-all; }
  .facts { color: #4a5161; margin: 0 0 8px; }
  .urls { font: 12px ui-monospace, monospace; word-break: break-all; white-space: pre-line; color: #4a5161; }
  video { width: 100%; background: #000; border-radius: 4px; margin-top: 8px; aspect-ratio: 16 / 9; }
  button { font: inherit; padding: 4px 12px; border-radius: 4px; border: 1px solid #8a93a6; background: #fff; cursor: pointer; }
  .empty, .error { grid-column: 1 / -1; color: #4a5161; }
  .error { color: #a1261b; }
</style>
</head>
<body>
<header><h1>rtmpkit</h1><span id="server">version ${version.replace(/[^0-9A-Za-z.+-]/g, '')}</span></header>
<main id="streams"><p class="empty">Loading…</p></main>
<script src="/assets/mpegts.js"></script>
<script src="/assets/dashboard.js"></script>
</body>
</html>
`;
}

/** The Content-Security-Policy of the dashboard: own scripts only, media from MSE blobs. */
export const DASHBOARD_CSP =
  "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; media-src 'self' blob:; worker-src 'self' blob:; img-src 'self' data:; connect-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'";
