import { useCallback, useEffect, useState } from 'react';
import { Alert, Autocomplete, Badge, Button, Checkbox, Group, Loader, Modal, MultiSelect, NumberInput, SegmentedControl, Select, Stack, Text } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import type { ApiError, CheckGroup, FixChange, FixKind, FixReport, FixSpecInput } from '../../../shared/contract/index.js';
import { DATE_PATTERNS } from '../../../shared/cleanup/dates.js';
import { fieldOfColumn, TARGET_FIELDS } from '../../../shared/cleanup/fields.js';
import { SYNTHESE_CATALOG } from '../../../shared/cleanup/nomenclatures.js';
import { useEngine } from '../api/engine.js';
import { errorText } from '../i18n/index.js';
import { JobLine, useJobRunner, useLang } from './common.js';
import { bi, COMMON_CRS, fieldLabel, show } from './format.js';
import { PagedTable } from './PagedTable.js';

const PAGE = 500;
/** Text columns a mojibake repair may touch. */
const TEXT_COLUMNS = TARGET_FIELDS.filter((f) => f.kind === 'text' && f.column).map((f) => f.column as string);
const CLEAR = '__clear__';

/** Every finding of a check: the observations it flags (the fix's scope) and their distinct values. */
function useGroupRows(workspace: string, runId: string, group: CheckGroup) {
  const { client } = useEngine();
  const [rows, setRows] = useState<{ fids: number[]; values: string[] } | null>(null);
  const [error, setError] = useState<ApiError | null>(null);
  useEffect(() => {
    let alive = true;
    void (async () => {
      const fids = new Set<number>();
      const values = new Set<string>();
      for (let offset = 0; ; offset += 5000) {
        const r = await client.call('clean.findings', { workspace, runId, check: group.check, offset, limit: 5000 });
        if (!alive) return;
        if (!r.ok) {
          setError(r.error);
          return;
        }
        for (const f of r.value.findings) {
          fids.add(f.fid);
          if (f.value !== null) values.add(String(f.value));
        }
        if (offset + 5000 >= r.value.total || r.value.findings.length === 0) break;
      }
      setRows({ fids: [...fids], values: [...values].sort() });
    })();
    return () => {
      alive = false;
    };
  }, [client, workspace, runId, group.check]);
  return { rows, error };
}

/**
 * The fix dialog: a fix the group offers, its parameters, the observations it applies to (this
 * check's, or every one it finds a defect in), the preview of every value it would change
 * (before → after, virtualised and paged from the engine), then apply. Nothing is written before
 * "Apply", and the applied fix can be undone in one step.
 */
export function FixDialog({
  workspace,
  runId,
  group,
  taxonomy,
  tolerance,
  onClose,
  onApplied,
}: {
  workspace: string;
  runId: string;
  group: CheckGroup;
  taxonomy: string | null;
  tolerance: number;
  onClose: () => void;
  onApplied: (r: FixReport) => void;
}) {
  const { t } = useTranslation();
  const lang = useLang();
  const { client } = useEngine();
  const job = useJobRunner();
  const scopeRows = useGroupRows(workspace, runId, group);
  const [kind, setKind] = useState<FixKind>(group.fixes[0] ?? 'repair-mojibake');
  const [scope, setScope] = useState<'group' | 'all'>('group');
  const [fields, setFields] = useState<string[]>([]);
  const suggestedFrom = group.samples.map((s) => s.suggestion?.params.from).find((x) => typeof x === 'string');
  const [from, setFrom] = useState<string>(suggestedFrom ?? 'EPSG:2154');
  const [pattern, setPattern] = useState('DD/MM/YYYY');
  const [dateFields, setDateFields] = useState<string[]>(['date_min', 'date_max']);
  const [toleranceM, setToleranceM] = useState<number | string>(tolerance);
  const mapField = group.samples[0]?.field ?? '';
  const mapType = fieldOfColumn(mapField)?.type;
  const [valueMap, setValueMap] = useState<Record<string, string>>({});
  const [preview, setPreview] = useState<{ key: string; report: FixReport } | null>(null);
  const [error, setError] = useState<ApiError | null>(null);

  const spec: FixSpecInput | null =
    kind === 'repair-mojibake'
      ? { kind, ...(fields.length ? { fields } : {}) }
      : kind === 'reproject'
        ? from.trim()
          ? { kind, from: from.trim() }
          : null
        : kind === 'parse-dates'
          ? pattern.trim() && dateFields.length
            ? { kind, pattern: pattern.trim(), ...(dateFields.length === 1 ? { fields: dateFields as ('date_min' | 'date_max')[] } : {}) }
            : null
          : kind === 'merge-duplicates'
            ? { kind, toleranceM: typeof toleranceM === 'number' ? toleranceM : tolerance }
            : kind === 'map-values'
              ? Object.keys(valueMap).length && mapField
                ? { kind, field: mapField, values: Object.fromEntries(Object.entries(valueMap).map(([k, v]) => [k, v === CLEAR ? null : v])) }
                : null
              : { kind };
  const fids = scope === 'group' ? (scopeRows.rows?.fids ?? null) : null;
  const key = JSON.stringify({ spec, scope, fids: fids?.length ?? null });
  const fresh = preview !== null && preview.key === key;
  const ready = spec !== null && (scope === 'all' || fids !== null);

  const input = useCallback(
    (dryRun: boolean, offset: number, limit: number) => {
      const p = JSON.parse(key) as { spec: FixSpecInput };
      return { workspace, fix: p.spec, dryRun, offset, limit, ...(fids ? { fids } : {}), ...(taxonomy ? { taxonomy } : {}) };
    },
    [key, workspace, fids, taxonomy],
  );

  const runPreview = async () => {
    if (!ready) return;
    setError(null);
    const k = key;
    const r = await job.run('clean-fix-preview', (jobId) => client.call('clean.fix', { ...input(true, 0, PAGE), jobId }));
    if (!r.ok) {
      setError(r.error);
      return;
    }
    setPreview({ key: k, report: r.value });
  };

  const apply = async () => {
    if (!fresh) return;
    setError(null);
    const r = await job.run('clean-fix', (jobId) => client.call('clean.fix', { ...input(false, 0, 0), jobId }));
    if (!r.ok) {
      setError(r.error);
      return;
    }
    onApplied(r.value);
  };

  const fetchPage = useCallback(
    async (offset: number, limit: number) => {
      const r = await client.call('clean.fix', input(true, offset, limit));
      return r.ok ? { ok: true as const, value: r.value.changes } : r;
    },
    [client, input],
  );

  const report = fresh ? preview.report : null;
  const sinpCodes = mapType ? (SYNTHESE_CATALOG[mapType]?.values ?? []).map((v) => ({ value: v.code, label: `${v.code} · ${v.label}` })) : [];

  return (
    <Modal opened onClose={onClose} size="80%" title={t('clean.fix.title', { check: bi(group.title, lang) })}>
      <Stack gap="sm" data-testid="fix-dialog" data-check={group.check}>
        <Group gap="xs" align="flex-end">
          <Stack gap={2}>
            <Text size="xs" fw={500}>
              {t('clean.fix.kind.label')}
            </Text>
            <SegmentedControl size="xs" data={group.fixes.map((k) => ({ value: k, label: t(`clean.fix.kind.${k}`) }))} value={kind} onChange={(v) => setKind(v as FixKind)} data-testid="fix-kind" />
          </Stack>
        </Group>
        <Text size="xs" c="dimmed">
          {t(`clean.fix.help.${kind}`)}
        </Text>

        {kind === 'repair-mojibake' && (
          <MultiSelect size="xs" label={t('clean.fix.fields')} description={t('clean.fix.fieldsHint')} data={TEXT_COLUMNS.map((c) => ({ value: c, label: `${fieldLabel(c, lang)} (${c})` }))} value={fields} onChange={setFields} clearable data-testid="fix-fields" />
        )}
        {kind === 'reproject' && <Autocomplete size="xs" label={t('clean.fix.from')} description={t('clean.fix.fromHint')} data={COMMON_CRS.map((c) => c.value)} value={from} onChange={setFrom} data-testid="fix-from" />}
        {kind === 'parse-dates' && (
          <Group gap="md" align="flex-end">
            <Autocomplete size="xs" label={t('clean.fix.pattern')} data={[...DATE_PATTERNS]} value={pattern} onChange={setPattern} data-testid="fix-pattern" />
            <Checkbox.Group size="xs" label={t('clean.fix.dateFields')} value={dateFields} onChange={setDateFields}>
              <Group gap="sm" mt={4}>
                <Checkbox size="xs" value="date_min" label={fieldLabel('date_min', lang)} />
                <Checkbox size="xs" value="date_max" label={fieldLabel('date_max', lang)} />
              </Group>
            </Checkbox.Group>
          </Group>
        )}
        {kind === 'merge-duplicates' && <NumberInput size="xs" w={220} label={t('clean.fix.tolerance')} min={0} max={100000} value={toleranceM} onChange={setToleranceM} data-testid="fix-tolerance" />}
        {kind === 'fill-taxon-codes' && !taxonomy && (
          <Text size="xs" c="orange">
            {t('clean.fix.noTaxonomy')}
          </Text>
        )}
        {kind === 'map-values' && (
          <Stack gap={4} data-testid="fix-values">
            <Text size="xs" fw={500}>
              {t('clean.fix.values', { field: fieldLabel(mapField, lang), type: mapType ?? '' })}
            </Text>
            {!scopeRows.rows && <Loader size="xs" />}
            {scopeRows.rows?.values.map((v) => (
              <Group key={v} gap="xs" wrap="nowrap">
                <Text size="xs" ff="monospace" w={160} truncate="end">
                  {v}
                </Text>
                <Text size="xs">→</Text>
                <Select
                  size="xs"
                  style={{ flex: 1 }}
                  data={[{ value: CLEAR, label: t('clean.fix.clearValue') }, ...sinpCodes]}
                  value={valueMap[v] ?? null}
                  searchable
                  clearable
                  placeholder={t('clean.map.pickCode')}
                  onChange={(code) =>
                    setValueMap((m) => {
                      const next = { ...m };
                      if (code === null) delete next[v];
                      else next[v] = code;
                      return next;
                    })
                  }
                  data-testid={`fix-value-${v}`}
                />
              </Group>
            ))}
          </Stack>
        )}

        <Stack gap={2}>
          <Text size="xs" fw={500}>
            {t('clean.fix.scope')}
          </Text>
          <SegmentedControl
            size="xs"
            value={scope}
            onChange={(v) => setScope(v === 'all' ? 'all' : 'group')}
            data={[
              { value: 'group', label: t('clean.fix.scopeGroup', { count: scopeRows.rows?.fids.length ?? group.rows }) },
              { value: 'all', label: t('clean.fix.scopeAll') },
            ]}
            data-testid="fix-scope"
          />
        </Stack>

        <Group>
          <Button variant="light" onClick={() => void runPreview()} disabled={!ready || job.running} loading={job.running && !fresh} data-testid="fix-preview">
            {t('clean.fix.preview')}
          </Button>
          {preview && !fresh && (
            <Text size="xs" c="orange">
              {t('clean.fix.stale')}
            </Text>
          )}
        </Group>
        <JobLine jobId={job.jobId} progress={job.progress} testId="fix-progress" />
        {(error ?? scopeRows.error) && (
          <Alert color="red" variant="light" data-testid="fix-error">
            {errorText(t, (error ?? scopeRows.error) as ApiError)}
          </Alert>
        )}

        {report && (
          <Stack gap={6} data-testid="fix-summary" data-values={report.valuesChanged} data-rows={report.rowsChanged} data-deleted={report.rowsDeleted}>
            <Group gap={6}>
              <Text size="sm" fw={600}>
                {t('clean.fix.summary', { count: report.valuesChanged, rows: report.rowsChanged })}
              </Text>
              {report.rowsDeleted > 0 && (
                <Badge color="red" variant="light">
                  {t('clean.fix.deleted', { count: report.rowsDeleted })}
                </Badge>
              )}
              {report.byField.map((b) => (
                <Badge key={b.field} variant="light" data-testid="fix-byfield" data-field={b.field} data-count={b.count}>
                  {fieldLabel(b.field, lang)} · {b.count}
                </Badge>
              ))}
            </Group>
            {report.skipped.length > 0 && (
              <Alert color="orange" variant="light" p="xs" title={t('clean.fix.skipped', { count: report.skipped.length })}>
                {report.skipped.slice(0, 10).map((s, i) => (
                  <Text key={i} size="xs">
                    {t('clean.findings.fid')} {s.fid} : {s.reason}
                  </Text>
                ))}
              </Alert>
            )}
            <PagedTable<FixChange>
              testId="fix-changes"
              rowTestId="fix-change"
              resetKey={key}
              total={report.valuesChanged}
              pageSize={PAGE}
              initial={report.changes}
              height={Math.min(360, 34 + report.valuesChanged * 28)}
              fetchPage={fetchPage}
              rowProps={(c) => ({ 'data-fid': c.fid, 'data-field': c.field })}
              columns={[
                { key: 'fid', label: t('clean.findings.fid'), width: 80, fixed: true, render: (c) => c.fid },
                { key: 'field', label: t('clean.findings.field'), width: 150, render: (c) => fieldLabel(c.field, lang), title: (c) => c.field },
                {
                  key: 'before',
                  label: t('clean.fix.before'),
                  width: 260,
                  render: (c) => (
                    <Text span size="xs" c="red" data-role="before">
                      {show(c.before)}
                    </Text>
                  ),
                  title: (c) => show(c.before),
                },
                { key: 'arrow', label: '', width: 24, fixed: true, render: () => '→' },
                {
                  key: 'after',
                  label: t('clean.fix.after'),
                  width: 260,
                  render: (c) =>
                    c.deleted ? (
                      <Badge size="xs" color="red">
                        {t('clean.fix.merged')}
                      </Badge>
                    ) : (
                      <Text span size="xs" c="teal" data-role="after">
                        {show(c.after)}
                      </Text>
                    ),
                  title: (c) => (c.deleted ? '' : show(c.after)),
                },
              ]}
            />
          </Stack>
        )}

        <Group justify="flex-end">
          <Button variant="default" onClick={onClose}>
            {t('clean.fix.cancel')}
          </Button>
          <Button color="orange" onClick={() => void apply()} disabled={!fresh || !report || report.valuesChanged + report.rowsDeleted === 0 || job.running} data-testid="fix-apply">
            {t('clean.fix.apply', { count: report?.valuesChanged ?? 0 })}
          </Button>
        </Group>
      </Stack>
    </Modal>
  );
}
