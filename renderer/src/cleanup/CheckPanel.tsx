import { useEffect, useState } from 'react';
import { Accordion, Alert, Badge, Button, Group, NumberInput, Stack, TagsInput, Text, Title, Tooltip } from '@mantine/core';
import { IconMapPin } from '@tabler/icons-react';
import { useTranslation } from 'react-i18next';
import type { ApiError, CheckGroup, CheckId, CheckReport, CleanFinding, Extent, FixKind } from '../../../shared/contract/index.js';
import { useEngine } from '../api/engine.js';
import { errorText } from '../i18n/index.js';
import { PathField, useLang } from './common.js';
import { FindingsList } from './FindingsList.js';
import { FindingsMap, type FlaggedPoint } from './FindingsMap.js';
import { bi, extentOf, SEVERITY_COLOR, type Lang } from './format.js';
import { usePersisted } from './store.js';

const EMPTY: string[] = [];

/** The check's parameters, kept per workspace. */
export interface CheckFormState {
  departements: string[];
  minYear: number;
  tolerance: number;
  /** A taxonomy CSV the user chose (and the engine read once: that is what allows it). */
  taxonomy: string | null;
  taxonomyRows: number | null;
}

export const DEFAULT_PARAMS: CheckFormState = { departements: [], minYear: 1850, tolerance: 10, taxonomy: null, taxonomyRows: null };

/** The check's settings and its run button. */
export function CheckForm({ params, onParams, report, running, onRun }: { params: CheckFormState; onParams: (p: CheckFormState) => void; report: CheckReport | null; running: boolean; onRun: () => void }) {
  const { t } = useTranslation();
  const { client } = useEngine();
  const [taxonomyPath, setTaxonomyPath] = useState('');
  const [reading, setReading] = useState(false);
  const [error, setError] = useState<ApiError | null>(null);

  // The engine reads the taxonomy file once here: it says how many rows it has, and the file is then allowed for the check.
  const chooseTaxonomy = async (path: string) => {
    setReading(true);
    setError(null);
    const r = await client.call('clean.sniff', { path, read: {}, previewRows: 1 });
    setReading(false);
    if (!r.ok) {
      setError(r.error);
      return;
    }
    onParams({ ...params, taxonomy: path, taxonomyRows: r.value.rows });
    setTaxonomyPath('');
  };

  return (
    <Stack gap="xs" data-testid="clean-check-form">
      <Title order={5}>{t('clean.check.title')}</Title>
      <Group gap="xs" grow align="flex-start">
        <NumberInput size="xs" label={t('clean.check.minYear')} min={1000} max={2100} value={params.minYear} onChange={(v) => onParams({ ...params, minYear: typeof v === 'number' ? v : 1850 })} />
        <NumberInput size="xs" label={t('clean.check.tolerance')} min={0} max={100000} value={params.tolerance} onChange={(v) => onParams({ ...params, tolerance: typeof v === 'number' ? v : 10 })} />
      </Group>
      <TagsInput
        size="xs"
        label={t('clean.check.departements')}
        description={t('clean.check.departementsHint')}
        data={report?.territory.departements ?? []}
        value={params.departements}
        onChange={(d) => onParams({ ...params, departements: d })}
        clearable
        data-testid="clean-departements"
      />
      {params.taxonomy ? (
        <Group gap="xs" wrap="nowrap">
          <Badge variant="light" color="teal" style={{ flex: 'none' }}>
            {t('clean.check.taxonomyRows', { count: params.taxonomyRows ?? 0 })}
          </Badge>
          <Text size="xs" ff="monospace" truncate="start" style={{ flex: 1 }} title={params.taxonomy}>
            {params.taxonomy}
          </Text>
          <Button size="compact-xs" variant="subtle" color="red" onClick={() => onParams({ ...params, taxonomy: null, taxonomyRows: null })}>
            {t('clean.check.taxonomyRemove')}
          </Button>
        </Group>
      ) : (
        <PathField
          label={t('clean.check.taxonomy')}
          description={t('clean.check.taxonomyHint')}
          placeholder="/…/taxref.csv"
          value={taxonomyPath}
          onChange={setTaxonomyPath}
          onSubmit={(p) => void chooseTaxonomy(p)}
          submitLabel={t('clean.check.taxonomyUse')}
          busy={reading}
          filters={[{ name: 'CSV', extensions: ['csv', 'txt'] }]}
          testId="clean-taxonomy"
        />
      )}
      {error && (
        <Alert color="red" variant="light">
          {errorText(t, error)}
        </Alert>
      )}
      <Button onClick={onRun} loading={running} data-testid="clean-check-run">
        {report ? t('clean.check.rerun') : t('clean.check.run')}
      </Button>
    </Stack>
  );
}

/** The checks that could not run, grouped by why ("taxon.unknown-code, taxon.code-from-name (no taxonomy)"). */
function skippedByReason(report: CheckReport, lang: Lang): string {
  const by = new Map<string, string[]>();
  for (const s of report.skipped) {
    const why = bi(s.reason, lang);
    by.set(why, [...(by.get(why) ?? []), s.check]);
  }
  return [...by].map(([why, checks]) => `${checks.join(', ')} (${why.replace(/\.$/, '')})`).join(' ; ');
}

/** What the check found: the counts, what it could not look at, and the groups. */
export function CheckSummary({ report }: { report: CheckReport }) {
  const { t } = useTranslation();
  const lang = useLang();
  return (
    <Stack gap={4} data-testid="clean-summary" data-clean={report.clean} data-total={report.total} data-run={report.runId}>
      <Group gap={6}>
        <Badge color={report.clean ? 'teal' : 'red'} variant="filled" data-testid="clean-status">
          {report.clean ? t('clean.summary.clean') : t('clean.summary.defects')}
        </Badge>
        <Text size="sm">{t('clean.summary.counts', { observations: report.observations, flagged: report.flagged, total: report.total })}</Text>
      </Group>
      <Text size="xs" c="dimmed">
        {report.taxonomy.source === 'none' ? t('clean.summary.noTaxonomy') : t('clean.summary.taxonomy', { name: report.taxonomy.name ?? report.taxonomy.source, count: report.taxonomy.taxa })}
        {' · '}
        {report.territory.source === 'none' ? t('clean.summary.noTerritory') : t('clean.summary.territory', { departements: report.territory.departements.join(', ') })}
        {' · '}
        {t('clean.summary.at', { at: report.at.slice(0, 19).replace('T', ' ') })}
      </Text>
      {report.skipped.length > 0 && (
        <Text size="xs" c="dimmed" data-testid="clean-skipped">
          {t('clean.summary.skipped')} {skippedByReason(report, lang)}
        </Text>
      )}
    </Stack>
  );
}

/** The check group the small map draws (the last one opened), and the observation selected, shared by the map and the lists. */
function useFocus(workspace: string, report: CheckReport) {
  const [focus, setFocus] = usePersisted<CheckId | null>(`clean:focus:${workspace}`, null);
  const [selected, setSelected] = usePersisted<number | null>(`clean:selected:${workspace}`, null);
  // A group a fix made disappear is no longer one to draw.
  const effective = focus && report.groups.some((g) => g.check === focus) ? focus : null;
  return { focus: effective, setFocus, selected, setSelected };
}

/** The smallest extent holding a check's findings (up to 5000 of them), for the main map. */
async function findingsExtent(client: ReturnType<typeof useEngine>['client'], workspace: string, runId: string, check: CheckId | null): Promise<Extent | null> {
  const r = await client.call('clean.findings', { workspace, runId, ...(check ? { check } : {}), offset: 0, limit: 5000 });
  return r.ok ? extentOf(r.value.findings.map((f) => f.geometry)) : null;
}

/**
 * The flagged observations on a small map of the view: those of the group opened last (or of
 * every group), coloured by severity; "on the main map" zooms the app's map to them.
 */
export function FlaggedMap({ workspace, report, showOnMap }: { workspace: string; report: CheckReport; showOnMap: (extent: Extent | null) => void }) {
  const { t } = useTranslation();
  const lang = useLang();
  const { client } = useEngine();
  const { focus, setFocus, selected, setSelected } = useFocus(workspace, report);
  const [points, setPoints] = useState<{ key: string; points: FlaggedPoint[]; extent: Extent | null; error: ApiError | null }>({ key: '', points: [], extent: null, error: null });
  const key = `${report.runId}|${focus ?? ''}`;

  // The flagged observations the map draws: the focused group's (or every group's), up to 5000.
  useEffect(() => {
    let alive = true;
    const k = `${report.runId}|${focus ?? ''}`;
    const severity = new Map(report.groups.map((g) => [g.check, g.severity]));
    void client.call('clean.findings', { workspace, runId: report.runId, ...(focus ? { check: focus } : {}), offset: 0, limit: 5000 }).then((r) => {
      if (!alive) return;
      if (!r.ok) {
        setPoints({ key: k, points: [], extent: null, error: r.error });
        return;
      }
      const byFid = new Map<number, FlaggedPoint>();
      for (const f of r.value.findings) {
        if (!f.geometry) continue;
        const sev = severity.get(f.check) ?? f.severity;
        const prev = byFid.get(f.fid);
        if (!prev || (sev === 'error' && prev.severity !== 'error')) byFid.set(f.fid, { fid: f.fid, lon: f.geometry.lon, lat: f.geometry.lat, severity: sev });
      }
      setPoints({ key: k, points: [...byFid.values()], extent: extentOf(r.value.findings.map((f) => f.geometry)), error: null });
    });
    return () => {
      alive = false;
    };
  }, [client, workspace, report, focus]);

  const title = focus ? bi(report.groups.find((g) => g.check === focus)?.title ?? { fr: focus, en: focus }, lang) : null;
  return (
    <Stack gap={4} data-testid="clean-flagged" data-focus={focus ?? ''}>
      <Text size="sm" fw={600}>
        {title ? t('clean.flagmap.titleGroup', { title }) : t('clean.flagmap.titleAll')}
      </Text>
      <Group justify="flex-end" wrap="nowrap">
        <Group gap={4} wrap="nowrap">
          {focus && (
            <Button size="compact-xs" variant="subtle" onClick={() => setFocus(null)}>
              {t('clean.flagmap.all')}
            </Button>
          )}
          <Button size="compact-xs" variant="light" disabled={points.key !== key || !points.extent} onClick={() => showOnMap(points.extent)} data-testid="clean-map-main">
            {t('clean.flagmap.onMain')}
          </Button>
        </Group>
      </Group>
      <FindingsMap workspace={workspace} points={points.points} selectedFid={selected} onSelect={setSelected} />
      {points.error && <Alert color="red">{errorText(t, points.error)}</Alert>}
      <Text size="xs" c="dimmed">
        {t('clean.flagmap.hint')}
      </Text>
    </Stack>
  );
}

/**
 * The findings grouped by check, with their counts and severity; a group opens on its findings
 * (all of them, paged), the fixes it offers, and "show on the map". The group opened last is the
 * one the small map draws.
 */
export function CheckGroups({
  workspace,
  report,
  onFix,
  showOnMap,
}: {
  workspace: string;
  report: CheckReport;
  onFix: (g: CheckGroup, kind: FixKind) => void;
  showOnMap: (extent: Extent | null) => void;
}) {
  const { t } = useTranslation();
  const lang = useLang();
  const { client } = useEngine();
  const [open, setOpen] = usePersisted<string[]>(`clean:open:${workspace}`, EMPTY);
  const { focus, setFocus, selected, setSelected } = useFocus(workspace, report);

  const select = (f: CleanFinding) => {
    setSelected(f.fid);
    if (focus !== f.check) setFocus(f.check);
  };

  return (
    <Stack gap="sm">
      {report.groups.length === 0 && (
        <Alert color="teal" variant="light" data-testid="clean-no-groups">
          {t('clean.summary.none')}
        </Alert>
      )}
      <Accordion
        multiple
        variant="separated"
        value={open}
        onChange={(v) => {
          const added = v.find((x) => !open.includes(x));
          setOpen(v);
          if (added) setFocus(added as CheckId);
        }}
        data-testid="clean-groups"
      >
        {report.groups.map((g) => (
          <Accordion.Item key={g.check} value={g.check} data-testid="clean-group" data-check={g.check} data-count={g.count} data-rows={g.rows} data-severity={g.severity}>
            <Accordion.Control data-testid="clean-group-toggle">
              <Group justify="space-between" wrap="nowrap" pr="sm">
                <Group gap="xs" wrap="nowrap" style={{ minWidth: 0 }}>
                  <Badge size="sm" color={SEVERITY_COLOR[g.severity]} variant="filled" style={{ flex: 'none' }}>
                    {t(`clean.severity.${g.severity}`)}
                  </Badge>
                  <Text size="sm" fw={600} truncate="end">
                    {bi(g.title, lang)}
                  </Text>
                  <Text size="xs" c="dimmed" ff="monospace" style={{ flex: 'none' }}>
                    {g.check}
                  </Text>
                </Group>
                <Group gap={4} wrap="nowrap" style={{ flex: 'none' }}>
                  <Badge variant="light" color={SEVERITY_COLOR[g.severity]} data-testid="clean-group-count">
                    {g.count}
                  </Badge>
                  <Text size="xs" c="dimmed">
                    {t('clean.groups.rows', { count: g.rows })}
                  </Text>
                </Group>
              </Group>
            </Accordion.Control>
            <Accordion.Panel>
              <Stack gap="xs">
                <Group gap="xs">
                  {g.fixes.map((k) => (
                    <Button key={k} size="xs" color="orange" variant="light" onClick={() => onFix(g, k)} data-testid={`clean-fix-${k}`}>
                      {t('clean.groups.fix', { fix: t(`clean.fix.kind.${k}`) })}
                    </Button>
                  ))}
                  {g.fixes.length === 0 && (
                    <Tooltip label={t('clean.groups.noFixHint')} multiline maw={320}>
                      <Text size="xs" c="dimmed">
                        {t('clean.groups.noFix')}
                      </Text>
                    </Tooltip>
                  )}
                  <Button
                    size="xs"
                    variant="default"
                    leftSection={<IconMapPin size={14} />}
                    onClick={() =>
                      void findingsExtent(client, workspace, report.runId, g.check).then((e) => {
                        if (e) showOnMap(e);
                      })
                    }
                    data-testid="clean-group-map"
                  >
                    {t('clean.groups.showOnMap')}
                  </Button>
                </Group>
                {open.includes(g.check) && (
                  <FindingsList
                    workspace={workspace}
                    runId={report.runId}
                    check={g.check}
                    total={g.count}
                    lang={lang}
                    selectedFid={selected}
                    onSelect={select}
                    onShowOnMap={(f) => showOnMap(extentOf([f.geometry]))}
                  />
                )}
              </Stack>
            </Accordion.Panel>
          </Accordion.Item>
        ))}
      </Accordion>
    </Stack>
  );
}
