import { useEffect, useState } from 'react';
import { Button, Code, Drawer, Group, ScrollArea, Text } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import type { LogTail } from '../../../shared/contract/index.js';
import { useEngine } from '../api/engine.js';

/** The engine's log file, tail first; secrets were masked before they reached the file. */
export function LogDrawer({ opened, onClose }: { opened: boolean; onClose: () => void }) {
  const { t } = useTranslation();
  const { client } = useEngine();
  const [log, setLog] = useState<LogTail | null>(null);
  const [version, setVersion] = useState(0);
  useEffect(() => {
    if (!opened) return;
    let alive = true;
    void client.call('app.log', { lines: 400 }).then((r) => {
      if (alive && r.ok) setLog(r.value);
    });
    return () => {
      alive = false;
    };
  }, [opened, client, version]);
  return (
    <Drawer opened={opened} onClose={onClose} position="right" size="xl" title={t('log.title')}>
      <Group justify="space-between" mb="sm">
        <Text size="xs" c="dimmed" style={{ wordBreak: 'break-all' }}>
          {log ? t('log.file', { path: log.path }) : ''}
        </Text>
        <Button size="xs" variant="light" onClick={() => setVersion((v) => v + 1)}>
          {t('log.refresh')}
        </Button>
      </Group>
      <ScrollArea h="calc(100vh - 140px)" data-testid="log-lines">
        {log && log.lines.length === 0 && <Text size="sm">{t('log.empty')}</Text>}
        <Code block style={{ fontSize: 11, whiteSpace: 'pre-wrap' }}>
          {log?.lines.slice().reverse().join('\n')}
        </Code>
      </ScrollArea>
    </Drawer>
  );
}
