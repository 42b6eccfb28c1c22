import { Button, Group, Progress, Text } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import type { JobProgress } from '../../../shared/contract/index.js';
import { useEngine } from '../api/engine.js';

/** A running job's progress bar, message (and done/total when known) and cancel button. */
export function JobLine({ jobId, progress, testId }: { jobId: string | null; progress: JobProgress | null; testId: string }) {
  const { t } = useTranslation();
  const { client } = useEngine();
  if (!jobId) return null;
  return (
    <Group gap="xs" wrap="nowrap" data-testid={testId}>
      <Progress style={{ flex: 1 }} size="sm" value={progress?.total ? (100 * progress.done) / progress.total : 100} animated={!progress?.total} />
      <Text size="xs" c="dimmed" truncate="end" maw={260}>
        {progress?.message || t('job.running')}
        {progress?.total ? ` · ${progress.done}/${progress.total}` : ''}
      </Text>
      <Button size="compact-xs" variant="subtle" color="red" onClick={() => void client.call('job.cancel', { jobId })}>
        {t('job.cancel')}
      </Button>
    </Group>
  );
}
