import { fork } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { demoWorkspacePath } from '../paths.js';
import { isAppError } from '../errors.js';
import { InProcessRunner } from './in-process-runner.js';
import { ProcessPoolRunner } from './process-pool-runner.js';
import type { FromJob, JobChannel, SpawnJobProcess } from './protocol.js';

const demo = demoWorkspacePath();

async function codeOf(p: Promise<unknown>): Promise<string> {
  try {
    await p;
    return 'OK';
  } catch (e) {
    return isAppError(e) ? e.code : `not an AppError: ${String(e)}`;
  }
}

/** A real child process running `script` (CommonJS), as a job channel. */
function scriptSpawner(script: string): SpawnJobProcess {
  const dir = mkdtempSync(join(tmpdir(), 'passerelle-job-'));
  const file = join(dir, 'child.cjs');
  writeFileSync(file, script);
  return () => {
    const child = fork(file, [], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
    const ch: JobChannel = {
      send: (m) => {
        if (child.connected) child.send(m);
      },
      onMessage: (l) => child.on('message', (m) => l(m as FromJob)),
      onExit: (l) => child.on('exit', (c, s) => l(c, s)),
      kill: () => {
        child.kill('SIGKILL');
      },
    };
    return ch;
  };
}

describe('in-process runner', () => {
  it('runs a task and reports progress up to completion', async () => {
    const runner = new InProcessRunner();
    const seen: Array<[number, number | null]> = [];
    const s = await runner.run('workspace.summary', { path: demo }, { jobId: 'a', onProgress: (d, t) => seen.push([d, t]) });
    expect(s.observations.count).toBe(991);
    expect(seen.at(-1)).toEqual([4, 4]);
  });

  it('a cancel before the task starts ends it with CANCELLED', async () => {
    const runner = new InProcessRunner();
    const p = runner.run('workspace.summary', { path: demo }, { jobId: 'b' });
    expect(runner.cancel('b')).toBe(true);
    expect(await codeOf(p)).toBe('CANCELLED');
    expect(runner.cancel('b')).toBe(false);
  });
});

describe('process pool runner', () => {
  it('runs a task in a job process', async () => {
    const pool = new ProcessPoolRunner();
    try {
      const s = await pool.run('workspace.summary', { path: demo }, { jobId: 'p1' });
      expect(s.observations.count).toBe(991);
    } finally {
      await pool.close();
    }
  });

  it('errors raised in the job process come back as the same AppError', async () => {
    const pool = new ProcessPoolRunner();
    try {
      expect(await codeOf(pool.run('workspace.summary', { path: '/nonexistent/x.gpkg' }, { jobId: 'p2' }))).toBe('NOT_FOUND');
    } finally {
      await pool.close();
    }
  });

  it('a queued job is cancelled at once', async () => {
    const pool = new ProcessPoolRunner({ maxProcesses: 1 });
    try {
      const first = pool.run('workspace.summary', { path: demo }, { jobId: 'q1' });
      const second = pool.run('workspace.summary', { path: demo }, { jobId: 'q2' });
      expect(pool.cancel('q2')).toBe(true);
      expect(await codeOf(second)).toBe('CANCELLED');
      expect(await codeOf(first)).toBe('OK');
    } finally {
      await pool.close();
    }
  });

  it('a job stuck in native code is killed after the grace period, and the pool recovers', async () => {
    // This child acknowledges nothing but "ready": it stands for a task blocked inside GDAL.
    const spawn = scriptSpawner(`process.send({ t: 'ready' }); process.on('message', () => {}); setInterval(() => {}, 1000);`);
    const pool = new ProcessPoolRunner({ spawn, cancelGraceMs: 200 });
    try {
      const p = pool.run('workspace.summary', { path: demo }, { jobId: 'stuck' });
      await new Promise((r) => setTimeout(r, 300));
      expect(pool.cancel('stuck')).toBe(true);
      expect(await codeOf(p)).toBe('CANCELLED');
    } finally {
      await pool.close();
    }
  });

  it('a job process that dies is reported as an internal error, not a hang', async () => {
    const spawn = scriptSpawner(`process.send({ t: 'ready' }); process.on('message', (m) => { if (m.t === 'run') process.exit(3); });`);
    const pool = new ProcessPoolRunner({ spawn });
    try {
      const p = pool.run('workspace.summary', { path: demo }, { jobId: 'dies' });
      await expect(p).rejects.toMatchObject({ code: 'INTERNAL', key: 'errors.JOB_PROCESS_DIED' });
    } finally {
      await pool.close();
    }
  });
});
