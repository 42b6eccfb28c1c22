import { createContext, useContext, useEffect, useMemo, useState, type ReactNode } from 'react';
import { createClient, type Client, type JobProgress } from '../../../shared/contract/index.js';
import { createUiTransport, type UiTransport } from './transport.js';

export interface EngineApi {
  client: Client;
  transport: UiTransport;
}

const EngineContext = createContext<EngineApi | null>(null);

/** Provides the typed client to the UI; the only way components reach the engine. */
export function EngineProvider({ children, transport }: { children: ReactNode; transport?: UiTransport }) {
  const value = useMemo(() => {
    const t = transport ?? createUiTransport();
    return { transport: t, client: createClient(t) };
  }, [transport]);
  return <EngineContext.Provider value={value}>{children}</EngineContext.Provider>;
}

export function useEngine(): EngineApi {
  const api = useContext(EngineContext);
  if (!api) throw new Error('useEngine outside EngineProvider');
  return api;
}

/** Running jobs and their last progress, from `job.progress` / `job.finished` events. */
export function useJobs(): Map<string, JobProgress> {
  const { client } = useEngine();
  const [jobs, setJobs] = useState<Map<string, JobProgress>>(new Map());
  useEffect(() => {
    const offProgress = client.on('job.progress', (p) =>
      setJobs((prev) => {
        const next = new Map(prev);
        next.set(p.jobId, p);
        return next;
      }),
    );
    const offFinished = client.on('job.finished', (f) =>
      setJobs((prev) => {
        if (!prev.has(f.jobId)) return prev;
        const next = new Map(prev);
        next.delete(f.jobId);
        return next;
      }),
    );
    return () => {
      offProgress();
      offFinished();
    };
  }, [client]);
  return jobs;
}
