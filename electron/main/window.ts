import { BrowserWindow, shell, type WebContents } from 'electron';
import { join } from 'node:path';
import { RENDERER_ORIGIN } from './app-protocol.js';

/**
 * The main window, with the Electron security checklist's settings: context isolation,
 * sandbox, no Node in the renderer, our UI only (no navigation, no new windows), no
 * permission granted to the page.
 */
export function createMainWindow(preloadPath: string, trusted: Set<number>): BrowserWindow {
  const win = new BrowserWindow({
    width: 1400,
    height: 900,
    minWidth: 900,
    minHeight: 600,
    title: 'Passerelle',
    icon: join(import.meta.dirname ?? '', '..', '..', '..', 'build', 'icons', 'icon.png'),
    show: false,
    webPreferences: {
      preload: preloadPath,
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
      spellcheck: false,
    },
  });
  const id = win.webContents.id;
  trusted.add(id);
  win.on('closed', () => trusted.delete(id));
  lockDown(win.webContents);
  win.once('ready-to-show', () => win.show());
  void win.loadURL(`${RENDERER_ORIGIN}/index.html`);
  return win;
}

function lockDown(wc: WebContents): void {
  // Checklist §13: no navigation away from our UI.
  wc.on('will-navigate', (event, url) => {
    if (!url.startsWith(`${RENDERER_ORIGIN}/`)) event.preventDefault();
  });
  wc.on('will-redirect', (event, url) => {
    if (!url.startsWith(`${RENDERER_ORIGIN}/`)) event.preventDefault();
  });
  // Checklist §14: no new windows; https links open in the user's browser, nothing else.
  wc.setWindowOpenHandler(({ url }) => {
    if (url.startsWith('https://')) void shell.openExternal(url);
    return { action: 'deny' };
  });
  wc.on('will-attach-webview', (event) => event.preventDefault());
  // Checklist §5: the UI needs no permission (camera, geolocation, notifications…).
  wc.session.setPermissionRequestHandler((_wc, _permission, callback) => callback(false));
}
