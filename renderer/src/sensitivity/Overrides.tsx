import { useEffect, useState } from 'react';
import { Alert, Button, Group, Stack, Switch, Table, Text, TextInput, Title } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import type { TFunction } from 'i18next';
import type { ApiError, SensitivityOverrideView } from '../../../shared/contract/index.js';
import { MIN_JUSTIFICATION_LENGTH } from '../../../shared/sensitivity/overrides.js';
import { useEngine } from '../api/engine.js';
import { errorText } from '../i18n/index.js';
import { JobLine, LevelBadge, useJobRunner } from './common.js';
import { areasText } from './format.js';

/** What an override applies to, in words. */
function targetText(o: SensitivityOverrideView, t: TFunction): string {
  if (o.target.kind === 'observation') return t('sens.overrides.observation', { uuid: o.target.uuid });
  const f = o.target.filter;
  const parts = [
    f.cdNoms?.length ? `cd_nom ${f.cdNoms.join(', ')}` : null,
    f.datasetUuids?.length ? `JDD ${f.datasetUuids.join(', ')}` : null,
    f.dateFrom || f.dateTo ? `${f.dateFrom ?? '…'} → ${f.dateTo ?? '…'}` : null,
    f.areas?.length ? areasText(f.areas) : null,
  ].filter(Boolean);
  return t('sens.overrides.filter', { filter: parts.join(' · ') });
}

/** One override, with its removal (a justification is asked for, as for adding). */
function OverrideRow({ o, workspace, onExplain, onChanged }: { o: SensitivityOverrideView; workspace: string; onExplain: (uuid: string) => void; onChanged: () => void }) {
  const { t, i18n } = useTranslation();
  const { client } = useEngine();
  const job = useJobRunner();
  const [removing, setRemoving] = useState(false);
  const [why, setWhy] = useState('');
  const [error, setError] = useState<ApiError | null>(null);
  const date = (iso: string) => new Date(iso).toLocaleString(i18n.language, { dateStyle: 'short', timeStyle: 'short' });
  const remove = async () => {
    setError(null);
    const r = await job.run('sens-override-remove', (jobId) => client.call('sensitivity.removeOverride', { workspace, id: o.id, justification: why, jobId }));
    if (!r.ok) {
      setError(r.error);
      return;
    }
    setRemoving(false);
    onChanged();
  };
  return (
    <Table.Tr data-testid="sens-override-row" data-id={o.id} data-removed={o.removedAt !== null} style={{ opacity: o.removedAt ? 0.6 : 1 }}>
      <Table.Td>
        <LevelBadge level={o.level} short />
      </Table.Td>
      <Table.Td>
        {o.target.kind === 'observation' ? (
          <Button size="compact-xs" variant="subtle" onClick={() => o.target.kind === 'observation' && onExplain(o.target.uuid)} styles={{ label: { whiteSpace: 'normal', textAlign: 'left' } }}>
            {targetText(o, t)}
          </Button>
        ) : (
          <Text size="xs">{targetText(o, t)}</Text>
        )}
      </Table.Td>
      <Table.Td>
        <Text size="xs">« {o.justification} »</Text>
        <Text size="xs" c="dimmed">
          {o.author} · {date(o.at)}
        </Text>
        {o.removedAt && (
          <Text size="xs" c="dimmed">
            {t('sens.overrides.removed', { at: date(o.removedAt), by: o.removedBy ?? '?', why: o.removedWhy ?? '' })}
          </Text>
        )}
      </Table.Td>
      <Table.Td>
        {!o.removedAt &&
          (removing ? (
            <Stack gap={4} miw={220}>
              <TextInput size="xs" placeholder={t('sens.override.removeWhy', { min: MIN_JUSTIFICATION_LENGTH })} value={why} onChange={(e) => setWhy(e.currentTarget.value)} data-testid="sens-override-row-why" />
              <Group gap={4}>
                <Button size="compact-xs" color="red" disabled={why.trim().length < MIN_JUSTIFICATION_LENGTH || job.running} onClick={() => void remove()} data-testid="sens-override-row-confirm">
                  {t('sens.override.remove')}
                </Button>
                <Button size="compact-xs" variant="default" onClick={() => setRemoving(false)}>
                  {t('sens.overrides.cancel')}
                </Button>
              </Group>
              <JobLine jobId={job.jobId} progress={job.progress} testId="sens-override-row-progress" />
              {error && (
                <Text size="xs" c="red">
                  {errorText(t, error)}
                </Text>
              )}
            </Stack>
          ) : (
            <Button size="compact-xs" variant="subtle" color="red" onClick={() => setRemoving(true)} data-testid="sens-override-row-remove">
              {t('sens.override.remove')}
            </Button>
          ))}
      </Table.Td>
    </Table.Tr>
  );
}

/** The manual decisions of the workspace (removed ones on demand), each with its justification. */
export function Overrides({ workspace, version, onExplain, onChanged }: { workspace: string; version: number; onExplain: (uuid: string) => void; onChanged: () => void }) {
  const { t } = useTranslation();
  const { client } = useEngine();
  const [all, setAll] = useState(false);
  const [list, setList] = useState<SensitivityOverrideView[] | null>(null);
  const [error, setError] = useState<ApiError | null>(null);

  useEffect(() => {
    let alive = true;
    void client.call('sensitivity.overrides', { workspace, includeRemoved: all }).then((r) => {
      if (!alive) return;
      setList(r.ok ? r.value.overrides : null);
      setError(r.ok ? null : r.error);
    });
    return () => {
      alive = false;
    };
  }, [client, workspace, version, all]);

  return (
    <Stack gap="xs" data-testid="sens-overrides" data-count={list?.filter((o) => !o.removedAt).length ?? ''}>
      <Group justify="space-between">
        <Title order={5}>{t('sens.overrides.title')}</Title>
        <Switch size="xs" label={t('sens.overrides.showRemoved')} checked={all} onChange={(e) => setAll(e.currentTarget.checked)} />
      </Group>
      {error && <Alert color="red">{errorText(t, error)}</Alert>}
      {list && list.length === 0 && (
        <Text size="sm" c="dimmed">
          {t('sens.overrides.empty')}
        </Text>
      )}
      {list && list.length > 0 && (
        <Table.ScrollContainer minWidth={560}>
          <Table fz="xs" striped verticalSpacing={4}>
            <Table.Tbody>
              {list.map((o) => (
                <OverrideRow key={o.id} o={o} workspace={workspace} onExplain={onExplain} onChanged={onChanged} />
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      )}
    </Stack>
  );
}
