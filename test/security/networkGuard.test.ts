/**
 * The in-process network guard: every outbound API refuses with E_NETWORK_BLOCKED naming the API and
 * the target, and nothing reaches the network (no socket, connect or DNS request is ever created,
 * checked with Node's diagnostics channels and active-resource list). Local IPC keeps working.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import diagnostics_channel from 'node:diagnostics_channel';
import { createRequire } from 'node:module';
import * as netEsm from 'node:net';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { installNetworkGuard, uninstallNetworkGuard, networkGuardState, NetworkBlockedError, isLoopbackHost } from '../../src/security/networkGuard.js';
import { PrivsynthError } from '../../src/errors.js';

const require = createRequire(import.meta.url);
const net = require('node:net') as typeof import('node:net');
const tls = require('node:tls') as typeof import('node:tls');
const http = require('node:http') as typeof import('node:http');
const https = require('node:https') as typeof import('node:https');
const http2 = require('node:http2') as typeof import('node:http2');
const dns = require('node:dns') as typeof import('node:dns');
const dgram = require('node:dgram') as typeof import('node:dgram');

const ORIGINAL_CONNECT = net.connect;
const ORIGINAL_FETCH = globalThis.fetch;

/** Sockets created (net.client.socket) and undici connections attempted during a test. */
const seen: string[] = [];
const onSocket = (): void => void seen.push('net.client.socket');
const onUndici = (): void => void seen.push('undici:client:beforeConnect');

function expectBlocked(fn: () => unknown, api: string, target: string | RegExp): NetworkBlockedError {
  let err: unknown;
  try {
    fn();
  } catch (e) {
    err = e;
  }
  return checkBlocked(err, api, target);
}

async function expectRejected(p: () => Promise<unknown>, api: string, target: string | RegExp): Promise<NetworkBlockedError> {
  let err: unknown;
  try {
    await p();
  } catch (e) {
    err = e;
  }
  return checkBlocked(err, api, target);
}

function checkBlocked(err: unknown, api: string, target: string | RegExp): NetworkBlockedError {
  expect(err, `${api} should have been refused`).toBeInstanceOf(NetworkBlockedError);
  const e = err as NetworkBlockedError;
  expect(e).toBeInstanceOf(PrivsynthError);
  expect(e.code).toBe('E_NETWORK_BLOCKED');
  expect(e.api).toBe(api);
  if (typeof target === 'string') expect(e.target).toBe(target);
  else expect(e.target).toMatch(target);
  expect(e.describe()).toContain(`${api} tried to reach ${e.target}`);
  return e;
}

/** No TCP socket, connect request, DNS request or UDP socket is alive. */
function expectNoNetworkResources(): void {
  const kinds = process.getActiveResourcesInfo();
  for (const k of ['TCPSocketWrap', 'TCPConnectWrap', 'GetAddrInfoReqWrap', 'QueryReqWrap', 'UDPWrap', 'SendWrap']) expect(kinds, k).not.toContain(k);
}

beforeAll(() => {
  diagnostics_channel.subscribe('net.client.socket', onSocket);
  diagnostics_channel.subscribe('undici:client:beforeConnect', onUndici);
});
afterAll(() => {
  diagnostics_channel.unsubscribe('net.client.socket', onSocket);
  diagnostics_channel.unsubscribe('undici:client:beforeConnect', onUndici);
  uninstallNetworkGuard();
});

describe('with the guard on, nothing reaches the network', () => {
  beforeAll(() => {
    installNetworkGuard();
    seen.length = 0;
  });
  afterAll(() => {
    uninstallNetworkGuard();
  });
  afterEach(() => {
    expect(seen, 'a socket or connection was created').toEqual([]);
    expectNoNetworkResources();
  });

  it("fetch('http://example.com') rejects with E_NETWORK_BLOCKED", async () => {
    await expectRejected(() => fetch('http://example.com'), 'fetch', 'example.com:80');
    await expectRejected(() => fetch(new URL('https://example.com:8443/x')), 'fetch', 'example.com:8443');
    await expectRejected(() => fetch(new Request('https://example.org/')), 'fetch', 'example.org:443');
  });

  it('fetch of a data: URL still works (it is not network access)', async () => {
    const r = await fetch('data:text/plain,hello');
    expect(await r.text()).toBe('hello');
  });

  it('http.get / http.request / https.get / https.request throw before a request exists', () => {
    expectBlocked(() => http.get('http://example.com/'), 'http.get', 'example.com:80');
    expectBlocked(() => http.request({ host: '10.0.0.1', port: 8080, path: '/' }), 'http.request', '10.0.0.1:8080');
    expectBlocked(() => https.get('https://example.com/'), 'https.get', 'example.com:443');
    expectBlocked(() => https.request(new URL('https://[2001:db8::1]:9443/')), 'https.request', '[2001:db8::1]:9443');
  });

  it('a hand-made Agent or ClientRequest is refused too', () => {
    expectBlocked(() => new http.Agent().createConnection({ host: 'example.com', port: 80 }), 'http.Agent.createConnection', 'example.com:80');
    expectBlocked(() => new https.Agent().createConnection({ host: 'example.com', port: 443 }), 'https.Agent.createConnection', 'example.com:443');
    expectBlocked(() => new http.ClientRequest({ host: 'example.com', port: 81 }), 'http.Agent.createConnection', 'example.com:81');
  });

  it("net.connect(80, '1.2.3.4') and friends throw", () => {
    expectBlocked(() => net.connect(80, '1.2.3.4'), 'net.connect', '1.2.3.4:80');
    expectBlocked(() => net.createConnection({ host: 'example.com', port: 25 }), 'net.createConnection', 'example.com:25');
    expectBlocked(() => new net.Socket().connect(443, 'example.com'), 'net.Socket.connect', 'example.com:443');
    expectBlocked(() => new net.Socket().connect({ port: 22, host: '8.8.8.8' }), 'net.Socket.connect', '8.8.8.8:22');
    // ESM named imports see the patched function too (syncBuiltinESMExports).
    expectBlocked(() => netEsm.connect(80, '1.2.3.4'), 'net.connect', '1.2.3.4:80');
  });

  it('tls.connect and http2.connect throw', () => {
    expectBlocked(() => tls.connect(443, 'example.com'), 'tls.connect', 'example.com:443');
    expectBlocked(() => tls.connect({ host: 'example.com', port: 8443 }), 'tls.connect', 'example.com:8443');
    expectBlocked(() => http2.connect('https://example.com'), 'http2.connect', 'example.com:443');
  });

  it('dns.lookup / resolve* / Resolver / dns.promises all refuse', async () => {
    let called = false;
    expectBlocked(() => dns.lookup('example.com', () => (called = true)), 'dns.lookup', 'example.com (name lookup)');
    expectBlocked(() => dns.resolve4('example.com', () => (called = true)), 'dns.resolve4', /example\.com/);
    expectBlocked(() => dns.resolve('example.com', 'MX', () => (called = true)), 'dns.resolve', /example\.com/);
    expectBlocked(() => dns.reverse('8.8.8.8', () => (called = true)), 'dns.reverse', /8\.8\.8\.8/);
    expectBlocked(() => new dns.Resolver().resolveTxt('example.com', () => (called = true)), 'dns.Resolver.resolveTxt', /example\.com/);
    expectBlocked(() => dns.lookupService('8.8.8.8', 53, () => (called = true)), 'dns.lookupService', '8.8.8.8:53');
    await expectRejected(() => dns.promises.lookup('example.com'), 'dns.promises.lookup', /example\.com/);
    await expectRejected(() => dns.promises.resolve6('example.com'), 'dns.promises.resolve6', /example\.com/);
    await expectRejected(() => new dns.promises.Resolver().resolveAny('example.com'), 'dns.promises.Resolver.resolveAny', /example\.com/);
    expect(called).toBe(false);
  });

  it('dgram send and connect throw', async () => {
    const s = dgram.createSocket('udp4');
    try {
      expectBlocked(() => s.send('x', 53, '8.8.8.8'), 'dgram.Socket.send', '8.8.8.8:53');
      expectBlocked(() => s.send(Buffer.from('xy'), 0, 2, 123, '1.2.3.4'), 'dgram.Socket.send', '1.2.3.4:123');
      expectBlocked(() => s.connect(53, '8.8.8.8'), 'dgram.Socket.connect', '8.8.8.8:53');
    } finally {
      await new Promise<void>((r) => s.close(() => r()));
      await new Promise((r) => setTimeout(r, 20));
    }
  });

  it('WebSocket and EventSource are refused when this Node has them', () => {
    const g = globalThis as Record<string, unknown>;
    for (const key of ['WebSocket', 'EventSource']) {
      const C = g[key] as (new (u: string) => unknown) | undefined;
      if (typeof C !== 'function') continue;
      expectBlocked(() => new C(key === 'WebSocket' ? 'wss://example.com/' : 'https://example.com/'), key, 'example.com:443');
    }
  });

  it('loopback TCP is refused by default', () => {
    expectBlocked(() => net.connect(5432, '127.0.0.1'), 'net.connect', '127.0.0.1:5432');
    expectBlocked(() => net.connect({ port: 80 }), 'net.connect', 'localhost:80');
  });

  it('records what it refused; a second install is a no-op', () => {
    const s = networkGuardState();
    expect(s.installed).toBe(true);
    expect(s.blockedCount).toBeGreaterThan(10);
    expect(s.recent.at(-1)).toMatchObject({ api: 'net.connect', target: 'localhost:80' });
    expect(s.patched).toEqual(expect.arrayContaining(['net.Socket.prototype.connect', 'net.connect', 'tls.connect', 'http.request', 'https.get', 'http2.connect', 'dns.lookup', 'dns.promises.lookup', 'dgram.Socket.prototype.send', 'globalThis.fetch']));
    const again = installNetworkGuard({ allowLoopback: true });
    expect(again.patched).toEqual(s.patched);
    expect(again.allowLoopback).toBe(false);
  });
});

describe('local IPC keeps working with the guard on', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'privsynth-guard-'));
  const sock = process.platform === 'win32' ? `\\\\.\\pipe\\privsynth-guard-${process.pid}` : path.join(dir, 's.sock');
  beforeAll(() => installNetworkGuard());
  afterAll(() => uninstallNetworkGuard());

  it('a unix socket / named pipe echo round trip (net.connect(path))', async () => {
    const server = net.createServer((c) => c.pipe(c));
    await new Promise<void>((r) => server.listen(sock, r));
    try {
      const reply = await new Promise<string>((resolve, reject) => {
        const c = net.connect(sock);
        c.on('error', reject);
        c.on('data', (d) => {
          resolve(String(d));
          c.end();
        });
        c.write('ping');
      });
      expect(reply).toBe('ping');
    } finally {
      await new Promise((r) => server.close(r));
    }
  });

  it('HTTP over a unix socket (socketPath)', async () => {
    const sock2 = sock + '2';
    const server = http.createServer((_req, res) => res.end('hello over ipc'));
    await new Promise<void>((r) => server.listen(sock2, r));
    try {
      const body = await new Promise<string>((resolve, reject) => {
        http
          .get({ socketPath: sock2, path: '/' }, (res) => {
            let s = '';
            res.on('data', (d) => (s += d));
            res.on('end', () => resolve(s));
          })
          .on('error', reject);
      });
      expect(body).toBe('hello over ipc');
    } finally {
      await new Promise((r) => server.close(r));
    }
  });
});

describe('options and uninstall', () => {
  it('allowLoopback lets localhost TCP through and still refuses the rest', async () => {
    installNetworkGuard({ allowLoopback: true });
    try {
      const server = net.createServer((c) => c.end('hi'));
      await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
      const port = (server.address() as { port: number }).port;
      const got = await new Promise<string>((resolve, reject) => {
        const c = net.connect(port, '127.0.0.1');
        let s = '';
        c.on('data', (d) => (s += d));
        c.on('end', () => resolve(s));
        c.on('error', reject);
      });
      expect(got).toBe('hi');
      await new Promise((r) => server.close(r));
      expectBlocked(() => net.connect(80, '1.2.3.4'), 'net.connect', '1.2.3.4:80');
      await expectRejected(() => fetch('http://example.com'), 'fetch', 'example.com:80');
    } finally {
      uninstallNetworkGuard();
    }
  });

  it('uninstall restores every original function', () => {
    installNetworkGuard();
    expect(net.connect).not.toBe(ORIGINAL_CONNECT);
    expect(globalThis.fetch).not.toBe(ORIGINAL_FETCH);
    uninstallNetworkGuard();
    expect(net.connect).toBe(ORIGINAL_CONNECT);
    expect(netEsm.connect).toBe(ORIGINAL_CONNECT);
    expect(globalThis.fetch).toBe(ORIGINAL_FETCH);
    expect(networkGuardState()).toMatchObject({ installed: false, patched: [] });
    uninstallNetworkGuard(); // idempotent
  });

  it('recognises loopback hosts', () => {
    for (const h of ['localhost', 'LOCALHOST', 'a.localhost', '127.0.0.1', '127.1.2.3', '::1', '[::1]', '::ffff:127.0.0.1']) expect(isLoopbackHost(h), h).toBe(true);
    for (const h of ['example.com', '10.0.0.1', '128.0.0.1', '::2', 'localhost.example.com', '0.0.0.0']) expect(isLoopbackHost(h), h).toBe(false);
  });
});

describe('the heavy local runtimes work with the guard on', () => {
  beforeAll(() => installNetworkGuard());
  afterAll(() => uninstallNetworkGuard());

  it('tfjs backend computes, DuckDB queries, onnxruntime-node loads; nothing was blocked', async () => {
    const before = networkGuardState().blockedCount;
    const { loadBackend } = await import('../../src/nn/backend.js');
    const { tf } = await loadBackend();
    const s = tf.tidy(() => tf.sum(tf.tensor1d([1, 2, 3])).dataSync()[0]);
    expect(s).toBe(6);
    const { duckdb } = await import('../../src/io/duckdb.js');
    const con = await duckdb();
    const r = await con.runAndReadAll('SELECT 40 + 2 AS x');
    expect(Number(r.getRows()[0]![0])).toBe(42);
    const ort = (await import('onnxruntime-node')) as { InferenceSession?: unknown };
    expect(typeof ort.InferenceSession).toBe('function');
    expect(networkGuardState().blockedCount).toBe(before);
  });

  it('node-llama-cpp loads its native binding with the guard on (skipped when not installed)', async (ctx) => {
    const mod = 'node-llama-cpp';
    let m: { getLlama(o: object): Promise<{ dispose(): Promise<void> }> };
    try {
      m = await import(mod);
    } catch {
      ctx.skip('node-llama-cpp is not installed');
      return;
    }
    const before = networkGuardState().blockedCount;
    const llama = await m.getLlama({ gpu: false, build: 'never', progressLogs: false, logLevel: 'error' });
    await llama.dispose();
    expect(networkGuardState().blockedCount).toBe(before);
  });
});
