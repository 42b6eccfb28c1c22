import { useCallback, useEffect, useState } from 'react';
import { Alert, Badge, Button, Group, Paper, Stack, Text, Textarea, TextInput, Title } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import type { ApiError, In, PushReport, WorkspaceGeoNature, WorkspaceMetaRecord } from '../../../shared/contract/index.js';
import { useEngine } from '../api/engine.js';
import { errorText } from '../i18n/index.js';
import { PushReview } from './PushReview.js';

const EDITABLE = ['dataset_name', 'dataset_shortname', 'dataset_desc'] as const;

/** One JDD of the workspace: its state, and a small form for the fields GeoNature shows first. */
function DatasetRow({ record, onSave }: { record: WorkspaceMetaRecord; onSave: (field: string, value: string) => Promise<void> }) {
  const { t } = useTranslation();
  const [editing, setEditing] = useState(false);
  const [values, setValues] = useState<Record<string, string>>({});
  const current = (f: string) => values[f] ?? String(record.values[f] ?? '');
  return (
    <Paper withBorder p="xs" radius="md" data-testid="ws-dataset" data-uuid={record.uuid}>
      <Group justify="space-between" wrap="nowrap">
        <Stack gap={0} style={{ minWidth: 0 }}>
          <Text size="sm" fw={600} truncate="end">
            {record.name}
          </Text>
          <Text size="xs" c="dimmed">
            {record.uuid} · {t('workspace.datasetCount', { count: record.observations })}
          </Text>
        </Stack>
        <Group gap={6} wrap="nowrap">
          <Badge size="xs" color={record.status === 'server' ? 'gray' : 'orange'}>
            {t(`gn.state.${record.status}`)}
          </Badge>
          <Button size="compact-xs" variant="subtle" onClick={() => setEditing((e) => !e)} data-testid="ws-dataset-edit">
            {t('gn.ws.edit')}
          </Button>
        </Group>
      </Group>
      {editing && (
        <Stack gap={4} mt="xs">
          {EDITABLE.map((f) =>
            f === 'dataset_desc' ? (
              <Textarea key={f} size="xs" autosize minRows={2} label={t(`gn.field.${f}`)} value={current(f)} onChange={(e) => setValues((v) => ({ ...v, [f]: e.currentTarget.value }))} />
            ) : (
              <TextInput key={f} size="xs" label={t(`gn.field.${f}`)} value={current(f)} onChange={(e) => setValues((v) => ({ ...v, [f]: e.currentTarget.value }))} data-testid={`field-${f}`} />
            ),
          )}
          <Group justify="flex-end">
            <Button
              size="xs"
              data-testid="ws-dataset-save"
              onClick={() =>
                void (async () => {
                  for (const [f, v] of Object.entries(values)) if (v !== String(record.values[f] ?? '')) await onSave(f, v);
                  setValues({});
                  setEditing(false);
                })()
              }
            >
              {t('gn.ws.save')}
            </Button>
          </Group>
        </Stack>
      )}
    </Paper>
  );
}

/**
 * The GeoNature side of the open workspace: where it came from, its JDD with their local
 * state, the pending changes, and the reviewed push.
 */
export function WorkspaceChanges({ workspace, connection }: { workspace: string; connection: In<'geonature.push'>['connection'] | null }) {
  const { t } = useTranslation();
  const { client } = useEngine();
  const [ws, setWs] = useState<WorkspaceGeoNature | null>(null);
  const [error, setError] = useState<ApiError | null>(null);
  const [review, setReview] = useState<PushReport | null>(null);
  const [pushed, setPushed] = useState<PushReport | null>(null);
  const [version, setVersion] = useState(0);
  const reload = useCallback(() => setVersion((v) => v + 1), []);

  useEffect(() => {
    let alive = true;
    void client.call('geonature.workspace', { workspace }).then((r) => {
      if (!alive) return;
      if (r.ok) setWs(r.value);
      else setError(r.error);
    });
    return () => {
      alive = false;
    };
  }, [client, workspace, version]);

  const dryRun = async () => {
    if (!connection) return;
    setError(null);
    const r = await client.call('geonature.push', { connection, workspace, dryRun: true, jobId: `push-dry-${Date.now()}` });
    if (r.ok) setReview(r.value);
    else setError(r.error);
  };

  if (error) return <Alert color="red">{errorText(t, error)}</Alert>;
  if (!ws) return null;
  if (!ws.provenance) return <Text size="sm" c="dimmed">{t('gn.ws.notPulled')}</Text>;
  const p = ws.provenance;
  return (
    <Stack gap="xs" data-testid="ws-changes">
      <Title order={5}>{t('gn.ws.title')}</Title>
      <Text size="sm">{t('gn.ws.provenance', { server: p.server, database: p.database, date: p.pulledAt.slice(0, 16).replace('T', ' '), srid: p.localSrid })}</Text>
      {ws.datasets.map((d) => (
        <DatasetRow
          key={d.uuid}
          record={d}
          onSave={async (field, value) => {
            const r = await client.call('geonature.editField', { workspace, entity: 'dataset', uuid: d.uuid, field, value });
            if (!r.ok) setError(r.error);
            reload();
          }}
        />
      ))}
      <Group justify="space-between">
        <Text size="sm" data-testid="pending-changes">
          {t('gn.ws.pending', { count: ws.pendingChanges })}
        </Text>
        <Button size="xs" onClick={() => void dryRun()} disabled={!connection || ws.pendingChanges === 0} data-testid="push-review-open">
          {t('gn.ws.review')}
        </Button>
      </Group>
      {!connection && <Text size="xs" c="dimmed">{t('gn.ws.chooseConnection')}</Text>}
      {pushed && (
        <Alert color="teal" data-testid="push-done">
          {t('gn.push.done', { count: pushed.changes, target: pushed.target })}
        </Alert>
      )}
      {review && connection && (
        <PushReview
          report={review}
          connection={connection}
          workspace={workspace}
          onClose={() => setReview(null)}
          onPushed={(r) => {
            setReview(null);
            setPushed(r);
            reload();
          }}
        />
      )}
    </Stack>
  );
}
