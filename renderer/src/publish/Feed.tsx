import { useState } from 'react';
import { Alert, Button, Group, Paper, Stack, Text, TextInput, Title } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import type { ApiError, FeedResult } from '../../../shared/contract/index.js';
import { useEngine } from '../api/engine.js';
import { useJobRunner } from '../api/use-job-runner.js';
import { BundlePathField, CopyPath } from '../bundle/BundlePath.js';
import { isAbsolutePath } from '../cleanup/common.js';
import { JobLine } from '../components/JobLine.js';
import { errorText } from '../i18n/index.js';
import { isHttpUrl } from './format.js';

/**
 * The DCAT feed the park hosts for harvesters (data.gouv.fr, the regional platform): the bundle's
 * DCAT dataset added to a JSON-LD catalogue file (chosen with the save dialog, or typed), its
 * download URLs under where the bundle is served; a previous version of it there is replaced, and
 * the public datasets it became are added as landing pages.
 */
export function Feed({ bundle, workspace }: { bundle: string; workspace: string }) {
  const { t } = useTranslation();
  const { client } = useEngine();
  const job = useJobRunner();
  const [out, setOut] = useState('');
  const [hostedAt, setHostedAt] = useState('');
  const [title, setTitle] = useState('');
  const [result, setResult] = useState<FeedResult | null>(null);
  const [error, setError] = useState<ApiError | null>(null);
  const o = out.trim();
  const h = hostedAt.trim();
  const ready = o !== '' && isAbsolutePath(o) && isHttpUrl(h);

  const run = async () => {
    setError(null);
    setResult(null);
    const r = await job.run('publish-feed', (jobId) => client.call('publish.feed', { bundle, out: o, hostedAt: h, workspace, ...(title.trim() ? { title: title.trim() } : {}), jobId }));
    if (r.ok) setResult(r.value);
    else setError(r.error);
  };

  return (
    <Stack gap="xs" data-testid="publish-feed">
      <Title order={5}>{t('publish.feed.title')}</Title>
      <Text size="xs" c="dimmed">
        {t('publish.feed.intro')}
      </Text>
      <BundlePathField
        label={t('publish.feed.out')}
        description={t('publish.feed.outHint')}
        placeholder="/…/catalogue-dcat.jsonld"
        value={out}
        onChange={setOut}
        mode="save"
        defaultName="catalogue-dcat.jsonld"
        testId="publish-feed-out"
      />
      <TextInput
        size="xs"
        label={t('publish.feed.hostedAt')}
        description={t('publish.feed.hostedAtHint')}
        placeholder="https://donnees.parc.fr/lots/opendata/"
        value={hostedAt}
        onChange={(e) => setHostedAt(e.currentTarget.value)}
        error={h && !isHttpUrl(h) ? t('publish.profile.badUrl') : undefined}
        required
        data-testid="publish-feed-hosted-at"
      />
      <TextInput size="xs" label={t('publish.feed.catalogTitle')} description={t('publish.feed.catalogTitleHint')} value={title} onChange={(e) => setTitle(e.currentTarget.value)} data-testid="publish-feed-title" />
      <Group>
        <Button size="xs" variant="light" onClick={() => void run()} loading={job.running} disabled={!ready} data-testid="publish-feed-run">
          {t('publish.feed.run')}
        </Button>
      </Group>
      <JobLine jobId={job.jobId} progress={job.progress} testId="publish-feed-progress" />
      {error && (
        <Alert color="red" variant="light" data-testid="publish-feed-error">
          {errorText(t, error)}
        </Alert>
      )}
      {result && (
        <Paper withBorder p="sm" data-testid="publish-feed-result" data-path={result.path} data-datasets={result.datasets} data-dataset-id={result.datasetId}>
          <Stack gap={4}>
            <Text size="sm">{t('publish.feed.written', { count: result.datasets })}</Text>
            <CopyPath path={result.path} testId="publish-feed-path" />
            <Text size="xs" c="dimmed" ff="monospace">
              {result.datasetId}
            </Text>
          </Stack>
        </Paper>
      )}
    </Stack>
  );
}
