import { useState } from 'react';
import { Alert, Badge, Button, Group, Modal, ScrollArea, Stack, Table, Text } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import type { ApiError, In, PushReport } from '../../../shared/contract/index.js';
import { useEngine } from '../api/engine.js';
import { errorText } from '../i18n/index.js';

const show = (v: unknown) => (v === null || v === undefined ? '—' : typeof v === 'object' ? JSON.stringify(v) : String(v));

/**
 * The push review: what a push would write (field by field, server value now → value sent),
 * which observations move between JDD, and any conflict. Nothing is written before "Push".
 */
export function PushReview({
  report,
  connection,
  workspace,
  onClose,
  onPushed,
}: {
  report: PushReport;
  connection: In<'geonature.push'>['connection'];
  workspace: string;
  onClose: () => void;
  onPushed: (r: PushReport) => void;
}) {
  const { t } = useTranslation();
  const { client } = useEngine();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ApiError | null>(null);
  const push = async () => {
    setBusy(true);
    const r = await client.call('geonature.push', { connection, workspace, dryRun: false, jobId: `push-${Date.now()}` });
    setBusy(false);
    if (r.ok) onPushed(r.value);
    else setError(r.error);
  };
  const nothing = report.rows.length === 0 && report.moves.length === 0;
  return (
    <Modal opened onClose={onClose} size="xl" title={t('gn.push.title', { target: report.target })}>
      <Stack gap="sm" data-testid="push-review">
        {nothing && <Text>{t('gn.push.nothing')}</Text>}
        {report.rows.length > 0 && (
          <ScrollArea.Autosize mah={320}>
            <Table striped fz="sm" data-testid="push-rows">
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>{t('gn.push.record')}</Table.Th>
                  <Table.Th>{t('gn.push.field')}</Table.Th>
                  <Table.Th>{t('gn.push.server')}</Table.Th>
                  <Table.Th>{t('gn.push.local')}</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {report.rows.map((r, i) => (
                  <Table.Tr key={i}>
                    <Table.Td>
                      <Group gap={4} wrap="nowrap">
                        <Badge size="xs" variant="light" style={{ flex: 'none' }}>
                          {r.action === 'insert' ? t('gn.push.insert') : t(`gn.entity.${r.entity}`)}
                        </Badge>
                        <Text size="sm">{r.name}</Text>
                      </Group>
                    </Table.Td>
                    <Table.Td>{t(`gn.field.${r.field}`, { defaultValue: r.field })}</Table.Td>
                    <Table.Td c="dimmed">{show(r.server)}</Table.Td>
                    <Table.Td c={r.conflict ? 'red' : undefined}>{show(r.local)}</Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          </ScrollArea.Autosize>
        )}
        {report.moves.map((m, i) => (
          <Text key={i} size="sm" data-testid="push-move">
            {t('gn.push.move', { count: m.observations, from: m.fromName ?? '—', to: m.toName })}
          </Text>
        ))}
        {report.conflicts.length > 0 && (
          <Alert color="red" title={t('gn.push.conflicts', { count: report.conflicts.length })}>
            {report.conflicts.map((c, i) => (
              <Text key={i} size="sm">
                {c.label} · {c.field}: {t('gn.push.conflictLine', { server: show(c.server), local: show(c.local) })}
              </Text>
            ))}
          </Alert>
        )}
        {error && (
          <Alert color="red" variant="light" data-testid="push-error">
            {errorText(t, error)}
          </Alert>
        )}
        <Group justify="flex-end">
          <Button variant="default" onClick={onClose}>
            {t('gn.push.cancel')}
          </Button>
          <Button color="orange" onClick={() => void push()} loading={busy} disabled={nothing || report.conflicts.length > 0} data-testid="push-confirm">
            {t('gn.push.confirm')}
          </Button>
        </Group>
      </Stack>
    </Modal>
  );
}
