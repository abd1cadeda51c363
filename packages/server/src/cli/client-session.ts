import { RtmpError, type CommandError, type NetStream, type Session, type StreamRejectedError } from '@rtmpkit/core';
import { CliError } from './cli-error.js';
import { clientTransport, type ClientTransportOptions } from './client-transport.js';
import type { StreamUrl } from './stream-url.js';

/** A connected session and a stream created on it. */
export interface OpenStream {
  session: Session;
  stream: NetStream;
}

/** How long connecting (TCP/TLS/HTTP, handshake, `connect`) may take. */
const CONNECT_TIMEOUT_MS = 15_000;

/** A connection failure as one sentence that says what to check. */
export function connectProblem(error: unknown, url: StreamUrl): CliError {
  const where = `${url.host}:${url.port}`;
  const code = (error as NodeJS.ErrnoException | undefined)?.code ?? ((error as { cause?: NodeJS.ErrnoException } | undefined)?.cause?.code);
  if (code === 'ECONNREFUSED') return new CliError(`could not connect to ${where}: connection refused. Is a server listening there for ${url.scheme}://? (start one with: rtmpkit serve)`);
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN') return new CliError(`could not connect: host "${url.host}" was not found`);
  if (code === 'ECONNRESET' || code === 'EPIPE') return new CliError(`${where} closed the connection during the handshake: is it a ${url.scheme} server?`);
  if (RtmpError.isInstance(error) && error.name === 'CommandError' && (error as CommandError).statusCode === 'NetConnection.Connect.Rejected') {
    const description = typeof (error as CommandError).info?.description === 'string' ? String((error as CommandError).info!.description) : 'no reason given';
    return new CliError(`the server refused the connection to ${url.connectUrl}: ${description}`);
  }
  if ((RtmpError.isInstance(error) && error.name === 'TimeoutError') || (error as Error | undefined)?.name === 'AbortError' || code === 'ABORT_ERR') {
    return new CliError(`${where} did not answer in time: is it an RTMP server speaking ${url.scheme}://?`);
  }
  if ((error as Error | undefined)?.name === 'TlsCertificateError') {
    return new CliError(`${(error as Error).message} (for a server with a development certificate, add --insecure)`);
  }
  return new CliError(`could not connect to ${url.connectUrl}: ${(error as Error | undefined)?.message ?? String(error)}`);
}

/** A refused publish or play as one sentence. */
export function streamProblem(error: unknown, url: StreamUrl, action: 'publish' | 'play'): CliError {
  if (RtmpError.isInstance(error) && error.name === 'StreamRejectedError') {
    const rejected = error as StreamRejectedError;
    return new CliError(`the server refused to ${action} ${url.app}/${url.name}: ${rejected.statusCode}${rejected.description ? ` (${rejected.description})` : ''}`);
  }
  if (RtmpError.isInstance(error)) return new CliError(`${action} ${url.app}/${url.name} failed: ${(error as Error).message}`);
  throw error;
}

/** Connects to `url` (bounded by a timeout) and creates a stream; failures become `CliError`s. */
export async function openStream(url: StreamUrl, options: ClientTransportOptions = {}): Promise<OpenStream> {
  const transport = await clientTransport(url.scheme, options);
  let session: Session;
  try {
    session = await transport.connect(url.connectUrl, { signal: AbortSignal.timeout(CONNECT_TIMEOUT_MS) });
  } catch (error) {
    throw connectProblem(error, url);
  }
  try {
    return { session, stream: await session.createStream() };
  } catch (error) {
    await session.close().catch(() => {});
    throw new CliError(`createStream on ${url.connectUrl} failed: ${(error as Error).message}`);
  }
}
