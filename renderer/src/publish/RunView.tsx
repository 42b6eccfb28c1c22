import { Alert, Anchor, Badge, Group, List, Paper, Stack, Table, Text, Title } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import type { PublishRun } from '../../../shared/contract/index.js';
import { CopyPath } from '../bundle/BundlePath.js';
import { formatBytes } from '../bundle/format.js';
import { GateReportView } from '../bundle/GateReport.js';
import { useLang } from '../cleanup/common.js';
import { CallsTable } from './CallsTable.js';

/** The visibility of a dataset or record: « privé » until the explicit step. */
export function VisibilityBadge({ visibility, testId }: { visibility: 'private' | 'public' | null; testId?: string }) {
  const { t } = useTranslation();
  if (!visibility) return null;
  return (
    <Badge size="sm" variant={visibility === 'private' ? 'light' : 'filled'} color={visibility === 'private' ? 'teal' : 'orange'} data-testid={testId} data-visibility={visibility}>
      {t(`publish.visibility.${visibility}`)}
    </Badge>
  );
}

/**
 * A publication, its dry run, or the explicit publish step: refused (the gate's report, or what
 * keeps it from going: licence, no ISO record, a version not sent), else what it does or did — the
 * dataset (created, or the same one updated) or the ISO record, its visibility, every resource
 * with its id, and every call.
 */
export function RunView({ run, testId }: { run: PublishRun; testId: string }) {
  const { t } = useTranslation();
  const lang = useLang();
  const r = run.remote;
  const udata = run.target === 'datagouv';
  if (run.refused) {
    return (
      <Stack gap="xs" data-testid={testId} data-refused="true" data-dry-run={run.dryRun}>
        <Alert color="red" variant="light" title={t('publish.refused.title')} data-testid={`${testId}-refused`}>
          <Text size="sm">{run.dryRun ? t('publish.refused.dryRun') : t('publish.refused.run')}</Text>
          <List size="xs">
            {run.problems.map((p) => (
              <List.Item key={p.code} data-testid={`${testId}-problem`} data-code={p.code}>
                {t(`publish.problem.${p.code}`, { defaultValue: p.message, version: run.bundle.version, portal: run.baseUrl })}
              </List.Item>
            ))}
          </List>
        </Alert>
        {run.gate.verdict !== 'pass' && <GateReportView report={run.gate} testId={`${testId}-gate`} />}
      </Stack>
    );
  }
  const actionText =
    run.action === 'record'
      ? r.existed === true
        ? t('publish.action.recordUpdate', { id: r.id })
        : r.existed === false
          ? t('publish.action.recordInsert', { id: r.id })
          : t('publish.action.record', { id: r.id })
      : t(`publish.action.${run.action}`, { id: r.id ?? '—' });
  return (
    <Stack gap="xs" data-testid={testId} data-refused="false" data-dry-run={run.dryRun} data-action={run.action} data-remote-id={r.id ?? ''} data-visibility={r.visibility ?? ''} data-existed={r.existed === null ? '' : String(r.existed)}>
      <Paper withBorder p="sm">
        <Stack gap={4}>
          <Group gap="xs">
            <Title order={6}>{run.dryRun ? t('publish.run.planTitle') : run.step === 'make-public' ? t('publish.run.madePublicTitle') : t('publish.run.doneTitle')}</Title>
            <VisibilityBadge visibility={r.visibility} testId={`${testId}-visibility`} />
          </Group>
          <Text size="xs">
            {t('publish.run.bundle', { title: run.bundle.title, version: run.bundle.version, asOf: run.bundle.asOf })} → {run.profile} ({run.baseUrl})
          </Text>
          <Text size="sm" data-testid={`${testId}-action`}>
            {actionText}
          </Text>
          {run.action === 'update' && (
            <Text size="xs" c="teal" data-testid={`${testId}-same-dataset`}>
              {t('publish.run.sameDataset', { id: r.id })}
            </Text>
          )}
          {r.id && (
            <Text size="xs" data-testid={`${testId}-dataset`} data-id={r.id}>
              {udata ? t('publish.run.datasetId') : t('publish.run.recordId')} <Text span ff="monospace">{r.id}</Text>
            </Text>
          )}
          {r.page && (
            <Group gap={4}>
              <Text size="xs">{t('publish.run.page')}</Text>
              <Anchor size="xs" href={r.page} target="_blank" rel="noreferrer" data-testid={`${testId}-page`}>
                {r.page}
              </Anchor>
            </Group>
          )}
          {r.visibility === 'private' && !run.dryRun && run.step === 'upload' && (
            <Text size="xs" c="dimmed">
              {t('publish.run.privateHint')}
            </Text>
          )}
          {run.dryRun && (
            <Text size="xs" c="orange" fw={500}>
              {t('publish.run.nothingSent')}
            </Text>
          )}
        </Stack>
      </Paper>
      {run.resources.length > 0 && (
        <Paper withBorder p={0} style={{ overflow: 'auto' }}>
          <Table fz="xs" verticalSpacing={2} striped>
            <Table.Thead>
              <Table.Tr>
                <Table.Th>{t('publish.resources.file')}</Table.Th>
                <Table.Th>{t('publish.resources.action')}</Table.Th>
                <Table.Th ta="right">{t('publish.resources.size')}</Table.Th>
                <Table.Th>{t('publish.resources.id')}</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {run.resources.map((x) => (
                <Table.Tr key={x.path} data-testid={`${testId}-resource`} data-path={x.path} data-action={x.action} data-resource-id={x.resourceId ?? ''} data-url={x.url ?? ''}>
                  <Table.Td>
                    <Text size="xs">{x.title}</Text>
                    <Text size="xs" c="dimmed" ff="monospace">
                      {x.path}
                    </Text>
                  </Table.Td>
                  <Table.Td>{t(`publish.resources.actions.${x.action}`)}</Table.Td>
                  <Table.Td ta="right">{x.action === 'delete' ? '—' : formatBytes(x.bytes, lang)}</Table.Td>
                  <Table.Td ff="monospace" style={{ wordBreak: 'break-all' }}>
                    {x.resourceId ?? t('publish.resources.newId')}
                    {x.url && !run.dryRun && <CopyPath path={x.url} testId={`${testId}-resource-url`} />}
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Paper>
      )}
      <Text size="xs" fw={500}>
        {run.dryRun ? t('publish.calls.planned', { count: run.calls.length }) : t('publish.calls.made', { count: run.calls.length })}
      </Text>
      <CallsTable calls={run.calls} baseUrl={run.baseUrl} testId={`${testId}-call`} />
    </Stack>
  );
}
