import { useState } from 'react';
import { ActionIcon, Badge, Button, Group, Loader, Popover, ScrollArea, Stack, Text, Tooltip } from '@mantine/core';
import { IconArrowBackUp, IconHistory } from '@tabler/icons-react';
import { useTranslation } from 'react-i18next';
import type { ApiError, MetadataHistory, MetadataOperation, MetadataUndoState } from '../../../shared/contract/index.js';
import { useEngine } from '../api/engine.js';
import { newJobId } from '../api/job-id.js';
import { operationText } from './format.js';

/** What an operation did, in the user's language (the engine's label when the kind is unknown). */
export function OperationLabel({ op }: { op: MetadataOperation }) {
  const { t } = useTranslation();
  const text = operationText(op);
  return <>{text ? t(text.key, text.params) : op.label}</>;
}

/**
 * Undo of the last metadata operation, saying which one it is (or why it cannot be undone:
 * pushed to GeoNature, or changed since), and the history of operations.
 */
export function UndoControl({ workspace, undo, onUndone, onError }: { workspace: string; undo: MetadataUndoState; onUndone: () => void; onError: (e: ApiError) => void }) {
  const { t } = useTranslation();
  const { client } = useEngine();
  const [busy, setBusy] = useState(false);
  const [history, setHistory] = useState<MetadataHistory | null>(null);
  const op = undo.operation;
  const opText = (o: MetadataOperation) => {
    const text = operationText(o);
    return text ? t(text.key, text.params) : o.label;
  };

  const run = async () => {
    setBusy(true);
    const r = await client.call('metadata.undo', { workspace, jobId: newJobId('undo') });
    setBusy(false);
    if (r.ok) onUndone();
    else onError(r.error);
  };
  const loadHistory = async () => {
    const r = await client.call('metadata.history', { workspace, limit: 50 });
    if (r.ok) setHistory(r.value);
    else onError(r.error);
  };

  const reason = undo.blocked ? t(`meta.undo.blocked.${undo.blocked}`) : !op ? t('meta.undo.nothing') : null;
  return (
    <Group gap={4} wrap="nowrap">
      <Tooltip label={reason ?? (op ? <OperationLabel op={op} /> : '')} multiline w={360} disabled={!reason && !op}>
        <Button
          size="xs"
          variant="light"
          color="orange"
          leftSection={<IconArrowBackUp size={14} />}
          onClick={() => void run()}
          loading={busy}
          disabled={!undo.available}
          maw={340}
          data-testid="meta-undo"
          data-available={undo.available}
        >
          <Text size="xs" truncate="end" span>
            {op && undo.available ? t('meta.undo.what', { what: opText(op) }) : t('meta.undo.button')}
          </Text>
        </Button>
      </Tooltip>
      <Popover position="bottom-end" width={460} shadow="md" onOpen={() => void loadHistory()}>
        <Popover.Target>
          <ActionIcon variant="subtle" aria-label={t('meta.undo.history')} data-testid="meta-history">
            <IconHistory size={16} />
          </ActionIcon>
        </Popover.Target>
        <Popover.Dropdown>
          <Text size="sm" fw={700} mb={4}>
            {t('meta.undo.history')}
          </Text>
          {!history && <Loader size="xs" />}
          {history && history.operations.length === 0 && (
            <Text size="xs" c="dimmed">
              {t('meta.undo.empty')}
            </Text>
          )}
          {history && (
            <ScrollArea.Autosize mah={320}>
              <Stack gap={4} data-testid="meta-history-list">
                {history.operations.map((o) => (
                  <Group key={o.id} gap={6} wrap="nowrap" align="flex-start">
                    <Badge size="xs" variant="light" color={o.state === 'undone' ? 'gray' : 'teal'} style={{ flex: 'none' }}>
                      {t(`meta.undo.state.${o.state}`)}
                    </Badge>
                    <Stack gap={0}>
                      <Text size="xs" td={o.state === 'undone' ? 'line-through' : undefined}>
                        <OperationLabel op={o} />
                      </Text>
                      <Text size="xs" c="dimmed">
                        {o.at.slice(0, 16).replace('T', ' ')} · {o.actor}
                      </Text>
                    </Stack>
                  </Group>
                ))}
              </Stack>
            </ScrollArea.Autosize>
          )}
        </Popover.Dropdown>
      </Popover>
    </Group>
  );
}
