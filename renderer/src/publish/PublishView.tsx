import { useEffect, useState } from 'react';
import { Alert, Button, Checkbox, Divider, Group, Select, Stack, Text, TextInput, Title } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import type { ApiError, In, PublishRun } from '../../../shared/contract/index.js';
import { UDATA_FREQUENCIES, type UdataFrequency } from '../../../shared/publish/profiles.js';
import { useEngine } from '../api/engine.js';
import { useJobRunner } from '../api/use-job-runner.js';
import type { GateContext } from '../bundle/Tools.js';
import { usePersisted } from '../cleanup/store.js';
import { JobLine } from '../components/JobLine.js';
import { errorText } from '../i18n/index.js';
import { BundleChoice } from './BundleChoice.js';
import { ErrorHint } from './ErrorHint.js';
import { Feed } from './Feed.js';
import { FileProgressList } from './FileProgressList.js';
import { credentialsFor, isHttpUrl, overall, type ListedProfile } from './format.js';
import { History } from './History.js';
import { Landing } from './Landing.js';
import { MakePublic } from './MakePublic.js';
import { RunView } from './RunView.js';
import { SecretField } from './SecretField.js';
import { Targets } from './Targets.js';
import { usePublishSecrets } from './use-publish-secrets.js';
import { useRunProgress } from './use-run-progress.js';

type RunInput = Omit<In<'publish.run'>, 'dryRun' | 'credentials' | 'jobId'>;
const NO_PROFILES: ListedProfile[] = [];

/**
 * The publish step after the export wizard (issue 9): a bundle that passed the gate goes to a
 * udata portal (data.gouv.fr, its demo, a regional portal) as a PRIVATE dataset, or its ISO record
 * to a GeoNetwork. The target and its secret (keyring, or this session), then the dry run — every
 * call listed, nothing sent — before the run, which shows each file's progress and can be
 * cancelled; the result with the dataset and resource ids; « rendre public » as its own step; the
 * history of the workspace (a new version goes to the same dataset); the landing page and the
 * DCAT feed. The engine runs the gate again before sending anything.
 */
export function PublishView({
  workspace,
  bundle,
  onBundle,
  context,
  suggestions,
}: {
  workspace: string;
  bundle: string | null;
  onBundle: (path: string) => void;
  context: GateContext;
  suggestions: readonly string[];
}) {
  const { t } = useTranslation();
  const { client } = useEngine();
  const secrets = usePublishSecrets();
  const [profiles, setProfiles] = usePersisted<ListedProfile[]>('publish:profiles', NO_PROFILES);
  const [selected, setSelected] = usePersisted<string | null>('publish:selected', null);
  const [plan, setPlan] = usePersisted<{ key: string; run: PublishRun } | null>(`publish:plan:${workspace}`, null);
  const [result, setResult] = usePersisted<PublishRun | null>(`publish:result:${workspace}`, null);
  const [frequency, setFrequency] = useState<UdataFrequency | null>(null);
  const [hostedAt, setHostedAt] = useState('');
  const [newDataset, setNewDataset] = useState(false);
  const [profilesError, setProfilesError] = useState<ApiError | null>(null);
  const [planError, setPlanError] = useState<ApiError | null>(null);
  const [runError, setRunError] = useState<ApiError | null>(null);
  const [historyVersion, setHistoryVersion] = useState(0);
  const planJob = useJobRunner();
  const runJob = useJobRunner();
  const { progress, track, reset } = useRunProgress();

  useEffect(() => {
    let alive = true;
    void client.call('publish.profiles', {}).then((r) => {
      if (!alive) return;
      if (!r.ok) {
        setProfilesError(r.error);
        return;
      }
      setProfiles(r.value.profiles);
      setSelected((prev) => (prev && r.value.profiles.some((p) => p.profile.name === prev) ? prev : (r.value.profiles[0]?.profile.name ?? null)));
    });
    return () => {
      alive = false;
    };
  }, [client, setProfiles, setSelected]);

  const listed = profiles.find((p) => p.profile.name === selected) ?? null;
  const udata = listed?.profile.target === 'datagouv';
  const h = hostedAt.trim();
  const input: RunInput | null =
    bundle && listed
      ? {
          bundle,
          workspace: context.workspace,
          referentials: context.referentials,
          ...(context.taxonomy ? { taxonomy: context.taxonomy } : {}),
          profile: { name: listed.profile.name },
          ...(udata && frequency ? { frequency } : {}),
          ...(h && isHttpUrl(h) ? { hostedAt: h } : {}),
          newDataset: udata && newDataset,
        }
      : null;
  const key = JSON.stringify(input);
  const current = plan && plan.key === key ? plan.run : null;
  const secretStatus = listed ? secrets.status(listed.secretKey) : 'none';
  const credentials = async () => (listed ? credentialsFor(listed.profile.target, await secrets.resolve(listed.secretKey)) : {});
  const busy = planJob.running || runJob.running;

  const dryRun = async () => {
    if (!input) return;
    setPlanError(null);
    setRunError(null);
    setResult(null);
    reset();
    const r = await planJob.run('publish-plan', (jobId) => client.call('publish.run', { ...input, dryRun: true, jobId }));
    if (r.ok) setPlan({ key, run: r.value });
    else {
      setPlan(null);
      setPlanError(r.error);
    }
  };

  const run = async () => {
    if (!input) return;
    setRunError(null);
    setResult(null);
    const creds = await credentials();
    const r = await runJob.run('publish', (jobId) => {
      track(jobId);
      return client.call('publish.run', { ...input, credentials: creds, dryRun: false, jobId });
    });
    if (r.ok) {
      setResult(r.value);
      // Sent: the next publication starts from a new dry run (it will be an update).
      if (!r.value.refused) setPlan(null);
    } else setRunError(r.error);
    setHistoryVersion((v) => v + 1);
  };

  const total = overall(progress);
  const runProgress = runJob.progress
    ? { ...runJob.progress, done: total?.done ?? 0, total: total?.total ?? null, message: t(`publish.phase.${progress.phase ?? 'gate'}`) }
    : null;

  return (
    <Stack gap="md" data-testid="publish-view">
      <Stack gap={2}>
        <Title order={4}>{t('publish.title')}</Title>
        <Text size="xs" c="dimmed">
          {t('publish.intro')}
        </Text>
      </Stack>
      <BundleChoice
        bundle={bundle}
        onBundle={(p) => {
          onBundle(p);
          setResult(null);
          reset();
        }}
        context={context}
        suggestions={suggestions}
      />
      {profilesError && <Alert color="red">{errorText(t, profilesError)}</Alert>}
      <Targets profiles={profiles} selected={selected} onSelect={(n) => setSelected(n || null)} onProfiles={(l) => setProfiles(l.profiles)} secretStatus={secrets.status} forgetSecret={secrets.forget} />
      {listed && <SecretField key={listed.secretKey} listed={listed} secrets={secrets} />}
      {listed && (
        <Group gap="md" align="flex-start">
          {udata ? (
            <>
              <Select
                size="xs"
                label={t('publish.options.frequency')}
                description={t('publish.options.frequencyHint', { frequency: t(`publish.frequency.${listed.profile.frequency}`) })}
                value={frequency}
                onChange={(v) => setFrequency((v as UdataFrequency | null) ?? null)}
                data={UDATA_FREQUENCIES.map((f) => ({ value: f, label: t(`publish.frequency.${f}`) }))}
                clearable
                w={260}
              />
              <Checkbox size="xs" mt="lg" label={t('publish.options.newDataset')} description={t('publish.options.newDatasetHint')} checked={newDataset} onChange={(e) => setNewDataset(e.currentTarget.checked)} data-testid="publish-new-dataset" />
            </>
          ) : (
            <TextInput
              size="xs"
              label={t('publish.options.hostedAt')}
              description={t('publish.options.hostedAtHint')}
              placeholder="https://donnees.parc.fr/lots/opendata/"
              value={hostedAt}
              onChange={(e) => setHostedAt(e.currentTarget.value)}
              error={h && !isHttpUrl(h) ? t('publish.profile.badUrl') : undefined}
              w={420}
              data-testid="publish-hosted-at"
            />
          )}
        </Group>
      )}

      <Divider label={t('publish.run.section')} labelPosition="left" />
      <Text size="xs" c="dimmed">
        {t('publish.run.intro')}
      </Text>
      <Group>
        <Button variant="default" onClick={() => void dryRun()} loading={planJob.running} disabled={!input || busy} data-testid="publish-dry-run">
          {t('publish.run.dryRun')}
        </Button>
        <Button onClick={() => void run()} loading={runJob.running} disabled={!input || !current || current.refused || busy || secretStatus === 'none'} data-testid="publish-run">
          {udata ? t('publish.run.runPrivate') : t('publish.run.runRecord')}
        </Button>
      </Group>
      {input && !current && !busy && (
        <Text size="xs" c="dimmed" data-testid="publish-run-needs-plan">
          {t('publish.run.needsPlan')}
        </Text>
      )}
      {current && secretStatus === 'none' && (
        <Text size="xs" c="orange" data-testid="publish-run-needs-secret">
          {t(`publish.run.needsSecret.${listed?.profile.target ?? 'datagouv'}`)}
        </Text>
      )}
      <JobLine jobId={planJob.jobId} progress={planJob.progress} testId="publish-plan-progress" />
      <JobLine jobId={runJob.jobId} progress={runProgress} testId="publish-run-progress" />
      <FileProgressList progress={progress} />
      {planError && (
        <Alert color="red" variant="light" data-testid="publish-plan-error" data-code={planError.code}>
          <Text size="sm">{errorText(t, planError)}</Text>
          <ErrorHint error={planError} />
        </Alert>
      )}
      {runError && (
        <Alert color="red" variant="light" title={t('publish.run.failed')} data-testid="publish-run-error" data-code={runError.code}>
          <Text size="sm">{errorText(t, runError)}</Text>
          <ErrorHint error={runError} />
        </Alert>
      )}
      {result ? <RunView run={result} testId="publish-result" /> : current && <RunView run={current} testId="publish-plan" />}

      <Divider />
      <MakePublic input={input ? { ...input, newDataset: false } : null} credentials={credentials} onDone={() => setHistoryVersion((v) => v + 1)} />
      <Divider />
      <History workspace={workspace} refresh={historyVersion} />
      {bundle && (
        <>
          <Divider />
          <Landing bundle={bundle} />
          <Divider />
          <Feed bundle={bundle} workspace={workspace} />
        </>
      )}
    </Stack>
  );
}
