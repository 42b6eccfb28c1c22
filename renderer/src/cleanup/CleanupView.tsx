import { useState } from 'react';
import { Alert, Button, Grid, Group, ScrollArea, Stack, Tabs, Text, Title } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import type { ApiError, CheckGroup, CheckReport, Extent, FixKind, FixReport, UndoReport, WorkspaceSummary } from '../../../shared/contract/index.js';
import { useEngine } from '../api/engine.js';
import { errorText } from '../i18n/index.js';
import { CheckForm, CheckGroups, CheckSummary, DEFAULT_PARAMS, FlaggedMap, type CheckFormState } from './CheckPanel.js';
import { JobLine, useJobRunner } from './common.js';
import { ExportPanel } from './ExportPanel.js';
import { FixDialog } from './FixDialog.js';
import { HistoryPanel, operationLabel } from './HistoryPanel.js';
import { ImportWizard } from './ImportWizard.js';
import { usePersisted } from './store.js';

type Notice = { kind: 'fix'; report: FixReport } | { kind: 'undo'; report: UndoReport };

/**
 * The cleanup view (issue 8): import a legacy file through the wizard; check the open workspace
 * (findings grouped by check with their counts, the flagged observations on a map); fix them in
 * bulk from a group, with a preview of every changed value; undo; export for GeoNature's import
 * module. After every write the workspace is re-read (summary, map) and the check runs again.
 */
export function CleanupView({
  workspace,
  openWorkspace,
  refreshWorkspace,
  showOnMap,
}: {
  workspace: WorkspaceSummary | null;
  openWorkspace: (path: string) => Promise<void>;
  refreshWorkspace: () => Promise<void>;
  showOnMap: (extent: Extent | null) => void;
}) {
  const { t } = useTranslation();
  const { client } = useEngine();
  const path = workspace?.path ?? null;
  const [tab, setTab] = usePersisted<string>('clean:tab', 'check');
  const [report, setReport] = usePersisted<CheckReport | null>(`clean:report:${path}`, null);
  const [params, setParams] = usePersisted<CheckFormState>(`clean:params:${path}`, DEFAULT_PARAMS);
  const [version, setVersion] = useState(0);
  const [error, setError] = useState<ApiError | null>(null);
  const [notice, setNotice] = usePersisted<Notice | null>(`clean:notice:${path}`, null);
  const [fixing, setFixing] = useState<{ group: CheckGroup; kind: FixKind } | null>(null);
  const check = useJobRunner();
  const undoJob = useJobRunner();

  const runCheck = async (p: CheckFormState = params) => {
    if (!path) return;
    setError(null);
    const r = await check.run('clean-check', (jobId) =>
      client.call('clean.check', {
        workspace: path,
        params: { minYear: p.minYear, departements: p.departements, duplicateToleranceM: p.tolerance },
        ...(p.taxonomy ? { taxonomy: p.taxonomy } : {}),
        samples: 20,
        jobId,
      }),
    );
    if (r.ok) setReport(r.value);
    else setError(r.error);
  };

  /** After a write: the history, the workspace on the map, and the check again (when there was one). */
  const changed = async () => {
    setVersion((v) => v + 1);
    await refreshWorkspace();
    if (report) await runCheck();
  };

  const undo = async () => {
    if (!path) return;
    const r = await undoJob.run('clean-undo', (jobId) => client.call('clean.undo', { workspace: path, jobId }));
    if (!r.ok) {
      setError(r.error);
      return;
    }
    setNotice({ kind: 'undo', report: r.value });
    await changed();
  };

  return (
    <ScrollArea h="100%" type="auto">
      <Stack p="md" gap="md" data-testid="cleanup-view" data-checking={check.running}>
        <Group justify="space-between" align="flex-start">
          <Stack gap={0}>
            <Title order={3}>{t('clean.title')}</Title>
            <Text size="xs" c="dimmed">
              {t('clean.intro')}
            </Text>
          </Stack>
          {workspace && (
            <Text size="xs" c="dimmed" ta="right">
              {workspace.title}
              <br />
              {t('workspace.observations', { count: workspace.observations.count })}
            </Text>
          )}
        </Group>
        <Tabs value={tab} onChange={(v) => setTab(v ?? 'check')} keepMounted={false}>
          <Tabs.List>
            <Tabs.Tab value="check" data-testid="clean-tab-check">
              {t('clean.tabs.check')}
            </Tabs.Tab>
            <Tabs.Tab value="import" data-testid="clean-tab-import">
              {t('clean.tabs.import')}
            </Tabs.Tab>
            <Tabs.Tab value="export" data-testid="clean-tab-export">
              {t('clean.tabs.export')}
            </Tabs.Tab>
          </Tabs.List>

          <Tabs.Panel value="check" pt="md">
            {!path ? (
              <Text c="dimmed">{t('clean.noWorkspace')}</Text>
            ) : (
              <Grid gap="lg">
                <Grid.Col span={{ base: 12, lg: 4 }}>
                  <Stack gap="lg">
                    <CheckForm
                      params={params}
                      onParams={setParams}
                      report={report}
                      running={check.running}
                      onRun={() => void runCheck()}
                    />
                    <JobLine jobId={check.jobId} progress={check.progress} testId="clean-check-progress" />
                    {report && <FlaggedMap key={report.runId} workspace={path} report={report} showOnMap={showOnMap} />}
                    <HistoryPanel
                      workspace={path}
                      version={version}
                      onUndone={(r) => {
                        setNotice({ kind: 'undo', report: r });
                        void changed();
                      }}
                    />
                  </Stack>
                </Grid.Col>
                <Grid.Col span={{ base: 12, lg: 8 }}>
                  <Stack gap="md">
                    {error && (
                      <Alert color="red" variant="light" data-testid="clean-error">
                        {errorText(t, error)}
                      </Alert>
                    )}
                    {notice && (
                      <Alert
                        color={notice.kind === 'fix' ? 'teal' : 'blue'}
                        variant="light"
                        withCloseButton
                        onClose={() => setNotice(null)}
                        data-testid="clean-notice"
                        data-kind={notice.kind}
                      >
                        <Group justify="space-between" wrap="nowrap">
                          <Text size="sm">
                            {notice.kind === 'fix'
                              ? t('clean.notice.fixed', { fix: t(`clean.fix.kind.${notice.report.kind}`), count: notice.report.valuesChanged, rows: notice.report.rowsChanged + notice.report.rowsDeleted })
                              : notice.report.undone
                                ? t('clean.notice.undone', { what: operationLabel(t, notice.report.undone), restored: notice.report.rowsRestored, removed: notice.report.rowsRemoved })
                                : t('clean.notice.nothing')}
                          </Text>
                          {notice.kind === 'fix' && (
                            <Button size="xs" variant="white" color="orange" loading={undoJob.running} onClick={() => void undo()} data-testid="clean-notice-undo">
                              {t('clean.notice.undo')}
                            </Button>
                          )}
                        </Group>
                      </Alert>
                    )}
                    {!report && !check.running && (
                      <Alert color="gray" variant="light">
                        {t('clean.check.prompt')}
                      </Alert>
                    )}
                    {report && <CheckSummary report={report} />}
                    {report && <CheckGroups key={report.runId} workspace={path} report={report} onFix={(group, kind) => setFixing({ group, kind })} showOnMap={showOnMap} />}
                  </Stack>
                </Grid.Col>
              </Grid>
            )}
          </Tabs.Panel>

          <Tabs.Panel value="import" pt="md">
            <ImportWizard
              workspace={workspace}
              onImported={async (ws, created) => {
                if (created) await openWorkspace(ws);
                else {
                  setReport(null);
                  setVersion((v) => v + 1);
                  await refreshWorkspace();
                }
              }}
              onCheck={() => {
                setTab('check');
                void runCheck();
              }}
            />
          </Tabs.Panel>

          <Tabs.Panel value="export" pt="md">
            {path ? <ExportPanel workspace={path} /> : <Text c="dimmed">{t('clean.noWorkspace')}</Text>}
          </Tabs.Panel>
        </Tabs>
      </Stack>
      {fixing && path && report && (
        <FixDialog
          key={`${fixing.group.check}:${fixing.kind}`}
          workspace={path}
          runId={report.runId}
          group={{ ...fixing.group, fixes: [fixing.kind, ...fixing.group.fixes.filter((k) => k !== fixing.kind)] }}
          taxonomy={params.taxonomy}
          tolerance={params.tolerance}
          onClose={() => setFixing(null)}
          onApplied={(r) => {
            setFixing(null);
            setNotice({ kind: 'fix', report: r });
            void changed();
          }}
        />
      )}
    </ScrollArea>
  );
}
