import type { SecureContext, SecureContextOptions } from 'node:tls';
import { filesOf, loadCertificate, type CertificateSource, type LoadedCertificate } from './certificate-source.js';
import { loadOrCreateDevelopmentCertificate } from './development-certificate-cache.js';
import { TlsConfigurationError } from './errors.js';
import type { RtmpsLog } from './log.js';
import { servedNames } from './served-names.js';
import { serverNameMatches } from './sni-match.js';

/** The certificates a listener serves: a default, and others by SNI host name. */
export interface ServerCertificates {
  /** For clients that send no SNI name, or one that `sni` does not list. Default: a development certificate. */
  certificate?: CertificateSource;
  /** Host name (or `*.example.com`) → certificate, picked by the name the client sends (SNI). */
  sni?: Record<string, CertificateSource>;
}

/** Where and for what the development certificate is made, when no `certificate` is configured. */
export interface DevelopmentCertificateSettings {
  /** Where it is cached. Default `$XDG_CACHE_HOME/rtmpkit` or `~/.cache/rtmpkit`. */
  directory?: string;
  /** Host names it lists besides localhost, the bound host and (binding every interface) this machine's name and addresses. */
  hostnames?: string[];
  /** Validity of a new one. Default 90 days; it is renewed when less than 7 days are left. */
  days?: number;
}

export interface CertificateStoreSettings {
  /** Context options every certificate gets (minVersion...). */
  contextOptions: SecureContextOptions;
  /** Settings for the development certificate, or false to require `certificate`. */
  development: DevelopmentCertificateSettings | false;
  /** The listener's host, for the development certificate's names. */
  bindHost: string;
  log?: RtmpsLog;
}

const WARN_DAYS = 14;
const DAY_MS = 24 * 60 * 60 * 1000;

/**
 * Holds the loaded certificates and picks one per connection (SNI). `reload()` loads everything
 * first and swaps only when all of it loaded, so a bad file leaves the served certificates as
 * they were.
 */
export class CertificateStore {
  private fallback!: LoadedCertificate;
  private named: Array<{ pattern: string; certificate: LoadedCertificate }> = [];

  private constructor(
    private config: ServerCertificates,
    private readonly settings: CertificateStoreSettings,
  ) {}

  /** Loads `config` (making or reusing a development certificate if there is no default). */
  static async open(config: ServerCertificates, settings: CertificateStoreSettings): Promise<CertificateStore> {
    const store = new CertificateStore(config, settings);
    await store.reload();
    return store;
  }

  /** The default certificate's options, for `tls.Server#setSecureContext`. */
  get defaultOptions(): SecureContextOptions {
    return this.fallback.options;
  }

  /** The certificate files to watch (none for in-memory ones or the development certificate). */
  files(): string[] {
    const sources = [this.config.certificate, ...Object.values(this.config.sni ?? {})].filter((s): s is CertificateSource => s !== undefined);
    return [...new Set(sources.flatMap(filesOf))];
  }

  /** Which context serves `servername` (undefined: the default one). */
  contextFor(servername: string): SecureContext | undefined {
    return this.named.find(({ pattern }) => serverNameMatches(pattern, servername))?.certificate.context;
  }

  /** `SNICallback` for `tls.createServer`. */
  readonly sniCallback = (servername: string, callback: (error: Error | null, context?: SecureContext) => void): void => {
    callback(null, this.contextFor(servername));
  };

  /** Loads again (files are read anew; `update` replaces the configuration) and swaps when all of it loaded. */
  async reload(update?: ServerCertificates): Promise<void> {
    const config = update ?? this.config;
    const { contextOptions } = this.settings;
    const named = await Promise.all(
      Object.entries(config.sni ?? {}).map(async ([pattern, source]) => ({ pattern, certificate: await loadCertificate(source, contextOptions) })),
    );
    const fallback = config.certificate ? await loadCertificate(config.certificate, contextOptions) : await this.development();
    for (const certificate of [fallback, ...named.map((entry) => entry.certificate)]) this.warnAboutExpiry(certificate);
    this.config = config;
    this.fallback = fallback;
    this.named = named;
  }

  private async development(): Promise<LoadedCertificate> {
    const { development, bindHost, log } = this.settings;
    if (development === false) {
      throw new TlsConfigurationError('no certificate configured and developmentCertificate is false: give `certificate: { certFile, keyFile }`');
    }
    const names = servedNames(bindHost, development.hostnames);
    const made = await loadOrCreateDevelopmentCertificate({ directory: development.directory, days: development.days, ...names });
    const loaded = await loadCertificate({ cert: made.cert, key: made.key }, this.settings.contextOptions);
    const details = { certFile: made.certFile, keyFile: made.keyFile, notAfter: made.notAfter.toISOString(), hostnames: made.hostnames, ips: made.ips };
    const what = made.createdBecause ? `made a new self-signed development certificate (${made.createdBecause})` : 'reusing the cached self-signed development certificate';
    log?.({
      level: 'warn',
      message:
        `rtmps: no certificate configured; ${what} at ${made.certFile}, valid until ${made.notAfter.toISOString()} for ${[...made.hostnames, ...made.ips].join(', ')}. ` +
        'Clients must trust that file (`ca`, or ffmpeg -ca_file) or skip verification; configure `certificate` for production.',
      details,
    });
    return { ...loaded, label: `development certificate ${made.certFile}` };
  }

  private warnAboutExpiry(certificate: LoadedCertificate): void {
    const notAfter = new Date(certificate.x509.validTo);
    const left = notAfter.getTime() - Date.now();
    if (left > WARN_DAYS * DAY_MS) return;
    this.settings.log?.({
      level: left <= 0 ? 'error' : 'warn',
      message:
        left <= 0
          ? `rtmps: ${certificate.label} expired on ${notAfter.toISOString()}: clients that verify certificates will refuse it; renew it and reload`
          : `rtmps: ${certificate.label} expires on ${notAfter.toISOString()}: renew it and reload`,
      details: { certificate: certificate.label, notAfter: notAfter.toISOString() },
    });
  }
}
