import { useState } from 'react';
import type { Result } from '../../../shared/contract/index.js';
import { useJobs } from './engine.js';
import { newJobId } from './job-id.js';

/**
 * Runs one job at a time with a fresh id and follows its progress (`job.progress` events):
 * `run(prefix, call)` hands the id to the call and returns its Result.
 */
export function useJobRunner() {
  const jobs = useJobs();
  const [jobId, setJobId] = useState<string | null>(null);
  const run = async <T,>(prefix: string, call: (jobId: string) => Promise<Result<T>>): Promise<Result<T>> => {
    const id = newJobId(prefix);
    setJobId(id);
    try {
      return await call(id);
    } finally {
      setJobId(null);
    }
  };
  return { running: jobId !== null, jobId, progress: jobId ? (jobs.get(jobId) ?? null) : null, run };
}
