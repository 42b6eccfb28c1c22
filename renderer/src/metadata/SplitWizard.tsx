import { useEffect, useState } from 'react';
import { ActionIcon, Alert, Autocomplete, Button, Checkbox, Group, Modal, NumberInput, ScrollArea, Select, Stack, Table, Text, TextInput } from '@mantine/core';
import { IconPlus, IconTrash } from '@tabler/icons-react';
import { useTranslation } from 'react-i18next';
import type { ApiError, SplitBy, SplitResult, TaxrefLevel } from '../../../shared/contract/index.js';
import { useEngine } from '../api/engine.js';
import { newJobId } from '../api/job-id.js';
import { errorText } from '../i18n/index.js';
import type { Lang } from './format.js';

const KINDS = ['year', 'period', 'observer', 'taxonGroup', 'protocol', 'producer', 'attribute'] as const;
type Kind = (typeof KINDS)[number];
const LEVELS: TaxrefLevel[] = ['group1_inpn', 'group2_inpn', 'group3_inpn', 'regne', 'phylum', 'classe', 'ordre', 'famille'];

/** The observation columns of a workspace (for a split by attribute), from its GeoPackage description. */
function useObservationColumns(workspace: string, wanted: boolean): string[] {
  const { client } = useEngine();
  const [columns, setColumns] = useState<{ workspace: string; list: string[] }>({ workspace: '', list: [] });
  useEffect(() => {
    if (!wanted) return;
    let alive = true;
    void client.call('gpkg.inspect', { path: workspace, jobId: newJobId('columns') }).then((r) => {
      if (!alive || !r.ok) return;
      const layer = r.value.layers.find((l) => l.name === 'observations');
      setColumns({ workspace, list: (layer?.columns ?? []).map((c) => c.name).filter((n) => !['fid', 'geom', 'geom_local_wkb'].includes(n)) });
    });
    return () => {
      alive = false;
    };
  }, [client, workspace, wanted]);
  return columns.workspace === workspace ? columns.list : [];
}

/**
 * The split wizard of one JDD: what to split by, a preview of the groups with their
 * observation counts (names editable, small groups put together, some kept in the parent),
 * then the split itself, refused if the data changed since the preview.
 */
export function SplitWizard({ workspace, dataset, lang, onClose, onApplied }: { workspace: string; dataset: { uuid: string; name: string; observations: number }; lang: Lang; onClose: () => void; onApplied: (r: SplitResult) => void }) {
  const { t } = useTranslation();
  const { client } = useEngine();
  const [kind, setKind] = useState<Kind>('year');
  const [observerMode, setObserverMode] = useState<'first' | 'all'>('first');
  const [level, setLevel] = useState<TaxrefLevel>('group2_inpn');
  const [column, setColumn] = useState('');
  const [periods, setPeriods] = useState<{ from: string; to: string; label: string }[]>([{ from: '', to: '', label: '' }]);
  const [minObservations, setMinObservations] = useState(1);
  const [deactivateParent, setDeactivateParent] = useState(false);
  const [keep, setKeep] = useState<string[]>([]);
  const [names, setNames] = useState<Record<string, { name?: string; shortName?: string }>>({});
  const [preview, setPreview] = useState<{ key: string; result: SplitResult } | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ApiError | null>(null);
  const columns = useObservationColumns(workspace, kind === 'attribute');

  const by: SplitBy | null = (() => {
    switch (kind) {
      case 'year':
      case 'protocol':
      case 'producer':
        return { kind };
      case 'observer':
        return { kind, mode: observerMode };
      case 'taxonGroup':
        return { kind, level };
      case 'attribute':
        return column.trim() ? { kind, column: column.trim() } : null;
      case 'period': {
        const ok = periods.filter((p) => /^\d{4}-\d{2}-\d{2}$/.test(p.from) && /^\d{4}-\d{2}-\d{2}$/.test(p.to));
        return ok.length ? { kind, periods: ok.map((p) => ({ from: p.from, to: p.to, ...(p.label.trim() ? { label: p.label.trim() } : {}) })) } : null;
      }
    }
  })();
  const key = JSON.stringify({ by, minObservations });
  const result = preview?.key === key ? preview.result : null;

  const run = async (dryRun: boolean) => {
    if (!by) return;
    setBusy(true);
    setError(null);
    const groups = result?.groups ?? [];
    const renamed = Object.fromEntries(
      Object.entries(names)
        .map(([k, v]) => [k, { ...(v.name?.trim() ? { name: v.name.trim() } : {}), ...(v.shortName?.trim() ? { shortName: v.shortName.trim() } : {}) }] as const)
        .filter(([, v]) => Object.keys(v).length > 0),
    );
    const r = await client.call('metadata.split', {
      workspace,
      dataset: dataset.uuid,
      by,
      minObservations,
      keepInParent: dryRun ? [] : keep,
      names: dryRun ? {} : renamed,
      deactivateParent,
      ...(dryRun ? {} : { expect: Object.fromEntries(groups.map((g) => [g.key, g.observations])) }),
      dryRun,
      lang,
      jobId: newJobId(dryRun ? 'split-preview' : 'split'),
    });
    setBusy(false);
    if (!r.ok) {
      setError(r.error);
      return;
    }
    if (dryRun) {
      setPreview({ key, result: r.value });
      setKeep((k) => k.filter((x) => r.value.groups.some((g) => g.key === x)));
    } else onApplied(r.value);
  };

  const total = result ? result.groups.reduce((n, g) => n + g.observations, 0) : 0;
  const creating = result ? result.groups.filter((g) => !keep.includes(g.key) && g.observations > 0).length : 0;

  return (
    <Modal opened onClose={onClose} size="70rem" title={t('meta.split.title', { name: dataset.name })}>
      <Stack gap="sm" data-testid="meta-split">
        <Group align="flex-end" gap="sm">
          <Select
            size="xs"
            label={t('meta.split.by')}
            data={KINDS.map((k) => ({ value: k, label: t(`meta.split.kind.${k}`) }))}
            value={kind}
            onChange={(v) => v && setKind(v as Kind)}
            allowDeselect={false}
            data-testid="meta-split-by"
            comboboxProps={{ withinPortal: true }}
          />
          {kind === 'observer' && (
            <Select
              size="xs"
              label={t('meta.split.observerMode')}
              data={[
                { value: 'first', label: t('meta.split.observerFirst') },
                { value: 'all', label: t('meta.split.observerAll') },
              ]}
              value={observerMode}
              onChange={(v) => setObserverMode(v === 'all' ? 'all' : 'first')}
              allowDeselect={false}
            />
          )}
          {kind === 'taxonGroup' && <Select size="xs" label={t('meta.split.level')} data={LEVELS.map((l) => ({ value: l, label: t(`meta.level.${l}`) }))} value={level} onChange={(v) => v && setLevel(v as TaxrefLevel)} allowDeselect={false} />}
          {kind === 'attribute' && <Autocomplete size="xs" label={t('meta.split.column')} data={columns} value={column} onChange={setColumn} placeholder="cd_nomenclature_obs_technique" />}
          <NumberInput size="xs" w={170} label={t('meta.split.min')} min={1} value={minObservations} onChange={(v) => setMinObservations(Math.max(1, Number(v) || 1))} data-testid="meta-split-min" />
          <Button size="xs" variant="light" onClick={() => void run(true)} loading={busy && !result} disabled={!by} data-testid="meta-split-preview">
            {t('meta.split.preview')}
          </Button>
        </Group>
        {kind === 'period' && (
          <Stack gap={4}>
            {periods.map((p, i) => (
              <Group key={i} gap={6} align="flex-end">
                <TextInput size="xs" type="date" label={t('meta.split.from')} value={p.from} onChange={(e) => setPeriods((ps) => ps.map((x, j) => (j === i ? { ...x, from: e.target.value } : x)))} />
                <TextInput size="xs" type="date" label={t('meta.split.to')} value={p.to} onChange={(e) => setPeriods((ps) => ps.map((x, j) => (j === i ? { ...x, to: e.target.value } : x)))} />
                <TextInput size="xs" label={t('meta.split.periodLabel')} value={p.label} onChange={(e) => setPeriods((ps) => ps.map((x, j) => (j === i ? { ...x, label: e.target.value } : x)))} />
                <ActionIcon variant="subtle" color="red" aria-label={t('meta.form.remove')} onClick={() => setPeriods((ps) => ps.filter((_, j) => j !== i))} disabled={periods.length === 1}>
                  <IconTrash size={14} />
                </ActionIcon>
              </Group>
            ))}
            <Button size="compact-xs" variant="subtle" leftSection={<IconPlus size={12} />} onClick={() => setPeriods((ps) => [...ps, { from: '', to: '', label: '' }])} style={{ alignSelf: 'flex-start' }}>
              {t('meta.split.addPeriod')}
            </Button>
          </Stack>
        )}
        <Text size="xs" c="dimmed">
          {t('meta.split.help', { count: dataset.observations })}
        </Text>
        {error && (
          <Alert color="red" variant="light" data-testid="meta-split-error">
            {errorText(t, error)}
          </Alert>
        )}
        {preview && !result && <Text size="xs" c="orange">{t('meta.split.stale')}</Text>}
        {result && (
          <>
            <ScrollArea.Autosize mah={380}>
              <Table striped fz="xs" data-testid="meta-split-groups">
                <Table.Thead>
                  <Table.Tr>
                    <Table.Th>{t('meta.split.keep')}</Table.Th>
                    <Table.Th>{t('meta.split.group')}</Table.Th>
                    <Table.Th ta="right">{t('meta.split.observations')}</Table.Th>
                    <Table.Th>{t('meta.split.dates')}</Table.Th>
                    <Table.Th>{t('meta.split.name')}</Table.Th>
                    <Table.Th>{t('meta.split.shortName')}</Table.Th>
                  </Table.Tr>
                </Table.Thead>
                <Table.Tbody>
                  {result.groups.map((g) => {
                    const stays = keep.includes(g.key);
                    return (
                      <Table.Tr key={g.key} data-testid="meta-split-group" data-key={g.key} data-observations={g.observations}>
                        <Table.Td>
                          <Checkbox size="xs" aria-label={t('meta.split.keep')} checked={stays} onChange={(e) => setKeep((k) => (e.currentTarget.checked ? [...k, g.key] : k.filter((x) => x !== g.key)))} />
                        </Table.Td>
                        <Table.Td>{g.label}</Table.Td>
                        <Table.Td ta="right">{g.observations}</Table.Td>
                        <Table.Td>{g.dateMin ? `${g.dateMin} → ${g.dateMax ?? ''}` : '—'}</Table.Td>
                        <Table.Td>
                          <TextInput size="xs" disabled={stays} value={names[g.key]?.name ?? g.name} onChange={(e) => setNames((n) => ({ ...n, [g.key]: { ...n[g.key], name: e.target.value } }))} aria-label={t('meta.split.name')} />
                        </Table.Td>
                        <Table.Td>
                          <TextInput size="xs" w={200} disabled={stays} value={names[g.key]?.shortName ?? g.shortName} onChange={(e) => setNames((n) => ({ ...n, [g.key]: { ...n[g.key], shortName: e.target.value } }))} aria-label={t('meta.split.shortName')} />
                        </Table.Td>
                      </Table.Tr>
                    );
                  })}
                </Table.Tbody>
              </Table>
            </ScrollArea.Autosize>
            <Text size="sm" fw={600} data-testid="meta-split-total" data-total={total} data-groups={result.groups.length}>
              {t('meta.split.total', { count: total, groups: result.groups.length, parent: result.parent.observations })}
            </Text>
            <Checkbox size="xs" label={t('meta.split.deactivate')} checked={deactivateParent} onChange={(e) => setDeactivateParent(e.currentTarget.checked)} />
          </>
        )}
        <Group justify="flex-end">
          <Button variant="default" onClick={onClose}>
            {t('meta.cancel')}
          </Button>
          <Button onClick={() => void run(false)} loading={busy && !!result} disabled={!result || creating === 0} data-testid="meta-split-apply">
            {t('meta.split.apply', { count: creating })}
          </Button>
        </Group>
      </Stack>
    </Modal>
  );
}
