/**
 * The offline guarantee, enforced inside the process: once installed, every outbound network
 * attempt made through Node's JavaScript APIs fails at once with a `NetworkBlockedError`
 * (code `E_NETWORK_BLOCKED`) that names the API and the `host:port` it tried to reach.
 *
 *   caller ──► fetch / WebSocket / EventSource ─────────────┐
 *          ──► http(s).request/get, Agent.createConnection ─┤
 *          ──► http2.connect, tls.connect ─────────────────┤   refused here, before any packet,
 *          ──► net.connect / createConnection ─────────────┼─► with E_NETWORK_BLOCKED naming
 *          ──► net.Socket.prototype.connect (catch-all) ───┤   the API and host:port
 *          ──► dns.lookup/resolve*, dns.promises, Resolver ┤
 *          ──► dgram Socket.send/connect ──────────────────┘
 *
 * Local IPC stays open: `net` connections to a unix socket or Windows named pipe (`{ path }`),
 * `http.request({ socketPath })`, and `fetch` of `data:`/`blob:`/`file:` URLs. Servers may still
 * listen (that is not outbound). Loopback TCP (localhost, 127.0.0.0/8, ::1) is refused too unless
 * `allowLoopback` is set.
 *
 * The CLI installs the guard at start-up. The library does not install it on import: a caller who
 * wants the same guarantee opts in with
 *
 * ```ts
 * import { installNetworkGuard } from 'privsynth';
 * installNetworkGuard();               // whole process, until uninstallNetworkGuard()
 * ```
 *
 * What this is and is not: a tripwire against accidental network use by privsynth or one of its
 * JavaScript dependencies (a telemetry ping, a model download, a CDN fetch). It is not a sandbox:
 * native code (DuckDB, onnxruntime, llama.cpp) opens sockets without going through these APIs,
 * worker threads have their own copies of the modules, and code that kept a reference to an API
 * before the guard was installed, or that uses `process.binding`, is not covered. For a hard
 * guarantee run privsynth in a process without a network (e.g. `unshare -rn privsynth ...`, or
 * a container with `--network none`); the test suite does exactly that.
 *
 * Errors are thrown synchronously by call-style APIs (so no handle is ever created) and returned as
 * rejections by promise APIs (`fetch`, `dns.promises.*`).
 */
import { createRequire, syncBuiltinESMExports } from 'node:module';
import { isIP } from 'node:net';
import type * as NetNs from 'node:net';
import type * as TlsNs from 'node:tls';
import type * as HttpNs from 'node:http';
import type * as HttpsNs from 'node:https';
import type * as Http2Ns from 'node:http2';
import type * as DnsNs from 'node:dns';
import type * as DgramNs from 'node:dgram';
import { PrivsynthError } from '../errors.js';

// The CommonJS module objects: the ones Node's own modules and most libraries read at call time.
const require = createRequire(import.meta.url);
const net = require('node:net') as typeof NetNs;
const tls = require('node:tls') as typeof TlsNs;
const http = require('node:http') as typeof HttpNs;
const https = require('node:https') as typeof HttpsNs;
const http2 = require('node:http2') as typeof Http2Ns;
const dns = require('node:dns') as typeof DnsNs;
const dgram = require('node:dgram') as typeof DgramNs;

/** A refused network attempt. `api` is the function that was called, `target` is `host:port` (or a URL). */
export class NetworkBlockedError extends PrivsynthError {
  readonly api: string;
  readonly target: string;
  constructor(api: string, target: string) {
    super('E_NETWORK_BLOCKED', `network access blocked: ${api} tried to reach ${target}; privsynth works offline and makes no network connections`, {
      hint: 'nothing was sent. If privsynth itself or one of its dependencies made this attempt, please report it; if your own code needs the network, do not install the network guard in that process',
    });
    this.api = api;
    this.target = target;
  }
}

export interface NetworkGuardOptions {
  /** Also allow TCP/UDP/HTTP to loopback addresses (localhost, 127.0.0.0/8, ::1). Default false. */
  allowLoopback?: boolean;
  /** Called for each refused attempt (after it is recorded, before the error is thrown). */
  onBlocked?: (attempt: BlockedAttempt) => void;
}

export interface BlockedAttempt {
  api: string;
  target: string;
  at: string;
}

export interface NetworkGuardState {
  installed: boolean;
  allowLoopback: boolean;
  /** When the guard was installed (ISO 8601), if it is. */
  installedAt?: string;
  /** The patched entry points, e.g. "net.Socket.prototype.connect", "globalThis.fetch". */
  patched: string[];
  /** Number of refused attempts since installation. */
  blockedCount: number;
  /** The most recent refused attempts (at most 20). */
  recent: BlockedAttempt[];
}

interface Patch {
  name: string;
  target: object;
  key: string | symbol;
  original: PropertyDescriptor | undefined;
}

let active: {
  opts: Required<Pick<NetworkGuardOptions, 'allowLoopback'>> & Pick<NetworkGuardOptions, 'onBlocked'>;
  installedAt: string;
  patches: Patch[];
  blockedCount: number;
  recent: BlockedAttempt[];
} | null = null;

/**
 * Install the guard for the whole process. Idempotent: a second call while installed changes
 * nothing and returns the current state (uninstall first to change options).
 */
export function installNetworkGuard(opts: NetworkGuardOptions = {}): NetworkGuardState {
  if (active) return networkGuardState();
  active = { opts: { allowLoopback: opts.allowLoopback ?? false, onBlocked: opts.onBlocked }, installedAt: new Date().toISOString(), patches: [], blockedCount: 0, recent: [] };
  const patches = active.patches;
  try {
    installAll(patches);
  } catch (e) {
    restore(patches);
    active = null;
    throw e;
  }
  syncBuiltinESMExports();
  return networkGuardState();
}

/** Remove the guard and restore every original function (for tests, and callers who opted in). */
export function uninstallNetworkGuard(): void {
  if (!active) return;
  restore(active.patches);
  active = null;
  syncBuiltinESMExports();
}

export function networkGuardState(): NetworkGuardState {
  if (!active) return { installed: false, allowLoopback: false, patched: [], blockedCount: 0, recent: [] };
  return {
    installed: true,
    allowLoopback: active.opts.allowLoopback,
    installedAt: active.installedAt,
    patched: active.patches.map((p) => p.name),
    blockedCount: active.blockedCount,
    recent: active.recent.map((a) => ({ ...a })),
  };
}

// ---------------------------------------------------------------------------------------------
// Deciding and refusing

function refuse(api: string, target: string): NetworkBlockedError {
  const attempt: BlockedAttempt = { api, target, at: new Date().toISOString() };
  if (active) {
    active.blockedCount++;
    active.recent.push(attempt);
    if (active.recent.length > 20) active.recent.shift();
    try {
      active.opts.onBlocked?.(attempt);
    } catch {
      /* a listener must not turn a refusal into something else */
    }
  }
  return new NetworkBlockedError(api, target);
}

const LOOPBACK_NAMES = new Set(['localhost', 'localhost.', 'ip6-localhost', 'ip6-loopback']);

export function isLoopbackHost(host: string | undefined | null): boolean {
  if (host === undefined || host === null || host === '') return true; // Node's default host is localhost
  let h = String(host).toLowerCase();
  if (h.startsWith('[') && h.endsWith(']')) h = h.slice(1, -1);
  if (LOOPBACK_NAMES.has(h) || h.endsWith('.localhost')) return true;
  if (isIP(h) === 4) return h.startsWith('127.');
  if (isIP(h) === 6) return h === '::1' || h === '0:0:0:0:0:0:0:1' || /^::ffff:127\./.test(h);
  return false;
}

function allowed(host: string | undefined | null): boolean {
  return !!active?.opts.allowLoopback && isLoopbackHost(host);
}

function hostPort(host: unknown, port: unknown, defaultPort?: number): string {
  const h = host === undefined || host === null || host === '' ? 'localhost' : String(host);
  const p = port === undefined || port === null || port === '' ? defaultPort : port;
  const hh = h.includes(':') && !h.startsWith('[') ? `[${h}]` : h;
  return p === undefined ? hh : `${hh}:${String(p)}`;
}

interface NetTarget {
  /** A unix socket / named pipe path: local IPC, always allowed. */
  ipcPath?: string;
  host?: string;
  port?: unknown;
}

/** Understand the argument forms of net.connect / Socket#connect / tls.connect. */
function netTarget(args: unknown[]): NetTarget {
  let a0 = args[0];
  // net.connect passes an already normalised [options, cb] array to Socket#connect.
  if (Array.isArray(a0)) a0 = a0[0];
  if (a0 !== null && typeof a0 === 'object') {
    const o = a0 as { path?: unknown; host?: unknown; hostname?: unknown; port?: unknown };
    if (o.path !== undefined && o.path !== null && o.path !== '') return { ipcPath: String(o.path) };
    const host = o.host ?? o.hostname;
    return { host: host === undefined || host === null ? undefined : String(host), port: o.port };
  }
  if (typeof a0 === 'string' && !/^\d+$/.test(a0)) return { ipcPath: a0 }; // connect(path[, cb])
  const host = typeof args[1] === 'string' ? args[1] : undefined;
  return { host, port: a0 };
}

function checkNet(api: string, args: unknown[], defaultPort?: number): void {
  const t = netTarget(args);
  if (t.ipcPath !== undefined) return;
  if (allowed(t.host)) return;
  throw refuse(api, hostPort(t.host, t.port, defaultPort));
}

/** Target of http(s).request(url?, options?, cb?) and Agent#createConnection(options). */
function httpTarget(args: unknown[], defaultPort: number): { ipc: boolean; host?: string; describe: string } {
  let url: URL | undefined;
  let opts: Record<string, unknown> = {};
  const a0 = args[0];
  if (typeof a0 === 'string') {
    try {
      url = new URL(a0);
    } catch {
      url = undefined;
    }
    if (args[1] && typeof args[1] === 'object') opts = args[1] as Record<string, unknown>;
  } else if (a0 instanceof URL) {
    url = a0;
    if (args[1] && typeof args[1] === 'object') opts = args[1] as Record<string, unknown>;
  } else if (a0 && typeof a0 === 'object') {
    opts = a0 as Record<string, unknown>;
  }
  if (typeof opts.socketPath === 'string' && opts.socketPath) return { ipc: true, describe: opts.socketPath };
  const host = (opts.hostname ?? opts.host ?? url?.hostname) as string | undefined;
  const port = opts.port ?? (url?.port || undefined);
  return { ipc: false, host: host ?? undefined, describe: hostPort(host, port, defaultPort) };
}

function urlTarget(input: unknown): { url?: URL; describe: string } {
  try {
    const s = input instanceof URL ? input.href : typeof input === 'string' ? input : (input as { url?: string })?.url;
    const url = new URL(String(s));
    return { url, describe: `${url.protocol}//${url.host}` };
  } catch {
    return { describe: String(input) };
  }
}

// ---------------------------------------------------------------------------------------------
// Patching

function patch(patches: Patch[], name: string, target: object | undefined, key: string | symbol, make: (orig: any) => unknown): void {
  if (!target) return;
  const original = Object.getOwnPropertyDescriptor(target, key);
  const current = (target as Record<string | symbol, unknown>)[key];
  if (typeof current !== 'function') return;
  const replacement = make(current);
  Object.defineProperty(target, key, { value: replacement, writable: true, configurable: true, enumerable: original ? original.enumerable : true });
  patches.push({ name, target, key, original });
}

function restore(patches: Patch[]): void {
  for (const p of patches.reverse()) {
    if (p.original) Object.defineProperty(p.target, p.key, p.original);
    else delete (p.target as Record<string | symbol, unknown>)[p.key];
  }
  patches.length = 0;
}

/** Keep name and length so stack traces and feature checks look as before. */
function named<F extends (...a: any[]) => any>(orig: Function, f: F): F {
  Object.defineProperty(f, 'name', { value: orig.name, configurable: true });
  return f;
}

const DNS_RESOLVE = ['resolve', 'resolve4', 'resolve6', 'resolveAny', 'resolveCaa', 'resolveCname', 'resolveMx', 'resolveNaptr', 'resolveNs', 'resolvePtr', 'resolveSoa', 'resolveSrv', 'resolveTxt', 'reverse'];

function installAll(patches: Patch[]): void {
  // net: the catch-all first (every TCP client in Node ends in Socket#connect), then the entry points
  // so the error names what the caller actually called.
  patch(patches, 'net.Socket.prototype.connect', net.Socket.prototype, 'connect', (orig) =>
    named(orig, function (this: NetNs.Socket, ...args: unknown[]) {
      checkNet('net.Socket.connect', args);
      return orig.apply(this, args);
    }),
  );
  for (const key of ['connect', 'createConnection'] as const) {
    patch(patches, `net.${key}`, net, key, (orig) =>
      named(orig, (...args: unknown[]) => {
        checkNet(`net.${key}`, args);
        return orig(...args);
      }),
    );
  }
  patch(patches, 'tls.connect', tls, 'connect', (orig) =>
    named(orig, (...args: unknown[]) => {
      // tls.connect(options) with an existing `socket` upgrades a connection made elsewhere (already checked).
      const o = args.find((a) => a !== null && typeof a === 'object') as { socket?: unknown } | undefined;
      if (!o?.socket) checkNet('tls.connect', args, 443);
      return orig(...args);
    }),
  );

  // http / https
  for (const [modName, mod, port] of [['http', http, 80], ['https', https, 443]] as const) {
    for (const key of ['request', 'get'] as const) {
      patch(patches, `${modName}.${key}`, mod, key, (orig) =>
        named(orig, (...args: unknown[]) => {
          const t = httpTarget(args, port);
          if (!t.ipc && !allowed(t.host)) throw refuse(`${modName}.${key}`, t.describe);
          return orig(...args);
        }),
      );
    }
    patch(patches, `${modName}.Agent.prototype.createConnection`, mod.Agent.prototype, 'createConnection', (orig) =>
      named(orig, function (this: HttpNs.Agent, ...args: unknown[]) {
        const o = (args[0] ?? {}) as { path?: unknown; socketPath?: unknown };
        if (!o.socketPath && !o.path) checkNet(`${modName}.Agent.createConnection`, args, port);
        return orig.apply(this, args);
      }),
    );
  }
  // http.Agent.prototype.createConnection is inherited by https.Agent unless overridden; the loop
  // above patched whichever own properties exist.

  patch(patches, 'http2.connect', http2, 'connect', (orig) =>
    named(orig, (...args: unknown[]) => {
      const authority = args[0];
      const { url, describe } = urlTarget(authority);
      if (!allowed(url?.hostname)) throw refuse('http2.connect', url ? hostPort(url.hostname, url.port || undefined, url.protocol === 'http:' ? 80 : 443) : describe);
      return orig(...args);
    }),
  );

  // dns: callback API, promise API, and both Resolver classes.
  const dnsCheck = (api: string, host: unknown): void => {
    if (typeof host !== 'string' || !allowed(host)) throw refuse(api, `${String(host)} (name lookup)`);
  };
  patch(patches, 'dns.lookup', dns, 'lookup', (orig) =>
    named(orig, (host: unknown, ...rest: unknown[]) => {
      dnsCheck('dns.lookup', host);
      return orig(host, ...rest);
    }),
  );
  patch(patches, 'dns.lookupService', dns, 'lookupService', (orig) =>
    named(orig, (addr: unknown, port: unknown, ...rest: unknown[]) => {
      if (!allowed(typeof addr === 'string' ? addr : undefined)) throw refuse('dns.lookupService', hostPort(addr, port));
      return orig(addr, port, ...rest);
    }),
  );
  for (const key of DNS_RESOLVE) {
    const refuseAlways = (api: string) => (orig: Function) =>
      named(orig, (host: unknown) => {
        throw refuse(api, `${String(host)} (DNS query)`);
      });
    patch(patches, `dns.${key}`, dns, key, refuseAlways(`dns.${key}`));
    patch(patches, `dns.Resolver.prototype.${key}`, dns.Resolver.prototype, key, refuseAlways(`dns.Resolver.${key}`));
  }
  const dp = dns.promises;
  patch(patches, 'dns.promises.lookup', dp, 'lookup', (orig) =>
    named(orig, async (host: unknown, ...rest: unknown[]) => {
      dnsCheck('dns.promises.lookup', host);
      return orig(host, ...rest);
    }),
  );
  patch(patches, 'dns.promises.lookupService', dp, 'lookupService', (orig) =>
    named(orig, async (addr: unknown, port: unknown) => {
      if (!allowed(typeof addr === 'string' ? addr : undefined)) throw refuse('dns.promises.lookupService', hostPort(addr, port));
      return orig(addr, port);
    }),
  );
  for (const key of DNS_RESOLVE) {
    const rejectAlways = (api: string) => (orig: Function) =>
      named(orig, async (host: unknown) => {
        throw refuse(api, `${String(host)} (DNS query)`);
      });
    patch(patches, `dns.promises.${key}`, dp, key, rejectAlways(`dns.promises.${key}`));
    patch(patches, `dns.promises.Resolver.prototype.${key}`, dp.Resolver.prototype, key, rejectAlways(`dns.promises.Resolver.${key}`));
  }

  // dgram: binding a local port is not outbound; sending or connecting is.
  const dgramProto = dgram.Socket.prototype as unknown as Record<string, unknown>;
  patch(patches, 'dgram.Socket.prototype.send', dgramProto, 'send', (orig) =>
    named(orig, function (this: DgramNs.Socket, ...args: unknown[]) {
      // send(msg, [offset, length,] port[, address][, cb]); no address means localhost.
      const long = typeof args[1] === 'number' && typeof args[2] === 'number' && typeof args[3] === 'number';
      const port = long ? args[3] : args[1];
      const address = (long ? args[4] : args[2]) as unknown;
      const host = typeof address === 'string' ? address : undefined;
      if (!allowed(host)) throw refuse('dgram.Socket.send', hostPort(host, typeof port === 'function' ? undefined : port));
      return (orig as Function).apply(this, args);
    }),
  );
  patch(patches, 'dgram.Socket.prototype.connect', dgramProto, 'connect', (orig) =>
    named(orig, function (this: DgramNs.Socket, port: unknown, address?: unknown, ...rest: unknown[]) {
      const host = typeof address === 'string' ? address : undefined;
      if (!allowed(host)) throw refuse('dgram.Socket.connect', hostPort(host, port));
      return (orig as Function).call(this, port, address, ...rest);
    }),
  );

  // Web APIs (undici inside Node). fetch of data:, blob: and file: URLs does not touch the network.
  const g = globalThis as Record<string, unknown>;
  patch(patches, 'globalThis.fetch', g, 'fetch', (orig) =>
    named(orig, async (input: unknown, init?: unknown) => {
      const { url, describe } = urlTarget(input);
      const local = url && (url.protocol === 'data:' || url.protocol === 'blob:' || url.protocol === 'file:');
      if (!local && !allowed(url?.hostname)) throw refuse('fetch', url ? hostPort(url.hostname, url.port || undefined, url.protocol === 'https:' ? 443 : 80) : describe);
      return orig(input, init);
    }),
  );
  for (const key of ['WebSocket', 'EventSource'] as const) {
    patch(patches, `globalThis.${key}`, g, key, (Orig: new (...a: unknown[]) => object) => {
      const Guarded = function (this: unknown, url: unknown, ...rest: unknown[]) {
        const { url: u, describe } = urlTarget(url);
        if (!allowed(u?.hostname)) throw refuse(key, u ? hostPort(u.hostname, u.port || undefined, u.protocol === 'wss:' || u.protocol === 'https:' ? 443 : 80) : describe);
        return new Orig(url, ...rest);
      };
      Guarded.prototype = Orig.prototype;
      return named(Orig, Guarded as unknown as (...a: unknown[]) => unknown);
    });
  }
}
