/**
 * AMF0 inputs taken from ffmpeg's own output, so both codecs work on what a server really sees.
 */

/**
 * The `connect` command body ffmpeg 5.1 (libavformat 59.27.100) sends when publishing to
 * rtmp://127.0.0.1:1935/live/stream. Captured from ffmpeg on a loopback socket after the
 * handshake (chunk headers removed); only the port in tcUrl was changed to 1935.
 */
export const FFMPEG_CONNECT_BODY = Buffer.from(
  '020007636f6e6e656374' + // "connect"
    '003ff0000000000000' + // transaction id 1
    '03' + // object
    '000361707002' + '00046c697665' + // app: "live"
    '0004747970650200' + '0a6e6f6e70726976617465' + // type: "nonprivate"
    '0008666c61736856657202' + '0024464d4c452f332e302028636f6d70617469626c653b204c61766635392e32372e31303029' + // flashVer
    '0005746355726c02' + '001a72746d703a2f2f3132372e302e302e313a313933352f6c697665' + // tcUrl
    '000009', // object end
  'hex',
);

/** The same command as JavaScript values, in ffmpeg's member order. */
export function connectValues(): [string, number, Record<string, string>] {
  return [
    'connect',
    1,
    {
      app: 'live',
      type: 'nonprivate',
      flashVer: 'FMLE/3.0 (compatible; Lavf59.27.100)',
      tcUrl: 'rtmp://127.0.0.1:1935/live',
    },
  ];
}
