import { Alert, Badge, Group, Loader, Stack, Text, Title } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import type { ApiError, WorkspaceSummary } from '../../../shared/contract/index.js';
import { useEngine } from '../api/engine.js';
import { errorText } from '../i18n/index.js';
import { PathOpener } from './PathOpener.js';

/** The workspace section of the sidebar: what is in it, and how to open another one. */
export function WorkspacePanel({
  summary,
  error,
  isDemo,
  onOpened,
}: {
  summary: WorkspaceSummary | null;
  error: ApiError | null;
  isDemo: boolean;
  onOpened: (s: WorkspaceSummary) => void;
}) {
  const { t } = useTranslation();
  const { client } = useEngine();

  const o = summary?.observations;
  return (
    <Stack gap="xs" data-testid="workspace-panel">
      {error && (
        <Alert color="red" variant="light">
          {errorText(t, error)}
        </Alert>
      )}
      {!summary && !error && (
        <Group gap="xs">
          <Loader size="xs" />
          <Text size="sm">{t('workspace.loading')}</Text>
        </Group>
      )}
      {summary && o && (
        <>
          <Group gap={6} wrap="nowrap">
            <Title order={5} lineClamp={2}>
              {summary.title}
            </Title>
            {isDemo && (
              <Badge size="xs" style={{ flex: 'none' }}>
                {t('workspace.demo')}
              </Badge>
            )}
          </Group>
          <Text size="xs" c="dimmed" style={{ wordBreak: 'break-all' }}>
            {summary.path}
          </Text>
          {summary.workingCopy && (
            <Text size="xs" c="orange" style={{ wordBreak: 'break-all' }} data-testid="working-copy">
              {t('workspace.workingCopy', { path: summary.workingCopy })}
            </Text>
          )}
          <Stack gap={2}>
            <Text size="sm" fw={600} data-testid="observation-count">
              {t('workspace.observations', { count: o.count })}
            </Text>
            {o.dateMin && o.dateMax && <Text size="sm">{t('workspace.dates', { min: o.dateMin, max: o.dateMax })}</Text>}
            <Text size="sm">
              {t('workspace.taxa', { count: o.taxa })} · {t('workspace.observers', { count: o.observers })}
            </Text>
          </Stack>
          <Text size="xs" fw={700} tt="uppercase" c="dimmed" mt="xs">
            {t('workspace.datasets')}
          </Text>
          {summary.datasets.map((d) => (
            <Group key={d.uuid} justify="space-between" wrap="nowrap" gap="xs">
              <Text size="sm" lineClamp={2} title={d.uuid}>
                {d.name}
              </Text>
              <Badge variant="light" size="sm" style={{ flex: 'none' }}>
                {t('workspace.datasetCount', { count: d.observations })}
              </Badge>
            </Group>
          ))}
        </>
      )}
      <Text size="xs" fw={700} tt="uppercase" c="dimmed" mt="md">
        {t('workspace.openOther')}
      </Text>
      <PathOpener
        label={t('workspace.pathLabel')}
        placeholder={t('workspace.pathPlaceholder')}
        browseLabel={t('workspace.browse')}
        testId="open"
        open={async (p) => {
          const r = await client.call('workspace.open', { path: p, jobId: `open-${Date.now()}` });
          if (r.ok) onOpened(r.value);
          return r;
        }}
      />
    </Stack>
  );
}
