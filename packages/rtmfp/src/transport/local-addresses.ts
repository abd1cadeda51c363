import { networkInterfaces } from 'node:os';
import type { PeerAddress } from '../codec/address.js';

/**
 * The addresses a client reports with `setPeerInfo`: every interface address of the socket's
 * family (IPv6 link-local ones left out: they need a zone), with the socket's port. A socket
 * bound to one address reports just that one.
 */
export function localAddresses(bound: { address: string; port: number; family: string }): PeerAddress[] {
  const wildcard = bound.address === '0.0.0.0' || bound.address === '::';
  if (!wildcard) return [{ host: bound.address, port: bound.port, origin: 'reported' }];
  const family = bound.family === 'IPv6' ? 'IPv6' : 'IPv4';
  const addresses: PeerAddress[] = [];
  for (const list of Object.values(networkInterfaces())) {
    for (const entry of list ?? []) {
      if (entry.family !== family || entry.address.toLowerCase().startsWith('fe80:')) continue;
      addresses.push({ host: entry.address, port: bound.port, origin: 'reported' });
    }
  }
  return addresses;
}
