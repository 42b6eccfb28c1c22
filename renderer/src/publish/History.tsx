import { useEffect, useState } from 'react';
import { Alert, Anchor, Badge, Group, Paper, Stack, Table, Text, Title } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import type { ApiError, PublishedTarget } from '../../../shared/contract/index.js';
import { useEngine } from '../api/engine.js';
import { errorText } from '../i18n/index.js';
import { VisibilityBadge } from './RunView.js';

const STATUS_COLOR = { done: 'teal', partial: 'orange', failed: 'red' } as const;
const when = (iso: string | null, lang: string) => (iso ? new Date(iso).toLocaleString(lang) : '—');

/**
 * Where the bundles of this workspace went (kept in the workspace): each dataset or ISO record,
 * its visibility, every publication of every version — when, by whom, how it ended — and the
 * resource ids. A new version of a bundle goes to the same dataset: the UI says so here.
 */
export function History({ workspace, refresh }: { workspace: string; refresh: number }) {
  const { t, i18n } = useTranslation();
  const { client } = useEngine();
  const [targets, setTargets] = useState<PublishedTarget[] | null>(null);
  const [error, setError] = useState<ApiError | null>(null);

  useEffect(() => {
    let alive = true;
    void client.call('publish.history', { workspace }).then((r) => {
      if (!alive) return;
      if (r.ok) {
        setTargets(r.value.targets);
        setError(null);
      } else setError(r.error);
    });
    return () => {
      alive = false;
    };
  }, [client, workspace, refresh]);

  return (
    <Stack gap="xs" data-testid="publish-history" data-count={targets?.length ?? ''}>
      <Title order={5}>{t('publish.history.title')}</Title>
      <Text size="xs" c="dimmed">
        {t('publish.history.intro')}
      </Text>
      {error && (
        <Alert color="red" variant="light">
          {errorText(t, error)}
        </Alert>
      )}
      {targets?.length === 0 && (
        <Text size="xs" c="dimmed" data-testid="publish-history-empty">
          {t('publish.history.empty')}
        </Text>
      )}
      {targets?.map((x) => (
        <Paper key={x.id} withBorder p="sm" data-testid="publish-history-target" data-remote-id={x.remoteId} data-profile={x.profile} data-target={x.target} data-visibility={x.visibility} data-bundle-id={x.bundleId} data-events={x.events.length}>
          <Stack gap={4}>
            <Group gap="xs">
              <Text size="sm" fw={500}>
                {x.target === 'datagouv' ? t('publish.history.dataset', { id: x.remoteId }) : t('publish.history.record', { id: x.remoteId })}
              </Text>
              <VisibilityBadge visibility={x.visibility} />
              {x.supersededAt && (
                <Badge size="xs" color="gray" variant="outline">
                  {t('publish.history.superseded')}
                </Badge>
              )}
            </Group>
            <Text size="xs" c="dimmed">
              {t('publish.history.where', { profile: x.profile, baseUrl: x.baseUrl, bundle: x.bundleId })}
            </Text>
            <Text size="xs">
              {t('publish.history.dates', { created: when(x.createdAt, i18n.language), last: x.lastVersion ?? '—', public: when(x.madePublicAt, i18n.language) })}
            </Text>
            {x.page && (
              <Anchor size="xs" href={x.page} target="_blank" rel="noreferrer">
                {x.page}
              </Anchor>
            )}
            {!x.supersededAt && x.target === 'datagouv' && (
              <Text size="xs" c="teal">
                {t('publish.history.nextVersion')}
              </Text>
            )}
            <Table fz="xs" verticalSpacing={2} striped>
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>{t('publish.history.at')}</Table.Th>
                  <Table.Th>{t('publish.history.what')}</Table.Th>
                  <Table.Th>{t('publish.history.version')}</Table.Th>
                  <Table.Th>{t('publish.history.status')}</Table.Th>
                  <Table.Th>{t('publish.history.resources')}</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {x.events.map((e) => (
                  <Table.Tr key={e.id} data-testid="publish-history-event" data-version={e.version} data-status={e.status} data-kind={e.kind} style={{ verticalAlign: 'top' }}>
                    <Table.Td>
                      {when(e.at, i18n.language)}
                      <Text size="xs" c="dimmed">
                        {e.actor}
                      </Text>
                    </Table.Td>
                    <Table.Td>{t(`publish.history.kind.${e.kind}`)}</Table.Td>
                    <Table.Td>
                      {e.version}
                      <Text size="xs" c="dimmed">
                        {e.asOf}
                      </Text>
                    </Table.Td>
                    <Table.Td miw={96}>
                      <Badge size="xs" variant="light" color={STATUS_COLOR[e.status]}>
                        {t(`publish.history.statusName.${e.status}`)}
                      </Badge>
                      {e.message && (
                        <Text size="xs" c="red">
                          {e.message}
                        </Text>
                      )}
                    </Table.Td>
                    <Table.Td>
                      {e.resources.map((r) => (
                        <Text key={r.path} size="xs" ff="monospace" data-testid="publish-history-resource" data-path={r.path} data-resource-id={r.resourceId ?? ''}>
                          {r.path} → {r.resourceId ?? '—'} ({t(`publish.resources.actions.${r.action}`, { defaultValue: r.action })})
                        </Text>
                      ))}
                    </Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          </Stack>
        </Paper>
      ))}
    </Stack>
  );
}
