import { useEffect, useState } from 'react';
import { Accordion, Alert, Badge, Button, Checkbox, Grid, Group, Loader, PasswordInput, ScrollArea, Stack, Text, Title } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import type { ApiError, BrowseResult, ConnectionTest } from '../../../shared/contract/index.js';
import { useEngine } from '../api/engine.js';
import { errorText } from '../i18n/index.js';
import { useConnections } from './connections.js';
import { PullForm } from './PullForm.js';
import { WorkspaceChanges } from './WorkspaceChanges.js';

/**
 * The GeoNature view: the chosen database's CA → JDD tree with counts and decoded labels,
 * the pull form, and the open workspace's changes to push back.
 */
export function GeoNatureView({ workspace, onPulled }: { workspace: string | null; onPulled: (path: string) => void }) {
  const { t } = useTranslation();
  const { client } = useEngine();
  const conns = useConnections();
  const active = conns.active;
  const connection = active ? conns.connection(active) : null;
  const connKey = JSON.stringify(connection);
  // What the server said, for the connection it was said about (a new connection starts blank).
  const [state, setState] = useState<{ key: string; test: ConnectionTest | null; tree: BrowseResult | null; error: ApiError | null }>({ key: '', test: null, tree: null, error: null });
  const current = state.key === connKey ? state : { test: null, tree: null, error: null };
  const { test, tree, error } = current;
  const [password, setPassword] = useState('');
  const [frameworks, setFrameworks] = useState<string[]>([]);
  const [datasets, setDatasets] = useState<string[]>([]);

  useEffect(() => {
    if (!connKey || connKey === 'null') return;
    let alive = true;
    const conn = JSON.parse(connKey) as NonNullable<typeof connection>;
    void (async () => {
      const r = await client.call('geonature.test', { connection: conn });
      if (!alive) return;
      if (!r.ok) {
        setState({ key: connKey, test: null, tree: null, error: r.error });
        return;
      }
      setState({ key: connKey, test: r.value, tree: null, error: null });
      if (r.value.status !== 'ok') return;
      const b = await client.call('geonature.browse', { connection: conn });
      if (!alive) return;
      setState({ key: connKey, test: r.value, tree: b.ok ? b.value : null, error: b.ok ? null : b.error });
    })();
    return () => {
      alive = false;
    };
  }, [client, connKey]);

  if (!active || !connection) {
    return (
      <Stack p="md" gap="md">
        <Text c="dimmed">{t('gn.view.choose')}</Text>
        {workspace && <WorkspaceChanges workspace={workspace} connection={null} />}
      </Stack>
    );
  }

  const toggle = (list: string[], set: (v: string[]) => void, uuid: string, on: boolean) => set(on ? [...list, uuid] : list.filter((x) => x !== uuid));

  return (
    <ScrollArea h="100%" type="auto">
      <Stack p="md" gap="md" data-testid="geonature-view">
        <Group justify="space-between">
          <Title order={3}>{active}</Title>
          {test && (
            <Badge color={test.status === 'ok' ? 'teal' : 'red'} data-testid="gn-status" data-status={test.status}>
              {t(`gn.status.${test.status}`)}
            </Badge>
          )}
        </Group>
        {!test && !error && <Loader size="sm" />}
        {error && <Alert color="red">{errorText(t, error)}</Alert>}
        {test && test.status === 'auth_failed' && (
          <form
            onSubmit={(e) => {
              e.preventDefault();
              void conns.setPassword(active, password, false);
            }}
          >
            <Group align="flex-end">
              <PasswordInput label={t('gn.connection.password')} value={password} onChange={(e) => setPassword(e.currentTarget.value)} />
              <Button type="submit">{t('gn.view.connect')}</Button>
            </Group>
          </form>
        )}
        {test && test.status !== 'ok' && test.status !== 'auth_failed' && test.error && <Alert color="red">{errorText(t, test.error)}</Alert>}
        {tree && (
          <Grid>
            <Grid.Col span={{ base: 12, lg: 7 }}>
              <Stack gap="xs">
                <Text size="xs" c="dimmed">
                  {t('gn.view.schema', { srid: tree.schema.localSrid, taxref: tree.schema.taxrefVersion ?? '?' })}
                </Text>
                <Accordion multiple variant="separated" data-testid="gn-tree">
                  {tree.frameworks.map((ca) => (
                    <Accordion.Item key={ca.uuid} value={ca.uuid} data-testid="gn-framework">
                      <Accordion.Control>
                        <Group justify="space-between" wrap="nowrap" pr="sm">
                          <Group gap="xs" wrap="nowrap" style={{ minWidth: 0 }}>
                            <Checkbox
                              aria-label={ca.name}
                              checked={frameworks.includes(ca.uuid)}
                              onClick={(e) => e.stopPropagation()}
                              onChange={(e) => toggle(frameworks, setFrameworks, ca.uuid, e.currentTarget.checked)}
                            />
                            <Text fw={600} truncate="end">
                              {t('gn.entity.framework')} · {ca.name}
                            </Text>
                          </Group>
                          <Badge variant="light" style={{ flex: 'none' }}>
                            {t('workspace.datasetCount', { count: ca.observations })}
                          </Badge>
                        </Group>
                      </Accordion.Control>
                      <Accordion.Panel>
                        <Stack gap={6}>
                          {ca.datasets.length === 0 && <Text size="sm" c="dimmed">{t('gn.view.noDataset')}</Text>}
                          {ca.datasets.map((d) => (
                            <Group key={d.uuid} justify="space-between" wrap="nowrap" data-testid="gn-dataset" data-uuid={d.uuid}>
                              <Group gap="xs" wrap="nowrap" style={{ minWidth: 0 }}>
                                <Checkbox aria-label={d.name} checked={datasets.includes(d.uuid)} onChange={(e) => toggle(datasets, setDatasets, d.uuid, e.currentTarget.checked)} />
                                <Stack gap={0} style={{ minWidth: 0 }}>
                                  <Text size="sm" truncate="end">
                                    {d.name}
                                  </Text>
                                  <Text size="xs" c="dimmed" truncate="end">
                                    {d.nomenclatures.data_type?.label ?? ''}
                                    {d.dateMin ? ` · ${d.dateMin} → ${d.dateMax ?? ''}` : ''} · {t('gn.view.taxa', { count: d.taxa })}
                                  </Text>
                                </Stack>
                              </Group>
                              <Badge variant="light" style={{ flex: 'none' }}>
                                {t('workspace.datasetCount', { count: d.observations })}
                              </Badge>
                            </Group>
                          ))}
                        </Stack>
                      </Accordion.Panel>
                    </Accordion.Item>
                  ))}
                </Accordion>
              </Stack>
            </Grid.Col>
            <Grid.Col span={{ base: 12, lg: 5 }}>
              <Stack gap="md">
                <Title order={5}>{t('gn.pull.title')}</Title>
                <PullForm connection={connection} frameworks={frameworks} datasets={datasets} onPulled={onPulled} />
              </Stack>
            </Grid.Col>
          </Grid>
        )}
        {workspace && <WorkspaceChanges workspace={workspace} connection={connection} />}
      </Stack>
    </ScrollArea>
  );
}
