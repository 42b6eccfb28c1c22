import { useState } from 'react';
import { Alert, Badge, Button, Checkbox, Code, Group, Paper, SimpleGrid, Stack, Text, Title } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import type { ApiError, BundleDiff, GateReport } from '../../../shared/contract/index.js';
import { useEngine } from '../api/engine.js';
import { useJobRunner } from '../api/use-job-runner.js';
import { JobLine } from '../components/JobLine.js';
import { isAbsolutePath } from '../cleanup/common.js';
import { errorText } from '../i18n/index.js';
import { BundlePathField } from './BundlePath.js';
import { GateReportView } from './GateReport.js';

/** What the gate needs to recompute the sensitivity decisions and scan for leaks. */
export interface GateContext {
  workspace: string;
  referentials: string[];
  taxonomy: string | null;
}

/**
 * The gate on any bundle (folder or zip, built here or elsewhere): with the open workspace and the
 * wizard's sensitivity files it also recomputes the decisions and scans every byte for precise
 * coordinates; without, those checks are skipped and the verdict is "incomplete".
 */
export function VerifyTool({ context, suggestions, initialPath = '' }: { context: GateContext; suggestions: readonly string[]; initialPath?: string }) {
  const { t } = useTranslation();
  const { client } = useEngine();
  const job = useJobRunner();
  const [path, setPath] = useState(initialPath);
  const [withWorkspace, setWithWorkspace] = useState(true);
  const [error, setError] = useState<ApiError | null>(null);
  const [report, setReport] = useState<GateReport | null>(null);
  const p = path.trim();

  const run = async () => {
    setError(null);
    setReport(null);
    const r = await job.run('bundle-verify', (jobId) =>
      client.call('bundle.verify', {
        path: p,
        ...(withWorkspace ? { workspace: context.workspace, referentials: context.referentials, ...(context.taxonomy ? { taxonomy: context.taxonomy } : {}) } : {}),
        jobId,
      }),
    );
    if (r.ok) setReport(r.value);
    else setError(r.error);
  };

  return (
    <Stack gap="xs" data-testid="bundle-verify">
      <Title order={5}>{t('bundle.verify.title')}</Title>
      <Text size="xs" c="dimmed">
        {t('bundle.verify.intro')}
      </Text>
      <BundlePathField label={t('bundle.verify.path')} placeholder="/…/bundle ou /…/bundle.zip" value={path} onChange={setPath} mode="open" suggestions={suggestions} testId="bundle-verify-path" />
      <Checkbox
        size="xs"
        checked={withWorkspace}
        onChange={(e) => setWithWorkspace(e.currentTarget.checked)}
        label={t('bundle.verify.withWorkspace', { files: context.referentials.length + (context.taxonomy ? 1 : 0) })}
        description={t('bundle.verify.withWorkspaceHint')}
        data-testid="bundle-verify-with-workspace"
      />
      <Group>
        <Button size="xs" onClick={() => void run()} loading={job.running} disabled={!p || !isAbsolutePath(p)} data-testid="bundle-verify-run">
          {t('bundle.verify.run')}
        </Button>
      </Group>
      <JobLine jobId={job.jobId} progress={job.progress} testId="bundle-verify-progress" />
      {error && (
        <Alert color="red" variant="light" data-testid="bundle-verify-error">
          {errorText(t, error)}
          {error.code === 'PATH_NOT_ALLOWED' && <Text size="xs">{t('bundle.path.notAllowed')}</Text>}
        </Alert>
      )}
      {report && <GateReportView report={report} testId="bundle-verify-report" />}
    </Stack>
  );
}

function DiffList({ label, items, testId }: { label: string; items: readonly string[]; testId: string }) {
  if (items.length === 0) return null;
  return (
    <Stack gap={2} data-testid={testId} data-count={items.length}>
      <Text size="xs" fw={500}>
        {label} ({items.length})
      </Text>
      <Code block fz="xs" style={{ maxHeight: 140, overflow: 'auto' }}>
        {items.join('\n')}
      </Code>
    </Stack>
  );
}

/** Two bundles compared: files by checksum, observations by UUID (added, removed, changed). */
export function DiffTool({ suggestions, initialOld = '', initialNew = '' }: { suggestions: readonly string[]; initialOld?: string; initialNew?: string }) {
  const { t } = useTranslation();
  const { client } = useEngine();
  const job = useJobRunner();
  const [oldPath, setOld] = useState(initialOld);
  const [newPath, setNew] = useState(initialNew);
  const [error, setError] = useState<ApiError | null>(null);
  const [diff, setDiff] = useState<BundleDiff | null>(null);
  const ok = (s: string) => s.trim() !== '' && isAbsolutePath(s.trim());

  const run = async () => {
    setError(null);
    setDiff(null);
    const r = await job.run('bundle-diff', (jobId) => client.call('bundle.diff', { old: oldPath.trim(), new: newPath.trim(), jobId }));
    if (r.ok) setDiff(r.value);
    else setError(r.error);
  };

  const side = (s: BundleDiff['old']) => (s.version ? t('bundle.diff.side', { version: s.version, asOf: s.asOf ?? '—' }) : t('bundle.diff.notBundle'));
  return (
    <Stack gap="xs" data-testid="bundle-diff">
      <Title order={5}>{t('bundle.diff.title')}</Title>
      <Text size="xs" c="dimmed">
        {t('bundle.diff.intro')}
      </Text>
      <BundlePathField label={t('bundle.diff.old')} placeholder="/…/bundle-v1" value={oldPath} onChange={setOld} mode="open" suggestions={suggestions} testId="bundle-diff-old" />
      <BundlePathField label={t('bundle.diff.new')} placeholder="/…/bundle-v2" value={newPath} onChange={setNew} mode="open" suggestions={suggestions} testId="bundle-diff-new" />
      <Group>
        <Button size="xs" onClick={() => void run()} loading={job.running} disabled={!ok(oldPath) || !ok(newPath)} data-testid="bundle-diff-run">
          {t('bundle.diff.run')}
        </Button>
      </Group>
      <JobLine jobId={job.jobId} progress={job.progress} testId="bundle-diff-progress" />
      {error && (
        <Alert color="red" variant="light" data-testid="bundle-diff-error">
          {errorText(t, error)}
          {error.code === 'PATH_NOT_ALLOWED' && <Text size="xs">{t('bundle.path.notAllowed')}</Text>}
        </Alert>
      )}
      {diff && (
        <Paper withBorder p="xs" data-testid="bundle-diff-result" data-same={diff.sameBundle} data-changed-files={diff.files.changed.length} data-changed-obs={diff.observations?.changed.length ?? ''}>
          <Stack gap="xs">
            <Group gap="xs">
              <Badge variant="light" color={diff.sameBundle ? 'teal' : 'orange'}>
                {diff.sameBundle ? t('bundle.diff.same') : t('bundle.diff.different')}
              </Badge>
              <Text size="xs">
                {side(diff.old)} → {side(diff.new)}
              </Text>
            </Group>
            <Text size="xs">{t('bundle.diff.files', { added: diff.files.added.length, removed: diff.files.removed.length, changed: diff.files.changed.length, unchanged: diff.files.unchanged.length })}</Text>
            {diff.observations ? (
              <Text size="xs" data-testid="bundle-diff-observations">
                {t('bundle.diff.observations', { added: diff.observations.added.length, removed: diff.observations.removed.length, changed: diff.observations.changed.length, unchanged: diff.observations.unchanged })}
                {diff.observations.truncated ? ` ${t('bundle.diff.truncated')}` : ''}
              </Text>
            ) : (
              <Text size="xs" c="dimmed">
                {t('bundle.diff.noCsv')}
              </Text>
            )}
            <SimpleGrid cols={{ base: 1, md: 2 }}>
              <DiffList label={t('bundle.diff.filesAdded')} items={diff.files.added} testId="bundle-diff-files-added" />
              <DiffList label={t('bundle.diff.filesRemoved')} items={diff.files.removed} testId="bundle-diff-files-removed" />
              <DiffList label={t('bundle.diff.filesChanged')} items={diff.files.changed} testId="bundle-diff-files-changed" />
              {diff.observations && <DiffList label={t('bundle.diff.obsAdded')} items={diff.observations.added} testId="bundle-diff-obs-added" />}
              {diff.observations && <DiffList label={t('bundle.diff.obsRemoved')} items={diff.observations.removed} testId="bundle-diff-obs-removed" />}
              {diff.observations && <DiffList label={t('bundle.diff.obsChanged')} items={diff.observations.changed} testId="bundle-diff-obs-changed" />}
            </SimpleGrid>
          </Stack>
        </Paper>
      )}
    </Stack>
  );
}
