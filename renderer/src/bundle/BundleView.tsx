import { useEffect, useState } from 'react';
import { Alert, ScrollArea, SegmentedControl, Stack, Stepper, Text, Title } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import type { ApiError, BuildResult, BundlePresetList, BundlePreview } from '../../../shared/contract/index.js';
import type { WorkspaceViewProps } from '../views/context.js';
import { useEngine } from '../api/engine.js';
import { useJobRunner } from '../api/use-job-runner.js';
import { usePersisted } from '../cleanup/store.js';
import { errorText } from '../i18n/index.js';
import { PublishView } from '../publish/PublishView.js';
import { buildSources, INITIAL_WIZARD, sourcesKey, type WizardState } from './format.js';
import { PresetStep } from './PresetStep.js';
import { BuildStep, ResultStep } from './ResultStep.js';
import { ReviewStep } from './ReviewStep.js';
import { SensitivityStep } from './SensitivityStep.js';
import { DiffTool, VerifyTool, type GateContext } from './Tools.js';

type Listed = BundlePresetList['presets'][number];
const NO_PATHS: string[] = [];

/**
 * The export view (issue 7): a wizard that makes a bundle for an audience — (1) the preset, adjusted
 * and saved by name, (2) the sensitivity rules and the moment, (3) the review of what would be
 * published (counts, unmatched taxa, licence per target, the map), (4) the build as a job, (5) the
 * summary and the gate's report, then (6) the publish step (renderer/src/publish) for a bundle that
 * passed — and the tools to verify any bundle and compare two versions.
 *
 * The wizard outlives the view (the app shows one view at a time, and "show on the map" leaves it):
 * its state is kept per workspace in the small store the cleanup view uses.
 */
export function BundleView({
  workspace,
  refreshWorkspace,
  showOnMap,
}: WorkspaceViewProps) {
  const { t } = useTranslation();
  const { client } = useEngine();
  const path = workspace?.path ?? null;
  const [tab, setTab] = usePersisted<string>('bundle:tab', 'wizard');
  const [w, setW] = usePersisted<WizardState>(`bundle:wizard:${path}`, INITIAL_WIZARD);
  const [presets, setPresets] = usePersisted<Listed[] | null>('bundle:presets', null);
  const [preview, setPreview] = usePersisted<{ key: string; value: BundlePreview } | null>(`bundle:preview:${path}`, null);
  const [result, setResult] = usePersisted<{ value: BuildResult; previous: string } | null>(`bundle:result:${path}`, null);
  const [built, setBuilt] = usePersisted<string[]>('bundle:built', NO_PATHS);
  const [toPublish, setToPublish] = usePersisted<string | null>(`bundle:publish:${path}`, null);
  const [presetsError, setPresetsError] = useState<ApiError | null>(null);
  const [previewError, setPreviewError] = useState<ApiError | null>(null);
  const [buildError, setBuildError] = useState<ApiError | null>(null);
  const previewJob = useJobRunner();
  const buildJob = useJobRunner();

  useEffect(() => {
    let alive = true;
    void client.call('bundle.presets', {}).then((r) => {
      if (!alive) return;
      if (!r.ok) {
        setPresetsError(r.error);
        return;
      }
      setPresets(r.value.presets);
      // A wizard not touched yet starts from the preset as saved (a built-in one may be adjusted).
      const first = r.value.presets.find((x) => x.preset.name === INITIAL_WIZARD.selected);
      if (first) setW((prev) => (prev === INITIAL_WIZARD ? { ...prev, preset: first.preset } : prev));
    });
    return () => {
      alive = false;
    };
  }, [client, setPresets, setW]);

  if (!path || !workspace) {
    return (
      <Text p="md" c="dimmed">
        {t('bundle.noWorkspace')}
      </Text>
    );
  }

  const patch = (p: Partial<WizardState>) => setW((prev) => ({ ...prev, ...p }));
  const files = w.sensMode === 'files';
  // The gate recomputes the decisions with the files of the wizard, else with the workspace's own rules.
  const context: GateContext = { workspace: path, referentials: files ? w.referentials.map((f) => f.path) : [], taxonomy: files ? (w.taxonomy?.path ?? null) : null };
  const stale = preview !== null && preview.key !== sourcesKey(w, path);

  const runPreview = async (next: WizardState = w) => {
    setPreviewError(null);
    patch({ step: 2 });
    const sources = buildSources(next, path);
    const r = await previewJob.run('bundle-preview', (jobId) => client.call('bundle.preview', { ...sources, jobId }));
    if (r.ok) setPreview({ key: JSON.stringify(sources), value: r.value });
    else {
      setPreview(null);
      setPreviewError(r.error);
    }
  };

  const runBuild = async () => {
    setBuildError(null);
    const previous = w.previous.trim();
    const r = await buildJob.run('bundle-build', (jobId) => client.call('bundle.build', { ...buildSources(w, path), out: w.out.trim(), ...(previous ? { previous } : {}), verify: true, jobId }));
    if (!r.ok) {
      setBuildError(r.error);
      return;
    }
    setResult({ value: r.value, previous });
    if (r.value.written) setBuilt((prev) => [r.value.path, ...prev.filter((p) => p !== r.value.path)].slice(0, 20));
    patch({ step: 4 });
  };

  const step = w.step === 4 && !result ? 3 : w.step;
  return (
    <ScrollArea h="100%" type="auto">
      <Stack p="md" gap="md" data-testid="bundle-view" data-step={step}>
        <Stack gap={2}>
          <Title order={3}>{t('bundle.title')}</Title>
          <Text size="xs" c="dimmed">
            {t('bundle.intro')}
          </Text>
        </Stack>
        <SegmentedControl
          size="xs"
          value={tab}
          onChange={setTab}
          data={[
            { value: 'wizard', label: t('bundle.tab.wizard') },
            { value: 'tools', label: t('bundle.tab.tools') },
            { value: 'publish', label: t('bundle.tab.publish') },
          ]}
          maw={640}
          data-testid="bundle-tab"
        />
        {presetsError && <Alert color="red">{errorText(t, presetsError)}</Alert>}
        {tab === 'publish' ? (
          <PublishView workspace={path} bundle={toPublish} onBundle={setToPublish} context={context} suggestions={built} />
        ) : tab === 'tools' ? (
          <Stack gap="xl" data-testid="bundle-tools">
            <VerifyTool context={context} suggestions={built} />
            <DiffTool suggestions={built} />
          </Stack>
        ) : (
          <Stack gap="md">
            <Stepper active={step === 4 ? 5 : step} onStepClick={(s) => patch({ step: s })} size="xs" allowNextStepsSelect={false} data-testid="bundle-stepper">
              <Stepper.Step label={t('bundle.step.preset')} allowStepSelect={step > 0 && !buildJob.running} />
              <Stepper.Step label={t('bundle.step.sensitivity')} allowStepSelect={step > 1 && !buildJob.running} />
              <Stepper.Step label={t('bundle.step.review')} allowStepSelect={step > 2 && preview !== null && !buildJob.running} />
              <Stepper.Step label={t('bundle.step.build')} allowStepSelect={step > 3} />
              <Stepper.Step label={t('bundle.step.result')} allowStepSelect={false} />
            </Stepper>
            {step === 0 && (
              <PresetStep
                w={w}
                patch={patch}
                presets={presets}
                onPresets={setPresets}
                datasets={workspace.datasets}
                onNext={() => patch({ step: 1 })}
              />
            )}
            {step === 1 && <SensitivityStep w={w} patch={patch} workspace={path} onBack={() => patch({ step: 0 })} onPreview={() => void runPreview()} busy={previewJob.running} />}
            {step === 2 && (
              <ReviewStep
                w={w}
                patch={patch}
                preview={preview?.value ?? null}
                stale={stale}
                running={previewJob.running}
                jobId={previewJob.jobId}
                progress={previewJob.progress}
                error={previewError}
                workspace={path}
                extent={workspace.extent}
                onPreview={(next) => void runPreview(next)}
                onBack={() => patch({ step: 1 })}
                onNext={() => patch({ step: 3 })}
                showOnMap={showOnMap}
                refreshWorkspace={refreshWorkspace}
              />
            )}
            {step === 3 && (
              <BuildStep
                w={w}
                patch={patch}
                suggestions={built}
                running={buildJob.running}
                jobId={buildJob.jobId}
                progress={buildJob.progress}
                error={buildError}
                onBack={() => patch({ step: 2 })}
                onBuild={() => void runBuild()}
              />
            )}
            {step === 4 && result && (
              <ResultStep
                key={`${result.value.path}:${result.value.version}:${result.value.asOf}`}
                result={result.value}
                previous={result.previous}
                context={context}
                suggestions={built}
                onRebuild={() => patch({ step: 3 })}
                onPublish={() => {
                  setToPublish(result.value.path);
                  setTab('publish');
                }}
                onNew={() => {
                  setResult(null);
                  setPreview(null);
                  patch({ step: 0, out: '', previous: '' });
                }}
              />
            )}
          </Stack>
        )}
      </Stack>
    </ScrollArea>
  );
}
