import { unwatchFile, watchFile, type Stats } from 'node:fs';

export interface CertificateWatcher {
  /** Watches these files from now on (replacing the previous list). */
  watch(files: string[]): void;
  close(): void;
}

/**
 * Polls `files` every `intervalMs` (polling also sees a file replaced by rename, as certbot and
 * Kubernetes secrets do) and calls `onChange` once things have been quiet for `settleMs`, so a
 * certificate and key written one after the other cause one reload.
 */
export function watchCertificateFiles(onChange: () => void, options: { intervalMs: number; settleMs?: number }): CertificateWatcher {
  const settleMs = options.settleMs ?? Math.min(500, options.intervalMs);
  let watched: string[] = [];
  let timer: ReturnType<typeof setTimeout> | undefined;
  const changed = (current: Stats, previous: Stats): void => {
    if (current.mtimeMs === previous.mtimeMs && current.ino === previous.ino && current.size === previous.size) return;
    clearTimeout(timer);
    timer = setTimeout(onChange, settleMs);
    timer.unref();
  };
  const stop = (): void => {
    for (const file of watched) unwatchFile(file, changed);
    watched = [];
  };
  return {
    watch(files) {
      stop();
      watched = [...files];
      for (const file of watched) watchFile(file, { interval: options.intervalMs, persistent: false }, changed);
    },
    close() {
      stop();
      clearTimeout(timer);
    },
  };
}
