/** The content type of every RTMPT request and reply body. */
export const RTMPT_CONTENT_TYPE = 'application/x-fcs';

/** Headers of every RTMPT reply (Red5's set, which Flash, librtmp and FFmpeg accept). */
export const RTMPT_REPLY_HEADERS: Readonly<Record<string, string>> = {
  'Content-Type': RTMPT_CONTENT_TYPE,
  Connection: 'Keep-Alive',
  'Cache-Control': 'no-cache',
};

/**
 * Headers of every RTMPT request (what librtmp's `HTTP_Post` and FFmpeg's `rtmphttp.c` send; the
 * user agent is configurable).
 */
export const RTMPT_REQUEST_HEADERS: Readonly<Record<string, string>> = {
  'Content-Type': RTMPT_CONTENT_TYPE,
  'Cache-Control': 'no-cache',
  Connection: 'Keep-Alive',
  Accept: '*/*',
};

/** The one-byte body of open, idle and close requests, and of the close reply. */
export const ZERO_BODY: Buffer = Buffer.of(0);

/** A polling byte of 0 tells the client the tunnel session is closed. */
export const CLOSED_POLLING_BYTE = 0;
