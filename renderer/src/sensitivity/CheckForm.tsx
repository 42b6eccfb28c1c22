import { useState } from 'react';
import { Alert, Button, Checkbox, Group, SegmentedControl, Stack, Text, TextInput, Title } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import type { ApiError, SensitivityCheckSummary, SensitivityPropagation, SensitivityRuleSourceKind } from '../../../shared/contract/index.js';
import { useEngine } from '../api/engine.js';
import { errorText } from '../i18n/index.js';
import { JobLine, useJobRunner } from './common.js';

const SOURCES: SensitivityRuleSourceKind[] = ['pulled', 'files', 'local'];
const PROPAGATION: SensitivityPropagation[] = ['site+releve', 'releve', 'off'];

/**
 * Runs the check on the whole workspace as a job (progress and cancel here and in the status
 * bar): the day durations are counted to, the rule sources, and what to do with a taxon the
 * taxonomy does not know.
 */
export function CheckForm({ workspace, onChecked }: { workspace: string; onChecked: (summary: SensitivityCheckSummary) => void }) {
  const { t, i18n } = useTranslation();
  const { client } = useEngine();
  const job = useJobRunner();
  const [asOf, setAsOf] = useState('');
  const [sources, setSources] = useState<string[]>(SOURCES);
  const [unmatched, setUnmatched] = useState<'withhold' | 'evaluate'>('withhold');
  const [propagation, setPropagation] = useState<SensitivityPropagation>('site+releve');
  const [error, setError] = useState<ApiError | null>(null);
  const [done, setDone] = useState<SensitivityCheckSummary | null>(null);
  const validAsOf = /^\d{4}-\d{2}-\d{2}$/.test(asOf);

  const run = async () => {
    setError(null);
    setDone(null);
    const r = await job.run('sens-check', (jobId) =>
      client.call('sensitivity.check', {
        workspace,
        sources: sources as SensitivityRuleSourceKind[],
        ...(validAsOf ? { asOf } : {}),
        unmatchedTaxon: unmatched,
        propagation,
        lang: i18n.language === 'en' ? 'en' : 'fr',
        jobId,
      }),
    );
    if (!r.ok) {
      setError(r.error);
      return;
    }
    setDone(r.value.check);
    onChecked(r.value.check);
  };

  return (
    <Stack gap="xs" data-testid="sens-check">
      <Title order={5}>{t('sens.check.title')}</Title>
      <TextInput size="xs" type="date" label={t('sens.check.asOf')} description={t('sens.check.asOfHint')} value={asOf} onChange={(e) => setAsOf(e.currentTarget.value)} maw={260} data-testid="sens-check-asof" />
      <Stack gap={4}>
        <Text size="xs" fw={500}>
          {t('sens.check.unmatched')}
        </Text>
        <SegmentedControl
          size="xs"
          value={unmatched}
          onChange={(v) => setUnmatched(v === 'evaluate' ? 'evaluate' : 'withhold')}
          data={[
            { value: 'withhold', label: t('sens.check.withhold') },
            { value: 'evaluate', label: t('sens.check.evaluate') },
          ]}
        />
      </Stack>
      <Stack gap={4}>
        <Text size="xs" fw={500}>
          {t('sens.check.propagation')}
        </Text>
        <SegmentedControl
          size="xs"
          value={propagation}
          onChange={(v) => setPropagation(PROPAGATION.find((p) => p === v) ?? 'site+releve')}
          data={PROPAGATION.map((p) => ({ value: p, label: t(`sens.check.propagationModes.${p}`) }))}
          data-testid="sens-check-propagation"
        />
      </Stack>
      <Checkbox.Group size="xs" label={t('sens.check.sources')} value={sources} onChange={setSources}>
        <Group gap="md" mt={4}>
          {SOURCES.map((s) => (
            <Checkbox key={s} size="xs" value={s} label={t(`sens.source.${s}`)} data-testid={`sens-check-source-${s}`} />
          ))}
        </Group>
      </Checkbox.Group>
      <Button onClick={() => void run()} loading={job.running} disabled={sources.length === 0} data-testid="sens-check-run">
        {t('sens.check.run')}
      </Button>
      {sources.length === 0 && (
        <Text size="xs" c="red">
          {t('sens.check.noSource')}
        </Text>
      )}
      <JobLine jobId={job.jobId} progress={job.progress} testId="sens-check-progress" />
      {error && (
        <Alert color="red" variant="light" data-testid="sens-check-error">
          {errorText(t, error)}
        </Alert>
      )}
      {done && (
        <Text size="xs" c="teal" data-testid="sens-check-done">
          {t('sens.check.done', { ms: done.durationMs, total: done.total, degraded: done.degraded })}
        </Text>
      )}
    </Stack>
  );
}
