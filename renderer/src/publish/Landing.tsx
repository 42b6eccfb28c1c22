import { useState } from 'react';
import { Alert, Button, Group, List, Paper, Stack, Text, TextInput, Title } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import type { ApiError, LandingResult } from '../../../shared/contract/index.js';
import { useEngine } from '../api/engine.js';
import { useJobRunner } from '../api/use-job-runner.js';
import { CopyPath } from '../bundle/BundlePath.js';
import { formatBytes } from '../bundle/format.js';
import { useLang } from '../cleanup/common.js';
import { JobLine } from '../components/JobLine.js';
import { errorText } from '../i18n/index.js';
import { inBundle, isHttpUrl } from './format.js';

/**
 * The bundle's landing page: `index.html` (schema.org Dataset JSON-LD for Google Dataset Search,
 * README, licence, downloads) and `preview.png` (a map of the published geometries only), written
 * into the bundle and added to its checksums. The app cannot serve a file of the bundle to the
 * page, so it shows where they are, to open in a browser or put online with the bundle.
 */
export function Landing({ bundle }: { bundle: string }) {
  const { t } = useTranslation();
  const { client } = useEngine();
  const lang = useLang();
  const job = useJobRunner();
  const [hostedAt, setHostedAt] = useState('');
  const [result, setResult] = useState<LandingResult | null>(null);
  const [error, setError] = useState<ApiError | null>(null);
  const h = hostedAt.trim();

  const run = async () => {
    setError(null);
    setResult(null);
    const r = await job.run('publish-landing', (jobId) => client.call('publish.landing', { bundle, ...(h ? { hostedAt: h } : {}), jobId }));
    if (r.ok) setResult(r.value);
    else setError(r.error);
  };

  const name = typeof result?.jsonLd.name === 'string' ? result.jsonLd.name : null;
  return (
    <Stack gap="xs" data-testid="publish-landing">
      <Title order={5}>{t('publish.landing.title')}</Title>
      <Text size="xs" c="dimmed">
        {t('publish.landing.intro')}
      </Text>
      <TextInput
        size="xs"
        label={t('publish.landing.hostedAt')}
        description={t('publish.landing.hostedAtHint')}
        placeholder="https://donnees.parc.fr/lots/opendata/"
        value={hostedAt}
        onChange={(e) => setHostedAt(e.currentTarget.value)}
        error={h && !isHttpUrl(h) ? t('publish.profile.badUrl') : undefined}
        data-testid="publish-landing-hosted-at"
      />
      <Group>
        <Button size="xs" variant="light" onClick={() => void run()} loading={job.running} disabled={h !== '' && !isHttpUrl(h)} data-testid="publish-landing-run">
          {t('publish.landing.run')}
        </Button>
      </Group>
      <JobLine jobId={job.jobId} progress={job.progress} testId="publish-landing-progress" />
      {error && (
        <Alert color="red" variant="light" data-testid="publish-landing-error">
          {errorText(t, error)}
        </Alert>
      )}
      {result && (
        <Paper withBorder p="sm" data-testid="publish-landing-result" data-files={result.files.map((f) => f.path).join(',')} data-zip={result.zip} data-problems={result.problems.length}>
          <Stack gap={4}>
            <Text size="sm" fw={500}>
              {result.zip ? t('publish.landing.writtenZip') : t('publish.landing.written')}
            </Text>
            {result.files.map((f) => (
              <Group key={f.path} gap="xs" wrap="nowrap" data-testid="publish-landing-file" data-path={f.path}>
                <Text size="xs" style={{ flex: 'none' }}>
                  {f.path === 'preview.png' ? t('publish.landing.preview') : t('publish.landing.page')} · {formatBytes(f.bytes, lang)}
                </Text>
                {result.zip ? (
                  <Text size="xs" ff="monospace">
                    {t('publish.landing.inZip', { file: f.path, zip: result.path })}
                  </Text>
                ) : (
                  <CopyPath path={inBundle(result.path, f.path)} testId={`publish-landing-path-${f.path.replace(/\W/g, '-')}`} />
                )}
              </Group>
            ))}
            {result.map ? (
              <Text size="xs" data-testid="publish-landing-map" data-points={result.map.points} data-areas={result.map.areas}>
                {t('publish.landing.map', { width: result.map.width, height: result.map.height, points: result.map.points, areas: result.map.areas })}
              </Text>
            ) : (
              <Text size="xs" c="orange">
                {t('publish.landing.noMap')}
              </Text>
            )}
            {name && <Text size="xs">{t('publish.landing.jsonLd', { name })}</Text>}
            <Text size="xs" c="dimmed">
              {t('publish.landing.openHint')}
            </Text>
            {result.problems.length > 0 && (
              <>
                <Text size="xs" c="orange">
                  {t('publish.landing.problems')}
                </Text>
                <List size="xs">
                  {result.problems.map((p) => (
                    <List.Item key={p}>{p}</List.Item>
                  ))}
                </List>
              </>
            )}
          </Stack>
        </Paper>
      )}
    </Stack>
  );
}
