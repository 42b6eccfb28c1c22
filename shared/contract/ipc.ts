/**
 * The two Electron IPC channels, shared by the preload bridge and the main process.
 * Calls go on one (invoke → Result), events come back on the other.
 */
export const CALL_CHANNEL = 'passerelle:call';
export const EVENT_CHANNEL = 'passerelle:event';
