/**
 * The Electron main process: thin. It hosts the engine (which does all the work, in job
 * processes for anything long), registers the app:// protocol, the one IPC channel and
 * the main window. Everything here is wiring; the logic lives in electron/core and is
 * tested under Node.
 */
import { app, dialog, ipcMain, protocol, safeStorage, BrowserWindow } from 'electron';
import { readFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { toApiError } from '../core/errors.js';
import { createEngine, type Engine } from '../core/engine.js';
import { FileGrants } from '../core/files/grants.js';
import { ProcessPoolRunner } from '../core/jobs/process-pool-runner.js';
import { renderWorkspaceTile } from '../core/tiles/mvt.js';
import { contentSecurityPolicy } from '../web/security.js';
import { routeAppUrl, RENDERER_ORIGIN } from './app-protocol.js';
import { createIpcCallHandler } from './ipc-adapter.js';
import { utilitySpawner } from './utility-spawner.js';
import { createMainWindow } from './window.js';
import { createSecretStore } from './secret-store.js';
import { CALL_CHANNEL, EVENT_CHANNEL } from '../../shared/contract/ipc.js';

const here = dirname(fileURLToPath(import.meta.url));
const distDir = join(here, '..', '..');
const rendererDir = join(distDir, 'renderer');
const preloadPath = join(distDir, 'preload', 'preload.cjs');
const CSP = contentSecurityPolicy(['app://tiles']);

// The packaged app ships the demo workspace in its resources folder.
if (app.isPackaged) process.env.PASSERELLE_RESOURCES ??= join(process.resourcesPath, 'resources');
// Checklist §18: our UI comes from a custom, standard, secure scheme — never file://.
protocol.registerSchemesAsPrivileged([{ scheme: 'app', privileges: { standard: true, secure: true, supportFetchAPI: true, stream: true } }]);

const trusted = new Set<number>();
let engine: Engine | null = null;

async function start(): Promise<void> {
  const grants = new FileGrants();
  // safeStorage on Linux without a keyring is 'basic_text' (plain text): then store nothing.
  const backend = process.platform === 'linux' ? safeStorage.getSelectedStorageBackend() : 'os';
  const secrets = createSecretStore(join(app.getPath('userData'), 'secrets.json'), {
    persistent: safeStorage.isEncryptionAvailable() && backend !== 'basic_text',
    backend,
    encrypt: (plain) => safeStorage.encryptString(plain),
    decrypt: (blob) => safeStorage.decryptString(blob),
  });
  engine = createEngine({
    host: 'electron',
    runner: new ProcessPoolRunner({ spawn: utilitySpawner }),
    electronVersion: process.versions.electron ?? null,
    env: process.env,
    overrides: {
      'dialog.openFile': async ({ title, filters }) => {
        const win = BrowserWindow.getFocusedWindow();
        const opts = { title: title ?? 'Passerelle', properties: ['openFile' as const], filters };
        const r = win ? await dialog.showOpenDialog(win, opts) : await dialog.showOpenDialog(opts);
        const path = r.canceled ? null : (r.filePaths[0] ?? null);
        if (path) grants.grant(path);
        return { supported: true, path };
      },
      'dialog.saveFile': async ({ title, defaultName, filters }) => {
        const win = BrowserWindow.getFocusedWindow();
        const opts = { title: title ?? 'Passerelle', ...(defaultName ? { defaultPath: defaultName } : {}), filters };
        const r = win ? await dialog.showSaveDialog(win, opts) : await dialog.showSaveDialog(opts);
        const path = r.canceled ? null : (r.filePath ?? null);
        if (path) grants.grant(path);
        return { supported: true, path };
      },
      'secrets.status': async () => secrets.status(),
      'secrets.get': async ({ key }) => ({ value: secrets.get(key) }),
      'secrets.set': async ({ key, value }) => ({ stored: secrets.set(key, value) }),
    },
  });
  grants.grant(engine.demoPath);
  const eng = engine;

  const emit = (name: string, payload: unknown) => {
    for (const win of BrowserWindow.getAllWindows()) if (trusted.has(win.webContents.id)) win.webContents.send(EVENT_CHANNEL, name, payload);
  };
  const handleCall = createIpcCallHandler({ dispatch: eng.dispatch, paths: grants, trustedWebContents: trusted, rendererOrigin: RENDERER_ORIGIN, emit });
  ipcMain.handle(CALL_CHANNEL, (event, method: unknown, input: unknown) =>
    handleCall({ webContentsId: event.sender.id, frameUrl: event.senderFrame?.url ?? null }, method, input),
  );

  protocol.handle('app', async (request) => {
    const route = routeAppUrl(request.url, rendererDir);
    const headers = { 'Content-Security-Policy': CSP, 'X-Content-Type-Options': 'nosniff' };
    switch (route.kind) {
      case 'file':
        return new Response(await readFile(route.file), { headers: { ...headers, 'Content-Type': route.type } });
      case 'tile':
        try {
          const tile = renderWorkspaceTile(eng.sources, route.sourceId, route.layer, route.z, route.x, route.y);
          return new Response(Buffer.from(tile), { headers: { ...headers, 'Content-Type': 'application/vnd.mapbox-vector-tile' } });
        } catch (e) {
          return new Response(JSON.stringify({ ok: false, error: toApiError(e) }), { status: 404, headers });
        }
      default:
        return new Response('Not found', { status: 404, headers });
    }
  });

  createMainWindow(preloadPath, trusted);
}

app.enableSandbox();
app.on('web-contents-created', (_e, wc) => {
  // No webview, no other window may ever get our IPC: only windows we created are trusted.
  wc.on('will-attach-webview', (event) => event.preventDefault());
});
app.whenReady().then(start, (e: unknown) => {
  console.error(e);
  app.exit(4);
});
app.on('window-all-closed', () => app.quit());
app.on('before-quit', () => {
  void engine?.close();
});
app.on('activate', () => {
  if (BrowserWindow.getAllWindows().length === 0) createMainWindow(preloadPath, trusted);
});
