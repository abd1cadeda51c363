/** `rtmpkit --help`. */
export const MAIN_USAGE = `rtmpkit — RTMP media server and tools (RTMP, RTMPE, RTMPS, RTMPT/RTMPTE, RTMFP, HTTP-FLV)

Usage:
  rtmpkit serve [options]                 run the media server (every transport, default ports)
  rtmpkit publish <file.flv|-> <url>      publish an FLV file (or stdin) live, paced in real time
  rtmpkit play <url> [-o file.flv]        play a stream into an FLV file (or stdout)
  rtmpkit probe <url>                     print a stream's metadata and codecs
  rtmpkit <command> --help                options of a command
  rtmpkit --version

URLs name the stream as the last path segment: rtmp://127.0.0.1:1935/live/cam1
(schemes: rtmp, rtmpe, rtmps, rtmpt, rtmpte, rtmpts, rtmfp).
`;

/** `rtmpkit serve --help`. */
export const SERVE_USAGE = `Usage: rtmpkit serve [options]

Runs the media server with every transport whose package is installed, on these defaults:
  1935/tcp  RTMP and RTMPE (one port; RTMPE needs @rtmpkit/rtmpe)
  1936/tcp  RTMPS (TLS; a development certificate is made when none is given)
  1935/udp  RTMFP
  8080/tcp  HTTP: HTTP-FLV (/<app>/<stream>.flv), JSON API (/api/...), /metrics,
            dashboard (/), RTMPT and RTMPTE tunnels
Ports below 1024 (443 for RTMPS, 80 for RTMPT) need root or CAP_NET_BIND_SERVICE.

Options (flags override the config file):
  -c, --config <file>       JSON config file (keys as below, in camelCase: see README)
      --host <address>      interface for every transport (default 0.0.0.0)
      --rtmp-port <n>       RTMP/RTMPE port (default 1935)
      --rtmps-port <n>      RTMPS port (default 1936)
      --rtmfp-port <n>      RTMFP UDP port (default 1935)
      --http-port <n>       HTTP port (default 8080)
      --no-rtmp, --no-rtmpe, --no-rtmps, --no-rtmfp, --no-http, --no-tunnel
                            turn a transport off (--no-rtmpe keeps plain RTMP)
      --tls-cert <file>     RTMPS certificate chain (PEM); with --tls-key
      --tls-key <file>      RTMPS private key (PEM)
      --media-dir <dir>     serve FLV files for playback: <dir>/<app>/<name>.flv
      --record-dir <dir>    record publishes of type record/append to <dir>/<app>/<name>.flv
      --record-all          also record every live publish into --record-dir
      --secret <secret>     require signed URLs (?exp=&sig=) to publish and play
                            (or RTMPKIT_SECRET in the environment)
      --sign <what>         which need a signature: publish,play (default), publish or play
      --api-token <token>   require "Authorization: Bearer <token>" for /api and /metrics
                            (or RTMPKIT_API_TOKEN)
      --app <name>          allow only this application (repeat for more; default any)
      --log-level <level>   fatal, error, warn, info (default), debug, trace, silent
      --max-sessions <n>    connections served at once, every transport together
                            (default 1000; more are refused "The server is full.")
      --max-sinks-per-stream <n>
                            players (and recorders, relays) of one live stream
                            (default 1000)
  -h, --help
`;

/** `rtmpkit publish --help`. */
export const PUBLISH_USAGE = `Usage: rtmpkit publish <file.flv|-> <url> [options]

Publishes an FLV file ("-" reads FLV from stdin) to <url> live, paced in real time, e.g.
  rtmpkit publish in.flv rtmp://127.0.0.1:1935/live/cam1
Shows time and bitrate on stderr when it is a terminal.

Options:
      --loop                publish the file again and again (not with stdin)
      --insecure            rtmps/rtmpts: accept any server certificate (development)
  -h, --help
`;

/** `rtmpkit play --help`. */
export const PLAY_USAGE = `Usage: rtmpkit play <url> [options]

Plays <url> and writes FLV to a file or to stdout (when stdout is not a terminal), e.g.
  rtmpkit play rtmp://127.0.0.1:1935/live/cam1 -o cam1.flv
  rtmpkit play rtmp://127.0.0.1:1935/live/cam1 | ffplay -
It ends when the publisher leaves, after --duration, or on Ctrl-C (the file stays valid).

Options:
  -o, --output <file.flv>   where to write (default: stdout)
  -t, --duration <seconds>  stop after this long
      --insecure            rtmps/rtmpts: accept any server certificate (development)
  -h, --help
`;

/** `rtmpkit probe --help`. */
export const PROBE_USAGE = `Usage: rtmpkit probe <url> [options]

Plays <url> briefly and prints its metadata and codecs, e.g.
  rtmpkit probe rtmp://127.0.0.1:1935/live/cam1

Options:
      --timeout <seconds>   give up after this long without media (default 10)
      --json                print JSON
      --insecure            rtmps/rtmpts: accept any server certificate (development)
  -h, --help
`;
