import { isIP } from 'node:net';
import { hostname as machineName, networkInterfaces } from 'node:os';

/** An IP address in its shortest form (`0:0:0:0:0:0:0:1` → `::1`), so lists compare and deduplicate. */
export function canonicalIp(ip: string): string {
  if (isIP(ip) !== 6) return ip;
  try {
    return new URL(`http://[${ip}]/`).hostname.slice(1, -1);
  } catch {
    return ip;
  }
}

const DNS_NAME = /^(\*\.)?[a-z0-9_]([a-z0-9_-]*[a-z0-9_])?(\.[a-z0-9_]([a-z0-9_-]*[a-z0-9_])?)*$/i;

/** True for a name a certificate can list as a DNS name (`*.` allowed as the first label). */
export function isDnsName(name: string): boolean {
  return name.length <= 253 && DNS_NAME.test(name);
}

function isWildcard(host: string): boolean {
  return host === '' || host === '0.0.0.0' || host === '::' || host === '::0';
}

/**
 * The names and addresses a listener on `bindHost` answers to, for a development certificate:
 * localhost, 127.0.0.1 and ::1 always; the bound host when it is specific; this machine's name
 * and interface addresses when it binds every interface; plus `extraHostnames`.
 */
export function servedNames(bindHost: string, extraHostnames: string[] = []): { hostnames: string[]; ips: string[] } {
  const hostnames = new Set(['localhost']);
  const ips = new Set(['127.0.0.1', '::1']);
  const add = (name: string): void => {
    if (isIP(name) !== 0) ips.add(canonicalIp(name));
    else if (isDnsName(name)) hostnames.add(name.toLowerCase());
  };
  if (isWildcard(bindHost)) {
    add(machineName());
    for (const addresses of Object.values(networkInterfaces())) {
      for (const info of addresses ?? []) add(info.address);
    }
  } else {
    add(bindHost);
  }
  for (const name of extraHostnames) add(name);
  return { hostnames: [...hostnames], ips: [...ips] };
}
