import { fork } from 'node:child_process';
import type { FromJob, JobChannel, SpawnJobProcess, ToJob } from './protocol.js';

/** Spawns job processes with Node's `child_process.fork` (CLI, web host, tests). */
export const forkSpawner: SpawnJobProcess = (entry, execArgv) => {
  const child = fork(entry, [], {
    execArgv: [...execArgv],
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    serialization: 'json',
    env: { ...process.env, PASSERELLE_JOB_PROCESS: '1' },
  });
  const channel: JobChannel = {
    send: (msg: ToJob) => {
      if (child.connected) child.send(msg);
    },
    onMessage: (listener) => child.on('message', (m) => listener(m as FromJob)),
    onExit: (listener) => child.on('exit', (code, signal) => listener(code, signal)),
    kill: () => {
      child.kill('SIGKILL');
    },
  };
  return channel;
};
