import { useState } from 'react';
import { Alert, Badge, Button, Checkbox, Fieldset, Grid, Group, List, MultiSelect, SegmentedControl, Select, Stack, Switch, TagsInput, Text, TextInput } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { licenceForTarget } from '../../../shared/bundle/licences.js';
import { BUNDLE_FORMATS, BUNDLE_METADATA, OBSERVER_POLICIES, PresetName, TARGETS, type BundlePreset, type Target } from '../../../shared/bundle/presets.js';
import type { ApiError, BundlePresetList, WorkspaceSummary } from '../../../shared/contract/index.js';
import { LICENCE_IDS, LICENCES, type LicenceId } from '../../../shared/metadata/licences.js';
import { useEngine } from '../api/engine.js';
import { errorText } from '../i18n/index.js';
import { FORMAT_LABELS, langOf, METADATA_LABELS, orderedPresets, textOrNull, wizardProblems, type WizardState } from './format.js';

type Listed = BundlePresetList['presets'][number];

/** The licence as one target sees it, as a small badge (refusals in red, with what to choose). */
export function TargetLicenceBadge({ licence, target }: { licence: LicenceId; target: Target }) {
  const { t } = useTranslation();
  const v = licenceForTarget(licence, target);
  return (
    <Badge size="xs" variant="light" color={v.accepted ? (v.remark ? 'orange' : 'teal') : 'red'} data-testid="bundle-target-licence" data-target={target} data-accepted={v.accepted}>
      {t(`bundle.target.${target}`)} · {v.accepted ? (v.id ?? t('bundle.licence.accepted')) : t('bundle.licence.refused')}
    </Badge>
  );
}

/**
 * Step 1: who the bundle is for. A preset per audience (open data, partners, SINP) and the user's
 * own; everything in it can be adjusted here and saved under a name: files, metadata, licence and
 * targets, locations, observer names (personal data), public data only or the producer's
 * agreement, the partner's convention, filters.
 */
export function PresetStep({
  w,
  patch,
  presets,
  onPresets,
  datasets,
  onNext,
}: {
  w: WizardState;
  patch: (p: Partial<WizardState>) => void;
  presets: Listed[] | null;
  onPresets: (list: Listed[]) => void;
  datasets: WorkspaceSummary['datasets'];
  onNext: () => void;
}) {
  const { t, i18n } = useTranslation();
  const { client } = useEngine();
  const lang = langOf(i18n.language);
  const [error, setError] = useState<ApiError | null>(null);
  const [saved, setSaved] = useState<string | null>(null);
  const p = w.preset;
  const edit = (change: Partial<BundlePreset>) => patch({ preset: { ...p, ...change } });
  const problems = wizardProblems(p);
  const list = presets ? orderedPresets(presets) : [];
  const current = list.find((x) => x.preset.name === w.selected) ?? null;
  const nameCheck = PresetName.safeParse(w.saveName.trim());

  const choose = (x: Listed) => {
    setSaved(null);
    setError(null);
    patch({ selected: x.preset.name, preset: x.preset, saveName: x.builtin ? '' : x.preset.name });
  };

  const save = async () => {
    const name = w.saveName.trim();
    setError(null);
    // A preset made from a built-in one keeps its description in the UI language.
    const desc = current?.builtin && name !== current.preset.name ? t(`bundle.presetDescription.${current.preset.name}`) : p.description;
    const r = await client.call('bundle.savePreset', { preset: { ...p, name, description: desc, pseudonymKey: null } });
    if (!r.ok) {
      setError(r.error);
      return;
    }
    onPresets(r.value.presets);
    const mine = r.value.presets.find((x) => x.preset.name === name);
    if (mine) patch({ selected: name, preset: mine.preset, saveName: name });
    setSaved(name);
  };

  const remove = async () => {
    if (!current) return;
    setError(null);
    const r = await client.call('bundle.deletePreset', { name: current.preset.name });
    if (!r.ok) {
      setError(r.error);
      return;
    }
    onPresets(r.value.presets);
    const back = r.value.presets.find((x) => x.preset.name === current.preset.name) ?? r.value.presets.find((x) => x.preset.name === 'opendata');
    if (back) patch({ selected: back.preset.name, preset: back.preset, saveName: back.builtin ? '' : back.preset.name });
    setSaved(null);
  };

  const presetLabel = (x: Listed) => (x.builtin ? t(`bundle.presetName.${x.preset.name}`) : x.preset.name);
  const description = current?.builtin ? t(`bundle.presetDescription.${current.preset.name}`) : p.description;

  return (
    <Stack gap="md" data-testid="bundle-step-preset" data-audience={p.audience}>
      <Stack gap={4}>
        <Text size="sm" fw={600}>
          {t('bundle.preset.choose')}
        </Text>
        <Group gap="xs" data-testid="bundle-presets">
          {list.map((x) => (
            <Button key={x.preset.name} size="xs" variant={x.preset.name === w.selected ? 'filled' : 'default'} onClick={() => choose(x)} data-testid={`bundle-preset-${x.preset.name}`}>
              {presetLabel(x)}
              {!x.builtin && (
                <Badge ml={6} size="xs" variant="light">
                  {t(`bundle.audience.${x.preset.audience}`)}
                </Badge>
              )}
              {x.builtin && x.adjusted && (
                <Badge ml={6} size="xs" variant="light" color="orange">
                  {t('bundle.preset.adjusted')}
                </Badge>
              )}
            </Button>
          ))}
        </Group>
        {description && (
          <Text size="xs" c="dimmed">
            {description}
          </Text>
        )}
      </Stack>

      {p.publicOnly && (
        <Alert color="blue" variant="light" p="xs" data-testid="bundle-agreement-box">
          <Stack gap={6}>
            <Text size="xs">{t('bundle.preset.agreementExplain')}</Text>
            <TextInput
              size="xs"
              label={t('bundle.preset.agreement')}
              description={t('bundle.preset.agreementHint')}
              placeholder={t('bundle.preset.agreementPlaceholder')}
              value={p.producerAgreement ?? ''}
              onChange={(e) => edit({ producerAgreement: textOrNull(e.currentTarget.value) })}
              maxLength={500}
              data-testid="bundle-agreement"
            />
          </Stack>
        </Alert>
      )}
      {(p.audience === 'partners' || p.conventionReference) && (
        <TextInput
          size="xs"
          label={t('bundle.preset.convention')}
          description={t('bundle.preset.conventionHint')}
          placeholder={t('bundle.preset.conventionPlaceholder')}
          value={p.conventionReference ?? ''}
          onChange={(e) => edit({ conventionReference: textOrNull(e.currentTarget.value) })}
          withAsterisk={p.audience === 'partners'}
          maxLength={500}
          maw={640}
          data-testid="bundle-convention"
        />
      )}

      <Fieldset legend={t('bundle.preset.adjust')} p="sm">
        <Grid gap="md">
          <Grid.Col span={{ base: 12, md: 6 }}>
            <Stack gap="sm">
              <Stack gap={4}>
                <Text size="xs" fw={500}>
                  {t('bundle.preset.locations')}
                </Text>
                <SegmentedControl
                  size="xs"
                  value={p.locations}
                  onChange={(v) => edit({ locations: v === 'precise' ? 'precise' : 'blurred' })}
                  data={[
                    { value: 'blurred', label: t('bundle.preset.location.blurred') },
                    { value: 'precise', label: t('bundle.preset.location.precise') },
                  ]}
                  data-testid="bundle-locations"
                />
              </Stack>
              <Stack gap={4}>
                <Text size="xs" fw={500}>
                  {t('bundle.preset.observers')}
                </Text>
                <SegmentedControl
                  size="xs"
                  value={p.observers}
                  onChange={(v) => edit({ observers: OBSERVER_POLICIES.find((o) => o === v) ?? 'drop' })}
                  data={OBSERVER_POLICIES.map((o) => ({ value: o, label: t(`bundle.preset.observer.${o}`) }))}
                  data-testid="bundle-observers"
                />
                <Text size="xs" c="dimmed">
                  {t(`bundle.preset.observerHint.${p.observers}`)}
                </Text>
              </Stack>
              <Switch size="xs" checked={p.publicOnly} onChange={(e) => edit({ publicOnly: e.currentTarget.checked })} label={t('bundle.preset.publicOnly')} description={t('bundle.preset.publicOnlyHint')} data-testid="bundle-public-only" />
              <Stack gap={4}>
                <Text size="xs" fw={500}>
                  {t('bundle.preset.fieldProfile')}
                </Text>
                <SegmentedControl
                  size="xs"
                  value={p.fieldProfile}
                  onChange={(v) => edit({ fieldProfile: v === 'sinp' ? 'sinp' : 'synthese' })}
                  data={[
                    { value: 'synthese', label: t('bundle.preset.profile.synthese') },
                    { value: 'sinp', label: t('bundle.preset.profile.sinp') },
                  ]}
                />
              </Stack>
              <Checkbox.Group size="xs" label={t('bundle.preset.formats')} value={p.formats} onChange={(v) => edit({ formats: BUNDLE_FORMATS.filter((f) => v.includes(f)) })}>
                <Group gap="md" mt={4}>
                  {BUNDLE_FORMATS.map((f) => (
                    <Checkbox key={f} size="xs" value={f} label={FORMAT_LABELS[f]} data-testid={`bundle-format-${f}`} />
                  ))}
                </Group>
              </Checkbox.Group>
              <Checkbox.Group size="xs" label={t('bundle.preset.metadata')} value={p.metadata} onChange={(v) => edit({ metadata: BUNDLE_METADATA.filter((f) => v.includes(f)) })}>
                <Group gap="md" mt={4}>
                  {BUNDLE_METADATA.map((f) => (
                    <Checkbox key={f} size="xs" value={f} label={METADATA_LABELS[f]} />
                  ))}
                </Group>
              </Checkbox.Group>
            </Stack>
          </Grid.Col>
          <Grid.Col span={{ base: 12, md: 6 }}>
            <Stack gap="sm">
              <Select
                size="xs"
                label={t('bundle.preset.licence')}
                value={p.licence}
                onChange={(v) => edit({ licence: LICENCE_IDS.find((l) => l === v) ?? 'etalab-2.0' })}
                data={LICENCE_IDS.map((l) => ({ value: l, label: `${LICENCES[l].title[lang]} (${l})` }))}
                allowDeselect={false}
                data-testid="bundle-licence"
              />
              <Checkbox.Group size="xs" label={t('bundle.preset.targets')} value={p.targets} onChange={(v) => edit({ targets: TARGETS.filter((x) => v.includes(x)) })}>
                <Group gap="md" mt={4}>
                  {TARGETS.map((x) => (
                    <Checkbox key={x} size="xs" value={x} label={t(`bundle.target.${x}`)} data-testid={`bundle-target-${x}`} />
                  ))}
                </Group>
              </Checkbox.Group>
              {p.targets.length > 0 && (
                <Group gap={4}>
                  {p.targets.map((x) => (
                    <TargetLicenceBadge key={x} licence={p.licence} target={x} />
                  ))}
                </Group>
              )}
              <MultiSelect
                size="xs"
                label={t('bundle.preset.datasets')}
                placeholder={p.filters.datasets.length === 0 ? t('bundle.preset.allDatasets') : undefined}
                data={datasets.map((d) => ({ value: d.uuid.toLowerCase(), label: `${d.name} (${d.observations})` }))}
                value={p.filters.datasets}
                onChange={(v) => edit({ filters: { ...p.filters, datasets: v } })}
                clearable
              />
              <Group gap="xs" grow>
                <TextInput size="xs" type="date" label={t('bundle.preset.dateFrom')} value={p.filters.dateFrom ?? ''} onChange={(e) => edit({ filters: { ...p.filters, dateFrom: e.currentTarget.value || null } })} />
                <TextInput size="xs" type="date" label={t('bundle.preset.dateTo')} value={p.filters.dateTo ?? ''} onChange={(e) => edit({ filters: { ...p.filters, dateTo: e.currentTarget.value || null } })} />
              </Group>
              <TagsInput
                size="xs"
                label={t('bundle.preset.taxa')}
                description={t('bundle.preset.taxaHint')}
                value={p.filters.taxa.map(String)}
                onChange={(v) => edit({ filters: { ...p.filters, taxa: [...new Set(v.map((x) => Number(x.trim())).filter((n) => Number.isInteger(n) && n > 0))] } })}
                clearable
              />
              <Group gap="xs" grow align="flex-start">
                <TextInput
                  size="xs"
                  label={t('bundle.preset.publisher')}
                  value={p.publisher?.name ?? ''}
                  onChange={(e) => {
                    const name = e.currentTarget.value;
                    edit({ publisher: name.trim() ? { name, email: p.publisher?.email ?? null, url: p.publisher?.url ?? null } : null });
                  }}
                />
                <TextInput
                  size="xs"
                  label={t('bundle.preset.publisherEmail')}
                  disabled={!p.publisher}
                  value={p.publisher?.email ?? ''}
                  onChange={(e) => {
                    const email = e.currentTarget.value;
                    if (p.publisher) edit({ publisher: { ...p.publisher, email: textOrNull(email) } });
                  }}
                />
              </Group>
              <TextInput size="xs" label={t('bundle.preset.landingPage')} placeholder="https://…" value={p.landingPage ?? ''} onChange={(e) => edit({ landingPage: textOrNull(e.currentTarget.value) })} />
              <Stack gap={4}>
                <Text size="xs" fw={500}>
                  {t('bundle.preset.language')}
                </Text>
                <SegmentedControl
                  size="xs"
                  value={p.language}
                  onChange={(v) => edit({ language: v === 'en' ? 'en' : 'fr' })}
                  data={[
                    { value: 'fr', label: 'Français' },
                    { value: 'en', label: 'English' },
                  ]}
                />
              </Stack>
            </Stack>
          </Grid.Col>
        </Grid>
        <Group gap="xs" align="flex-end" mt="md">
          <TextInput
            size="xs"
            label={t('bundle.preset.saveAs')}
            description={t('bundle.preset.saveHint')}
            placeholder={t('bundle.preset.savePlaceholder')}
            value={w.saveName}
            onChange={(e) => patch({ saveName: e.currentTarget.value })}
            error={w.saveName.trim() && !nameCheck.success ? t('bundle.preset.badName') : undefined}
            style={{ flex: 1 }}
            maw={420}
            data-testid="bundle-save-name"
          />
          <Button size="xs" variant="light" onClick={() => void save()} disabled={!nameCheck.success || problems.length > 0} data-testid="bundle-save-preset">
            {t('bundle.preset.save')}
          </Button>
          {current && (!current.builtin || current.adjusted) && (
            <Button size="xs" variant="subtle" color="red" onClick={() => void remove()} data-testid="bundle-delete-preset">
              {current.builtin ? t('bundle.preset.reset') : t('bundle.preset.delete')}
            </Button>
          )}
        </Group>
        {p.observers === 'pseudonymise' && (
          <Text size="xs" c="orange" mt={4}>
            {t('bundle.preset.pseudonymKey')}
          </Text>
        )}
        {saved && (
          <Text size="xs" c="teal" mt={4} data-testid="bundle-preset-saved">
            {t('bundle.preset.saved', { name: saved })}
          </Text>
        )}
      </Fieldset>

      {error && (
        <Alert color="red" variant="light" data-testid="bundle-preset-error">
          {errorText(t, error)}
        </Alert>
      )}
      {problems.length > 0 && (
        <Alert color="orange" variant="light" p="xs" data-testid="bundle-preset-problems">
          <List size="xs">
            {problems.map((x) => (
              <List.Item key={x.code} data-code={x.code}>
                {t(`bundle.presetProblem.${x.code}`, { defaultValue: x.message })}
              </List.Item>
            ))}
          </List>
        </Alert>
      )}
      <Group>
        <Button onClick={onNext} disabled={problems.length > 0} data-testid="bundle-next-sensitivity">
          {t('bundle.next')}
        </Button>
      </Group>
    </Stack>
  );
}
