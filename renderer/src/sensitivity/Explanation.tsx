import { useEffect, useState, type ReactNode } from 'react';
import { Alert, Badge, Button, Divider, Drawer, Group, Loader, Paper, Select, Stack, Table, Text, Textarea, Title } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import type { ApiError, Extent, SensitivityExplanation, SensitivityOverrideView } from '../../../shared/contract/index.js';
import { MIN_JUSTIFICATION_LENGTH } from '../../../shared/sensitivity/overrides.js';
import { useEngine } from '../api/engine.js';
import { newJobId } from '../api/job-id.js';
import { errorText } from '../i18n/index.js';
import { JobLine, LevelBadge, useJobRunner } from './common.js';
import { areaNames, areasText, bboxExtent, LEVELS, MAP_LAYERS, originText } from './format.js';
import { RuleCriteria } from './Rules.js';

/** Label / value rows. */
function Facts({ rows, testId }: { rows: Array<[string, ReactNode]>; testId?: string }) {
  return (
    <Table fz="xs" withRowBorders={false} verticalSpacing={1} horizontalSpacing={4} data-testid={testId}>
      <Table.Tbody>
        {rows.map(([k, v]) => (
          <Table.Tr key={k}>
            <Table.Td c="dimmed" w={190} style={{ verticalAlign: 'top' }}>
              {k}
            </Table.Td>
            <Table.Td style={{ wordBreak: 'break-word' }}>{v ?? '—'}</Table.Td>
          </Table.Tr>
        ))}
      </Table.Tbody>
    </Table>
  );
}

/** A text of at least the minimum length (trimmed), as the engine asks of every justification. */
const justified = (s: string) => s.trim().length >= MIN_JUSTIFICATION_LENGTH;

/**
 * The manual decision on one observation: a level and a justification (mandatory: Save stays
 * disabled until it is long enough); an active decision can be removed, with a justification too.
 * The engine keeps both in the workspace audit log and runs the last check again.
 */
export function OverrideEditor({ workspace, uuid, current, computedLevel, onChanged }: { workspace: string; uuid: string; current: SensitivityOverrideView | null; computedLevel: number; onChanged: () => void }) {
  const { t, i18n } = useTranslation();
  const { client } = useEngine();
  const job = useJobRunner();
  const [level, setLevel] = useState<string>(String(current?.level ?? computedLevel));
  const [why, setWhy] = useState('');
  const [removeWhy, setRemoveWhy] = useState('');
  const [error, setError] = useState<ApiError | null>(null);
  const [saved, setSaved] = useState<string | null>(null);

  const save = async () => {
    setError(null);
    setSaved(null);
    const r = await job.run('sens-override', (jobId) => client.call('sensitivity.addOverride', { workspace, target: { kind: 'observation', uuid }, level: Number(level), justification: why, jobId }));
    if (!r.ok) {
      setError(r.error);
      return;
    }
    setWhy('');
    setSaved(t('sens.override.saved', { count: r.value.observations }));
    onChanged();
  };

  const remove = async () => {
    if (!current) return;
    setError(null);
    setSaved(null);
    const r = await job.run('sens-override-remove', (jobId) => client.call('sensitivity.removeOverride', { workspace, id: current.id, justification: removeWhy, jobId }));
    if (!r.ok) {
      setError(r.error);
      return;
    }
    setRemoveWhy('');
    setSaved(t('sens.override.removed'));
    onChanged();
  };

  return (
    <Paper withBorder p="sm" radius="md" data-testid="sens-override">
      <Stack gap="xs">
        <Title order={6}>{t('sens.override.title')}</Title>
        {current && (
          <Alert color="grape" variant="light" p="xs" data-testid="sens-override-current">
            <Text size="xs">
              {t('sens.override.current', { level: current.level, author: current.author, at: new Date(current.at).toLocaleString(i18n.language, { dateStyle: 'short', timeStyle: 'short' }), why: current.justification })}
            </Text>
          </Alert>
        )}
        <Select
          size="xs"
          label={t('sens.override.level')}
          data={LEVELS.map((l) => ({ value: String(l), label: `${l} · ${t(`sens.level.${l}`)}` }))}
          value={level}
          allowDeselect={false}
          onChange={(v) => setLevel(v ?? level)}
          data-testid="sens-override-level"
        />
        <Textarea
          size="xs"
          autosize
          minRows={2}
          label={t('sens.override.why')}
          description={t('sens.override.whyHint', { min: MIN_JUSTIFICATION_LENGTH })}
          required
          value={why}
          onChange={(e) => setWhy(e.currentTarget.value)}
          error={why.length > 0 && !justified(why) ? t('sens.override.tooShort', { min: MIN_JUSTIFICATION_LENGTH }) : undefined}
          data-testid="sens-override-why"
        />
        <Group justify="flex-end">
          <Button size="xs" onClick={() => void save()} disabled={!justified(why) || job.running} loading={job.running} data-testid="sens-override-save">
            {t('sens.override.save')}
          </Button>
        </Group>
        {current && (
          <>
            <Divider />
            <Textarea
              size="xs"
              autosize
              minRows={1}
              label={t('sens.override.removeWhy', { min: MIN_JUSTIFICATION_LENGTH })}
              value={removeWhy}
              onChange={(e) => setRemoveWhy(e.currentTarget.value)}
              data-testid="sens-override-remove-why"
            />
            <Group justify="flex-end">
              <Button size="xs" color="red" variant="light" onClick={() => void remove()} disabled={!justified(removeWhy) || job.running} data-testid="sens-override-remove">
                {t('sens.override.remove')}
              </Button>
            </Group>
          </>
        )}
        <JobLine jobId={job.jobId} progress={job.progress} testId="sens-override-progress" />
        {error && (
          <Alert color="red" variant="light" p="xs" data-testid="sens-override-error">
            {errorText(t, error)}
          </Alert>
        )}
        {saved && (
          <Text size="xs" c="teal" data-testid="sens-override-saved">
            {saved}
          </Text>
        )}
      </Stack>
    </Paper>
  );
}

/** The explanation itself: observation, taxon, matching rules (the deciding one marked), decision, and what is published. */
function ExplanationBody({ e, onShowOnMap, onExplain }: { e: SensitivityExplanation; onShowOnMap: (extent: Extent | null) => void; onExplain: (uuid: string) => void }) {
  const { t } = useTranslation();
  const o = e.observation;
  const p = e.published;
  const inheritedFrom = (cdNom: number) => e.taxon.lineage.find((x) => x.cdNom === cdNom)?.name ?? String(cdNom);
  return (
    <Stack gap="sm" data-testid="sens-explain-body" data-uuid={o.uuid} data-level={e.sensitivityLevel ?? -1} data-blur={e.blur.level}>
      <Group gap="xs">
        <LevelBadge level={e.sensitivityLevel} size="lg" />
        <Text size="sm">
          {t('sens.explain.blurTo', { blur: t(`sens.blur.${e.blur.level}`) })} · {t(`sens.reason.${e.blur.reason}`, { defaultValue: e.blur.reason })}
        </Text>
      </Group>
      {e.differsFromStored && (
        <Alert color="orange" variant="light" p="xs" data-testid="sens-explain-differs">
          <Text size="xs">{t('sens.explain.differs')}</Text>
        </Alert>
      )}

      <Title order={6}>{t('sens.explain.observation')}</Title>
      <Facts
        rows={[
          [t('sens.explain.taxon'), `${o.nomCite ?? '—'} (cd_nom ${o.cdNom ?? '—'})`],
          [t('sens.explain.dates'), o.dateMin === o.dateMax ? o.dateMin : `${o.dateMin ?? '?'} → ${o.dateMax ?? '?'}`],
          [t('sens.explain.bioStatus'), o.bioStatus ? `${o.bioStatus} ${t(`sens.bioStatus.${o.bioStatus}`, { defaultValue: '' })}` : null],
          [t('sens.explain.behaviour'), o.behaviour],
          [t('sens.explain.diffusion'), o.diffusionLevel],
          [t('sens.explain.dataset'), o.datasetName ?? o.datasetUuid],
          [t('sens.explain.areas'), areasText(e.areas)],
          ['UUID', <Text key="u" size="xs" ff="monospace">{o.uuid}</Text>],
        ]}
      />

      <Title order={6}>{t('sens.explain.taxonTitle')}</Title>
      <Facts
        testId="sens-explain-taxon"
        rows={[
          [t('sens.explain.resolution'), <Badge key="r" size="xs" variant="light" color={e.taxon.resolution === 'unmatched' || e.taxon.resolution === 'no-taxon' ? 'orange' : 'teal'}>{t(`sens.resolution.${e.taxon.resolution}`)}</Badge>],
          [t('sens.explain.cdRef'), e.taxon.cdRef !== null ? `${e.taxon.name ?? '—'} (cd_ref ${e.taxon.cdRef})` : null],
          [t('sens.explain.lineage'), e.taxon.lineage.length > 0 ? e.taxon.lineage.map((x) => `${x.name ?? x.cdNom}${x.rank ? ` (${x.rank})` : ''}`).join(' → ') : null],
        ]}
      />

      <Title order={6}>{t('sens.explain.rules', { count: e.matches.length })}</Title>
      {e.matches.length === 0 && (
        <Text size="sm" c="dimmed" data-testid="sens-explain-no-rule">
          {t('sens.explain.noRule')}
        </Text>
      )}
      {e.matches.map((m) => (
        <Paper
          key={m.rule.id}
          withBorder
          p="xs"
          radius="md"
          data-testid="sens-match"
          data-rule-id={m.rule.id}
          data-deciding={m.deciding}
          style={m.deciding ? { borderColor: 'var(--mantine-color-red-6)', borderWidth: 2 } : undefined}
        >
          <Group gap={6} mb={4}>
            <LevelBadge level={m.rule.level} />
            {m.deciding && (
              <Badge size="sm" color="red" data-testid="sens-match-deciding">
                {t('sens.explain.deciding')}
              </Badge>
            )}
            {m.rule.local && (
              <Badge size="xs" color="grape" variant="light">
                {t('sens.rules.local')}
              </Badge>
            )}
            {m.inherited && (
              <Badge size="xs" variant="light">
                {t('sens.explain.inherited', { name: inheritedFrom(m.rule.cdNom) })}
              </Badge>
            )}
            {m.precautions.map((pr) => (
              <Badge key={pr} size="xs" color="yellow" variant="light">
                {t('sens.explain.byPrecaution', { what: t(`sens.precaution.${pr}`) })}
              </Badge>
            ))}
          </Group>
          <Text size="xs">
            {m.rule.nomCite ?? '—'} (cd_nom {m.rule.cdNom}) · {originText(m.rule.origin, (line) => t('sens.rules.line', { line }))}
          </Text>
          {m.rule.comment && (
            <Text size="xs" c="dimmed" fs="italic">
              {m.rule.comment}
            </Text>
          )}
          <RuleCriteria rule={m.rule} />
        </Paper>
      ))}

      <Title order={6}>{t('sens.explain.decision')}</Title>
      <Facts
        testId="sens-explain-decision"
        rows={[
          [t('sens.explain.computed'), <LevelBadge key="c" level={e.computedLevel} size="xs" />],
          [t('sens.explain.override'), e.override ? t('sens.explain.overrideLine', { level: e.override.level, author: e.override.author, why: e.override.justification }) : t('sens.explain.noOverride')],
          [t('sens.explain.final'), <LevelBadge key="f" level={e.sensitivityLevel} size="xs" />],
          [
            t('sens.explain.propagation'),
            e.propagation ? (
              <Group key="p" gap={4} data-testid="sens-explain-propagation">
                <Text size="xs">{t('sens.explain.propagationLine', { blur: t(`sens.blur.${e.propagation.level}`), via: t(`sens.explain.via.${e.propagation.via}`) })}</Text>
                {e.propagation.uuid && (
                  <Button size="compact-xs" variant="subtle" onClick={() => e.propagation?.uuid && onExplain(e.propagation.uuid)}>
                    {t('sens.explain.openSource')}
                  </Button>
                )}
              </Group>
            ) : (
              t('sens.explain.noPropagation')
            ),
          ],
          [t('sens.explain.diffusion'), e.diffusionLevel],
          [t('sens.explain.requested'), t(`sens.blur.${e.blur.requestedLevel}`)],
          [t('sens.explain.applied'), `${t(`sens.blur.${e.blur.level}`)} (${t(`sens.reason.${e.blur.reason}`, { defaultValue: e.blur.reason })})`],
        ]}
      />

      <Group justify="space-between">
        <Title order={6}>{t('sens.explain.published')}</Title>
        <Button size="compact-xs" variant="light" onClick={() => onShowOnMap(bboxExtent(p.bbox))} data-testid="sens-explain-map">
          {t('sens.explain.showOnMap')}
        </Button>
      </Group>
      {p.withheld && (
        <Alert color="grape" variant="light" p="xs">
          <Text size="xs">{t('sens.explain.withheld')}</Text>
        </Alert>
      )}
      <Facts
        testId="sens-explain-published"
        rows={[
          [t('sens.explain.publishedArea'), p.areas.length > 0 ? `${p.areaType ?? ''} ${areaNames(p.areas)}` : null],
          [t('sens.explain.point'), p.decimalLongitude !== null && p.decimalLatitude !== null ? `${p.decimalLatitude.toFixed(5)}, ${p.decimalLongitude.toFixed(5)}` : null],
          [t('sens.explain.bbox'), p.bbox ? p.bbox.map((v) => v.toFixed(4)).join(', ') : null],
          ['dataGeneralizations', p.dwc.dataGeneralizations],
          ['informationWithheld', p.dwc.informationWithheld],
          ['coordinateUncertaintyInMeters', p.dwc.coordinateUncertaintyInMeters !== null ? String(p.dwc.coordinateUncertaintyInMeters) : null],
          [t('sens.explain.removed'), p.removedColumns.length > 0 ? p.removedColumns.join(', ') : null],
        ]}
      />
      {e.stored && (
        <Text size="xs" c="dimmed">
          {t('sens.explain.stored', { id: e.stored.checkId, asOf: e.stored.asOf, level: e.stored.sensitivityLevel ?? '?', blur: t(`sens.blur.${e.stored.blurLevel}`) })}
        </Text>
      )}
      <Text size="xs" c="dimmed">
        {t('sens.explain.asOf', { date: e.asOf })}
      </Text>
    </Stack>
  );
}

/**
 * Why one observation has its level, evaluated now by the engine (a job), and its override
 * editor; in a drawer over the view.
 */
export function ExplanationDrawer({
  workspace,
  uuid,
  version,
  onClose,
  onChanged,
  onExplain,
  showOnMap,
}: {
  workspace: string;
  uuid: string | null;
  version: number;
  onClose: () => void;
  onChanged: () => void;
  onExplain: (uuid: string) => void;
  showOnMap: (extent: Extent | null, layers: readonly string[]) => void;
}) {
  const { t, i18n } = useTranslation();
  const { client } = useEngine();
  const lang = i18n.language === 'en' ? 'en' : 'fr';
  const key = uuid ? `${uuid}|${version}|${lang}` : '';
  const [state, setState] = useState<{ key: string; e: SensitivityExplanation | null; error: ApiError | null }>({ key: '', e: null, error: null });
  const current = state.key === key ? state : null;

  useEffect(() => {
    if (!uuid) return;
    let alive = true;
    const k = `${uuid}|${version}|${lang}`;
    void client.call('sensitivity.explain', { workspace, uuid, lang, jobId: newJobId('sens-explain') }).then((r) => {
      if (alive) setState({ key: k, e: r.ok ? r.value : null, error: r.ok ? null : r.error });
    });
    return () => {
      alive = false;
    };
  }, [client, workspace, uuid, version, lang]);

  // Keep the last explanation of this observation on screen while a new one is computed (after an override).
  const shown = current?.e ?? (state.e && state.e.observation.uuid === uuid ? state.e : null);

  return (
    <Drawer opened={uuid !== null} onClose={onClose} position="right" size="xl" title={<Text fw={700}>{t('sens.explain.title')}</Text>}>
      <Stack gap="md" data-testid="sens-explain" data-loading={current === null}>
        {current === null && !shown && (
          <Group gap="xs">
            <Loader size="sm" />
            <Text size="sm">{t('sens.explain.loading')}</Text>
          </Group>
        )}
        {current?.error && <Alert color="red">{errorText(t, current.error)}</Alert>}
        {shown && uuid && (
          <>
            <ExplanationBody
              e={shown}
              onExplain={onExplain}
              onShowOnMap={(extent) => {
                onClose();
                showOnMap(extent, MAP_LAYERS.both);
              }}
            />
            <OverrideEditor key={uuid} workspace={workspace} uuid={uuid} current={shown.override} computedLevel={shown.computedLevel} onChanged={onChanged} />
          </>
        )}
      </Stack>
    </Drawer>
  );
}
