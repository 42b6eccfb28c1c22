import { useEffect, useState } from 'react';
import { Alert, Badge, Button, Group, List, Paper, SimpleGrid, Stack, Table, Text, TextInput, Title } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import type { ApiError, BundlePreview, Extent, JobProgress, SensitivityCheckSummary } from '../../../shared/contract/index.js';
import { LICENCES } from '../../../shared/metadata/licences.js';
import { useEngine } from '../api/engine.js';
import { useJobRunner } from '../api/use-job-runner.js';
import { JobLine } from '../components/JobLine.js';
import { errorText } from '../i18n/index.js';
import { MAP_LAYERS } from '../sensitivity/format.js';
import { langOf, textOrNull, type WizardState } from './format.js';

function CountTile({ kind, label, value, color, hint }: { kind: string; label: string; value: number; color?: string; hint?: string }) {
  return (
    <Paper withBorder p="xs" data-testid="bundle-count" data-kind={kind} data-count={value}>
      <Text size="xs" c="dimmed">
        {label}
      </Text>
      <Text size="lg" fw={700} c={color}>
        {value.toLocaleString()}
      </Text>
      {hint && (
        <Text size="xs" c="dimmed">
          {hint}
        </Text>
      )}
    </Paper>
  );
}

/**
 * The map of what the bundle publishes next to the precise locations: the map draws the
 * sensitivity layers of the workspace's last check; the wizard can run that check with the
 * bundle's own rules (loading the given files into the workspace) so that the map shows them.
 */
function MapPanel({
  w,
  workspace,
  extent,
  preview,
  showOnMap,
  onChecked,
}: {
  w: WizardState;
  workspace: string;
  extent: Extent | null;
  preview: BundlePreview;
  showOnMap: (extent: Extent | null, layers?: readonly string[]) => void;
  onChecked: () => Promise<void>;
}) {
  const { t, i18n } = useTranslation();
  const { client } = useEngine();
  const job = useJobRunner();
  const [version, setVersion] = useState(0);
  const [check, setCheck] = useState<{ value: SensitivityCheckSummary | null } | null>(null);
  const [error, setError] = useState<ApiError | null>(null);
  const blurred = w.preset.locations === 'blurred';

  useEffect(() => {
    let alive = true;
    void client.call('sensitivity.report', { workspace, limit: 0 }).then((r) => {
      if (alive) setCheck({ value: r.ok ? r.value.check : null });
    });
    return () => {
      alive = false;
    };
  }, [client, workspace, version]);

  const runCheck = async () => {
    setError(null);
    // Files given for this bundle are loaded and checked alone; otherwise the workspace's own rules.
    const files = w.sensMode === 'files' && (w.referentials.length > 0 || w.taxonomy !== null);
    const load: { path: string; kind: 'auto' | 'taxonomy' }[] = files ? [...w.referentials.map((f) => ({ path: f.path, kind: 'auto' as const })), ...(w.taxonomy ? [{ path: w.taxonomy.path, kind: 'taxonomy' as const }] : [])] : [];
    const r = await job.run('bundle-map-check', (jobId) =>
      client.call('sensitivity.check', {
        workspace,
        ...(files ? { sources: ['files' as const] } : {}),
        load,
        asOf: preview.asOf.slice(0, 10),
        lang: langOf(i18n.language),
        jobId,
      }),
    );
    if (!r.ok) {
      setError(r.error);
      return;
    }
    setVersion((v) => v + 1);
    await onChecked();
  };

  const c = check?.value ?? null;
  const date = (iso: string) => new Date(iso).toLocaleString(i18n.language, { dateStyle: 'short', timeStyle: 'short' });
  return (
    <Paper withBorder p="sm" data-testid="bundle-map" data-check={c ? c.id : ''}>
      <Stack gap="xs">
        <Title order={6}>{t('bundle.map.title')}</Title>
        {blurred ? (
          <>
            <Text size="xs" c="dimmed">
              {c ? t('bundle.map.current', { date: date(c.at), asOf: c.asOf, rules: c.rules.map((r) => `${r.name}${r.version && !r.name.includes(r.version) ? ` v${r.version}` : ''}`).join(', ') || '—' }) : t('bundle.map.noCheck')}
            </Text>
            <Text size="xs" c="dimmed">
              {t('bundle.map.runHint')}
            </Text>
            <Group gap="xs">
              <Button size="xs" variant="light" onClick={() => void runCheck()} loading={job.running} data-testid="bundle-map-check">
                {t('bundle.map.run')}
              </Button>
              <Button size="xs" onClick={() => showOnMap(extent, MAP_LAYERS.both)} disabled={!c || job.running} data-testid="bundle-map-show">
                {t('bundle.map.show')}
              </Button>
              <Button size="xs" variant="default" onClick={() => showOnMap(extent, MAP_LAYERS.published)} disabled={!c || job.running} data-testid="bundle-map-published">
                {t('bundle.map.published')}
              </Button>
            </Group>
            <JobLine jobId={job.jobId} progress={job.progress} testId="bundle-map-progress" />
          </>
        ) : (
          <>
            <Text size="xs" c="dimmed">
              {t('bundle.map.precise')}
            </Text>
            <Group>
              <Button size="xs" variant="light" onClick={() => showOnMap(extent, ['workspace:departements', 'workspace:observations'])} data-testid="bundle-map-observations">
                {t('bundle.map.observations')}
              </Button>
            </Group>
          </>
        )}
        {error && (
          <Alert color="red" variant="light" p="xs">
            {errorText(t, error)}
          </Alert>
        )}
      </Stack>
    </Paper>
  );
}

/**
 * Step 3: what the build would publish, nothing written — counts (precise, generalised to the
 * commune, the 10 km cell or the département, withheld by reason, non-public left out), taxa the
 * referential could not match, the licence as each target sees it, the files, the JDD, and the
 * map of the published locations next to the precise ones.
 */
export function ReviewStep({
  w,
  patch,
  preview,
  stale,
  running,
  jobId,
  progress,
  error,
  workspace,
  extent,
  onPreview,
  onBack,
  onNext,
  showOnMap,
  refreshWorkspace,
}: {
  w: WizardState;
  patch: (p: Partial<WizardState>) => void;
  preview: BundlePreview | null;
  stale: boolean;
  running: boolean;
  jobId: string | null;
  progress: JobProgress | null;
  error: ApiError | null;
  workspace: string;
  extent: Extent | null;
  onPreview: (next?: WizardState) => void;
  onBack: () => void;
  onNext: () => void;
  showOnMap: (extent: Extent | null, layers?: readonly string[]) => void;
  refreshWorkspace: () => Promise<void>;
}) {
  const { t, i18n } = useTranslation();
  const lang = langOf(i18n.language);
  const [agreement, setAgreement] = useState(w.preset.producerAgreement ?? '');
  const c = preview?.counts ?? null;
  const blocked = !preview || stale || running || preview.problems.length > 0 || (c?.published ?? 0) === 0;

  const applyAgreement = () => {
    const next = { ...w, preset: { ...w.preset, producerAgreement: textOrNull(agreement) } };
    patch({ preset: next.preset });
    onPreview(next);
  };

  return (
    <Stack gap="md" data-testid="bundle-step-review">
      <Group justify="space-between" align="flex-start">
        <Stack gap={2}>
          <Title order={5}>{t('bundle.review.title')}</Title>
          {preview && (
            <Text size="xs" c="dimmed" data-testid="bundle-preview-asof">
              {t('bundle.review.asOf', { asOf: preview.asOf })}
              {preview.sensitivity
                ? ` · ${t('bundle.review.rules', { source: t(`bundle.review.source.${preview.sensitivity.source}`, { defaultValue: preview.sensitivity.source }), referentials: preview.sensitivity.referentials.join(', ') || '—', overrides: preview.sensitivity.overrides })}`
                : ` · ${t('bundle.review.noRules')}`}
            </Text>
          )}
        </Stack>
        <Button size="xs" variant="light" onClick={() => onPreview()} loading={running} data-testid="bundle-preview-again">
          {t('bundle.review.again')}
        </Button>
      </Group>
      <JobLine jobId={jobId} progress={progress} testId="bundle-preview-progress" />
      {error && (
        <Alert color="red" variant="light" data-testid="bundle-preview-error">
          {errorText(t, error)}
          {error.code === 'PATH_NOT_ALLOWED' && <Text size="xs">{t('bundle.path.notAllowedFile')}</Text>}
        </Alert>
      )}
      {stale && preview && (
        <Alert color="orange" variant="light" p="xs" data-testid="bundle-preview-stale">
          <Text size="xs">{t('bundle.review.stale')}</Text>
        </Alert>
      )}
      {preview && c && (
        <Stack gap="md" data-testid="bundle-preview" data-published={c.published} data-precise={c.precise} data-withheld={c.withheld} data-excluded={c.excludedNonPublic} data-problems={preview.problems.length}>
          {preview.problems.length > 0 && (
            <Alert color="red" variant="light" p="xs" data-testid="bundle-preview-problems">
              <List size="xs">
                {preview.problems.map((p) => (
                  <List.Item key={p.code} data-code={p.code}>
                    {t(`bundle.problem.${p.code}`, { defaultValue: p.message })}
                  </List.Item>
                ))}
              </List>
            </Alert>
          )}
          {c.excludedNonPublic > 0 && (
            <Alert color={c.published === 0 ? 'red' : 'orange'} variant="light" p="xs" data-testid="bundle-nonpublic" data-count={c.excludedNonPublic}>
              <Stack gap={6}>
                <Text size="xs" fw={600}>
                  {t('bundle.review.nonPublic', { count: c.excludedNonPublic, total: c.selected })}
                </Text>
                <Text size="xs">{t('bundle.preset.agreementExplain')}</Text>
                <Group gap="xs" align="flex-end">
                  <TextInput
                    size="xs"
                    style={{ flex: 1 }}
                    maw={520}
                    label={t('bundle.preset.agreement')}
                    placeholder={t('bundle.preset.agreementPlaceholder')}
                    value={agreement}
                    onChange={(e) => setAgreement(e.currentTarget.value)}
                    maxLength={500}
                    data-testid="bundle-agreement-inline"
                  />
                  <Button size="xs" onClick={applyAgreement} disabled={!agreement.trim() || running} data-testid="bundle-agreement-apply">
                    {t('bundle.review.applyAgreement')}
                  </Button>
                </Group>
              </Stack>
            </Alert>
          )}
          {c.published === 0 && c.excludedNonPublic === 0 && (
            <Alert color="red" variant="light" p="xs" data-testid="bundle-nothing">
              <Text size="xs">{t('bundle.review.nothing')}</Text>
            </Alert>
          )}
          <SimpleGrid cols={{ base: 2, sm: 3, lg: 5 }} spacing="xs">
            <CountTile kind="selected" label={t('bundle.count.selected')} value={c.selected} hint={t('bundle.count.ofWorkspace', { total: c.workspace })} />
            <CountTile kind="published" label={t('bundle.count.published')} value={c.published} color="teal" />
            <CountTile kind="precise" label={t('bundle.count.precise')} value={c.precise} />
            <CountTile kind="commune" label={t('bundle.count.commune')} value={c.generalised.commune} color={c.generalised.commune ? 'orange' : undefined} />
            <CountTile kind="cell" label={t('bundle.count.cell')} value={c.generalised.cell} color={c.generalised.cell ? 'orange' : undefined} />
            <CountTile kind="departement" label={t('bundle.count.departement')} value={c.generalised.departement} color={c.generalised.departement ? 'orange' : undefined} />
            <CountTile kind="withheld" label={t('bundle.count.withheld')} value={c.withheld} color={c.withheld ? 'red' : undefined} />
            <CountTile kind="excluded" label={t('bundle.count.excluded')} value={c.excludedNonPublic} color={c.excludedNonPublic ? 'red' : undefined} />
            <CountTile kind="propagated" label={t('bundle.count.propagated')} value={c.propagated} hint={t('bundle.count.propagatedHint')} />
          </SimpleGrid>
          <Stack gap={2}>
            <Text size="xs" fw={500}>
              {t('bundle.count.withheldBy')}
            </Text>
            <Group gap="xs" data-testid="bundle-withheld-by">
              {(['sensitivity', 'unmatchedTaxon', 'areaNotFound', 'diffusion', 'noGeometry'] as const).map((k) => (
                <Badge key={k} variant={c.withheldBy[k] ? 'filled' : 'light'} color={c.withheldBy[k] ? 'red' : 'gray'} data-testid="bundle-withheld-reason" data-reason={k} data-count={c.withheldBy[k]}>
                  {t(`bundle.withheldReason.${k}`)} · {c.withheldBy[k]}
                </Badge>
              ))}
            </Group>
            {preview.sensitivity && (
              <Text size="xs" c="dimmed" data-testid="bundle-by-level" data-levels={c.bySensitivity.join(',')}>
                {t('bundle.count.byLevel')} {c.bySensitivity.map((n, l) => `${l} (${t(`sens.level.${l}`)}) : ${n}`).join(' · ')}
              </Text>
            )}
          </Stack>

          <MapPanel w={w} workspace={workspace} extent={extent} preview={preview} showOnMap={showOnMap} onChecked={async () => {
            await refreshWorkspace();
            onPreview();
          }} />

          {preview.unmatchedTaxa.length > 0 && (
            <Stack gap={4} data-testid="bundle-unmatched" data-count={preview.unmatchedTaxa.length}>
              <Text size="xs" fw={600}>
                {t('bundle.review.unmatched', { count: preview.unmatchedTaxa.length, records: preview.unmatchedTaxa.reduce((a, u) => a + u.count, 0) })}
              </Text>
              <Paper withBorder p={0} mah={200} style={{ overflow: 'auto' }}>
                <Table fz="xs" verticalSpacing={2}>
                  <Table.Thead>
                    <Table.Tr>
                      <Table.Th>cd_nom</Table.Th>
                      <Table.Th>{t('bundle.review.taxon')}</Table.Th>
                      <Table.Th>{t('bundle.review.records')}</Table.Th>
                    </Table.Tr>
                  </Table.Thead>
                  <Table.Tbody>
                    {preview.unmatchedTaxa.map((u) => (
                      <Table.Tr key={u.cdNom}>
                        <Table.Td>{u.cdNom}</Table.Td>
                        <Table.Td>{u.name ?? '—'}</Table.Td>
                        <Table.Td>{u.count}</Table.Td>
                      </Table.Tr>
                    ))}
                  </Table.Tbody>
                </Table>
              </Paper>
            </Stack>
          )}

          <Stack gap={4} data-testid="bundle-licence-review">
            <Text size="xs" fw={600}>
              {t('bundle.review.licence', { licence: LICENCES[preview.licence.id].title[lang], id: preview.licence.id })}
            </Text>
            {preview.licence.targets.length === 0 && (
              <Text size="xs" c="dimmed">
                {t('bundle.review.noTargets')}
              </Text>
            )}
            {preview.licence.targets.map((v) => (
              <Group key={v.target} gap="xs" data-testid="bundle-licence-row" data-target={v.target} data-accepted={v.accepted}>
                <Badge size="sm" color={v.accepted ? 'teal' : 'red'} variant="light">
                  {t(`bundle.target.${v.target}`)} · {v.accepted ? t('bundle.licence.accepted') : t('bundle.licence.refused')}
                </Badge>
                {v.id && (
                  <Text size="xs" ff="monospace">
                    {v.id}
                  </Text>
                )}
                {v.remark && (
                  <Text size="xs" c={v.accepted ? 'dimmed' : 'red'}>
                    {t(`bundle.remark.${v.remark}`, { defaultValue: v.message ?? v.remark, suggestion: v.suggestion ?? '' })}
                  </Text>
                )}
                {v.suggestion && (
                  <Button
                    size="compact-xs"
                    variant="light"
                    onClick={() => {
                      const next = { ...w, preset: { ...w.preset, licence: v.suggestion ?? w.preset.licence } };
                      patch({ preset: next.preset });
                      onPreview(next);
                    }}
                    data-testid="bundle-licence-suggestion"
                  >
                    {t('bundle.review.useLicence', { licence: v.suggestion })}
                  </Button>
                )}
              </Group>
            ))}
          </Stack>

          <SimpleGrid cols={{ base: 1, md: 2 }} spacing="md">
            <Stack gap={4}>
              <Text size="xs" fw={600}>
                {t('bundle.review.datasets')}
              </Text>
              {preview.datasets.length === 0 && (
                <Text size="xs" c="dimmed">
                  —
                </Text>
              )}
              {preview.datasets.map((d) => (
                <Text key={d.uuid} size="xs" data-testid="bundle-dataset" data-origin={d.dataOrigin ?? ''}>
                  {d.name} · {t('bundle.review.recordsCount', { count: d.records })} · {t('bundle.review.origin', { origin: d.dataOrigin ?? t('bundle.review.originUnknown') })}
                </Text>
              ))}
            </Stack>
            <Stack gap={4}>
              <Text size="xs" fw={600}>
                {t('bundle.review.files', { count: preview.files.length })}
              </Text>
              <Text size="xs" ff="monospace" c="dimmed" data-testid="bundle-preview-files" data-count={preview.files.length}>
                {preview.files.join(' · ')}
              </Text>
            </Stack>
          </SimpleGrid>
        </Stack>
      )}
      <Group>
        <Button variant="default" onClick={onBack}>
          {t('bundle.back')}
        </Button>
        <Button onClick={onNext} disabled={blocked} data-testid="bundle-next-build">
          {t('bundle.next')}
        </Button>
      </Group>
    </Stack>
  );
}
