/**
 * The dashboard's browser script (served as `/assets/dashboard.js`): polls `/api/streams` and
 * `/api/server` every 2 s, keeps one card per live stream (names are set as text, never as
 * HTML), and plays a preview with mpegts.js over the stream's HTTP-FLV URL on demand. A
 * `?token=` on the page's URL is sent on as `Authorization: Bearer`.
 */
export const DASHBOARD_SCRIPT = String.raw`'use strict';
(function () {
  var token = new URLSearchParams(location.search).get('token');
  var headers = token ? { Authorization: 'Bearer ' + token } : {};
  var list = document.getElementById('streams');
  var cards = new Map();
  var rtmpPort = 1935;

  function el(tag, className, text) {
    var node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined) node.textContent = text;
    return node;
  }
  function kbps(bits) { return (bits / 1000).toFixed(0) + ' kb/s'; }
  function duration(ms) {
    var s = Math.floor(ms / 1000), h = Math.floor(s / 3600), m = Math.floor((s % 3600) / 60);
    return (h ? h + 'h ' : '') + (h || m ? m + 'm ' : '') + (s % 60) + 's';
  }
  function facts(stream) {
    var parts = [];
    var v = stream.video, a = stream.audio;
    if (v) parts.push(v.codec + (v.width ? ' ' + v.width + 'x' + v.height : '') + (v.frameRate ? ' ' + Math.round(v.frameRate) + ' fps' : ''));
    if (a) parts.push(a.codec + (a.sampleRate ? ' ' + a.sampleRate + ' Hz' : '') + (a.channels ? ' ' + a.channels + ' ch' : ''));
    parts.push(kbps(stream.bitrate));
    var players = 0;
    for (var kind in stream.sinks) if (kind === 'rtmp' || kind === 'http-flv') players += stream.sinks[kind];
    parts.push(players + ' player' + (players === 1 ? '' : 's'));
    parts.push('up ' + duration(stream.uptimeMs));
    return parts.join(' · ');
  }

  function stopPreview(card) {
    if (card.player) { try { card.player.destroy(); } catch (e) {} card.player = null; }
    if (card.video) { card.video.remove(); card.video = null; }
    card.button.textContent = 'Preview';
  }
  function startPreview(card) {
    if (typeof mpegts === 'undefined' || !mpegts.getFeatureList().mseLivePlayback) {
      card.message.textContent = 'This browser cannot play HTTP-FLV (no Media Source Extensions).';
      return;
    }
    var video = el('video');
    video.muted = true;
    video.autoplay = true;
    video.controls = true;
    video.playsInline = true;
    card.root.appendChild(video);
    var url = card.flv + (token ? '?token=' + encodeURIComponent(token) : '');
    var player = mpegts.createPlayer({ type: 'flv', isLive: true, url: url }, { enableStashBuffer: false, liveBufferLatencyChasing: true });
    player.on(mpegts.Events.ERROR, function (type, detail) { card.message.textContent = 'Preview stopped: ' + type + ' ' + detail; });
    player.attachMediaElement(video);
    player.load();
    var playing = player.play();
    if (playing && playing.catch) playing.catch(function () {});
    card.player = player;
    card.video = video;
    card.button.textContent = 'Stop';
  }

  function cardFor(stream) {
    var key = stream.app + '/' + stream.name;
    var card = cards.get(key);
    if (card) return card;
    var root = el('section', 'stream');
    root.dataset.stream = key;
    var title = el('h2', '', key);
    var info = el('p', 'facts');
    var urls = el('p', 'urls');
    var button = el('button', 'preview', 'Preview');
    var message = el('p', 'error');
    root.append(title, info, urls, button, message);
    card = { key: key, root: root, info: info, urls: urls, button: button, message: message, flv: stream.flv, player: null, video: null };
    button.addEventListener('click', function () { if (card.player) stopPreview(card); else startPreview(card); });
    cards.set(key, card);
    list.appendChild(root);
    return card;
  }

  function render(streams) {
    var seen = new Set();
    for (var i = 0; i < streams.length; i++) {
      var stream = streams[i];
      if (!stream.live) continue;
      var card = cardFor(stream);
      seen.add(card.key);
      card.info.textContent = facts(stream);
      card.urls.textContent = 'rtmp://' + location.hostname + ':' + rtmpPort + '/' + stream.app + '/' + stream.name + '\n' + location.origin + stream.flv;
    }
    cards.forEach(function (card, key) {
      if (seen.has(key)) return;
      stopPreview(card);
      card.root.remove();
      cards.delete(key);
    });
    var empty = list.querySelector('.empty');
    if (cards.size === 0 && !empty) list.appendChild(el('p', 'empty', 'No live streams. Publish one, e.g. ffmpeg -re -i in.flv -c copy -f flv rtmp://' + location.hostname + ':' + rtmpPort + '/live/cam1'));
    else if (cards.size > 0 && empty) empty.remove();
    else if (empty && empty.textContent === 'Loading…') empty.textContent = 'No live streams.';
  }

  function get(path) {
    return fetch(path, { headers: headers, cache: 'no-store' }).then(function (response) {
      if (!response.ok) throw new Error(path + ': HTTP ' + response.status);
      return response.json();
    });
  }
  function refresh() {
    Promise.all([get('/api/streams'), get('/api/server')]).then(function (results) {
      var server = results[1];
      for (var i = 0; i < server.listeners.length; i++) {
        var l = server.listeners[i];
        if (l.scheme === 'rtmp' || l.scheme === 'rtmpe') { rtmpPort = l.port; if (l.scheme === 'rtmp') break; }
      }
      document.getElementById('server').textContent = 'version ' + server.version + ' · up ' + duration(server.uptimeMs) + ' · ' + server.sessions + ' sessions';
      render(results[0].streams);
      var stale = list.querySelector('.error.global');
      if (stale) stale.remove();
    }).catch(function (error) {
      var node = list.querySelector('.error.global') || list.appendChild(el('p', 'error global'));
      node.textContent = 'Cannot reach the API: ' + String(error.message || error);
    });
  }
  refresh();
  setInterval(refresh, 2000);
})();
`;
