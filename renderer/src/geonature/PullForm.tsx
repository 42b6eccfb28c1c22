import { useEffect, useState } from 'react';
import { Alert, Button, Group, Stack, TagsInput, Text, TextInput } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import type { ApiError, In, PullEstimate } from '../../../shared/contract/index.js';
import { useEngine } from '../api/engine.js';
import { errorText } from '../i18n/index.js';

type Filters = NonNullable<In<'geonature.pull'>['filters']>;
type Connection = In<'geonature.pull'>['connection'];

/**
 * Pull dialog: filters (the CA/JDD ticked in the tree, taxa with descendants, dates, areas),
 * a live estimate of what would come, where to write the new workspace, and the pull itself
 * (a job: progress and cancel in the status bar).
 */
export function PullForm({ connection, frameworks, datasets, onPulled }: { connection: Connection; frameworks: string[]; datasets: string[]; onPulled: (path: string) => void }) {
  const { t } = useTranslation();
  const { client, transport } = useEngine();
  const [taxa, setTaxa] = useState<string[]>([]);
  const [dateFrom, setDateFrom] = useState('');
  const [dateTo, setDateTo] = useState('');
  const [areas, setAreas] = useState<string[]>([]);
  const [out, setOut] = useState('');
  const [estimate, setEstimate] = useState<PullEstimate | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ApiError | null>(null);

  const filters: Filters = {
    frameworks,
    datasets,
    taxa: taxa.map(Number).filter((n) => Number.isInteger(n) && n > 0),
    dateFrom: /^\d{4}-\d{2}-\d{2}$/.test(dateFrom) ? dateFrom : null,
    dateTo: /^\d{4}-\d{2}-\d{2}$/.test(dateTo) ? dateTo : null,
    bbox: null,
    areas: areas.map((a) => {
      const [type, code] = a.includes(':') ? a.split(':', 2) : [null, a];
      return { type: type ?? null, code: code ?? a };
    }),
  };
  const key = JSON.stringify(filters);

  // A live estimate, a moment after the filters stop changing.
  useEffect(() => {
    let alive = true;
    const timer = setTimeout(() => {
      void client.call('geonature.estimate', { connection, filters: JSON.parse(key) as Filters }).then((r) => {
        if (alive && r.ok) setEstimate(r.value);
      });
    }, 300);
    return () => {
      alive = false;
      clearTimeout(timer);
    };
  }, [client, connection, key]);

  const choose = async () => {
    const r = await client.call('dialog.saveFile', { defaultName: 'espace-geonature.gpkg', filters: [{ name: 'GeoPackage', extensions: ['gpkg'] }] });
    if (r.ok && r.value.path) setOut(r.value.path);
  };

  const pull = async () => {
    setBusy(true);
    setError(null);
    const r = await client.call('geonature.pull', { connection, filters, out, jobId: `pull-${Date.now()}` });
    setBusy(false);
    if (r.ok) onPulled(r.value.path);
    else setError(r.error);
  };

  return (
    <Stack gap="xs" data-testid="pull-form">
      <Text size="sm">{frameworks.length + datasets.length === 0 ? t('gn.pull.everything') : t('gn.pull.selection', { frameworks: frameworks.length, datasets: datasets.length })}</Text>
      <TagsInput size="xs" label={t('gn.pull.taxa')} placeholder="2852, 2645…" value={taxa} onChange={setTaxa} />
      <Group grow>
        <TextInput size="xs" type="date" label={t('gn.pull.from')} value={dateFrom} onChange={(e) => setDateFrom(e.currentTarget.value)} />
        <TextInput size="xs" type="date" label={t('gn.pull.to')} value={dateTo} onChange={(e) => setDateTo(e.currentTarget.value)} />
      </Group>
      <TagsInput size="xs" label={t('gn.pull.areas')} placeholder="COM:05101, DEP:38…" value={areas} onChange={setAreas} />
      <Text size="sm" fw={600} data-testid="pull-estimate">
        {estimate ? t('gn.pull.estimate', { count: estimate.observations, datasets: estimate.datasets }) : '…'}
      </Text>
      <Group gap="xs" align="flex-end" wrap="nowrap">
        <TextInput size="xs" style={{ flex: 1 }} label={t('gn.pull.out')} placeholder="/…/espace.gpkg" value={out} onChange={(e) => setOut(e.currentTarget.value)} readOnly={transport.kind === 'electron'} />
        {transport.kind === 'electron' && (
          <Button size="xs" variant="default" onClick={() => void choose()}>
            {t('workspace.browse')}
          </Button>
        )}
      </Group>
      <Button onClick={() => void pull()} loading={busy} disabled={!out.startsWith('/') && !/^[A-Za-z]:[\\/]/.test(out)} data-testid="pull-run">
        {t('gn.pull.run')}
      </Button>
      {error && (
        <Alert color="red" variant="light" data-testid="pull-error">
          {errorText(t, error)}
        </Alert>
      )}
    </Stack>
  );
}
