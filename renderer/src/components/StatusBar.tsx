import { Badge, Button, Group, Progress, Text, Tooltip } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import type { AppInfo } from '../../../shared/contract/index.js';
import { useEngine, useJobs } from '../api/engine.js';

/** Engine versions, database reachability and running jobs (with cancel). */
export function StatusBar({ info }: { info: AppInfo | null }) {
  const { t } = useTranslation();
  const { client } = useEngine();
  const jobs = [...useJobs().values()];
  const db = info?.database;
  return (
    <Group h="100%" px="md" justify="space-between" wrap="nowrap" gap="md">
      {info ? (
        <Group gap="md" wrap="nowrap">
          <Text size="xs" data-testid="engine-versions">
            {t('status.engine')} {info.app.version} · GDAL {info.libraries.gdal ?? '?'} · PROJ {info.libraries.proj ?? '?'} · GEOS{' '}
            {info.libraries.geos ?? '?'} · SQLite {info.libraries.sqlite}
          </Text>
          {db && (
            <Tooltip label={db.error ? db.error.message : db.target}>
              <Badge size="xs" variant="light" color={db.reachable ? 'teal' : 'gray'} data-testid="db-status">
                {db.reachable
                  ? `${t('status.pgOk', { version: (db.serverVersion ?? '').split(' ')[0] })} · ${
                      db.postgisVersion
                        ? t('status.postgis', { version: db.postgisVersion })
                        : db.postgisAvailable
                          ? t('status.postgisAvailable', { version: db.postgisAvailable })
                          : t('status.postgisMissing')
                    }`
                  : t('status.pgDown')}
              </Badge>
            </Tooltip>
          )}
        </Group>
      ) : (
        <Text size="xs" c="dimmed">
          {t('status.loading')}
        </Text>
      )}
      <Group gap="sm" wrap="nowrap">
        {jobs.map((j) => (
          <Group key={j.jobId} gap={6} wrap="nowrap" data-testid="job-progress">
            <Text size="xs">{j.message || t('job.running')}</Text>
            <Progress w={120} size="sm" value={j.total ? (100 * j.done) / j.total : 100} animated={!j.total} />
            <Button size="compact-xs" variant="subtle" color="red" onClick={() => void client.call('job.cancel', { jobId: j.jobId })}>
              {t('job.cancel')}
            </Button>
          </Group>
        ))}
      </Group>
    </Group>
  );
}
