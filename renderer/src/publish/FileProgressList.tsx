import { Group, Paper, Progress, Stack, Text } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { formatBytes } from '../bundle/format.js';
import { useLang } from '../cleanup/common.js';
import { fileDone, type RunProgress } from './format.js';

/** One bar per bundle file being published: its bytes sent, and whether its metadata was set. */
export function FileProgressList({ progress }: { progress: RunProgress }) {
  const { t } = useTranslation();
  const lang = useLang();
  if (progress.files.length === 0) return null;
  return (
    <Paper withBorder p="xs" data-testid="publish-files" data-count={progress.files.length}>
      <Stack gap={6}>
        <Text size="xs" fw={500}>
          {t('publish.progress.files', { count: progress.files[0]?.count ?? progress.files.length })}
        </Text>
        {progress.files.map((f) => {
          const done = fileDone(f);
          return (
            <Stack key={f.path} gap={2} data-testid="publish-file" data-path={f.path} data-sent={f.sent} data-bytes={f.bytes} data-phase={f.phase} data-done={done}>
              <Group justify="space-between" gap="xs" wrap="nowrap">
                <Text size="xs" ff="monospace" truncate="start">
                  {f.index}/{f.count} · {f.path}
                </Text>
                <Text size="xs" c="dimmed" style={{ flex: 'none' }}>
                  {formatBytes(f.sent, lang)} / {formatBytes(f.bytes, lang)} · {t(`publish.phase.${f.phase}`)}
                </Text>
              </Group>
              <Progress size="sm" value={f.bytes > 0 ? (100 * f.sent) / f.bytes : 100} color={done ? 'teal' : 'blue'} />
            </Stack>
          );
        })}
      </Stack>
    </Paper>
  );
}
