import { useState } from 'react';
import { ActionIcon, Button, Group, Stack, Text, Tooltip, UnstyledButton } from '@mantine/core';
import { IconKey, IconPlugConnected } from '@tabler/icons-react';
import { useTranslation } from 'react-i18next';
import { ConnectionDialog } from './ConnectionDialog.js';
import { useConnections } from './connections.js';

/** The sidebar's GeoNature section: saved connections; choosing one opens the GeoNature view. */
export function GeoNaturePanel({ onOpenView }: { onOpenView: () => void }) {
  const { t } = useTranslation();
  const conns = useConnections();
  const [dialog, setDialog] = useState<{ name: string | null } | null>(null);
  const editing = dialog?.name ? conns.profiles.find((p) => p.name === dialog.name) : undefined;
  return (
    <Stack gap="xs" data-testid="geonature-panel">
      {conns.profiles.length === 0 && (
        <Text size="sm" c="dimmed">
          {t('sources.noConnection')}
        </Text>
      )}
      {conns.profiles.map((p) => (
        <Group key={p.name} gap={4} wrap="nowrap">
          <UnstyledButton
            style={{ flex: 1, borderRadius: 6, padding: '2px 6px', background: conns.active === p.name ? 'var(--mantine-primary-color-light)' : undefined }}
            onClick={() => {
              conns.setActive(p.name);
              onOpenView();
            }}
            data-testid="connection"
            data-name={p.name}
          >
            <Group gap={6} wrap="nowrap">
              <IconPlugConnected size={16} />
              <Stack gap={0} style={{ minWidth: 0 }}>
                <Text size="sm" truncate="end">
                  {p.name}
                </Text>
                <Text size="xs" c="dimmed" truncate="end">
                  {p.user}@{p.host}:{p.port}/{p.database}
                  {p.ssh ? ` (SSH ${p.ssh.host})` : ''}
                </Text>
              </Stack>
            </Group>
          </UnstyledButton>
          <Tooltip label={t('gn.connection.edit')}>
            <ActionIcon size="sm" variant="subtle" aria-label={t('gn.connection.edit')} onClick={() => setDialog({ name: p.name })}>
              <IconKey size={14} />
            </ActionIcon>
          </Tooltip>
        </Group>
      ))}
      <Button size="xs" variant="light" onClick={() => setDialog({ name: null })} data-testid="new-connection">
        {t('gn.connection.new')}
      </Button>
      {dialog && <ConnectionDialog opened onClose={() => setDialog(null)} initial={editing} />}
    </Stack>
  );
}
