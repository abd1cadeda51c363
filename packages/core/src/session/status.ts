import type { AmfValue } from '../amf/amf-value.js';
import type { StatusInfo } from './session-types.js';

/** The status codes the session itself sends or reacts to (fact sheet §4.6). */
export const StatusCode = {
  ConnectSuccess: 'NetConnection.Connect.Success',
  ConnectRejected: 'NetConnection.Connect.Rejected',
  ConnectClosed: 'NetConnection.Connect.Closed',
  CallFailed: 'NetConnection.Call.Failed',
  PublishStart: 'NetStream.Publish.Start',
  PublishBadName: 'NetStream.Publish.BadName',
  PublishDenied: 'NetStream.Publish.Denied',
  UnpublishSuccess: 'NetStream.Unpublish.Success',
  PlayStart: 'NetStream.Play.Start',
  PlayReset: 'NetStream.Play.Reset',
  PlayStop: 'NetStream.Play.Stop',
  PlayFailed: 'NetStream.Play.Failed',
  PlayStreamNotFound: 'NetStream.Play.StreamNotFound',
  PlayTransition: 'NetStream.Play.Transition',
  PauseNotify: 'NetStream.Pause.Notify',
  UnpauseNotify: 'NetStream.Unpause.Notify',
  PauseFailed: 'NetStream.Pause.Failed',
  SeekNotify: 'NetStream.Seek.Notify',
  SeekFailed: 'NetStream.Seek.Failed',
} as const;

/** Builds an info object. */
export function statusInfo(
  level: StatusInfo['level'],
  code: string,
  description?: string,
  extra: Record<string, AmfValue> = {},
): StatusInfo {
  const info: StatusInfo = { level, code };
  if (description !== undefined) info.description = description;
  return Object.assign(info, extra);
}

/** Reads an info object off the wire: anything with a string `code` (a missing level counts as "status"). */
export function asStatusInfo(value: AmfValue): StatusInfo | undefined {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return undefined;
  const record = value as Record<string, AmfValue>;
  if (typeof record.code !== 'string') return undefined;
  const level = record.level === 'error' || record.level === 'warning' ? record.level : 'status';
  return { ...record, level, code: record.code } as StatusInfo;
}

/** The info object of an `onStatus` command: the first object argument (some servers put it in the command object). */
export function statusOfCommand(commandObject: AmfValue, args: readonly AmfValue[]): StatusInfo | undefined {
  for (const value of [...args, commandObject] as AmfValue[]) {
    const info = asStatusInfo(value);
    if (info) return info;
  }
  return undefined;
}
