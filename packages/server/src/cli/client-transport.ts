import type { Transport, TransportScheme } from '@rtmpkit/core';
import { CliError } from './cli-error.js';

/** What the client commands can ask of a transport. */
export interface ClientTransportOptions {
  /** rtmps / rtmpts: accept any server certificate (a development certificate). */
  insecure?: boolean;
}

/** The package that speaks each scheme. */
export const SCHEME_PACKAGES: Readonly<Record<TransportScheme, string>> = {
  rtmp: '@rtmpkit/rtmp',
  rtmps: '@rtmpkit/rtmps',
  rtmpe: '@rtmpkit/rtmpe',
  rtmpt: '@rtmpkit/rtmpt',
  rtmpte: '@rtmpkit/rtmpe',
  rtmpts: '@rtmpkit/rtmpt',
  rtmfp: '@rtmpkit/rtmfp',
};

/** True when `error` says `specifier` itself could not be found (not one of its own imports). */
export function isMissingPackage(error: unknown, specifier: string): boolean {
  const { code, message } = (error ?? {}) as { code?: string; message?: string };
  return (code === 'ERR_MODULE_NOT_FOUND' || code === 'MODULE_NOT_FOUND') && typeof message === 'string' && message.includes(specifier);
}

async function load(scheme: TransportScheme, options: ClientTransportOptions): Promise<Transport> {
  const tls = options.insecure ? { insecureSkipVerify: true } : {};
  switch (scheme) {
    case 'rtmp':
      return (await import('@rtmpkit/rtmp')).rtmp();
    case 'rtmps':
      return (await import('@rtmpkit/rtmps')).rtmps(tls);
    case 'rtmpe':
      return (await import('@rtmpkit/rtmpe')).rtmpe();
    case 'rtmpte':
      return (await import('@rtmpkit/rtmpe')).rtmpte();
    case 'rtmpt':
      return (await import('@rtmpkit/rtmpt')).rtmpt();
    case 'rtmpts':
      return (await import('@rtmpkit/rtmpt')).rtmpts({ client: { tls: options.insecure ? { rejectUnauthorized: false } : undefined } });
    case 'rtmfp':
      return (await import('@rtmpkit/rtmfp')).rtmfp();
  }
}

/** The client transport for `scheme`, loaded on demand; a clear error when its package is not installed. */
export async function clientTransport(scheme: TransportScheme, options: ClientTransportOptions = {}): Promise<Transport> {
  const specifier = SCHEME_PACKAGES[scheme];
  try {
    return await load(scheme, options);
  } catch (error) {
    if (isMissingPackage(error, specifier)) throw new CliError(`${scheme}:// needs ${specifier}, which is not installed: npm install ${specifier}`);
    throw error;
  }
}
