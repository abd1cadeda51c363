export { rtmps, type RtmpsTransport, type RtmpsTransportOptions, type RtmpsConnectOptions } from './rtmps-transport.js';
export type { RtmpsListener } from './rtmps-listener.js';
export type { RtmpsClientTlsOptions } from './tls-connect.js';
export type { ServerCertificates, DevelopmentCertificateSettings } from './certificate-store.js';
export type { CertificateSource, CertificateFiles, PemCertificate } from './certificate-source.js';
export {
  createDevelopmentCertificate,
  type DevelopmentCertificate,
  type DevelopmentCertificateOptions,
} from './development-certificate.js';
export {
  loadOrCreateDevelopmentCertificate,
  defaultDevelopmentCertificateDirectory,
  type CachedDevelopmentCertificate,
  type CachedCertificateRequest,
} from './development-certificate-cache.js';
export { TlsCertificateError, TlsHandshakeError, TlsConfigurationError, type CertificateProblem } from './errors.js';
export type { RtmpsLog, RtmpsLogEntry } from './log.js';
