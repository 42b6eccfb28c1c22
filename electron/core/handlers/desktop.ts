import type { Handlers } from '../dispatch.js';

/**
 * Defaults for hosts without a system file dialog or keyring (web host, CLI, tests): say
 * so, and let the UI offer its path field and ask for passwords each time. The Electron
 * app overrides these handlers.
 */
export function desktopHandlers(): Pick<Handlers, 'dialog.openFile' | 'dialog.saveFile' | 'secrets.status' | 'secrets.get' | 'secrets.set'> {
  return {
    'dialog.openFile': async () => ({ supported: false, path: null }),
    'dialog.saveFile': async () => ({ supported: false, path: null }),
    // Only the desktop app can encrypt with the system keyring; elsewhere nothing is remembered.
    'secrets.status': async () => ({ persistent: false, backend: 'none' }),
    'secrets.get': async () => ({ value: null }),
    'secrets.set': async () => ({ stored: false }),
  };
}
