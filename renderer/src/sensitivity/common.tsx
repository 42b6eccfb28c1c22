import { useState } from 'react';
import { Badge, Button, Group, Progress, Text, type MantineSize } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import type { JobProgress, Result } from '../../../shared/contract/index.js';
import { useEngine, useJobs } from '../api/engine.js';
import { newJobId } from '../api/job-id.js';
import { levelColor } from './format.js';

/** A SENSIBILITE level in the map's colour, with its meaning ("3 · département"). */
export function LevelBadge({ level, size = 'sm', short = false }: { level: number | null; size?: MantineSize; short?: boolean }) {
  const { t } = useTranslation();
  const key = String(level ?? -1);
  return (
    <Badge color={levelColor(level)} autoContrast size={size} variant="filled" data-level={key} style={{ flex: 'none' }}>
      {short ? (level ?? '?') : `${level ?? '?'} · ${t(`sens.level.${key}`)}`}
    </Badge>
  );
}

/**
 * Runs one job at a time with a fresh id, and follows its progress (`job.progress` events):
 * `run(prefix, call)` passes the id to the call and returns its Result.
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

/** A running job's progress bar, message and cancel button. */
export function JobLine({ jobId, progress, testId }: { jobId: string | null; progress: JobProgress | null; testId: string }) {
  const { t } = useTranslation();
  const { client } = useEngine();
  if (!jobId) return null;
  return (
    <Group gap="xs" wrap="nowrap" data-testid={testId}>
      <Progress style={{ flex: 1 }} size="sm" value={progress?.total ? (100 * progress.done) / progress.total : 100} animated={!progress?.total} />
      <Text size="xs" c="dimmed" truncate="end" maw={220}>
        {progress?.message || t('job.running')}
      </Text>
      <Button size="compact-xs" variant="subtle" color="red" onClick={() => void client.call('job.cancel', { jobId })}>
        {t('job.cancel')}
      </Button>
    </Group>
  );
}
