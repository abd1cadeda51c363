import { statusInfo, type StatusInfo } from '@rtmpkit/core';
import type { Publication } from '../live/publication.js';

/**
 * A publication that can pass an `onStatus` to its publisher. `Publication` does not offer this
 * yet; when the server adds `notify(info)` (forwarded to the publishing NetStream's
 * `sendStatus`), `NetStream.Record.*` statuses reach the publisher; until then they are skipped.
 */
interface NotifyingPublication {
  notify(info: StatusInfo): unknown;
}

function canNotify(publication: Publication | undefined): publication is Publication & NotifyingPublication {
  return typeof (publication as Partial<NotifyingPublication> | undefined)?.notify === 'function';
}

/** Sends `NetStream.Record.<what>` to the publisher of `publication`; false when it cannot be told. */
export function tellPublisher(publication: Publication | undefined, what: 'Start' | 'Stop' | 'Failed' | 'NoAccess', name: string, description: string): boolean {
  if (!canNotify(publication)) return false;
  const level = what === 'Start' || what === 'Stop' ? 'status' : 'error';
  try {
    publication.notify(statusInfo(level, `NetStream.Record.${what}`, description, { details: name }));
    return true;
  } catch {
    return false; // the publisher is gone
  }
}
