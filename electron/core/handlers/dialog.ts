import type { Handlers } from '../dispatch.js';

/**
 * Default for hosts without a system file dialog (web host, CLI, tests): say so, and let
 * the UI offer its path field. The Electron app overrides this handler.
 */
export function dialogHandlers(): Pick<Handlers, 'dialog.openFile'> {
  return {
    'dialog.openFile': async () => ({ supported: false, path: null }),
  };
}
