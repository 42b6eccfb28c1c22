import { useState } from 'react';
import { Alert, Button, Checkbox, SegmentedControl, Stack, Text, Title } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import type { ApiError, ExportGeoNatureReport } from '../../../shared/contract/index.js';
import { useEngine } from '../api/engine.js';
import { errorText } from '../i18n/index.js';
import { isAbsolutePath, JobLine, PathField, useJobRunner } from './common.js';

/** Writes the observations as the CSV GeoNature's import module reads (its field names, `;`, UTF-8). */
export function ExportPanel({ workspace }: { workspace: string }) {
  const { t } = useTranslation();
  const { client } = useEngine();
  const job = useJobRunner();
  const [out, setOut] = useState('');
  const [nomenclatures, setNomenclatures] = useState<'labels' | 'codes'>('labels');
  const [overwrite, setOverwrite] = useState(false);
  const [error, setError] = useState<ApiError | null>(null);
  const [done, setDone] = useState<ExportGeoNatureReport | null>(null);

  const run = async () => {
    setError(null);
    setDone(null);
    const r = await job.run('clean-export', (jobId) => client.call('clean.exportGeonature', { workspace, out: out.trim(), overwrite, nomenclatures, jobId }));
    if (r.ok) setDone(r.value);
    else setError(r.error);
  };

  return (
    <Stack gap="sm" maw={720} data-testid="clean-export">
      <Title order={5}>{t('clean.export.title')}</Title>
      <Text size="xs" c="dimmed">
        {t('clean.export.intro')}
      </Text>
      <PathField label={t('clean.export.out')} placeholder="/…/import-geonature.csv" value={out} onChange={setOut} mode="save" defaultName="import-geonature.csv" filters={[{ name: 'CSV', extensions: ['csv'] }]} testId="clean-export-path" />
      <SegmentedControl
        size="xs"
        value={nomenclatures}
        onChange={(v) => setNomenclatures(v === 'codes' ? 'codes' : 'labels')}
        data={[
          { value: 'labels', label: t('clean.export.labels') },
          { value: 'codes', label: t('clean.export.codes') },
        ]}
      />
      <Checkbox size="xs" label={t('clean.export.overwrite')} checked={overwrite} onChange={(e) => setOverwrite(e.currentTarget.checked)} />
      <Button onClick={() => void run()} loading={job.running} disabled={!out.trim() || !isAbsolutePath(out.trim())} data-testid="clean-export-run">
        {t('clean.export.run')}
      </Button>
      <JobLine jobId={job.jobId} progress={job.progress} testId="clean-export-progress" />
      {error && (
        <Alert color="red" variant="light" data-testid="clean-export-error">
          {errorText(t, error)}
        </Alert>
      )}
      {done && (
        <Alert color="teal" variant="light" data-testid="clean-export-done" data-rows={done.rows}>
          {t('clean.export.done', { rows: done.rows, columns: done.columns.length, out: done.out })}
          {done.skipped > 0 && ` ${t('clean.export.skipped', { count: done.skipped })}`}
        </Alert>
      )}
    </Stack>
  );
}
