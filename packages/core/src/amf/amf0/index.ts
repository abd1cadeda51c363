/** AMF0 codec (AMF0 spec, with the AVM+ switch to AMF3) for RTMP command and data bodies. */
export { Amf0Marker, AMF0_MAX_SHORT_STRING_BYTES, AMF0_MAX_REFERENCE_INDEX } from './markers.js';
export { AMF0_DEFAULT_MAX_DEPTH } from './limits.js';
export { createAmf0DecodeContext, type Amf0DecodeOptions, type Amf0DecodeContext } from './decode-context.js';
export { createAmf0EncodeContext, type Amf0EncodeOptions, type Amf0EncodeContext } from './encode-context.js';
export { readAmf0 } from './read-amf0.js';
export { writeAmf0 } from './write-amf0.js';
export { decodeAmf0Values, decodeAmf0 } from './decode-amf0.js';
export { encodeAmf0Values, encodeAmf0 } from './encode-amf0.js';
