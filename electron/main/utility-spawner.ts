import { utilityProcess } from 'electron';
import type { FromJob, JobChannel, SpawnJobProcess } from '../core/jobs/protocol.js';

/**
 * Job processes in the desktop app: Electron's utilityProcess, which runs Node with
 * Electron's ABI (the native modules rebuilt for Electron load there) and works even when
 * the RunAsNode fuse is off.
 */
export const utilitySpawner: SpawnJobProcess = (entry) => {
  const child = utilityProcess.fork(entry, [], { serviceName: 'Passerelle job', stdio: 'inherit', env: { ...process.env, PASSERELLE_JOB_PROCESS: '1' } });
  const channel: JobChannel = {
    send: (msg) => child.postMessage(msg),
    onMessage: (listener) => child.on('message', (m: unknown) => listener(m as FromJob)),
    onExit: (listener) => child.on('exit', (code: number) => listener(code, null)),
    kill: () => {
      child.kill();
    },
  };
  return channel;
};
