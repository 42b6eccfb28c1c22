/**
 * The preload script: imports only `electron`, bundled by esbuild into one CommonJS file
 * (a sandboxed preload cannot load the engine or any other module).
 */
import { contextBridge, ipcRenderer } from 'electron';
import { createBridge } from './bridge.js';

contextBridge.exposeInMainWorld('passerelle', createBridge(ipcRenderer));
