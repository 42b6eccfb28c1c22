import { useCallback, useEffect, useRef, useState } from 'react';
import { useEngine } from '../api/engine.js';
import { applyProgress, NO_PROGRESS, type RunProgress } from './format.js';

/**
 * The per-file progress of the last publication started here, folded from every `job.progress`
 * event of its job (the engine's shared/publish/progress.ts messages). The job runner keeps only a
 * job's last event; this keeps each file's. `track(jobId)` starts a new run; the files stay on
 * screen after the job ended (its last events may arrive after its result), until `reset()`.
 */
export function useRunProgress(): { progress: RunProgress; track: (jobId: string) => void; reset: () => void } {
  const { client } = useEngine();
  const tracked = useRef<string | null>(null);
  const [progress, setProgress] = useState<RunProgress>(NO_PROGRESS);
  useEffect(
    () =>
      client.on('job.progress', (p) => {
        if (p.jobId === tracked.current) setProgress((prev) => applyProgress(prev, p.message));
      }),
    [client],
  );
  const track = useCallback((jobId: string) => {
    tracked.current = jobId;
    setProgress(NO_PROGRESS);
  }, []);
  const reset = useCallback(() => {
    tracked.current = null;
    setProgress(NO_PROGRESS);
  }, []);
  return { progress, track, reset };
}
