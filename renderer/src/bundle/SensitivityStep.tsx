import { useEffect, useState } from 'react';
import { Alert, Button, Group, SegmentedControl, Stack, Text, TextInput, Title } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import type { ApiError, SensitivityReferentials } from '../../../shared/contract/index.js';
import { useEngine } from '../api/engine.js';
import { errorText } from '../i18n/index.js';
import { FileAdder, GivenFileLine } from './BundlePath.js';
import { AS_OF_PATTERN, type WizardState } from './format.js';

/** What a workspace holds of sensitivity rules, counted. */
function holdings(refs: SensitivityReferentials) {
  const referentials = refs.referentials.filter((r) => r.kind === 'referential');
  const local = refs.referentials.filter((r) => r.kind === 'local');
  const pulled = refs.pulled?.rules ?? 0;
  const rules = pulled + referentials.reduce((a, r) => a + r.items, 0) + local.reduce((a, r) => a + r.items, 0);
  return { referentials, local, pulled, rules, taxa: refs.taxonomy.workspaceTaxa + refs.taxonomy.loadedTaxa };
}

/**
 * Step 2: the sensitivity rules the bundle blurs with — the workspace's own (pulled from
 * GeoNature, loaded, local), or referential and taxonomy files given for this bundle (nothing is
 * written to the workspace) — and the moment of the bundle.
 */
export function SensitivityStep({
  w,
  patch,
  workspace,
  onBack,
  onPreview,
  busy,
}: {
  w: WizardState;
  patch: (p: Partial<WizardState>) => void;
  workspace: string;
  onBack: () => void;
  onPreview: () => void;
  busy: boolean;
}) {
  const { t } = useTranslation();
  const { client } = useEngine();
  const [refs, setRefs] = useState<{ value: SensitivityReferentials | null; error: ApiError | null } | null>(null);

  useEffect(() => {
    let alive = true;
    void client.call('sensitivity.referentials', { workspace }).then((r) => {
      if (alive) setRefs(r.ok ? { value: r.value, error: null } : { value: null, error: r.error });
    });
    return () => {
      alive = false;
    };
  }, [client, workspace]);

  const h = refs?.value ? holdings(refs.value) : null;
  const precise = w.preset.locations === 'precise';
  const files = w.sensMode === 'files';
  const asOf = w.asOf.trim();
  const asOfOk = !asOf || AS_OF_PATTERN.test(asOf);
  const noTaxonomy = files && !w.taxonomy && h !== null && h.taxa === 0;

  return (
    <Stack gap="md" data-testid="bundle-step-sensitivity" data-mode={w.sensMode}>
      <Stack gap={2}>
        <Title order={5}>{t('bundle.sens.title')}</Title>
        <Text size="xs" c="dimmed">
          {t('bundle.sens.intro')}
        </Text>
      </Stack>
      {precise && (
        <Alert color="blue" variant="light" p="xs" data-testid="bundle-sens-precise">
          <Text size="xs">{t('bundle.sens.precise')}</Text>
        </Alert>
      )}
      {refs?.error && (
        <Alert color="red" variant="light" p="xs">
          {errorText(t, refs.error)}
        </Alert>
      )}
      {h && h.rules === 0 && (
        <Alert color="orange" variant="light" p="xs" data-testid="bundle-sens-none">
          <Text size="xs">{t('bundle.sens.none')}</Text>
        </Alert>
      )}
      {h && h.rules > 0 && (
        <Text size="xs" data-testid="bundle-sens-holdings" data-rules={h.rules}>
          {t('bundle.sens.holdings', { pulled: h.pulled, referentials: h.referentials.map((r) => `${r.name}${r.version ? ` v${r.version}` : ''}`).join(', ') || '—', local: h.local.length, taxa: h.taxa })}
        </Text>
      )}
      <Stack gap={4}>
        <Text size="xs" fw={500}>
          {t('bundle.sens.mode')}
        </Text>
        <SegmentedControl
          size="xs"
          value={w.sensMode}
          onChange={(v) => patch({ sensMode: v === 'workspace' ? 'workspace' : 'files' })}
          data={[
            { value: 'files', label: t('bundle.sens.modeFiles') },
            { value: 'workspace', label: t('bundle.sens.modeWorkspace') },
          ]}
          maw={520}
          data-testid="bundle-sens-mode"
        />
        <Text size="xs" c="dimmed">
          {files ? t('bundle.sens.modeFilesHint') : t('bundle.sens.modeWorkspaceHint')}
        </Text>
        {files && w.referentials.length === 0 && h !== null && h.rules > 0 && (
          <Text size="xs" c="blue" data-testid="bundle-sens-fallback">
            {t('bundle.sens.fallback')}
          </Text>
        )}
      </Stack>
      {files && (
        <Stack gap="sm" maw={820}>
          <Stack gap={4}>
            <Text size="xs" fw={500}>
              {t('bundle.sens.referentials')}
            </Text>
            {w.referentials.map((f) => (
              <GivenFileLine key={f.path} file={f} testId="bundle-ref-file" onRemove={() => patch({ referentials: w.referentials.filter((x) => x.path !== f.path) })} />
            ))}
            <FileAdder
              label={t('bundle.sens.addReferential')}
              description={t('bundle.sens.referentialHint')}
              onAdded={(f) => patch({ referentials: [...w.referentials.filter((x) => x.path !== f.path), f] })}
              testId="bundle-ref-path"
            />
          </Stack>
          <Stack gap={4}>
            <Text size="xs" fw={500}>
              {t('bundle.sens.taxonomy')}
            </Text>
            {w.taxonomy ? (
              <GivenFileLine file={w.taxonomy} testId="bundle-tax-file" onRemove={() => patch({ taxonomy: null })} />
            ) : (
              <FileAdder label={t('bundle.sens.addTaxonomy')} description={t('bundle.sens.taxonomyHint')} onAdded={(f) => patch({ taxonomy: f })} testId="bundle-tax-path" />
            )}
            {noTaxonomy && (
              <Text size="xs" c="orange" data-testid="bundle-sens-no-taxonomy">
                {t('bundle.sens.noTaxonomy')}
              </Text>
            )}
          </Stack>
        </Stack>
      )}
      <TextInput
        size="xs"
        label={t('bundle.sens.asOf')}
        description={t('bundle.sens.asOfHint')}
        placeholder="2026-06-30 / 2026-06-30T12:00:00Z"
        value={w.asOf}
        onChange={(e) => patch({ asOf: e.currentTarget.value })}
        error={asOfOk ? undefined : t('bundle.sens.asOfBad')}
        maw={420}
        data-testid="bundle-asof"
      />
      <Group>
        <Button variant="default" onClick={onBack}>
          {t('bundle.back')}
        </Button>
        <Button onClick={onPreview} loading={busy} disabled={!asOfOk} data-testid="bundle-preview-run">
          {t('bundle.sens.preview')}
        </Button>
      </Group>
    </Stack>
  );
}
