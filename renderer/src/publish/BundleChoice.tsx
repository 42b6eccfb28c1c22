import { useState } from 'react';
import { Alert, Button, Group, Paper, Stack, Text, Title } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import type { ApiError, GateReport } from '../../../shared/contract/index.js';
import { useEngine } from '../api/engine.js';
import { useJobRunner } from '../api/use-job-runner.js';
import { BundlePathField, CopyPath } from '../bundle/BundlePath.js';
import { GateReportView } from '../bundle/GateReport.js';
import type { GateContext } from '../bundle/Tools.js';
import { isAbsolutePath } from '../cleanup/common.js';
import { JobLine } from '../components/JobLine.js';
import { errorText } from '../i18n/index.js';

/**
 * The bundle to publish: the one just built and verified, or another one (folder or zip) named by
 * its path — the system dialog in the app, typed in a browser — which the gate checks first (with
 * the workspace and the wizard's sensitivity files): only a bundle that passes is taken.
 */
export function BundleChoice({ bundle, onBundle, context, suggestions }: { bundle: string | null; onBundle: (path: string) => void; context: GateContext; suggestions: readonly string[] }) {
  const { t } = useTranslation();
  const { client } = useEngine();
  const job = useJobRunner();
  const [path, setPath] = useState('');
  const [report, setReport] = useState<GateReport | null>(null);
  const [error, setError] = useState<ApiError | null>(null);
  const p = path.trim();

  const check = async () => {
    setError(null);
    setReport(null);
    const r = await job.run('publish-verify', (jobId) =>
      client.call('bundle.verify', { path: p, workspace: context.workspace, referentials: context.referentials, ...(context.taxonomy ? { taxonomy: context.taxonomy } : {}), jobId }),
    );
    if (!r.ok) {
      setError(r.error);
      return;
    }
    setReport(r.value);
    if (r.value.verdict === 'pass') {
      onBundle(p);
      setPath('');
    }
  };

  return (
    <Stack gap="xs" data-testid="publish-bundle" data-path={bundle ?? ''}>
      <Title order={5}>{t('publish.bundle.title')}</Title>
      {bundle ? (
        <Paper withBorder p="xs">
          <CopyPath path={bundle} testId="publish-bundle-path" />
        </Paper>
      ) : (
        <Text size="xs" c="dimmed">
          {t('publish.bundle.none')}
        </Text>
      )}
      <BundlePathField
        label={t('publish.bundle.other')}
        description={t('publish.bundle.otherHint')}
        placeholder="/…/bundle ou /…/bundle.zip"
        value={path}
        onChange={setPath}
        mode="open"
        suggestions={suggestions}
        testId="publish-bundle-other"
      />
      <Group>
        <Button size="xs" variant="light" onClick={() => void check()} loading={job.running} disabled={!p || !isAbsolutePath(p)} data-testid="publish-bundle-other-check">
          {t('publish.bundle.check')}
        </Button>
      </Group>
      <JobLine jobId={job.jobId} progress={job.progress} testId="publish-bundle-progress" />
      {error && (
        <Alert color="red" variant="light" data-testid="publish-bundle-error">
          {errorText(t, error)}
          {error.code === 'PATH_NOT_ALLOWED' && <Text size="xs">{t('bundle.path.notAllowed')}</Text>}
        </Alert>
      )}
      {report && report.verdict !== 'pass' && (
        <Stack gap={4}>
          <Alert color="red" variant="light" data-testid="publish-bundle-refused">
            {t('publish.bundle.refused')}
          </Alert>
          <GateReportView report={report} testId="publish-bundle-gate" />
        </Stack>
      )}
    </Stack>
  );
}
