import { useState } from 'react';
import { Alert, Badge, Button, Group, MultiSelect, NumberInput, Select, Stack, TagsInput, Text, TextInput } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import type { ApiError, SensitivityLocalRule } from '../../../shared/contract/index.js';
import { useEngine } from '../api/engine.js';
import { errorText } from '../i18n/index.js';
import { isMonthDay, LEVELS, monthDay, parseArea, wrapsYearEnd } from './format.js';

/** STATUT_BIO codes of the SINP nomenclature (shared/sensitivity/rule.ts). */
const BIO_STATUS = ['0', '1', '2', '3', '4', '5', '9', '13'];
/** OCC_COMPORTEMENT codes: 0 to 23. */
const BEHAVIOUR = Array.from({ length: 24 }, (_, i) => String(i));

/** What the form holds before it makes a rule. */
interface Draft {
  cdNom: string;
  nomCite: string;
  level: string;
  territory: string[];
  periodStart: string;
  periodEnd: string;
  duration: number | string;
  bioStatus: string[];
  behaviour: string[];
  comment: string;
  ruleSet: string;
}

const EMPTY: Draft = { cdNom: '', nomCite: '', level: '2', territory: [], periodStart: '', periodEnd: '', duration: '', bioStatus: [], behaviour: [], comment: '', ruleSet: '' };

/** The rule a draft makes, or the problems that keep it from being one (i18n keys with params). */
export function draftRule(d: Draft, id: string): { rule: SensitivityLocalRule | null; problems: Array<{ key: string; params?: Record<string, string> }> } {
  const problems: Array<{ key: string; params?: Record<string, string> }> = [];
  const cdNom = /^\d+$/.test(d.cdNom.trim()) ? Number(d.cdNom.trim()) : NaN;
  if (!Number.isInteger(cdNom) || cdNom <= 0) problems.push({ key: 'sens.local.badCdNom' });
  const areas = d.territory.map((a) => ({ text: a, area: parseArea(a) }));
  for (const a of areas) if (!a.area) problems.push({ key: 'sens.local.badTerritory', params: { value: a.text } });
  const start = d.periodStart.trim();
  const end = d.periodEnd.trim();
  const hasPeriod = start !== '' || end !== '';
  if (hasPeriod && !(isMonthDay(start) && isMonthDay(end))) problems.push({ key: 'sens.local.badPeriod' });
  const duration = d.duration === '' ? null : Number(d.duration);
  if (duration !== null && (!Number.isInteger(duration) || duration < 0)) problems.push({ key: 'sens.local.badDuration' });
  if (problems.length > 0) return { rule: null, problems };
  return {
    rule: {
      id,
      cdNom,
      nomCite: d.nomCite.trim() || null,
      level: Number(d.level),
      durationYears: duration,
      territory: areas.length > 0 ? areas.map((a) => a.area as { type: string; code: string }) : null,
      period: hasPeriod ? { start, end } : null,
      bioStatus: d.bioStatus.length > 0 ? d.bioStatus : null,
      behaviour: d.behaviour.length > 0 ? d.behaviour : null,
      comment: d.comment.trim() || null,
    },
    problems,
  };
}

/** Adds a rule the park decides (golden eagle aerie…): taxon, level, territory, period (wrapping the year end or not), duration, status and behaviour. */
export function LocalRuleForm({ workspace, onAdded }: { workspace: string; onAdded: () => void }) {
  const { t, i18n } = useTranslation();
  const { client } = useEngine();
  const [d, setD] = useState<Draft>(EMPTY);
  const [tried, setTried] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ApiError | null>(null);
  const [added, setAdded] = useState<string | null>(null);
  const set = <K extends keyof Draft>(k: K, v: Draft[K]) => setD((prev) => ({ ...prev, [k]: v }));
  const { problems } = draftRule(d, 'preview');
  const wraps = isMonthDay(d.periodStart.trim()) && isMonthDay(d.periodEnd.trim()) && wrapsYearEnd({ start: d.periodStart.trim(), end: d.periodEnd.trim() });

  const submit = async () => {
    setTried(true);
    setAdded(null);
    const id = `local-${d.cdNom.trim()}-${Math.random().toString(36).slice(2, 8)}`;
    const { rule } = draftRule(d, id);
    if (!rule) return;
    setBusy(true);
    setError(null);
    const r = await client.call('sensitivity.addLocalRule', { workspace, rule, ...(d.ruleSet.trim() ? { ruleSet: d.ruleSet.trim() } : {}) });
    setBusy(false);
    if (!r.ok) {
      setError(r.error);
      return;
    }
    setAdded(t('sens.local.added', { id: r.value.rule.id, set: r.value.referential.name }));
    setD(EMPTY);
    setTried(false);
    onAdded();
  };

  return (
    <form
      onSubmit={(e) => {
        e.preventDefault();
        void submit();
      }}
    >
      <Stack gap="xs" data-testid="sens-local-form">
        <Group grow gap="xs" align="flex-start">
          <TextInput size="xs" label={t('sens.local.cdNom')} placeholder="2645" value={d.cdNom} onChange={(e) => set('cdNom', e.currentTarget.value)} required data-testid="sens-local-cdnom" />
          <TextInput size="xs" label={t('sens.local.nomCite')} placeholder="Aquila chrysaetos" value={d.nomCite} onChange={(e) => set('nomCite', e.currentTarget.value)} />
          <Select
            size="xs"
            label={t('sens.local.level')}
            data={LEVELS.map((l) => ({ value: String(l), label: `${l} · ${t(`sens.level.${l}`)}` }))}
            value={d.level}
            allowDeselect={false}
            onChange={(v) => set('level', v ?? '2')}
            data-testid="sens-local-level"
          />
        </Group>
        <TagsInput size="xs" label={t('sens.local.territory')} placeholder="DEP:05, COM:05079…" value={d.territory} onChange={(v) => set('territory', v)} />
        <Group grow gap="xs" align="flex-start">
          <TextInput size="xs" label={t('sens.local.periodStart')} placeholder="03-01" value={d.periodStart} onChange={(e) => set('periodStart', e.currentTarget.value)} />
          <TextInput size="xs" label={t('sens.local.periodEnd')} placeholder="07-31" value={d.periodEnd} onChange={(e) => set('periodEnd', e.currentTarget.value)} />
          <NumberInput size="xs" label={t('sens.local.duration')} min={0} allowDecimal={false} value={d.duration} onChange={(v) => set('duration', v)} />
        </Group>
        <Group gap={6}>
          <Text size="xs" c="dimmed">
            {t('sens.local.periodHint')}
          </Text>
          {wraps && (
            <Badge size="xs" color="cyan" variant="light">
              {t('sens.rules.wraps')} · {monthDay(d.periodStart.trim(), i18n.language)} → {monthDay(d.periodEnd.trim(), i18n.language)}
            </Badge>
          )}
        </Group>
        <Group grow gap="xs" align="flex-start">
          <MultiSelect
            size="xs"
            label={t('sens.local.bio')}
            data={BIO_STATUS.map((c) => ({ value: c, label: `${c} · ${t(`sens.bioStatus.${c}`)}` }))}
            value={d.bioStatus}
            onChange={(v) => set('bioStatus', v)}
            clearable
          />
          <MultiSelect size="xs" label={t('sens.local.behaviour')} data={BEHAVIOUR} value={d.behaviour} onChange={(v) => set('behaviour', v)} clearable />
        </Group>
        <Group grow gap="xs" align="flex-start">
          <TextInput size="xs" label={t('sens.local.comment')} value={d.comment} onChange={(e) => set('comment', e.currentTarget.value)} />
          <TextInput size="xs" label={t('sens.local.ruleSet')} placeholder={t('sens.local.ruleSetDefault')} value={d.ruleSet} onChange={(e) => set('ruleSet', e.currentTarget.value)} />
        </Group>
        {tried && problems.length > 0 && (
          <Alert color="red" variant="light" p="xs" data-testid="sens-local-problems">
            {problems.map((p, i) => (
              <Text key={i} size="xs">
                {t(p.key, p.params ?? {})}
              </Text>
            ))}
          </Alert>
        )}
        {error && (
          <Alert color="red" variant="light" p="xs" data-testid="sens-local-error">
            {errorText(t, error)}
          </Alert>
        )}
        {added && (
          <Text size="xs" c="teal" data-testid="sens-local-added">
            {added}
          </Text>
        )}
        <Group justify="flex-end">
          <Button size="xs" type="submit" loading={busy} data-testid="sens-local-save">
            {t('sens.local.save')}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}
