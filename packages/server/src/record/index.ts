export { recorder, Recorder } from './recorder-plugin.js';
export { RecorderSink, type RecorderSinkOptions } from './recorder-sink.js';
export {
  RECORDER_DEFAULTS,
  timestampedName,
  type RecorderOptions,
  type RecordingInfo,
  type RecordingKind,
  type RecordingSummary,
} from './record-options.js';
