import { useEffect, useState } from 'react';
import { Alert, Button, Checkbox, Group, Modal, MultiSelect, ScrollArea, SegmentedControl, Select, Stack, Table, TagsInput, Text, TextInput } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import type {
  ApiError,
  BulkEdit,
  BulkEditResult,
  MergeResult,
  MetadataCatalog,
  MetadataTree,
  MoveResult,
  ObservationFilter,
  ReassignResult,
  TaxrefLevel,
} from '../../../shared/contract/index.js';
import { useEngine } from '../api/engine.js';
import { newJobId } from '../api/job-id.js';
import { errorText } from '../i18n/index.js';
import { allDatasets, nomenclatureOptions, type Lang } from './format.js';

/** A value of a bulk edit preview: list items by their label (and code), objects by their name. */
function show(v: unknown): string {
  if (v === null || v === undefined || v === '') return '—';
  if (Array.isArray(v)) return v.length ? v.map(show).join(', ') : '—';
  if (typeof v === 'object') {
    const o = v as Record<string, unknown>;
    if (typeof o.label === 'string') return typeof o.code === 'string' ? `${o.label} (${o.code})` : o.label;
    if (typeof o.name === 'string') return o.name;
    const actor = [o.person, o.organism].filter((x) => typeof x === 'string' && x).join(' · ');
    if (actor) return actor;
    return JSON.stringify(v);
  }
  return String(v);
}

function datasetOptions(tree: MetadataTree, except: string[] = []) {
  return allDatasets(tree)
    .filter((d) => !except.includes(d.uuid))
    .map((d) => ({ value: d.uuid, label: `${d.name || d.uuid} (${d.observations})` }));
}

function ErrorAlert({ error, testId }: { error: ApiError | null; testId: string }) {
  const { t } = useTranslation();
  if (!error) return null;
  return (
    <Alert color="red" variant="light" data-testid={testId}>
      {errorText(t, error)}
    </Alert>
  );
}

/**
 * Moves JDD to another CA: what the drag and drop (or the menu) asked, previewed (from which
 * CA, how many observations) before it is applied.
 */
export function MoveDialog({ workspace, tree, datasets: initial, framework: initialFramework, onClose, onApplied }: { workspace: string; tree: MetadataTree; datasets: string[]; framework: string | null; onClose: () => void; onApplied: () => void }) {
  const { t } = useTranslation();
  const { client } = useEngine();
  const [datasets, setDatasets] = useState(initial);
  const [framework, setFramework] = useState<string | null>(initialFramework);
  const key = JSON.stringify({ datasets, framework });
  const [preview, setPreview] = useState<{ key: string; result: MoveResult | null; error: ApiError | null } | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ApiError | null>(null);

  // The preview follows the choice (a quick method: no job).
  useEffect(() => {
    const input = JSON.parse(key) as { datasets: string[]; framework: string | null };
    if (!input.framework || input.datasets.length === 0) return;
    let alive = true;
    void client.call('metadata.move', { workspace, datasets: input.datasets, framework: input.framework, dryRun: true }).then((r) => {
      if (alive) setPreview({ key, result: r.ok ? r.value : null, error: r.ok ? null : r.error });
    });
    return () => {
      alive = false;
    };
  }, [client, workspace, key]);
  const current = preview?.key === key ? preview : null;

  const apply = async () => {
    if (!framework) return;
    setBusy(true);
    const r = await client.call('metadata.move', { workspace, datasets, framework, dryRun: false });
    setBusy(false);
    if (r.ok) onApplied();
    else setError(r.error);
  };
  const frameworks = tree.frameworks.filter((f) => !f.isMetaFramework).map((f) => ({ value: f.uuid, label: f.name || f.uuid }));
  return (
    <Modal opened onClose={onClose} size="lg" title={t('meta.move.title')}>
      <Stack gap="sm" data-testid="meta-move">
        <MultiSelect size="xs" label={t('meta.move.datasets')} data={datasetOptions(tree)} value={datasets} onChange={setDatasets} searchable />
        <Select size="xs" label={t('meta.move.framework')} data={frameworks} value={framework} onChange={setFramework} searchable data-testid="meta-move-framework" />
        {current?.result && (
          <Stack gap={2} data-testid="meta-move-preview">
            {current.result.datasets.map((d) => (
              <Text key={d.uuid} size="sm">
                {t('meta.move.line', { name: d.name, count: d.observations, from: d.fromName ?? t('meta.tree.orphans'), to: current.result?.framework.name ?? '' })}
              </Text>
            ))}
          </Stack>
        )}
        <ErrorAlert error={current?.error ?? error} testId="meta-move-error" />
        <Group justify="flex-end">
          <Button variant="default" onClick={onClose}>
            {t('meta.cancel')}
          </Button>
          <Button onClick={() => void apply()} loading={busy} disabled={!current?.result || current.result.datasets.length === 0} data-testid="meta-move-apply">
            {t('meta.move.apply')}
          </Button>
        </Group>
      </Stack>
    </Modal>
  );
}

/** Merges JDD into one: preview of what moves and what becomes of each source, then apply. */
export function MergeDialog({ workspace, tree, into, sources: initial, onClose, onApplied }: { workspace: string; tree: MetadataTree; into: string; sources: string[]; onClose: () => void; onApplied: () => void }) {
  const { t } = useTranslation();
  const { client } = useEngine();
  const [sources, setSources] = useState<string[]>(initial);
  const [deactivate, setDeactivate] = useState(true);
  const key = JSON.stringify({ sources, deactivate });
  const [preview, setPreview] = useState<{ key: string; result: MergeResult } | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ApiError | null>(null);
  const result = preview?.key === key ? preview.result : null;
  const target = allDatasets(tree).find((d) => d.uuid === into);

  const run = async (dryRun: boolean) => {
    setBusy(true);
    setError(null);
    const r = await client.call('metadata.merge', { workspace, into, datasets: sources, deactivate, dryRun, jobId: newJobId(dryRun ? 'merge-preview' : 'merge') });
    setBusy(false);
    if (!r.ok) setError(r.error);
    else if (dryRun) setPreview({ key, result: r.value });
    else onApplied();
  };
  return (
    <Modal opened onClose={onClose} size="lg" title={t('meta.merge.title', { name: target?.name ?? into })}>
      <Stack gap="sm" data-testid="meta-merge">
        <MultiSelect size="xs" label={t('meta.merge.sources')} data={datasetOptions(tree, [into])} value={sources} onChange={setSources} searchable data-testid="meta-merge-sources" />
        <Checkbox size="xs" label={t('meta.merge.deactivate')} checked={deactivate} onChange={(e) => setDeactivate(e.currentTarget.checked)} />
        <Button size="xs" variant="light" onClick={() => void run(true)} disabled={sources.length === 0} loading={busy && !result} style={{ alignSelf: 'flex-start' }} data-testid="meta-merge-preview">
          {t('meta.preview')}
        </Button>
        {result && (
          <Stack gap={2} data-testid="meta-merge-result">
            {result.sources.map((s) => (
              <Text key={s.uuid} size="sm">
                {t('meta.merge.line', { name: s.name, count: s.observations, action: t(`meta.merge.action.${s.action}`) })}
              </Text>
            ))}
            <Text size="sm" fw={600}>
              {t('meta.merge.total', { name: result.target.name, before: result.target.observationsBefore, after: result.target.observationsAfter })}
            </Text>
          </Stack>
        )}
        <ErrorAlert error={error} testId="meta-merge-error" />
        <Group justify="flex-end">
          <Button variant="default" onClick={onClose}>
            {t('meta.cancel')}
          </Button>
          <Button onClick={() => void run(false)} disabled={!result} loading={busy && !!result} data-testid="meta-merge-apply">
            {t('meta.merge.apply')}
          </Button>
        </Group>
      </Stack>
    </Modal>
  );
}

const LEVELS: TaxrefLevel[] = ['group1_inpn', 'group2_inpn', 'group3_inpn', 'regne', 'phylum', 'classe', 'ordre', 'famille'];
const OPS = ['eq', 'ne', 'in', 'notIn', 'like', 'isNull', 'notNull'] as const;

/** Moves the observations a filter matches to a JDD: the filter, how many match and from where, then apply. */
export function ReassignDialog({ workspace, tree, to: initialTo, onClose, onApplied }: { workspace: string; tree: MetadataTree; to: string | null; onClose: () => void; onApplied: () => void }) {
  const { t } = useTranslation();
  const { client } = useEngine();
  const [to, setTo] = useState<string | null>(initialTo);
  const [from, setFrom] = useState<string[]>([]);
  const [dateFrom, setDateFrom] = useState('');
  const [dateTo, setDateTo] = useState('');
  const [taxa, setTaxa] = useState<string[]>([]);
  const [observers, setObservers] = useState<string[]>([]);
  const [level, setLevel] = useState<TaxrefLevel | null>(null);
  const [groups, setGroups] = useState<string[]>([]);
  const [column, setColumn] = useState('');
  const [op, setOp] = useState<(typeof OPS)[number]>('eq');
  const [value, setValue] = useState('');
  const [preview, setPreview] = useState<{ key: string; result: ReassignResult } | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ApiError | null>(null);

  const filter: ObservationFilter = {
    datasets: from,
    observations: [],
    taxa: taxa.map(Number).filter((n) => Number.isInteger(n) && n > 0),
    taxonGroup: level && groups.length ? { level, values: groups } : null,
    dateFrom: /^\d{4}-\d{2}-\d{2}$/.test(dateFrom) ? dateFrom : null,
    dateTo: /^\d{4}-\d{2}-\d{2}$/.test(dateTo) ? dateTo : null,
    observers,
    attributes: column.trim()
      ? [
          op === 'in' || op === 'notIn'
            ? { column: column.trim(), op, values: value.split(',').map((v) => v.trim()).filter(Boolean) }
            : op === 'isNull' || op === 'notNull'
              ? { column: column.trim(), op }
              : { column: column.trim(), op, value },
        ]
      : [],
    bbox: null,
  };
  const key = JSON.stringify({ filter, to });
  const result = preview?.key === key ? preview.result : null;
  const empty = !filter.datasets.length && !filter.taxa.length && !filter.taxonGroup && !filter.dateFrom && !filter.dateTo && !filter.observers.length && !filter.attributes.length;

  const run = async (dryRun: boolean) => {
    if (!to) return;
    setBusy(true);
    setError(null);
    const r = await client.call('metadata.reassign', { workspace, filter, to, dryRun, jobId: newJobId(dryRun ? 'reassign-preview' : 'reassign') });
    setBusy(false);
    if (!r.ok) setError(r.error);
    else if (dryRun) setPreview({ key, result: r.value });
    else onApplied();
  };
  return (
    <Modal opened onClose={onClose} size="xl" title={t('meta.reassign.title')}>
      <Stack gap="sm" data-testid="meta-reassign">
        <Select size="xs" label={t('meta.reassign.to')} data={datasetOptions(tree)} value={to} onChange={setTo} searchable />
        <Text size="xs" c="dimmed">
          {t('meta.reassign.help')}
        </Text>
        <MultiSelect size="xs" label={t('meta.reassign.from')} data={datasetOptions(tree, to ? [to] : [])} value={from} onChange={setFrom} searchable />
        <Group grow>
          <TextInput size="xs" type="date" label={t('meta.reassign.dateFrom')} value={dateFrom} onChange={(e) => setDateFrom(e.target.value)} />
          <TextInput size="xs" type="date" label={t('meta.reassign.dateTo')} value={dateTo} onChange={(e) => setDateTo(e.target.value)} />
        </Group>
        <Group grow>
          <TagsInput size="xs" label={t('meta.reassign.taxa')} placeholder="2852, 61098…" value={taxa} onChange={setTaxa} />
          <TagsInput size="xs" label={t('meta.reassign.observers')} value={observers} onChange={setObservers} />
        </Group>
        <Group grow>
          <Select size="xs" label={t('meta.split.level')} clearable data={LEVELS.map((l) => ({ value: l, label: t(`meta.level.${l}`) }))} value={level} onChange={(v) => setLevel(v as TaxrefLevel | null)} />
          <TagsInput size="xs" label={t('meta.reassign.groups')} placeholder="Oiseaux, Mammifères…" value={groups} onChange={setGroups} disabled={!level} />
        </Group>
        <Group grow>
          <TextInput size="xs" label={t('meta.reassign.column')} value={column} onChange={(e) => setColumn(e.target.value)} placeholder="cd_nomenclature_obs_technique" />
          <Select size="xs" label={t('meta.reassign.op')} data={OPS.map((o) => ({ value: o, label: t(`meta.reassign.ops.${o}`) }))} value={op} onChange={(v) => v && setOp(v as (typeof OPS)[number])} allowDeselect={false} />
          <TextInput size="xs" label={t('meta.reassign.value')} value={value} onChange={(e) => setValue(e.target.value)} disabled={op === 'isNull' || op === 'notNull'} />
        </Group>
        <Button size="xs" variant="light" onClick={() => void run(true)} disabled={!to || empty} loading={busy && !result} style={{ alignSelf: 'flex-start' }} data-testid="meta-reassign-preview">
          {t('meta.preview')}
        </Button>
        {result && (
          <Stack gap={2} data-testid="meta-reassign-result">
            <Text size="sm" fw={600}>
              {t('meta.reassign.matched', { count: result.matched, moving: result.moving, to: result.to.name })}
            </Text>
            {result.from.map((f, i) => (
              <Text key={i} size="sm">
                {t('meta.reassign.fromLine', { count: f.observations, name: f.name ?? '—' })}
              </Text>
            ))}
          </Stack>
        )}
        <ErrorAlert error={error} testId="meta-reassign-error" />
        <Group justify="flex-end">
          <Button variant="default" onClick={onClose}>
            {t('meta.cancel')}
          </Button>
          <Button onClick={() => void run(false)} disabled={!result || result.moving === 0} loading={busy && !!result} data-testid="meta-reassign-apply">
            {t('meta.reassign.apply', { count: result?.moving ?? 0 })}
          </Button>
        </Group>
      </Stack>
    </Modal>
  );
}

/** A new CA from a template (a preset or another CA of the workspace). */
export function NewFrameworkDialog({ workspace, tree, from: initialFrom, onClose, onCreated }: { workspace: string; tree: MetadataTree; from: string | null; onClose: () => void; onCreated: (uuid: string) => void }) {
  const { t } = useTranslation();
  const { client } = useEngine();
  const [source, setSource] = useState<string>(initialFrom ? 'copy' : 'inventory');
  const [copyOf, setCopyOf] = useState<string | null>(initialFrom);
  const [name, setName] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ApiError | null>(null);
  const create = async () => {
    setBusy(true);
    setError(null);
    const from = source === 'copy' && copyOf ? { framework: copyOf } : { preset: source === 'monitoring' ? ('monitoring' as const) : source === 'blank' ? ('blank' as const) : ('inventory' as const) };
    const r = await client.call('metadata.createFramework', { workspace, from, values: name.trim() ? { name: name.trim() } : {} });
    setBusy(false);
    if (r.ok) onCreated(r.value.view.uuid);
    else setError(r.error);
  };
  return (
    <Modal opened onClose={onClose} title={t('meta.newFramework.title')}>
      <Stack gap="sm" data-testid="meta-new-framework">
        <SegmentedControl
          size="xs"
          value={source}
          onChange={setSource}
          data={[
            { value: 'inventory', label: t('meta.newFramework.inventory') },
            { value: 'monitoring', label: t('meta.newFramework.monitoring') },
            { value: 'blank', label: t('meta.newFramework.blank') },
            ...(tree.frameworks.length ? [{ value: 'copy', label: t('meta.newFramework.copy') }] : []),
          ]}
        />
        {source === 'copy' && <Select size="xs" label={t('meta.newFramework.copyOf')} data={tree.frameworks.map((f) => ({ value: f.uuid, label: f.name || f.uuid }))} value={copyOf} onChange={setCopyOf} />}
        <TextInput size="xs" label={t('meta.newFramework.name')} value={name} onChange={(e) => setName(e.target.value)} data-testid="meta-new-framework-name" />
        <ErrorAlert error={error} testId="meta-new-framework-error" />
        <Group justify="flex-end">
          <Button variant="default" onClick={onClose}>
            {t('meta.cancel')}
          </Button>
          <Button onClick={() => void create()} loading={busy} disabled={source === 'copy' && !copyOf} data-testid="meta-new-framework-create">
            {t('meta.newFramework.create')}
          </Button>
        </Group>
      </Stack>
    </Modal>
  );
}

const SET_FIELDS = [
  ['dataType', 'DATA_TYP'],
  ['collectingMethod', 'METHO_RECUEIL'],
  ['dataOrigin', 'DS_PUBLIQUE'],
  ['sourceStatus', 'STATUT_SOURCE'],
  ['resourceType', 'RESOURCE_TYP'],
] as const;
type BulkKind = 'set' | 'setBool' | 'territory' | 'objective' | 'keyword' | 'actor';

/** Sets a field, or adds/removes a territory, objective, keyword or actor, on many JDD at once. */
export function BulkEditDialog({ workspace, tree, catalog, lang, datasets: initial, onClose, onApplied }: { workspace: string; tree: MetadataTree; catalog: MetadataCatalog | null; lang: Lang; datasets: string[]; onClose: () => void; onApplied: () => void }) {
  const { t } = useTranslation();
  const { client } = useEngine();
  const [datasets, setDatasets] = useState(initial);
  const [kind, setKind] = useState<BulkKind>('territory');
  const [remove, setRemove] = useState(false);
  const [field, setField] = useState<string>('dataType');
  const [value, setValue] = useState<string | null>(null);
  const [actor, setActor] = useState({ role: '1' as string | null, organism: '', person: '', email: '' });
  const [preview, setPreview] = useState<{ key: string; result: BulkEditResult } | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ApiError | null>(null);
  const fieldLabel = (f: string) => t(`metadata.fields.dataset.${f}`, { defaultValue: f });

  const edit: BulkEdit | null = (() => {
    switch (kind) {
      case 'set':
        return value ? { op: 'set', field: field as (typeof SET_FIELDS)[number][0], value } : null;
      case 'setBool':
        return value ? { op: 'set', field: field === 'marineDomain' ? 'marineDomain' : 'terrestrialDomain', value: value === 'true' } : null;
      case 'territory':
      case 'objective':
      case 'keyword':
        return value?.trim() ? { op: remove ? 'remove' : 'add', field: kind === 'territory' ? 'territories' : kind === 'objective' ? 'objectives' : 'keywords', value: value.trim() } : null;
      case 'actor':
        return actor.organism.trim() || actor.person.trim()
          ? { op: remove ? 'removeActor' : 'addActor', actor: { role: actor.role, organism: actor.organism.trim() || null, person: actor.person.trim() || null, email: actor.email.trim() || null, organismUuid: null } }
          : null;
    }
  })();
  const key = JSON.stringify({ datasets, edit });
  const result = preview?.key === key ? preview.result : null;

  const run = async (dryRun: boolean) => {
    if (!edit || datasets.length === 0) return;
    setBusy(true);
    setError(null);
    const r = await client.call('metadata.bulkEdit', { workspace, datasets, edits: [edit], dryRun });
    setBusy(false);
    if (!r.ok) setError(r.error);
    else if (dryRun) setPreview({ key, result: r.value });
    else onApplied();
  };
  const changes = result ? result.datasets.reduce((n, d) => n + d.changes.length, 0) : 0;
  return (
    <Modal opened onClose={onClose} size="xl" title={t('meta.bulk.title')}>
      <Stack gap="sm" data-testid="meta-bulk">
        <MultiSelect size="xs" label={t('meta.bulk.datasets')} data={datasetOptions(tree)} value={datasets} onChange={setDatasets} searchable />
        <Group align="flex-end" gap="sm">
          <Select
            size="xs"
            label={t('meta.bulk.what')}
            data={(['territory', 'objective', 'keyword', 'actor', 'set', 'setBool'] as const).map((k) => ({ value: k, label: t(`meta.bulk.kind.${k}`) }))}
            value={kind}
            onChange={(v) => {
              if (!v) return;
              setKind(v as BulkKind);
              setValue(null);
              setField(v === 'setBool' ? 'terrestrialDomain' : 'dataType');
            }}
            allowDeselect={false}
          />
          {(kind === 'territory' || kind === 'objective' || kind === 'keyword' || kind === 'actor') && (
            <SegmentedControl
              size="xs"
              value={remove ? 'remove' : 'add'}
              onChange={(v) => setRemove(v === 'remove')}
              data={[
                { value: 'add', label: t('meta.bulk.add') },
                { value: 'remove', label: t('meta.bulk.remove') },
              ]}
            />
          )}
          {kind === 'set' && <Select size="xs" label={t('meta.bulk.field')} data={SET_FIELDS.map(([f]) => ({ value: f, label: fieldLabel(f) }))} value={field} onChange={(v) => { if (v) { setField(v); setValue(null); } }} allowDeselect={false} />}
          {kind === 'setBool' && <Select size="xs" label={t('meta.bulk.field')} data={['marineDomain', 'terrestrialDomain'].map((f) => ({ value: f, label: fieldLabel(f) }))} value={field} onChange={(v) => v && setField(v)} allowDeselect={false} />}
        </Group>
        {kind === 'set' && <Select size="xs" label={t('meta.bulk.value')} searchable data={nomenclatureOptions(catalog, SET_FIELDS.find(([f]) => f === field)?.[1] ?? 'DATA_TYP', lang)} value={value} onChange={setValue} />}
        {kind === 'setBool' && (
          <Select
            size="xs"
            label={t('meta.bulk.value')}
            data={[
              { value: 'true', label: t('meta.form.yes') },
              { value: 'false', label: t('meta.form.no') },
            ]}
            value={value}
            onChange={setValue}
          />
        )}
        {kind === 'territory' && <Select size="xs" label={fieldLabel('territories')} searchable data={nomenclatureOptions(catalog, 'TERRITOIRE', lang)} value={value} onChange={setValue} />}
        {kind === 'objective' && <Select size="xs" label={fieldLabel('objectives')} searchable data={nomenclatureOptions(catalog, 'JDD_OBJECTIFS', lang)} value={value} onChange={setValue} />}
        {kind === 'keyword' && <TextInput size="xs" label={fieldLabel('keywords')} value={value ?? ''} onChange={(e) => setValue(e.target.value)} />}
        {kind === 'actor' && (
          <Group grow>
            <Select size="xs" label={fieldLabel('actors.role')} data={nomenclatureOptions(catalog, 'ROLE_ACTEUR', lang)} value={actor.role} onChange={(v) => setActor((a) => ({ ...a, role: v }))} />
            <TextInput size="xs" label={fieldLabel('actors.organism')} value={actor.organism} onChange={(e) => setActor((a) => ({ ...a, organism: e.target.value }))} />
            <TextInput size="xs" label={fieldLabel('actors.person')} value={actor.person} onChange={(e) => setActor((a) => ({ ...a, person: e.target.value }))} />
            <TextInput size="xs" label={fieldLabel('actors.email')} value={actor.email} onChange={(e) => setActor((a) => ({ ...a, email: e.target.value }))} />
          </Group>
        )}
        <Button size="xs" variant="light" onClick={() => void run(true)} disabled={!edit || datasets.length === 0} loading={busy && !result} style={{ alignSelf: 'flex-start' }} data-testid="meta-bulk-preview">
          {t('meta.preview')}
        </Button>
        {result && (
          <ScrollArea.Autosize mah={260}>
            <Table fz="xs" striped data-testid="meta-bulk-result">
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>{t('meta.entity.dataset')}</Table.Th>
                  <Table.Th>{t('meta.bulk.field')}</Table.Th>
                  <Table.Th>{t('meta.bulk.before')}</Table.Th>
                  <Table.Th>{t('meta.bulk.after')}</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {result.datasets.flatMap((d) =>
                  d.changes.length === 0
                    ? [
                        <Table.Tr key={d.uuid}>
                          <Table.Td>{d.name}</Table.Td>
                          <Table.Td colSpan={3} c="dimmed">
                            {t('meta.bulk.unchanged')}
                          </Table.Td>
                        </Table.Tr>,
                      ]
                    : d.changes.map((c, i) => (
                        <Table.Tr key={`${d.uuid}:${i}`}>
                          <Table.Td>{d.name}</Table.Td>
                          <Table.Td>{fieldLabel(c.field)}</Table.Td>
                          <Table.Td c="dimmed">{show(c.before)}</Table.Td>
                          <Table.Td>{show(c.after)}</Table.Td>
                        </Table.Tr>
                      )),
                )}
              </Table.Tbody>
            </Table>
          </ScrollArea.Autosize>
        )}
        <ErrorAlert error={error} testId="meta-bulk-error" />
        <Group justify="flex-end">
          <Button variant="default" onClick={onClose}>
            {t('meta.cancel')}
          </Button>
          <Button onClick={() => void run(false)} disabled={!result || changes === 0} loading={busy && !!result} data-testid="meta-bulk-apply">
            {t('meta.bulk.apply', { count: changes })}
          </Button>
        </Group>
      </Stack>
    </Modal>
  );
}
