import { Alert, Badge, Button, Divider, Group, List, Paper, SimpleGrid, Stack, Table, Text, Title } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import type { ApiError, BuildResult, JobProgress } from '../../../shared/contract/index.js';
import { isAbsolutePath } from '../cleanup/common.js';
import { JobLine } from '../components/JobLine.js';
import { errorText } from '../i18n/index.js';
import { BundlePathField, CopyPath } from './BundlePath.js';
import { formatBytes, isZipPath, langOf, noteText, shaPrefix, type WizardState } from './format.js';
import { GateReportView } from './GateReport.js';
import { DiffTool, VerifyTool, type GateContext } from './Tools.js';

/**
 * Step 4: where the bundle goes (a folder, or a `.zip`) and, optionally, the previous version it
 * continues; the build runs as a job with its progress bar and cancel, and the gate runs before
 * anything is put in place.
 */
export function BuildStep({
  w,
  patch,
  suggestions,
  running,
  jobId,
  progress,
  error,
  onBack,
  onBuild,
}: {
  w: WizardState;
  patch: (p: Partial<WizardState>) => void;
  suggestions: readonly string[];
  running: boolean;
  jobId: string | null;
  progress: JobProgress | null;
  error: ApiError | null;
  onBack: () => void;
  onBuild: () => void;
}) {
  const { t } = useTranslation();
  const out = w.out.trim();
  const ok = isAbsolutePath;
  const prev = w.previous.trim();
  return (
    <Stack gap="md" maw={820} data-testid="bundle-step-build">
      <Stack gap={2}>
        <Title order={5}>{t('bundle.build.title')}</Title>
        <Text size="xs" c="dimmed">
          {t('bundle.build.intro')}
        </Text>
      </Stack>
      <BundlePathField
        label={t('bundle.build.out')}
        description={out ? (isZipPath(out) ? t('bundle.build.outZip') : t('bundle.build.outFolder')) : t('bundle.build.outHint')}
        placeholder="/…/export-opendata  ou  /…/export-opendata.zip"
        value={w.out}
        onChange={(v) => patch({ out: v })}
        mode="save"
        defaultName={`${w.preset.name}.zip`}
        suggestions={suggestions}
        testId="bundle-out"
      />
      <BundlePathField
        label={t('bundle.build.previous')}
        description={t('bundle.build.previousHint')}
        placeholder={t('bundle.build.previousPlaceholder')}
        value={w.previous}
        onChange={(v) => patch({ previous: v })}
        mode="open"
        suggestions={suggestions}
        testId="bundle-previous"
      />
      <Group>
        <Button variant="default" onClick={onBack} disabled={running}>
          {t('bundle.back')}
        </Button>
        <Button onClick={onBuild} loading={running} disabled={!ok(out) || (prev !== '' && !ok(prev))} data-testid="bundle-build-run">
          {t('bundle.build.run')}
        </Button>
      </Group>
      <JobLine jobId={jobId} progress={progress} testId="bundle-build-progress" />
      {error && (
        <Alert color="red" variant="light" data-testid="bundle-build-error">
          {errorText(t, error)}
          {error.code === 'PATH_NOT_ALLOWED' && <Text size="xs">{t('bundle.path.notAllowed')}</Text>}
        </Alert>
      )}
    </Stack>
  );
}

/**
 * Step 5: what was built — where (with a copy button: the app cannot open a folder), the version
 * and what changed since the previous one, the counts, every file with its size and checksum, the
 * metadata writers' remarks — and the gate's report, with the way to the publish step once it
 * passed; then the gate on another bundle and the comparison with a previous version.
 */
export function ResultStep({
  result,
  previous,
  context,
  suggestions,
  onNew,
  onRebuild,
  onPublish,
}: {
  result: BuildResult;
  previous: string;
  context: GateContext;
  suggestions: readonly string[];
  onNew: () => void;
  onRebuild: () => void;
  /** Opens the publish step with this bundle (offered once it was written and passed the gate). */
  onPublish: () => void;
}) {
  const { t, i18n } = useTranslation();
  const lang = langOf(i18n.language);
  const c = result.counts;
  const ch = result.changes;
  const total = result.files.reduce((a, f) => a + f.bytes, 0);
  // The same content as the previous version keeps its version and its changelog (the same bytes).
  const sameContent = result.previousVersion !== null && result.previousVersion === result.version;
  return (
    <Stack gap="md" data-testid="bundle-result" data-written={result.written} data-version={result.version} data-previous-version={result.previousVersion ?? ''} data-verdict={result.gate?.verdict ?? ''} data-files={result.files.length}>
      {result.written ? (
        <Alert color="teal" variant="light" data-testid="bundle-result-written">
          <Text size="sm" fw={600}>
            {result.zip ? t('bundle.result.writtenZip', { version: result.version }) : t('bundle.result.writtenFolder', { version: result.version })}
          </Text>
          <CopyPath path={result.path} testId="bundle-result-path" />
          <Text size="xs" c="dimmed">
            {t('bundle.result.openHint')}
          </Text>
        </Alert>
      ) : (
        <Alert color="red" variant="light" data-testid="bundle-result-refused">
          <Text size="sm" fw={600}>
            {t('bundle.result.refused')}
          </Text>
          <CopyPath path={result.path} testId="bundle-result-path" />
        </Alert>
      )}

      <SimpleGrid cols={{ base: 1, md: 2 }} spacing="md">
        <Paper withBorder p="sm">
          <Stack gap={4} data-testid="bundle-result-summary">
            <Title order={6}>{t('bundle.result.summary')}</Title>
            <Text size="xs">
              {t('bundle.result.version', { id: result.bundleId, version: result.version })}
              {result.previousVersion ? ` · ${t('bundle.result.previousVersion', { version: result.previousVersion })}` : ''}
            </Text>
            <Text size="xs">{t('bundle.result.asOf', { asOf: result.asOf })}</Text>
            <Text size="xs" data-testid="bundle-result-changes" data-same-content={sameContent} data-first={ch.first} data-added={ch.added} data-removed={ch.removed} data-changed={ch.changed} data-unchanged={ch.unchanged}>
              {sameContent
                ? t('bundle.result.sameContent', { version: result.version })
                : ch.first
                  ? t('bundle.result.first', { count: ch.added })
                  : t('bundle.result.changes', { added: ch.added, removed: ch.removed, changed: ch.changed, unchanged: ch.unchanged })}
            </Text>
            <Text size="xs" data-testid="bundle-result-counts" data-published={c.published} data-precise={c.precise}>
              {t('bundle.result.counts', {
                published: c.published,
                precise: c.precise,
                generalised: c.generalised.commune + c.generalised.cell + c.generalised.departement,
                withheld: c.withheld,
                excluded: c.excludedNonPublic,
              })}
            </Text>
            <Group gap={4}>
              <Text size="xs">{t('bundle.result.licence', { licence: result.licence.id })}</Text>
              {result.licence.targets.map((v) => (
                <Badge key={v.target} size="xs" variant="light" color={v.accepted ? 'teal' : 'red'}>
                  {t(`bundle.target.${v.target}`)} · {v.id ?? t('bundle.licence.refused')}
                </Badge>
              ))}
            </Group>
            {result.unmatchedTaxa.length > 0 && (
              <Text size="xs" c="orange">
                {t('bundle.review.unmatched', { count: result.unmatchedTaxa.length, records: result.unmatchedTaxa.reduce((a, u) => a + u.count, 0) })}
              </Text>
            )}
          </Stack>
        </Paper>
        <Paper withBorder p="sm">
          <Stack gap={4}>
            <Title order={6}>{t('bundle.result.notes')}</Title>
            {result.notes.length === 0 ? (
              <Text size="xs" c="dimmed">
                —
              </Text>
            ) : (
              <List size="xs" data-testid="bundle-result-notes">
                {result.notes.map((n, i) => (
                  <List.Item key={i}>{noteText(n, lang)}</List.Item>
                ))}
              </List>
            )}
          </Stack>
        </Paper>
      </SimpleGrid>

      <Stack gap={4}>
        <Title order={6}>{t('bundle.result.files', { count: result.files.length, size: formatBytes(total, lang) })}</Title>
        <Paper withBorder p={0} mah={320} style={{ overflow: 'auto' }}>
          <Table fz="xs" verticalSpacing={2} striped>
            <Table.Thead>
              <Table.Tr>
                <Table.Th>{t('bundle.result.file')}</Table.Th>
                <Table.Th ta="right">{t('bundle.result.size')}</Table.Th>
                <Table.Th>sha256</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {result.files.map((f) => (
                <Table.Tr key={f.path} data-testid="bundle-result-file" data-path={f.path} data-bytes={f.bytes} data-sha256={f.sha256}>
                  <Table.Td ff="monospace">{f.path}</Table.Td>
                  <Table.Td ta="right">{formatBytes(f.bytes, lang)}</Table.Td>
                  <Table.Td ff="monospace" title={f.sha256}>
                    {shaPrefix(f.sha256)}…
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Paper>
      </Stack>

      {result.gate ? (
        <GateReportView report={result.gate} testId="bundle-gate" />
      ) : (
        <Alert color="orange" variant="light">
          {t('bundle.result.noGate')}
        </Alert>
      )}

      <Group>
        {result.written && result.gate?.verdict === 'pass' && (
          <Button onClick={onPublish} data-testid="bundle-publish">
            {t('bundle.result.publish')}
          </Button>
        )}
        <Button variant="default" onClick={onRebuild} data-testid="bundle-rebuild">
          {t('bundle.result.rebuild')}
        </Button>
        <Button variant="light" onClick={onNew} data-testid="bundle-new">
          {t('bundle.result.new')}
        </Button>
      </Group>

      <Divider label={t('bundle.tools.title')} labelPosition="left" />
      <Stack gap="xl">
        <VerifyTool context={context} suggestions={suggestions} />
        <DiffTool suggestions={suggestions} initialOld={previous} initialNew={result.written ? result.path : ''} />
      </Stack>
    </Stack>
  );
}

