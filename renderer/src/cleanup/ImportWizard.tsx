import { useEffect, useState } from 'react';
import { Alert, Badge, Button, Grid, Group, NumberInput, Radio, ScrollArea, SegmentedControl, Select, SimpleGrid, Stack, Stepper, Table, Text, TextInput } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import type { ApiError, CsvDelimiter, FieldMapping, ImportReport, ReadOptions, SavedMapping, SniffResult, TextEncoding, WorkspaceSummary } from '../../../shared/contract/index.js';
import { MAPPING_PRESETS, presetMapping } from '../../../shared/cleanup/presets.js';
import { useEngine } from '../api/engine.js';
import { errorText } from '../i18n/index.js';
import { isAbsolutePath, JobLine, PathField, SOURCE_FILTERS, useJobRunner, useLang } from './common.js';
import { bi, show } from './format.js';
import { MappedPreview } from './MappedPreview.js';
import { MappingEditor } from './MappingEditor.js';
import { RejectedList } from './RejectedList.js';
import { usePersisted } from './store.js';

interface WizardState {
  step: number;
  path: string;
  sniff: SniffResult | null;
  /** What the user asked for (encoding, delimiter, header line, layer); the rest is detected. */
  read: ReadOptions;
  /** The user confirmed the encoding (or it was certain: a BOM, or valid UTF-8 without damage). */
  confirmed: boolean;
  mapping: FieldMapping | null;
  origin: string;
  target: 'current' | 'new';
  newPath: string;
  title: string;
  imported: { report: ImportReport; workspace: string; created: boolean } | null;
}

const INITIAL: WizardState = { step: 0, path: '', sniff: null, read: {}, confirmed: false, mapping: null, origin: 'suggested', target: 'current', newPath: '', title: '', imported: null };

const DELIMITERS: { value: CsvDelimiter; label: string }[] = [
  { value: ';', label: ';' },
  { value: ',', label: ',' },
  { value: '\t', label: 'Tab' },
  { value: '|', label: '|' },
];

/** The options a sniff result was read with, pinned so that the preview and the import read the file the same way. */
function pinned(s: SniffResult): ReadOptions {
  return {
    ...(s.format === 'csv' ? { encoding: s.encoding.used } : {}),
    ...(s.csv ? { delimiter: s.csv.delimiter, headerLine: s.csv.headerLine } : {}),
    ...(s.layer ? { layer: s.layer } : {}),
  };
}

/** A saved mapping without the columns this file does not have. */
function forColumns(m: FieldMapping, columns: readonly string[]): FieldMapping {
  const has = (c: string) => columns.includes(c);
  return {
    ...m,
    fields: Object.fromEntries(Object.entries(m.fields).filter(([, v]) => !('column' in v) || has(v.column))),
    geometry: m.geometry.filter((g) => (g.kind === 'wkt' || g.kind === 'area' ? has(g.column) : g.kind === 'xy' ? has(g.x) && has(g.y) : true)),
    values: { ...m.values },
  };
}

const certain = (s: SniffResult) => (s.encoding.how === 'bom' || s.encoding.how === 'valid-utf8' || s.encoding.how === 'binary') && !s.issues.some((i) => i.code === 'encoding-damage' || i.code === 'encoding-uncertain');

/**
 * The import wizard: the file; how it reads (encoding candidates with their sample line to
 * confirm, delimiter, header line, the first rows as they are); the mapping with its live preview
 * (presets and saved mappings to start from); the import into the open workspace or a new one,
 * with the rows kept aside and why.
 */
export function ImportWizard({
  workspace,
  onImported,
  onCheck,
}: {
  workspace: WorkspaceSummary | null;
  onImported: (workspace: string, created: boolean) => Promise<void>;
  onCheck: () => void;
}) {
  const { t } = useTranslation();
  const lang = useLang();
  const { client } = useEngine();
  const job = useJobRunner();
  const [w, setW] = usePersisted<WizardState>('clean:wizard', INITIAL);
  const patch = (p: Partial<WizardState>) => setW((prev) => ({ ...prev, ...p }));
  const [error, setError] = useState<ApiError | null>(null);
  const [saved, setSaved] = useState<SavedMapping[]>([]);
  const [saveName, setSaveName] = useState('');
  const [header, setHeader] = useState<number | string>(() => w.sniff?.csv?.headerLine ?? '');

  useEffect(() => {
    let alive = true;
    void client.call('clean.listMappings', {}).then((r) => {
      if (alive && r.ok) setSaved(r.value.mappings);
    });
    return () => {
      alive = false;
    };
  }, [client]);

  const sniff = async (path: string, read: ReadOptions, userConfirmed: boolean) => {
    setError(null);
    const r = await job.run('clean-sniff', (jobId) => client.call('clean.sniff', { path, read, previewRows: 20, jobId }));
    if (!r.ok) {
      setError(r.error);
      return;
    }
    const s = r.value;
    setHeader(s.csv?.headerLine ?? '');
    setW((prev) => {
      const sameColumns = prev.sniff !== null && prev.sniff.path === s.path && prev.mapping !== null && JSON.stringify(prev.sniff.columns) === JSON.stringify(s.columns);
      return {
        ...prev,
        path,
        sniff: s,
        read,
        confirmed: userConfirmed || certain(s),
        mapping: sameColumns ? prev.mapping : s.suggested,
        origin: sameColumns ? prev.origin : 'suggested',
        step: Math.max(prev.sniff?.path === s.path ? prev.step : 1, 1),
        imported: null,
      };
    });
  };

  const s = w.sniff;
  const mapping = w.mapping;
  const read = s ? pinned(s) : {};
  const currentPath = workspace?.path ?? null;
  const targetPath = w.target === 'current' ? currentPath : w.newPath.trim();
  const canImport = s !== null && mapping !== null && targetPath !== null && targetPath !== '' && isAbsolutePath(targetPath) && (w.target === 'current' || targetPath.toLowerCase().endsWith('.gpkg'));

  const chooseEncoding = (enc: TextEncoding) => {
    if (!s) return;
    if (enc === s.encoding.used) patch({ confirmed: true });
    else void sniff(s.path, { ...w.read, encoding: enc }, true);
  };

  const applyOrigin = (origin: string | null) => {
    if (!s || !origin) return;
    let m: FieldMapping | null = null;
    if (origin === 'suggested') m = s.suggested;
    else if (origin.startsWith('preset:')) {
      const p = MAPPING_PRESETS.find((x) => x.name === origin.slice(7));
      if (p) {
        m = presetMapping(p, s.columns).mapping;
        if (s.format !== 'csv') m = { ...m, geometry: [{ kind: 'native' }, ...m.geometry] };
      }
    } else if (origin.startsWith('saved:')) {
      const sm = saved.find((x) => !x.builtin && x.name === origin.slice(6));
      if (sm) m = forColumns(sm.mapping, s.columns);
    }
    if (m) patch({ mapping: m, origin });
  };

  const saveMapping = async () => {
    if (!mapping || !saveName.trim()) return;
    const r = await client.call('clean.saveMapping', { name: saveName.trim(), mapping, description: s ? s.path : undefined });
    if (!r.ok) {
      setError(r.error);
      return;
    }
    setSaved(r.value.mappings);
    patch({ origin: `saved:${saveName.trim()}` });
    setSaveName('');
  };

  const deleteMapping = async (name: string) => {
    const r = await client.call('clean.deleteMapping', { name });
    if (!r.ok) {
      setError(r.error);
      return;
    }
    setSaved(r.value.mappings);
    patch({ origin: 'suggested' });
  };

  const runImport = async () => {
    if (!s || !mapping || !targetPath) return;
    setError(null);
    const created = w.target === 'new';
    const r = await job.run('clean-import', (jobId) =>
      client.call('clean.import', { workspace: targetPath, path: s.path, read, mapping, create: created, ...(created && w.title.trim() ? { title: w.title.trim() } : {}), jobId }),
    );
    if (!r.ok) {
      setError(r.error);
      return;
    }
    // The workspace is opened (or re-read) first: "check" then runs on the one just written.
    await onImported(targetPath, created);
    patch({ imported: { report: r.value, workspace: targetPath, created } });
  };

  const origins = [
    { value: 'suggested', label: s?.preset ? t('clean.wizard.suggestedFrom', { preset: s.preset }) : t('clean.wizard.suggested') },
    { group: t('clean.wizard.presets'), items: MAPPING_PRESETS.map((p) => ({ value: `preset:${p.name}`, label: p.name })) },
    ...(saved.some((m) => !m.builtin) ? [{ group: t('clean.wizard.saved'), items: saved.filter((m) => !m.builtin).map((m) => ({ value: `saved:${m.name}`, label: m.name })) }] : []),
  ];
  const savedOrigin = w.origin.startsWith('saved:') ? w.origin.slice(6) : null;

  return (
    <Stack gap="md" data-testid="clean-wizard" data-step={w.step}>
      <Stepper active={w.step} onStepClick={(step) => patch({ step })} size="xs" allowNextStepsSelect={false}>
        <Stepper.Step label={t('clean.wizard.step.file')} allowStepSelect={w.step > 0} />
        <Stepper.Step label={t('clean.wizard.step.read')} allowStepSelect={s !== null && w.step > 1} />
        <Stepper.Step label={t('clean.wizard.step.map')} allowStepSelect={s !== null && w.confirmed && w.step > 2} />
        <Stepper.Step label={t('clean.wizard.step.import')} allowStepSelect={false} />
      </Stepper>

      {w.step === 0 && (
        <Stack gap="xs" maw={720}>
          <Text size="sm">{t('clean.wizard.fileIntro')}</Text>
          <PathField
            label={t('clean.wizard.file')}
            placeholder={t('clean.wizard.filePlaceholder')}
            value={w.path}
            onChange={(p) => patch({ path: p })}
            onSubmit={(p) => void sniff(p, {}, false)}
            submitLabel={t('clean.wizard.read')}
            filters={SOURCE_FILTERS}
            busy={job.running}
            testId="wizard-path"
          />
        </Stack>
      )}

      {w.step === 1 && s && (
        <Stack gap="sm" data-testid="wizard-read">
          <Group gap="xs">
            <Badge variant="light">{s.format.toUpperCase()}</Badge>
            <Text size="xs" c="dimmed" ff="monospace">
              {s.path}
            </Text>
            <Text size="xs" c="dimmed">
              {t('clean.wizard.size', { size: (s.size / 1024).toFixed(1) })}
              {s.rows !== null ? ` · ${t('clean.wizard.rows', { count: s.rows })}` : ''}
              {s.srs ? ` · ${s.srs}` : ''}
            </Text>
          </Group>
          {s.format === 'csv' && (
            <Stack gap={6}>
              <Group gap="xs">
                <Text size="sm" fw={600}>
                  {t('clean.wizard.encoding')}
                </Text>
                <Badge size="sm" color={w.confirmed ? 'teal' : 'orange'} data-testid="encoding-status" data-confirmed={w.confirmed} data-encoding={s.encoding.used}>
                  {w.confirmed ? t('clean.wizard.encodingConfirmed', { encoding: s.encoding.used }) : t('clean.wizard.encodingToConfirm')}
                </Badge>
                <Text size="xs" c="dimmed">
                  {t(`clean.wizard.how.${s.encoding.how}`)}
                </Text>
              </Group>
              {!w.confirmed && (
                <Alert color="orange" variant="light" p="xs">
                  <Text size="xs">{t('clean.wizard.encodingHint')}</Text>
                </Alert>
              )}
              <SimpleGrid cols={{ base: 1, md: Math.min(3, s.encoding.candidates.length) }} spacing="xs">
                  {s.encoding.candidates.map((c) => (
                    <Radio.Card
                      key={c.encoding}
                      checked={c.encoding === s.encoding.used}
                      p="xs"
                      radius="sm"
                      data-testid={`encoding-${c.encoding}`}
                      data-checked={c.encoding === s.encoding.used}
                      onClick={() => chooseEncoding(c.encoding)}
                    >
                      <Group gap="xs" wrap="nowrap" align="flex-start">
                        <Radio.Indicator size="xs" mt={2} />
                        <Stack gap={2} style={{ minWidth: 0 }}>
                          <Group gap={6}>
                            <Text size="xs" fw={700}>
                              {c.encoding}
                            </Text>
                            <Badge size="xs" variant="light" color={c.damage === 0 ? 'teal' : c.damage < 3 ? 'orange' : 'red'}>
                              {t('clean.wizard.damage', { damage: c.damage })}
                            </Badge>
                          </Group>
                          <Text size="xs" ff="monospace" style={{ wordBreak: 'break-all' }} data-testid="encoding-sample">
                            {c.sample}
                          </Text>
                        </Stack>
                      </Group>
                    </Radio.Card>
                  ))}
              </SimpleGrid>
            </Stack>
          )}
          {s.csv && (
            <Group gap="md" align="flex-end">
              <Stack gap={2}>
                <Text size="xs" fw={500}>
                  {t('clean.wizard.delimiter')}
                </Text>
                <SegmentedControl size="xs" data={DELIMITERS} value={s.csv.delimiter} onChange={(d) => void sniff(s.path, { ...w.read, delimiter: d as CsvDelimiter }, w.confirmed)} data-testid="read-delimiter" />
              </Stack>
              <form
                onSubmit={(e) => {
                  e.preventDefault();
                  if (typeof header === 'number' && header >= 1) void sniff(s.path, { ...w.read, headerLine: header }, w.confirmed);
                }}
              >
                <Group gap={4} align="flex-end">
                  <NumberInput size="xs" w={110} min={1} label={t('clean.wizard.headerLine')} value={header} onChange={setHeader} data-testid="read-header" />
                  <Button size="xs" variant="default" type="submit" disabled={header === s.csv.headerLine}>
                    {t('clean.wizard.reread')}
                  </Button>
                </Group>
              </form>
              <Text size="xs" c="dimmed">
                {t('clean.wizard.csvInfo', { ending: s.csv.lineEnding.toUpperCase(), quoted: s.csv.quoted ? t('clean.wizard.quoted') : '' })}
              </Text>
            </Group>
          )}
          {s.layers.length > 1 && (
            <Select size="xs" w={300} label={t('clean.wizard.layer')} data={s.layers} value={s.layer} allowDeselect={false} onChange={(l) => l && void sniff(s.path, { ...w.read, layer: l }, w.confirmed)} />
          )}
          {s.issues.length > 0 && (
            <Stack gap={2} data-testid="file-issues">
              {s.issues.filter((i) => !(w.confirmed && i.code === 'encoding-uncertain')).map((i, k) => (
                <Text key={k} size="xs" c={i.severity === 'error' ? 'red' : i.severity === 'warning' ? 'orange' : 'dimmed'} data-code={i.code}>
                  • {bi(i.message, lang)}
                </Text>
              ))}
            </Stack>
          )}
          <Text size="sm" fw={600}>
            {t('clean.wizard.rawPreview', { count: s.preview.length })}
          </Text>
          <ScrollArea type="auto" h={300}>
            <Table fz="xs" striped withTableBorder withColumnBorders verticalSpacing={2} style={{ whiteSpace: 'nowrap' }} data-testid="raw-preview">
              <Table.Thead style={{ position: 'sticky', top: 0, background: 'var(--mantine-color-body)' }}>
                <Table.Tr>
                  <Table.Th>{t('clean.preview.line')}</Table.Th>
                  {s.columns.map((c, i) => (
                    <Table.Th key={i}>{c || <Text span c="red" size="xs">{t('clean.wizard.noName')}</Text>}</Table.Th>
                  ))}
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {s.preview.map((p) => (
                  <Table.Tr key={p.line} data-testid="raw-row">
                    <Table.Td c="dimmed">{p.line}</Table.Td>
                    {p.cells.map((c, i) => (
                      <Table.Td key={i} c={c === null ? 'dimmed' : undefined} style={{ maxWidth: 260, overflow: 'hidden', textOverflow: 'ellipsis' }} title={c ?? ''}>
                        {show(c)}
                      </Table.Td>
                    ))}
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          </ScrollArea>
          <Group justify="space-between">
            <Button variant="default" size="xs" onClick={() => patch({ step: 0 })}>
              {t('clean.wizard.back')}
            </Button>
            <Button size="xs" disabled={!w.confirmed || s.columns.length === 0} onClick={() => patch({ step: 2 })} data-testid="wizard-next-map">
              {t('clean.wizard.toMapping')}
            </Button>
          </Group>
        </Stack>
      )}

      {w.step === 2 && s && mapping && (
        <Stack gap="sm" data-testid="wizard-map">
          <Group gap="xs" align="flex-end" wrap="wrap">
            <Select size="xs" w={300} label={t('clean.wizard.startFrom')} data={origins} value={w.origin} allowDeselect={false} onChange={applyOrigin} data-testid="mapping-origin" />
            {savedOrigin && (
              <Button size="xs" variant="subtle" color="red" onClick={() => void deleteMapping(savedOrigin)} data-testid="mapping-delete">
                {t('clean.wizard.deleteMapping', { name: savedOrigin })}
              </Button>
            )}
            <form
              onSubmit={(e) => {
                e.preventDefault();
                void saveMapping();
              }}
            >
              <Group gap={4} align="flex-end">
                <TextInput size="xs" label={t('clean.wizard.saveAs')} placeholder={t('clean.wizard.saveAsPlaceholder')} value={saveName} onChange={(e) => setSaveName(e.currentTarget.value)} data-testid="mapping-save-name" />
                <Button size="xs" variant="default" type="submit" disabled={!saveName.trim()} data-testid="mapping-save">
                  {t('clean.wizard.save')}
                </Button>
              </Group>
            </form>
          </Group>
          <Grid gap="md">
            <Grid.Col span={{ base: 12, xl: 5 }}>
              <ScrollArea h={520} type="auto" offsetScrollbars>
                <MappingEditor sniff={s} mapping={mapping} onChange={(m) => patch({ mapping: m })} lang={lang} />
              </ScrollArea>
            </Grid.Col>
            <Grid.Col span={{ base: 12, xl: 7 }}>
              <MappedPreview path={s.path} read={read} mapping={mapping} workspace={w.target === 'current' ? currentPath : null} lang={lang} />
            </Grid.Col>
          </Grid>
          <Group justify="space-between">
            <Button variant="default" size="xs" onClick={() => patch({ step: 1 })}>
              {t('clean.wizard.back')}
            </Button>
            <Button size="xs" onClick={() => patch({ step: 3 })} data-testid="wizard-next-import">
              {t('clean.wizard.toImport')}
            </Button>
          </Group>
        </Stack>
      )}

      {w.step === 3 && s && mapping && (
        <Stack gap="sm" maw={980} data-testid="wizard-import">
          {!w.imported && (
            <>
              <Radio.Group label={t('clean.wizard.target')} value={w.target} onChange={(v) => patch({ target: v === 'new' ? 'new' : 'current' })}>
                <Stack gap={6} mt={6}>
                  <Radio value="current" disabled={!workspace} label={workspace ? t('clean.wizard.targetCurrent', { title: workspace.title }) : t('clean.wizard.noWorkspace')} data-testid="target-current" />
                  <Radio value="new" label={t('clean.wizard.targetNew')} data-testid="target-new" />
                </Stack>
              </Radio.Group>
              {w.target === 'new' && (
                <Group gap="xs" align="flex-end" grow>
                  <PathField
                    label={t('clean.wizard.newPath')}
                    placeholder="/…/nettoyage.gpkg"
                    value={w.newPath}
                    onChange={(p) => patch({ newPath: p })}
                    mode="save"
                    defaultName="nettoyage.gpkg"
                    filters={[{ name: 'GeoPackage', extensions: ['gpkg'] }]}
                    testId="target-path"
                  />
                  <TextInput size="xs" label={t('clean.wizard.newTitle')} value={w.title} onChange={(e) => patch({ title: e.currentTarget.value })} data-testid="target-title" />
                </Group>
              )}
              <Group justify="space-between">
                <Button variant="default" size="xs" onClick={() => patch({ step: 2 })}>
                  {t('clean.wizard.back')}
                </Button>
                <Button onClick={() => void runImport()} loading={job.running} disabled={!canImport} data-testid="import-run">
                  {t('clean.wizard.import')}
                </Button>
              </Group>
            </>
          )}
          {w.imported && <ImportResult imported={w.imported} onCheck={onCheck} onAgain={() => setW(INITIAL)} />}
        </Stack>
      )}

      <JobLine jobId={job.jobId} progress={job.progress} testId="wizard-progress" />
      {error && (
        <Alert color="red" variant="light" data-testid="wizard-error">
          {errorText(t, error)}
        </Alert>
      )}
    </Stack>
  );
}

function ImportResult({ imported, onCheck, onAgain }: { imported: NonNullable<WizardState['imported']>; onCheck: () => void; onAgain: () => void }) {
  const { t } = useTranslation();
  const lang = useLang();
  const r = imported.report;
  return (
    <Stack gap="sm" data-testid="import-report" data-imported={r.imported} data-rejected={r.rejected} data-read={r.rowsRead}>
      <Alert color={r.rejected ? 'orange' : 'teal'} variant="light" title={t('clean.import.done', { imported: r.imported, read: r.rowsRead })}>
        <Stack gap={4}>
          <Text size="xs" ff="monospace">
            {imported.workspace}
          </Text>
          <Group gap={6}>
            <Badge variant="light" color="teal" data-testid="import-imported">
              {t('clean.import.imported', { count: r.imported })}
            </Badge>
            <Badge variant="light" color={r.rejected ? 'orange' : 'gray'} data-testid="import-rejected">
              {t('clean.import.rejected', { count: r.rejected })}
            </Badge>
            {r.rejectedByReason.map((x) => (
              <Badge key={x.reason} size="sm" variant="outline" color="orange">
                {t(`clean.reason.${x.reason}`)} · {x.count}
              </Badge>
            ))}
          </Group>
          <Text size="xs" c="dimmed">
            {t('clean.import.details', { uuids: r.generatedUuids, dates: r.filledDateMax, encoding: r.encoding ?? '—' })}
          </Text>
          {r.issues.map((i, k) => (
            <Text key={k} size="xs" c={i.severity === 'error' ? 'red' : 'orange'}>
              • {bi(i.message, lang)}
            </Text>
          ))}
        </Stack>
      </Alert>
      {r.rejected > 0 && (
        <Stack gap={4}>
          <Text size="sm" fw={600}>
            {t('clean.import.rejectedTitle')}
          </Text>
          <RejectedList workspace={imported.workspace} importId={r.importId} total={r.rejected} lang={lang} />
        </Stack>
      )}
      <Group>
        <Button onClick={onCheck} data-testid="import-check">
          {t('clean.import.check')}
        </Button>
        <Button variant="default" onClick={onAgain} data-testid="import-again">
          {t('clean.import.again')}
        </Button>
      </Group>
    </Stack>
  );
}
