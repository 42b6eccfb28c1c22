import { useEffect, useState } from 'react';
import { Alert, Badge, Button, Group, Pagination, Paper, SimpleGrid, Stack, Switch, Table, Text, Title, UnstyledButton } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import type { ApiError, SensitivityCheckSummary, SensitivityCounts, SensitivityReportRow } from '../../../shared/contract/index.js';
import { useEngine } from '../api/engine.js';
import { errorText } from '../i18n/index.js';
import { LevelBadge } from './common.js';
import { areaNames, levelColor, LEVELS, originText } from './format.js';

/** What the observation table is narrowed to. */
interface Filter {
  level?: number;
  taxon?: { cdNom: number; name: string };
  dataset?: { uuid: string; name: string };
  all?: boolean;
}

const PAGE = 25;

/** Counts by level as small coloured cells (a zero is dimmed). */
function LevelCells({ counts, undetermined, degraded }: { counts: SensitivityCounts; undetermined?: number; degraded: number }) {
  return (
    <>
      {LEVELS.map((l) => (
        <Table.Td key={l} ta="right" data-level={l}>
          {counts[l] ? (
            <Text size="xs" fw={700} c={levelColor(l)}>
              {counts[l]}
            </Text>
          ) : (
            <Text size="xs" c="dimmed">
              0
            </Text>
          )}
        </Table.Td>
      ))}
      {undetermined !== undefined && (
        <Table.Td ta="right" data-level={-1}>
          <Text size="xs" c={undetermined ? levelColor(null) : 'dimmed'} fw={undetermined ? 700 : 400}>
            {undetermined}
          </Text>
        </Table.Td>
      )}
      <Table.Td ta="right" data-degraded={degraded}>
        <Text size="xs" fw={degraded ? 700 : 400} c={degraded ? undefined : 'dimmed'}>
          {degraded}
        </Text>
      </Table.Td>
    </>
  );
}

function LevelHeads() {
  const { t } = useTranslation();
  return (
    <>
      {LEVELS.map((l) => (
        <Table.Th key={l} ta="right" w={30} title={t(`sens.level.${l}`)}>
          <Badge size="sm" circle color={levelColor(l)} autoContrast>
            {l}
          </Badge>
        </Table.Th>
      ))}
      <Table.Th ta="right" w={30} title={t('sens.level.-1')}>
        <Badge size="sm" circle color={levelColor(null)}>
          ?
        </Badge>
      </Table.Th>
      <Table.Th ta="right" title={t('sens.report.degradedHint')}>
        {t('sens.report.degraded')}
      </Table.Th>
    </>
  );
}

/** The summary: counts by level (clickable), by blurring, totals and what needs a look. */
function Summary({ check, filter, onFilter }: { check: SensitivityCheckSummary; filter: Filter; onFilter: (f: Filter) => void }) {
  const { t, i18n } = useTranslation();
  return (
    <Stack gap="xs" data-testid="sens-summary" data-total={check.total} data-check-id={check.id} data-stale={check.stale}>
      <Text size="xs" c="dimmed">
        {t('sens.report.header', {
          id: check.id,
          at: new Date(check.at).toLocaleString(i18n.language, { dateStyle: 'short', timeStyle: 'short' }),
          actor: check.actor,
          asOf: check.asOf,
          territory: check.territory,
          grid: check.gridPrefix,
          ms: check.durationMs,
        })}
      </Text>
      <Text size="xs" c="dimmed">
        {t('sens.report.rulesUsed', {
          list: check.rules.map((r) => `${r.name}${r.version && !r.name.includes(r.version) ? ` v${r.version}` : ''} (${t('sens.rules.total', { count: r.rules })})`).join(', ') || '—',
        })}
      </Text>
      {check.stale && (
        <Alert color="orange" variant="light" p="xs" data-testid="sens-stale">
          <Text size="xs">{t('sens.report.stale')}</Text>
        </Alert>
      )}
      <Text size="sm" fw={600}>
        {t('sens.report.byLevel')}
      </Text>
      <SimpleGrid cols={{ base: 3, md: check.undetermined > 0 ? 6 : 5 }} spacing="xs">
        {LEVELS.map((l) => (
          <UnstyledButton key={l} onClick={() => onFilter(filter.level === l ? { ...filter, level: undefined } : { ...filter, level: l, all: l === 0 ? true : filter.all })}>
            <Paper
              withBorder
              p="xs"
              radius="md"
              data-testid="sens-level"
              data-level={l}
              data-count={check.bySensitivity[l]}
              style={{ borderLeft: `6px solid ${levelColor(l)}`, outline: filter.level === l ? `2px solid ${levelColor(l)}` : undefined }}
            >
              <Text size="xl" fw={700} lh={1.1}>
                {check.bySensitivity[l]}
              </Text>
              <Text size="xs" c="dimmed" lh={1.2}>
                {l} · {t(`sens.level.${l}`)}
              </Text>
            </Paper>
          </UnstyledButton>
        ))}
        {check.undetermined > 0 && (
          <Paper withBorder p="xs" radius="md" data-testid="sens-level" data-level={-1} data-count={check.undetermined} style={{ borderLeft: `6px solid ${levelColor(null)}` }}>
            <Text size="xl" fw={700} lh={1.1}>
              {check.undetermined}
            </Text>
            <Text size="xs" c="dimmed">
              {t('sens.level.-1')}
            </Text>
          </Paper>
        )}
      </SimpleGrid>
      <Group gap={6} data-testid="sens-by-blur">
        <Text size="xs" fw={600}>
          {t('sens.report.byBlur')}
        </Text>
        {LEVELS.map((l) => (
          <Badge key={l} size="sm" variant="light" color={levelColor(l)} data-blur={l} data-count={check.byBlur[l]}>
            {t(`sens.blur.${l}`)} : {check.byBlur[l]}
          </Badge>
        ))}
      </Group>
      <Text size="xs" data-testid="sens-totals">
        {t('sens.report.totals', {
          total: check.total,
          degraded: check.degraded,
          overridden: check.overridden,
          precaution: check.byPrecaution,
          diffusion: check.byDiffusion,
          propagated: check.propagated,
        })}
      </Text>
      {check.unmatched > 0 && (
        <Alert color="orange" variant="light" p="xs" title={t('sens.report.unmatched', { count: check.unmatched })} data-testid="sens-unmatched">
          <Stack gap={0}>
            {check.unmatchedTaxa.map((u, i) => (
              <Text key={i} size="xs">
                {t('sens.report.unmatchedTaxon', { name: u.name ?? '—', cdNom: u.cdNom ?? '—', count: u.observations })}
              </Text>
            ))}
          </Stack>
        </Alert>
      )}
      {check.noTaxon > 0 && (
        <Alert color="orange" variant="light" p="xs" data-testid="sens-no-taxon">
          <Text size="xs">{t('sens.report.noTaxon', { count: check.noTaxon })}</Text>
        </Alert>
      )}
      {check.areaNotFound > 0 && (
        <Alert color="red" variant="light" p="xs" title={t('sens.report.areasNotFound', { count: check.areaNotFound })} data-testid="sens-areas-not-found">
          <Stack gap={0}>
            {check.areasNotFound.map((a, i) => (
              <Text key={i} size="xs" ff="monospace">
                {t('sens.report.areaNotFound', { uuid: a.uuid ?? '—', type: a.areaType, level: a.requestedLevel })}
              </Text>
            ))}
          </Stack>
        </Alert>
      )}
      {check.diagnostics.invalidRules.length > 0 && (
        <Alert color="orange" variant="light" p="xs" title={t('sens.report.invalidRules', { count: check.diagnostics.invalidRules.length })} data-testid="sens-invalid-rules">
          <Stack gap={0}>
            {check.diagnostics.invalidRules.map((r) => (
              <Text key={r.ruleId} size="xs">
                {r.ruleId} : {r.problems.join(' ; ')}
              </Text>
            ))}
          </Stack>
        </Alert>
      )}
      {check.diagnostics.unknownRuleTaxa.length > 0 && (
        <Alert color="yellow" variant="light" p="xs" title={t('sens.report.unknownRuleTaxa', { count: check.diagnostics.unknownRuleTaxa.length })} data-testid="sens-unknown-rule-taxa">
          <Text size="xs">{check.diagnostics.unknownRuleTaxa.map((r) => `${r.ruleId} (cd_nom ${r.cdNom})`).join(', ')}</Text>
        </Alert>
      )}
    </Stack>
  );
}

/** Counts by taxon and by JDD; a row narrows the observation table. */
function Groups({ check, filter, onFilter }: { check: SensitivityCheckSummary; filter: Filter; onFilter: (f: Filter) => void }) {
  const { t } = useTranslation();
  return (
    <SimpleGrid cols={{ base: 1, xl: 2 }} spacing="md">
      <Stack gap={4}>
        <Text size="sm" fw={600}>
          {t('sens.report.byTaxon')}
        </Text>
        {check.byTaxon.length === 0 ? (
          <Text size="xs" c="dimmed">
            {t('sens.report.noTaxon0')}
          </Text>
        ) : (
          <Table.ScrollContainer minWidth={380}>
            <Table fz="xs" highlightOnHover verticalSpacing={2} data-testid="sens-by-taxon">
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>{t('sens.report.taxon')}</Table.Th>
                  <Table.Th ta="right">{t('sens.report.total')}</Table.Th>
                  <LevelHeads />
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {check.byTaxon.map((g) => (
                  <Table.Tr
                    key={String(g.cdNom)}
                    data-testid="sens-taxon"
                    data-cdnom={g.cdNom ?? ''}
                    data-total={g.total}
                    data-sensitive={g.total - (g.bySensitivity[0] ?? 0) - g.undetermined}
                    data-levels={g.bySensitivity.join(',')}
                    style={{ cursor: 'pointer', background: filter.taxon?.cdNom === g.cdNom ? 'var(--mantine-color-default-hover)' : undefined }}
                    onClick={() => g.cdNom !== null && onFilter(filter.taxon?.cdNom === g.cdNom ? { ...filter, taxon: undefined } : { ...filter, taxon: { cdNom: g.cdNom, name: g.name ?? String(g.cdNom) } })}
                  >
                    <Table.Td>
                      <Text size="xs" fw={600} span>
                        {g.name ?? '—'}
                      </Text>{' '}
                      <Text size="xs" c="dimmed" span>
                        {g.cdNom ?? ''}
                      </Text>
                    </Table.Td>
                    <Table.Td ta="right">{g.total}</Table.Td>
                    <LevelCells counts={g.bySensitivity} undetermined={g.undetermined} degraded={g.total - (g.byBlur[0] ?? 0)} />
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          </Table.ScrollContainer>
        )}
      </Stack>
      <Stack gap={4}>
        <Text size="sm" fw={600}>
          {t('sens.report.byDataset')}
        </Text>
        <Table.ScrollContainer minWidth={380}>
          <Table fz="xs" highlightOnHover verticalSpacing={2} data-testid="sens-by-dataset">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>{t('sens.report.dataset')}</Table.Th>
                <Table.Th ta="right">{t('sens.report.total')}</Table.Th>
                <LevelHeads />
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {check.byDataset.map((g) => (
                <Table.Tr
                  key={String(g.uuid)}
                  data-testid="sens-dataset"
                  data-uuid={g.uuid ?? ''}
                  data-total={g.total}
                  style={{ cursor: 'pointer', background: filter.dataset?.uuid === g.uuid ? 'var(--mantine-color-default-hover)' : undefined }}
                  onClick={() => g.uuid !== null && onFilter(filter.dataset?.uuid === g.uuid ? { ...filter, dataset: undefined } : { ...filter, dataset: { uuid: g.uuid, name: g.name ?? g.uuid } })}
                >
                  <Table.Td maw={200}>
                    <Text size="xs" fw={600} truncate="end">
                      {g.name ?? g.uuid ?? '—'}
                    </Text>
                  </Table.Td>
                  <Table.Td ta="right">{g.total}</Table.Td>
                  <LevelCells counts={g.bySensitivity} undetermined={g.undetermined} degraded={g.total - (g.byBlur[0] ?? 0)} />
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      </Stack>
    </SimpleGrid>
  );
}

/** One observation of the report: level, taxon, date, what is published, why, and the deciding rule. */
function ObservationRow({ row, onExplain }: { row: SensitivityReportRow; onExplain: (uuid: string) => void }) {
  const { t } = useTranslation();
  return (
    <Table.Tr
      data-testid="sens-row"
      data-uuid={row.uuid ?? ''}
      data-cdnom={row.cdNom ?? ''}
      data-level={row.sensitivityLevel ?? -1}
      data-blur={row.blurLevel}
      data-rule={row.rule?.id ?? ''}
      style={{ cursor: row.uuid ? 'pointer' : undefined }}
      onClick={() => row.uuid && onExplain(row.uuid)}
    >
      <Table.Td>
        <LevelBadge level={row.sensitivityLevel} short />
      </Table.Td>
      <Table.Td>
        <Text size="xs" fw={600}>
          {row.nomCite ?? '—'}
        </Text>
        <Text size="xs" c="dimmed">
          {row.cdNom ?? '—'} · {row.dateMin ?? '—'}
        </Text>
        {row.resolution !== 'cd_nom' && (
          <Badge size="xs" color="orange" variant="light">
            {t(`sens.resolution.${row.resolution}`)}
          </Badge>
        )}
      </Table.Td>
      <Table.Td>
        <Text size="xs">{t(`sens.blur.${row.blurLevel}`)}</Text>
        <Text size="xs" c="dimmed" truncate="end" maw={180}>
          {areaNames(row.areas)}
        </Text>
      </Table.Td>
      <Table.Td>
        <Text size="xs">{t(`sens.reason.${row.reason}`, { defaultValue: row.reason })}</Text>
        <Group gap={2}>
          {row.overrideId && (
            <Badge size="xs" color="grape" variant="light">
              {t('sens.report.overridden')}
            </Badge>
          )}
          {row.propagatedFrom && (
            <Badge
              size="xs"
              color="orange"
              variant="light"
              style={{ cursor: 'pointer', textTransform: 'none' }}
              data-testid="sens-row-propagated"
              onClick={(e) => {
                e.stopPropagation();
                if (row.propagatedFrom) onExplain(row.propagatedFrom);
              }}
            >
              {t('sens.report.propagatedFrom', { uuid: row.propagatedFrom.slice(0, 8) })}
            </Badge>
          )}
          {row.precautions.map((p) => (
            <Badge key={p} size="xs" color="yellow" variant="light" title={t('sens.precautionNote')}>
              {t(`sens.precaution.${p}`)}
            </Badge>
          ))}
        </Group>
      </Table.Td>
      <Table.Td>
        {row.rule ? (
          <>
            <Text size="xs">
              {row.rule.local && (
                <Badge size="xs" color="grape" variant="light" mr={4}>
                  {t('sens.rules.local')}
                </Badge>
              )}
              {originText(row.rule.origin, (line) => t('sens.rules.line', { line }))}
            </Text>
            {row.rule.comment && (
              <Text size="xs" c="dimmed" fs="italic">
                {row.rule.comment}
              </Text>
            )}
            {row.matchingRuleIds.length > 1 && (
              <Text size="xs" c="dimmed">
                {t('sens.report.moreRules', { count: row.matchingRuleIds.length - 1 })}
              </Text>
            )}
          </>
        ) : (
          <Text size="xs" c="dimmed">
            {t('sens.report.noRule')}
          </Text>
        )}
      </Table.Td>
      <Table.Td>
        <Button
          size="compact-xs"
          variant="subtle"
          onClick={(e) => {
            e.stopPropagation();
            if (row.uuid) onExplain(row.uuid);
          }}
          data-testid="sens-row-explain"
        >
          {t('sens.report.explain')}
        </Button>
      </Table.Td>
    </Table.Tr>
  );
}

/**
 * The last check's report: the summary, counts by taxon and JDD, and a paged table of the
 * sensitive (or degraded, or unmatched) observations with the rule that decided each.
 */
export function Report({ workspace, version, check, onExplain }: { workspace: string; version: number; check: SensitivityCheckSummary | null; onExplain: (uuid: string) => void }) {
  const { t } = useTranslation();
  const { client } = useEngine();
  const [filter, setFilterState] = useState<Filter>({});
  const [page, setPage] = useState(1);
  const [data, setData] = useState<{ total: number; observations: SensitivityReportRow[] } | null>(null);
  const [error, setError] = useState<ApiError | null>(null);
  const setFilter = (f: Filter) => {
    setFilterState(f);
    setPage(1);
  };
  const hasCheck = check !== null;
  const key = JSON.stringify(filter);

  useEffect(() => {
    if (!hasCheck) return;
    let alive = true;
    const f = JSON.parse(key) as Filter;
    void client
      .call('sensitivity.report', {
        workspace,
        ...(f.level !== undefined ? { level: f.level } : {}),
        ...(f.taxon ? { cdNom: f.taxon.cdNom } : {}),
        ...(f.dataset ? { datasetUuid: f.dataset.uuid } : {}),
        sensitiveOnly: !f.all,
        offset: (page - 1) * PAGE,
        limit: PAGE,
      })
      .then((r) => {
        if (!alive) return;
        setData(r.ok ? { total: r.value.total, observations: r.value.observations } : null);
        setError(r.ok ? null : r.error);
      });
    return () => {
      alive = false;
    };
  }, [client, workspace, version, key, page, hasCheck]);

  if (!check) {
    return (
      <Stack gap="xs" data-testid="sens-report">
        <Title order={5}>{t('sens.report.title')}</Title>
        <Text size="sm" c="dimmed" data-testid="sens-report-none">
          {t('sens.report.none')}
        </Text>
      </Stack>
    );
  }

  const chips: Array<{ label: string; clear: Filter }> = [];
  if (filter.level !== undefined) chips.push({ label: t('sens.report.filterLevel', { level: filter.level }), clear: { ...filter, level: undefined } });
  if (filter.taxon) chips.push({ label: t('sens.report.filterTaxon', { name: filter.taxon.name }), clear: { ...filter, taxon: undefined } });
  if (filter.dataset) chips.push({ label: t('sens.report.filterDataset', { name: filter.dataset.name }), clear: { ...filter, dataset: undefined } });

  return (
    <Stack gap="sm" data-testid="sens-report">
      <Title order={5}>{t('sens.report.title')}</Title>
      <Summary check={check} filter={filter} onFilter={setFilter} />
      <Groups check={check} filter={filter} onFilter={setFilter} />
      <Group justify="space-between" gap="xs">
        <Group gap={6}>
          <Text size="sm" fw={600} data-testid="sens-observations-total" data-total={data?.total ?? ''}>
            {data ? t('sens.report.observations', { count: data.total }) : '…'}
          </Text>
          {chips.map((c) => (
            <Badge key={c.label} variant="outline" size="sm" rightSection={<span aria-hidden>×</span>} style={{ cursor: 'pointer' }} onClick={() => setFilter(c.clear)}>
              {c.label}
            </Badge>
          ))}
        </Group>
        <Switch size="xs" label={t('sens.report.showAll')} checked={Boolean(filter.all)} onChange={(e) => setFilter({ ...filter, all: e.currentTarget.checked })} data-testid="sens-show-all" />
      </Group>
      {error && <Alert color="red">{errorText(t, error)}</Alert>}
      {data && data.observations.length === 0 && (
        <Text size="sm" c="dimmed">
          {t('sens.report.empty')}
        </Text>
      )}
      {data && data.observations.length > 0 && (
        <Table.ScrollContainer minWidth={600}>
          <Table fz="xs" striped highlightOnHover verticalSpacing={4} data-testid="sens-observations">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>{t('sens.report.col.level')}</Table.Th>
                <Table.Th>{t('sens.report.col.taxonDate')}</Table.Th>
                <Table.Th>{t('sens.report.col.published')}</Table.Th>
                <Table.Th>{t('sens.report.col.reason')}</Table.Th>
                <Table.Th>{t('sens.report.col.rule')}</Table.Th>
                <Table.Th />
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {data.observations.map((o) => (
                <ObservationRow key={o.fid} row={o} onExplain={onExplain} />
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      )}
      {data && data.total > PAGE && <Pagination size="sm" total={Math.ceil(data.total / PAGE)} value={page} onChange={setPage} data-testid="sens-pages" />}
    </Stack>
  );
}
