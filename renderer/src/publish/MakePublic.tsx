import { useState } from 'react';
import { Alert, Button, Group, Stack, Text, Title } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import type { ApiError, In, PublishRun } from '../../../shared/contract/index.js';
import { useEngine } from '../api/engine.js';
import { useJobRunner } from '../api/use-job-runner.js';
import { JobLine } from '../components/JobLine.js';
import { errorText } from '../i18n/index.js';
import { ErrorHint } from './ErrorHint.js';
import { RunView } from './RunView.js';

type Input = Omit<In<'publish.makePublic'>, 'dryRun' | 'credentials' | 'jobId'>;

/**
 * « Rendre public »: the separate, explicit step after a publication (which is always private).
 * First its dry run — the call that flips the dataset's visibility, nothing sent — then, on
 * confirmation, that call. The engine refuses a version not sent completely, and runs the gate again.
 */
export function MakePublic({ input, credentials, onDone }: { input: Input | null; credentials: () => Promise<{ apiKey?: string; password?: string }>; onDone: () => void }) {
  const { t } = useTranslation();
  const { client } = useEngine();
  const job = useJobRunner();
  const [plan, setPlan] = useState<PublishRun | null>(null);
  const [done, setDone] = useState<PublishRun | null>(null);
  const [error, setError] = useState<ApiError | null>(null);
  const key = JSON.stringify(input);
  const [planKey, setPlanKey] = useState<string | null>(null);
  const current = plan !== null && planKey === key ? plan : null;

  const dryRun = async () => {
    if (!input) return;
    setError(null);
    setDone(null);
    setPlan(null);
    const r = await job.run('publish-public-plan', (jobId) => client.call('publish.makePublic', { ...input, dryRun: true, jobId }));
    if (r.ok) {
      setPlan(r.value);
      setPlanKey(key);
    } else setError(r.error);
  };

  const confirm = async () => {
    if (!input) return;
    setError(null);
    const creds = await credentials();
    const r = await job.run('publish-public', (jobId) => client.call('publish.makePublic', { ...input, credentials: creds, dryRun: false, jobId }));
    if (r.ok) {
      setDone(r.value);
      if (!r.value.refused) setPlan(null);
    } else setError(r.error);
    onDone();
  };

  return (
    <Stack gap="xs" data-testid="publish-make-public">
      <Title order={5}>{t('publish.makePublic.title')}</Title>
      <Text size="xs" c="dimmed">
        {t('publish.makePublic.intro')}
      </Text>
      <Group>
        <Button size="xs" variant="light" color="orange" onClick={() => void dryRun()} loading={job.running && !current} disabled={!input || job.running} data-testid="publish-make-public-plan">
          {t('publish.makePublic.plan')}
        </Button>
        {current && !current.refused && (
          <Button size="xs" color="orange" onClick={() => void confirm()} loading={job.running} data-testid="publish-make-public-confirm">
            {t('publish.makePublic.confirm')}
          </Button>
        )}
      </Group>
      <JobLine jobId={job.jobId} progress={job.progress} testId="publish-make-public-progress" />
      {current && !done && <RunView run={current} testId="publish-make-public-planned" />}
      {done && <RunView run={done} testId="publish-make-public-done" />}
      {error && (
        <Alert color="red" variant="light" data-testid="publish-make-public-error" data-code={error.code}>
          <Text size="sm">{errorText(t, error)}</Text>
          <ErrorHint error={error} />
        </Alert>
      )}
    </Stack>
  );
}
