import { describe, expect, it } from 'vitest';
import { createBridge } from '../preload/bridge.js';
import { CALL_CHANNEL, EVENT_CHANNEL } from '../../shared/contract/ipc.js';
import { routeAppUrl, RENDERER_ORIGIN } from './app-protocol.js';
import { createIpcCallHandler } from './ipc-adapter.js';
import { mkdtempSync, mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

describe('IPC adapter (Electron main, without the binary)', () => {
  const calls: string[] = [];
  const handler = createIpcCallHandler({
    dispatch: async (method) => {
      calls.push(method);
      return { ok: true, value: method };
    },
    paths: { allows: () => true, grant: () => undefined },
    trustedWebContents: new Set([1]),
    rendererOrigin: RENDERER_ORIGIN,
    emit: () => undefined,
  });

  it('passes calls from our window showing our UI', async () => {
    expect(await handler({ webContentsId: 1, frameUrl: 'app://renderer/index.html' }, 'app.info', {})).toEqual({ ok: true, value: 'app.info' });
  });

  it('refuses another window, another page, or an unknown frame (checklist §17)', async () => {
    for (const sender of [
      { webContentsId: 2, frameUrl: 'app://renderer/index.html' },
      { webContentsId: 1, frameUrl: 'https://evil.example/' },
      { webContentsId: 1, frameUrl: 'app://tiles/x' },
      { webContentsId: 1, frameUrl: 'file:///etc/passwd' },
      { webContentsId: 1, frameUrl: null },
    ]) {
      expect(await handler(sender, 'app.info', {})).toMatchObject({ ok: false, error: { code: 'UNTRUSTED' } });
    }
    expect(calls).toEqual(['app.info']);
  });

  it('refuses a method name that is not a string', async () => {
    expect(await handler({ webContentsId: 1, frameUrl: 'app://renderer/' }, { toString: () => 'app.info' }, {})).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT' } });
  });
});

describe('preload bridge', () => {
  it('exposes call and on only, on fixed channels, without the IPC event', async () => {
    const invoked: unknown[][] = [];
    const listeners = new Map<string, (e: unknown, ...a: unknown[]) => void>();
    const bridge = createBridge({
      invoke: async (...args) => {
        invoked.push(args);
        return 'r';
      },
      on: (ch, l) => listeners.set(ch, l),
      removeListener: (ch) => listeners.delete(ch),
    });
    expect(Object.keys(bridge).sort()).toEqual(['call', 'on', 'tileBase']);
    expect(await bridge.call('app.info', {})).toBe('r');
    expect(invoked).toEqual([[CALL_CHANNEL, 'app.info', {}]]);
    const got: unknown[] = [];
    const off = bridge.on((...args) => got.push(args));
    listeners.get(EVENT_CHANNEL)?.({ sender: 'secret' }, 'job.progress', { jobId: 'j' });
    expect(got).toEqual([['job.progress', { jobId: 'j' }]]);
    off();
    expect(listeners.has(EVENT_CHANNEL)).toBe(false);
  });
});

describe('app:// protocol routing', () => {
  const ui = mkdtempSync(join(tmpdir(), 'passerelle-app-'));
  mkdirSync(join(ui, 'assets'));
  writeFileSync(join(ui, 'index.html'), '<!doctype html>');
  writeFileSync(join(ui, 'assets', 'a.js'), '');

  it('serves UI files and tiles', () => {
    expect(routeAppUrl('app://renderer/assets/a.js', ui)).toMatchObject({ kind: 'file', file: join(ui, 'assets', 'a.js') });
    expect(routeAppUrl('app://tiles/0123456789abcdef/areas%2FDEP/7/66/46.pbf', ui)).toEqual({ kind: 'tile', sourceId: '0123456789abcdef', layer: 'areas/DEP', z: 7, x: 66, y: 46 });
  });

  it('never leaves the UI folder', () => {
    for (const u of ['app://renderer/../../etc/passwd', 'app://renderer/%2e%2e/%2e%2e/etc/passwd', 'app://other/index.html', 'file:///etc/passwd']) {
      const r = routeAppUrl(u, ui);
      if (r.kind === 'file') expect(r.file.startsWith(ui)).toBe(true);
    }
  });
});
