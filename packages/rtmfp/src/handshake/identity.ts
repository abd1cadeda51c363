import { decodeCertificate, encodeCertificate, type FlashCertificate } from '../crypto/certificate.js';
import { dhGroup, SUPPORTED_DH_GROUPS } from '../crypto/dh-group.js';
import { generateDhKeyPair, type DhKeyPair } from '../crypto/dh.js';
import { secureRandom, type RandomSource } from '../crypto/random.js';

/**
 * An endpoint's handshake identity: its certificate and, for static-key endpoints, the key
 * pairs the certificate publishes. Reuse one identity for many sessions: with static keys the
 * fingerprint (peer id) stays the same, as Flash Player's does for the life of the process.
 */
export interface RtmfpIdentity {
  /** The certificate bytes sent in RHello (responder) or IIKeying (initiator). */
  readonly certificate: Buffer;
  /** The certificate decoded; `fingerprint` is this endpoint's peer id. */
  readonly decoded: FlashCertificate;
  /** The DH groups this endpoint will use, preferred first. */
  readonly groups: readonly number[];
  /** Static key pairs by group; empty for an ephemeral-key identity. */
  readonly staticKeys: ReadonlyMap<number, DhKeyPair>;
}

/** How to make an identity. */
export interface IdentityOptions {
  /** Static keys bind the peer id to the key (RFC 7425 §7: clients); ephemeral keys give forward secrecy (servers). */
  readonly keys: 'static' | 'ephemeral';
  /** Groups, preferred first; each must be 2 or 14. */
  readonly groups: readonly number[];
  readonly hostname?: string;
  /** Servers set it so that an EPD may carry the connection URI. */
  readonly acceptsAncillaryData?: boolean;
  /** 64 bytes of extra randomness in the certificate; default true for ephemeral identities (their certificate is otherwise the same for everyone). */
  readonly extraRandomness?: boolean;
  readonly random?: RandomSource;
}

/** Builds an identity, generating static keys when asked for them. */
export function createIdentity(options: IdentityOptions): RtmfpIdentity {
  const random = options.random ?? secureRandom;
  if (options.groups.length === 0) throw new RangeError('an identity needs at least one DH group');
  const groups = options.groups.map((id) => {
    const group = dhGroup(id);
    if (!group) throw new RangeError(`DH group ${id} is not supported; use ${SUPPORTED_DH_GROUPS.join(' or ')}`);
    return group;
  });
  const staticKeys = new Map<number, DhKeyPair>();
  if (options.keys === 'static') for (const group of groups) staticKeys.set(group.id, generateDhKeyPair(group, random));
  const withRandomness = options.extraRandomness ?? options.keys === 'ephemeral';
  const certificate = encodeCertificate({
    hostname: options.hostname,
    acceptsAncillaryData: options.acceptsAncillaryData,
    extraRandomness: withRandomness ? random(64) : undefined,
    ...(options.keys === 'static'
      ? { staticKeys: [...staticKeys.values()].map((pair) => ({ group: pair.group.id, publicKey: pair.publicKey })) }
      : { ephemeralGroups: options.groups }),
  });
  return { certificate, decoded: decodeCertificate(certificate), groups: [...options.groups], staticKeys };
}

/**
 * A client identity shaped like Flash Player's: one static group 2 key and nothing else, so the
 * certificate is exactly `81 02 1d 02 <128-byte key>` and the peer id is SHA-256 of those 132
 * bytes. Flash-era servers (Cumulus, MonaServer, go-rtmfp) accept nothing else.
 */
export function flashClientIdentity(random: RandomSource = secureRandom): RtmfpIdentity {
  return createIdentity({ keys: 'static', groups: [2], extraRandomness: false, random });
}

/**
 * A server identity: ephemeral keys in groups 14 and 2, accepting ancillary data (URIs), with 64
 * bytes of extra randomness: `01 0a | 41 0e <64> | 02 15 0e | 02 15 02`.
 */
export function serverIdentity(options: { random?: RandomSource; groups?: readonly number[]; hostname?: string } = {}): RtmfpIdentity {
  return createIdentity({
    keys: 'ephemeral',
    groups: options.groups ?? SUPPORTED_DH_GROUPS,
    acceptsAncillaryData: true,
    hostname: options.hostname,
    random: options.random,
  });
}
