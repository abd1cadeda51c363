import { RtmpError, type RtmpErrorOptions } from '@rtmpkit/core';

/** A transport could not listen: `scheme`, `host` and `port` say which; the message says what to do. */
export class ServerListenError extends RtmpError {
  readonly scheme: string;
  readonly host: string | undefined;
  readonly port: number | undefined;

  constructor(scheme: string, host: string | undefined, port: number | undefined, message: string, options?: RtmpErrorOptions) {
    super(message, options, 'ERR_RTMPKIT_SERVER_LISTEN');
    this.name = 'ServerListenError';
    this.scheme = scheme;
    this.host = host;
    this.port = port;
  }
}

/** The server was used in the wrong state (`start()` twice, `start()` after `close()`). */
export class ServerStateError extends RtmpError {
  constructor(message: string, options?: RtmpErrorOptions) {
    super(message, options, 'ERR_RTMPKIT_SERVER_STATE');
    this.name = 'ServerStateError';
  }
}

/** A listen failure as a `ServerListenError` with a message that names the port and the fix. */
export function listenError(scheme: string, host: string | undefined, port: number | undefined, cause: unknown): ServerListenError {
  const code = (cause as NodeJS.ErrnoException | undefined)?.code;
  const where = `${host ?? '0.0.0.0'}:${port ?? '(default)'}`;
  let message: string;
  if (code === 'EADDRINUSE') {
    message = `${scheme}: port ${port} on ${host ?? 'all interfaces'} is already in use. Stop the program that uses it (\`ss -ltnp 'sport = :${port}'\` shows which) or give this transport another port in createServer({ transports }).`;
  } else if (code === 'EACCES') {
    message = `${scheme}: not allowed to listen on ${where}. Ports below 1024 need privileges: use a port above 1023 or grant CAP_NET_BIND_SERVICE.`;
  } else if (code === 'EADDRNOTAVAIL') {
    message = `${scheme}: ${host} is not an address of this machine. Listen on one of its addresses, or 0.0.0.0 / ::.`;
  } else {
    message = `${scheme}: could not listen on ${where}: ${(cause as Error | undefined)?.message ?? String(cause)}`;
  }
  return new ServerListenError(scheme, host, port, message, { cause });
}
