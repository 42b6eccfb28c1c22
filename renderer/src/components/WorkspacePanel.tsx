import { useState } from 'react';
import { Alert, Badge, Button, Group, Loader, Stack, Text, TextInput, Title } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import type { ApiError, WorkspaceSummary } from '../../../shared/contract/index.js';
import { useEngine } from '../api/engine.js';
import { errorText } from '../i18n/index.js';

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
  const { client, transport } = useEngine();
  const [path, setPath] = useState('');
  const [busy, setBusy] = useState(false);
  const [openError, setOpenError] = useState<ApiError | null>(null);

  const open = async (p: string) => {
    setBusy(true);
    setOpenError(null);
    const r = await client.call('workspace.open', { path: p, jobId: `open-${Date.now()}` });
    setBusy(false);
    if (r.ok) onOpened(r.value);
    else setOpenError(r.error);
  };

  const browse = async () => {
    const r = await client.call('dialog.openFile', { filters: [{ name: 'GeoPackage', extensions: ['gpkg'] }] });
    if (r.ok && r.value.path) await open(r.value.path);
  };

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
      {transport.kind === 'electron' ? (
        <Button size="xs" variant="light" onClick={() => void browse()} loading={busy}>
          {t('workspace.browse')}
        </Button>
      ) : (
        <form
          onSubmit={(e) => {
            e.preventDefault();
            if (path.trim()) void open(path.trim());
          }}
        >
          <Group gap="xs" align="flex-end" wrap="nowrap">
            <TextInput
              size="xs"
              style={{ flex: 1 }}
              label={t('workspace.pathLabel')}
              placeholder={t('workspace.pathPlaceholder')}
              value={path}
              onChange={(e) => setPath(e.currentTarget.value)}
            />
            <Button size="xs" type="submit" loading={busy}>
              {t('workspace.open')}
            </Button>
          </Group>
        </form>
      )}
      {openError && (
        <Alert color="red" variant="light" data-testid="open-error">
          {errorText(t, openError)}
        </Alert>
      )}
    </Stack>
  );
}
