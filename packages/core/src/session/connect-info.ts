import type { AmfObject, AmfValue } from '../amf/amf-value.js';
import type { ConnectInfo } from './session-types.js';

/**
 * The connect command object a client sends: what FFmpeg and librtmp send when playing (and
 * `type: "nonprivate"`, which they add when publishing; servers ignore what they do not need).
 * `options.command` is laid over it; a property set to `undefined` there is left out.
 */
export function buildConnectCommand(
  app: string,
  tcUrl: string,
  objectEncoding: 0 | 3,
  command: Record<string, AmfValue> = {},
): AmfObject {
  const merged: Record<string, AmfValue> = {
    app,
    type: 'nonprivate',
    flashVer: 'LNX 9,0,124,2',
    tcUrl,
    fpad: false,
    capabilities: 15,
    audioCodecs: 4071,
    videoCodecs: 252,
    videoFunction: 1,
    objectEncoding,
    ...command,
  };
  for (const key of Object.keys(merged)) if (merged[key] === undefined) delete merged[key];
  return merged as AmfObject;
}

function stringField(object: Record<string, AmfValue>, key: string): string | undefined {
  const value = object[key];
  return typeof value === 'string' ? value : undefined;
}

function numberMap(value: AmfValue): Record<string, number> | undefined {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return undefined;
  const map: Record<string, number> = {};
  for (const [key, entry] of Object.entries(value as Record<string, AmfValue>)) {
    if (typeof entry === 'number') map[key] = entry;
  }
  return map;
}

/** Reads `ConnectInfo` from a connect command (lenient: wrong types count as absent). */
export function parseConnectInfo(commandObject: AmfValue, args: AmfValue[]): ConnectInfo {
  const command = (typeof commandObject === 'object' && commandObject !== null && !Array.isArray(commandObject)
    ? commandObject
    : {}) as AmfObject;
  const info: ConnectInfo = {
    app: stringField(command, 'app') ?? '',
    tcUrl: stringField(command, 'tcUrl') ?? '',
    objectEncoding: command.objectEncoding === 3 ? 3 : 0,
    command,
    args,
  };
  for (const key of ['flashVer', 'swfUrl', 'pageUrl'] as const) {
    const value = stringField(command, key);
    if (value !== undefined) info[key] = value;
  }
  if (Array.isArray(command.fourCcList)) {
    info.fourCcList = (command.fourCcList as AmfValue[]).filter((item): item is string => typeof item === 'string');
  }
  const video = numberMap(command.videoFourCcInfoMap);
  if (video) info.videoFourCcInfoMap = video;
  const audio = numberMap(command.audioFourCcInfoMap);
  if (audio) info.audioFourCcInfoMap = audio;
  if (typeof command.capsEx === 'number') info.capsEx = command.capsEx;
  return info;
}
