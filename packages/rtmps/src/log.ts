/** One thing the RTMPS listener wants an operator to know. */
export interface RtmpsLogEntry {
  level: 'info' | 'warn' | 'error';
  message: string;
  /** Files, names, dates: what a structured logger should keep as fields. */
  details?: Record<string, unknown>;
}

/**
 * Receives what the listener has to say (the development certificate it made or reused, reloads,
 * certificates near expiry). With pino: `log: ({ level, message, details }) => logger[level](details ?? {}, message)`.
 */
export type RtmpsLog = (entry: RtmpsLogEntry) => void;
