import { useEffect, useState } from 'react';
import { Alert, Badge, Button, Group, ScrollArea, Stack, Table, Text, Title } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import type { TFunction } from 'i18next';
import type { ApiError, CleanOperation, UndoReport } from '../../../shared/contract/index.js';
import { useEngine } from '../api/engine.js';
import { errorText } from '../i18n/index.js';
import { JobLine, useJobRunner } from './common.js';

/** What an operation was, for the user: the fix's name, or the imported file. */
export function operationLabel(t: TFunction, op: Pick<CleanOperation, 'kind' | 'what'>): string {
  return op.kind === 'fix' ? t(`clean.fix.kind.${op.what}`, { defaultValue: op.what }) : t('clean.history.import', { file: op.what.split(/[\\/]/).pop() ?? op.what });
}

/**
 * The workspace's imports and fixes, last first, and the one-step undo of the last one not yet
 * undone (values, geometries and deleted rows come back exactly; an import's rows go away).
 */
export function HistoryPanel({ workspace, version, onUndone }: { workspace: string; version: number; onUndone: (r: UndoReport) => void }) {
  const { t } = useTranslation();
  const { client } = useEngine();
  const job = useJobRunner();
  const [state, setState] = useState<{ key: string; operations: CleanOperation[]; error: ApiError | null }>({ key: '', operations: [], error: null });
  const [undoError, setUndoError] = useState<ApiError | null>(null);
  const key = `${workspace}|${version}`;

  useEffect(() => {
    let alive = true;
    const k = `${workspace}|${version}`;
    void client.call('clean.history', { workspace }).then((r) => {
      if (alive) setState({ key: k, operations: r.ok ? r.value.operations : [], error: r.ok ? null : r.error });
    });
    return () => {
      alive = false;
    };
  }, [client, workspace, version]);

  const ops = state.operations;
  const last = ops.find((o) => !o.undone) ?? null;
  const undo = async () => {
    setUndoError(null);
    const r = await job.run('clean-undo', (jobId) => client.call('clean.undo', { workspace, jobId }));
    if (!r.ok) {
      setUndoError(r.error);
      return;
    }
    onUndone(r.value);
  };

  return (
    <Stack gap="xs" data-testid="clean-history" data-ready={state.key === key} data-operations={ops.length}>
      <Group justify="space-between">
        <Title order={5}>{t('clean.history.title')}</Title>
        <Button size="xs" variant="light" color="orange" disabled={!last || job.running} loading={job.running} onClick={() => void undo()} data-testid="clean-undo">
          {last ? t('clean.history.undo', { what: operationLabel(t, last) }) : t('clean.history.nothing')}
        </Button>
      </Group>
      <JobLine jobId={job.jobId} progress={job.progress} testId="clean-undo-progress" />
      {(state.error ?? undoError) && <Alert color="red">{errorText(t, (state.error ?? undoError) as ApiError)}</Alert>}
      {ops.length === 0 ? (
        <Text size="xs" c="dimmed">
          {t('clean.history.empty')}
        </Text>
      ) : (
        <ScrollArea.Autosize mah={200} type="auto">
          <Table fz="xs" verticalSpacing={2}>
            <Table.Tbody>
              {ops.map((o) => (
                <Table.Tr key={o.id} data-testid="clean-operation" data-kind={o.kind} data-what={o.what} data-undone={o.undone} style={o.undone ? { opacity: 0.55 } : undefined}>
                  <Table.Td>{o.at.slice(0, 19).replace('T', ' ')}</Table.Td>
                  <Table.Td>{operationLabel(t, o)}</Table.Td>
                  <Table.Td>{t('clean.history.rows', { count: o.rows })}</Table.Td>
                  <Table.Td>
                    {o.undone && (
                      <Badge size="xs" variant="light" color="gray">
                        {t('clean.history.undone')}
                      </Badge>
                    )}
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </ScrollArea.Autosize>
      )}
    </Stack>
  );
}
