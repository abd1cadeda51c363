import type { AmfValue } from '../../amf/amf-value.js';

/** Shared-object event types (RTMP spec §7.1.3). */
export const SharedObjectEventType = {
  /** Client → server: start using the named shared object. No data. */
  Use: 1,
  /** Client → server: stop using it. No data. */
  Release: 2,
  /** Client → server: please set these properties. Data: [name, value]… */
  RequestChange: 3,
  /** Server → client: these properties changed. Data: [name, value]… */
  Change: 4,
  /** Server → client: your RequestChange of this property was accepted. Data: the name. */
  Success: 5,
  /** Either way: call a handler on every client. Data: AMF values (handler name first). */
  SendMessage: 6,
  /** Server → client: an error or warning. Data: code, then level. */
  Status: 7,
  /** Server → client: drop all properties (also sent on connecting). No data. */
  Clear: 8,
  /** Server → client: this property was deleted. Data: the name. */
  Remove: 9,
  /** Client → server: please delete this property. Data: the name. */
  RequestRemove: 10,
  /** Server → client: the Use succeeded. No data. */
  UseSuccess: 11,
} as const;

/** One of the `SharedObjectEventType` values. */
export type SharedObjectEventType = (typeof SharedObjectEventType)[keyof typeof SharedObjectEventType];

/** A property name and value as Change and RequestChange carry them (name as a bare UTF-8 string, value as AMF). */
export interface SharedObjectProperty {
  name: string;
  value: AmfValue;
}

/** Events that carry no data. */
export interface SharedObjectBareEvent {
  kind: 'Use' | 'Release' | 'Clear' | 'UseSuccess';
}

/** Change (server) or RequestChange (client): one or more properties. */
export interface SharedObjectChangeEvent {
  kind: 'Change' | 'RequestChange';
  properties: SharedObjectProperty[];
}

/** Success, Remove or RequestRemove: one property name. */
export interface SharedObjectNameEvent {
  kind: 'Success' | 'Remove' | 'RequestRemove';
  name: string;
}

/** SendMessage: AMF values, the handler name first (as a marked AMF string). */
export interface SharedObjectSendMessageEvent {
  kind: 'SendMessage';
  values: AmfValue[];
}

/** Status: a code (e.g. `SharedObject.BadPersistence`) and a level (`error`, `warning`). */
export interface SharedObjectStatusEvent {
  kind: 'Status';
  code: string;
  level: string;
}

/** An event type this codec does not know, with its raw data (a view when decoded). */
export interface SharedObjectUnknownEvent {
  kind: 'Unknown';
  type: number;
  data: Uint8Array;
}

/** One shared-object event, discriminated on `kind` (a `SharedObjectEventType` key, or `'Unknown'`). */
export type SharedObjectEvent =
  | SharedObjectBareEvent
  | SharedObjectChangeEvent
  | SharedObjectNameEvent
  | SharedObjectSendMessageEvent
  | SharedObjectStatusEvent
  | SharedObjectUnknownEvent;

/**
 * A shared-object message (type 19, or 16 for AMF3): `name (UTF-8 with U16 length) · version UI32 ·
 * flags (8 bytes) · events [type UI8 · length UI32 · data]…`.
 */
export interface SharedObjectMessage {
  /** The shared object's name. */
  name: string;
  /** The version the change applies to (UI32). */
  version: number;
  /**
   * Persistent shared object: the first flag word is non-zero (Red5 writes 2 for persistent and 0
   * otherwise; no other value is documented).
   */
  persistent: boolean;
  /**
   * The raw 8 flag bytes (a view when decoded). When given to the encoder they are written as they
   * are and `persistent` is not used; leave them out to write `persistent ? 2 : 0` and 4 zero bytes.
   */
  flags?: Uint8Array;
  events: SharedObjectEvent[];
}
