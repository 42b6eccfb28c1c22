import type { Transport } from '../../shared/contract/index.js';
import { createEngine, type Engine } from '../../electron/core/engine.js';
import { ALLOW_ALL, FileGrants } from '../../electron/core/files/grants.js';
import { InProcessRunner } from '../../electron/core/jobs/in-process-runner.js';
import { ProcessPoolRunner } from '../../electron/core/jobs/process-pool-runner.js';
import { createWebHost, type WebHost } from '../../electron/web/server.js';
import { createIpcCallHandler } from '../../electron/main/ipc-adapter.js';
import { RENDERER_ORIGIN } from '../../electron/main/app-protocol.js';
import { createBridge, type IpcRendererLike } from '../../electron/preload/bridge.js';
import { CALL_CHANNEL, EVENT_CHANNEL } from '../../shared/contract/ipc.js';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** A transport under test, with what differs between faces. */
export interface TransportUnderTest {
  name: string;
  transport: Transport;
  engine: Engine;
  /** Whether the face enforces "only files the user opened" (the app and the web host do). */
  enforcesPaths: boolean;
  close(): Promise<void>;
}

/** An isolated PASSERELLE_HOME, so tests never touch the user's real one. */
export function testEnv(): NodeJS.ProcessEnv {
  return { ...process.env, PASSERELLE_HOME: mkdtempSync(join(tmpdir(), 'passerelle-home-')) };
}

function listenersTransport(call: Transport['call'], subscribe: (l: (n: string, p: unknown) => void) => () => void): Transport {
  return { call, on: subscribe };
}

/** The CLI's path: the dispatcher called in-process, tasks in-process. */
export function inProcess(): TransportUnderTest {
  const engine = createEngine({ host: 'test', runner: new InProcessRunner(), env: testEnv() });
  const listeners = new Set<(n: string, p: unknown) => void>();
  const emit = (n: string, p: unknown) => listeners.forEach((l) => l(n, p));
  return {
    name: 'in-process',
    engine,
    enforcesPaths: false,
    transport: listenersTransport(
      (method, input) => engine.dispatch(method, input, { emit, paths: ALLOW_ALL }),
      (l) => {
        listeners.add(l);
        return () => listeners.delete(l);
      },
    ),
    close: () => engine.close(),
  };
}

/** The web host, over real HTTP and server-sent events, with real job processes. */
export async function overHttp(): Promise<TransportUnderTest & { host: WebHost }> {
  const engine = createEngine({ host: 'web', runner: new ProcessPoolRunner(), env: testEnv() });
  const host = await createWebHost({ engine, port: 0, staticDir: join(tmpdir(), 'no-ui-here') });
  const listeners = new Set<(n: string, p: unknown) => void>();
  const controller = new AbortController();
  // A minimal SSE reader (Node 20 has fetch but no EventSource).
  const sse = fetch(`${host.origin}/api/events?token=${host.token}`, { signal: controller.signal }).then(async (res) => {
    const reader = res.body?.getReader();
    if (!reader) return;
    const decoder = new TextDecoder();
    let buf = '';
    for (;;) {
      const { value, done } = await reader.read().catch(() => ({ value: undefined, done: true }));
      if (done) return;
      buf += decoder.decode(value, { stream: true });
      let i: number;
      while ((i = buf.indexOf('\n\n')) >= 0) {
        const frame = buf.slice(0, i);
        buf = buf.slice(i + 2);
        const name = /^event: (.*)$/m.exec(frame)?.[1];
        const data = /^data: (.*)$/m.exec(frame)?.[1];
        if (name && data) listeners.forEach((l) => l(name, JSON.parse(data)));
      }
    }
  });
  await new Promise((r) => setTimeout(r, 50));
  return {
    name: 'http',
    engine,
    host,
    enforcesPaths: true,
    transport: listenersTransport(
      async (method, input) => {
        const res = await fetch(`${host.origin}/api/${method}`, {
          method: 'POST',
          headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${host.token}` },
          body: JSON.stringify(input ?? {}),
        });
        return res.json();
      },
      (l) => {
        listeners.add(l);
        return () => listeners.delete(l);
      },
    ),
    close: async () => {
      controller.abort();
      await sse.catch(() => undefined);
      await host.close();
      await engine.close();
    },
  };
}

/**
 * The desktop app's path without the Electron binary: the preload bridge over an
 * in-memory ipcRenderer whose messages are structured-cloned (as IPC does) into the main
 * process's IPC adapter and the one dispatcher.
 */
export function overIpcLoopback(): TransportUnderTest {
  const engine = createEngine({ host: 'electron', runner: new ProcessPoolRunner(), env: testEnv() });
  const grants = new FileGrants([engine.demoPath]);
  const handlers = new Map<string, Set<(e: unknown, ...a: unknown[]) => void>>();
  const WEB_CONTENTS_ID = 7;
  const send = (channel: string, ...args: unknown[]) => handlers.get(channel)?.forEach((h) => h({ sender: 'not exposed' }, ...structuredClone(args)));
  const adapter = createIpcCallHandler({
    dispatch: engine.dispatch,
    paths: grants,
    trustedWebContents: new Set([WEB_CONTENTS_ID]),
    rendererOrigin: RENDERER_ORIGIN,
    emit: (name, payload) => send(EVENT_CHANNEL, name, payload),
  });
  const ipc: IpcRendererLike = {
    invoke: async (channel, ...args) => {
      if (channel !== CALL_CHANNEL) throw new Error(`No handler for ${channel}`);
      const [method, input] = structuredClone(args);
      return structuredClone(await adapter({ webContentsId: WEB_CONTENTS_ID, frameUrl: `${RENDERER_ORIGIN}/index.html` }, method, input));
    },
    on: (channel, listener) => {
      const set = handlers.get(channel) ?? new Set();
      set.add(listener);
      handlers.set(channel, set);
    },
    removeListener: (channel, listener) => {
      handlers.get(channel)?.delete(listener);
    },
  };
  const bridge = createBridge(ipc);
  return {
    name: 'ipc',
    engine,
    enforcesPaths: true,
    transport: { call: bridge.call, on: bridge.on },
    close: () => engine.close(),
  };
}
