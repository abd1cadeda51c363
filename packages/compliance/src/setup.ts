import type { Listener, ListenOptions, Transport } from '@rtmpkit/core';

/** How a transport package plugs into the compliance suite. */
export interface ComplianceSetup {
  /** Shown in the suite's title, e.g. "rtmp over IPv4". */
  name: string;
  /** The transport the listener side uses. */
  server(): Transport;
  /** The transport the client side uses (often the same factory as `server`). */
  client(): Transport;
  /** Passed to `listen` (default `{ host: '127.0.0.1', port: 0 }`). */
  listenOptions?: ListenOptions;
  /** The URL a client uses to reach application `app` on `listener`. */
  url(listener: Listener, app: string): string;
  /**
   * Opens a raw connection to the listener (below RTMP), writes `bytes`, optionally ends it
   * abruptly, and resolves when the server has closed it. Without it the garbage tests skip.
   */
  sendRaw?(listener: Listener, bytes: Buffer, options?: { hangUp?: boolean }): Promise<void>;
}
