import { useEffect, useState } from 'react';
import { ActionIcon, Alert, Badge, Button, Group, ScrollArea, Select, Stack, Table, Text, TextInput, Title, Tooltip } from '@mantine/core';
import { IconTrash } from '@tabler/icons-react';
import { useTranslation } from 'react-i18next';
import type { ApiError, SensitivityLoadReport, SensitivityReferentials } from '../../../shared/contract/index.js';
import { useEngine } from '../api/engine.js';
import { errorText } from '../i18n/index.js';
import { JobLine, useJobRunner } from './common.js';

const KINDS = ['auto', 'referential', 'local-rules', 'taxonomy'] as const;
type LoadKind = (typeof KINDS)[number];

/**
 * Loading a file: the system dialog in the desktop app, a path field in a browser (a page cannot
 * learn a local file's path). Loads as a job; says what was kept and every bad line.
 */
function FileLoader({ workspace, onLoaded }: { workspace: string; onLoaded: () => void }) {
  const { t } = useTranslation();
  const { client, transport } = useEngine();
  const job = useJobRunner();
  const [path, setPath] = useState('');
  const [kind, setKind] = useState<LoadKind>('auto');
  const [name, setName] = useState('');
  const [version, setVersion] = useState('');
  const [report, setReport] = useState<SensitivityLoadReport | null>(null);
  const [error, setError] = useState<ApiError | null>(null);

  const load = async (p: string) => {
    setError(null);
    setReport(null);
    const r = await job.run('sens-load', (jobId) =>
      client.call('sensitivity.load', { workspace, path: p, kind, ...(name.trim() ? { name: name.trim() } : {}), ...(version.trim() ? { version: version.trim() } : {}), jobId }),
    );
    if (!r.ok) {
      setError(r.error);
      return;
    }
    setReport(r.value);
    setPath('');
    onLoaded();
  };

  const browse = async () => {
    const r = await client.call('dialog.openFile', {
      title: t('sens.load.title'),
      filters: [
        { name: t('sens.load.filter'), extensions: ['csv', 'txt', 'json'] },
        { name: '*', extensions: ['*'] },
      ],
    });
    if (r.ok && r.value.path) await load(r.value.path);
  };

  return (
    <Stack gap="xs" data-testid="sens-load">
      <Text size="sm" fw={600}>
        {t('sens.load.title')}
      </Text>
      <Group gap="xs" grow>
        <Select
          size="xs"
          label={t('sens.load.kind')}
          data={KINDS.map((k) => ({ value: k, label: t(`sens.load.kinds.${k}`) }))}
          value={kind}
          allowDeselect={false}
          onChange={(v) => setKind((v as LoadKind | null) ?? 'auto')}
          data-testid="sens-load-kind"
        />
        <TextInput size="xs" label={t('sens.load.name')} value={name} onChange={(e) => setName(e.currentTarget.value)} />
        <TextInput size="xs" label={t('sens.load.version')} value={version} onChange={(e) => setVersion(e.currentTarget.value)} />
      </Group>
      {transport.kind === 'electron' ? (
        <Button size="xs" variant="light" onClick={() => void browse()} loading={job.running}>
          {t('sens.load.browse')}
        </Button>
      ) : (
        <form
          onSubmit={(e) => {
            e.preventDefault();
            if (path.trim()) void load(path.trim());
          }}
        >
          <Group gap="xs" align="flex-end" wrap="nowrap">
            <TextInput
              size="xs"
              style={{ flex: 1 }}
              label={t('sens.load.path')}
              placeholder={t('sens.load.placeholder')}
              value={path}
              onChange={(e) => setPath(e.currentTarget.value)}
              data-testid="sens-load-path"
            />
            <Button size="xs" type="submit" loading={job.running} disabled={!path.trim()} data-testid="sens-load-submit">
              {t('sens.load.submit')}
            </Button>
          </Group>
        </form>
      )}
      <JobLine jobId={job.jobId} progress={job.progress} testId="sens-load-progress" />
      {error && (
        <Alert color="red" variant="light" data-testid="sens-load-error">
          {errorText(t, error)}
        </Alert>
      )}
      {report && (
        <Alert color={report.errors.length > 0 ? 'orange' : 'teal'} variant="light" data-testid="sens-load-result" data-errors={report.errors.length}>
          <Stack gap={4}>
            <Text size="sm">
              {t('sens.load.done', { name: report.referential.name, kind: t(`sens.kind.${report.referential.kind}`), items: report.referential.items, lines: report.referential.dataLines })}
              {report.replaced ? ` ${t('sens.load.replaced')}` : ''}
            </Text>
            {report.errors.length > 0 && (
              <>
                <Text size="sm" fw={600}>
                  {t('sens.load.badLines', { count: report.errors.length })}
                </Text>
                <ScrollArea.Autosize mah={160}>
                  <Stack gap={2}>
                    {report.errors.map((e, i) => (
                      <Text key={i} size="xs" ff="monospace" data-testid="sens-load-bad-line">
                        {t('sens.load.line', { line: e.line })} · {e.code} · {e.message}
                      </Text>
                    ))}
                  </Stack>
                </ScrollArea.Autosize>
              </>
            )}
            {report.ignoredColumns.length > 0 && <Text size="xs">{t('sens.load.ignored', { list: report.ignoredColumns.join(', ') })}</Text>}
          </Stack>
        </Alert>
      )}
    </Stack>
  );
}

/**
 * The referentials the workspace holds (files, local rule sets, taxonomies) with their
 * provenance and counts, the pulled GeoNature rules, the taxonomy a check reads, and loading.
 */
export function Referentials({ workspace, version, onChanged }: { workspace: string; version: number; onChanged: () => void }) {
  const { t, i18n } = useTranslation();
  const { client } = useEngine();
  const [refs, setRefs] = useState<SensitivityReferentials | null>(null);
  const [error, setError] = useState<ApiError | null>(null);
  const [confirm, setConfirm] = useState<number | null>(null);

  useEffect(() => {
    let alive = true;
    void client.call('sensitivity.referentials', { workspace }).then((r) => {
      if (!alive) return;
      setRefs(r.ok ? r.value : null);
      setError(r.ok ? null : r.error);
    });
    return () => {
      alive = false;
    };
  }, [client, workspace, version]);

  const remove = async (id: number) => {
    setConfirm(null);
    const r = await client.call('sensitivity.removeReferential', { workspace, id });
    if (!r.ok) setError(r.error);
    onChanged();
  };

  const date = (iso: string) => new Date(iso).toLocaleString(i18n.language, { dateStyle: 'short', timeStyle: 'short' });
  const noTaxonomy = refs !== null && refs.taxonomy.workspaceTaxa === 0 && refs.taxonomy.loadedTaxa === 0;

  return (
    <Stack gap="xs" data-testid="sens-referentials">
      <Title order={5}>{t('sens.refs.title')}</Title>
      {error && <Alert color="red">{errorText(t, error)}</Alert>}
      {refs && refs.referentials.length === 0 && (
        <Text size="sm" c="dimmed">
          {t('sens.refs.empty')}
        </Text>
      )}
      {refs && refs.referentials.length > 0 && (
        <Table.ScrollContainer minWidth={360}>
          <Table fz="xs" striped verticalSpacing={4} horizontalSpacing={6}>
            <Table.Thead>
              <Table.Tr>
                <Table.Th>{t('sens.refs.name')}</Table.Th>
                <Table.Th>{t('sens.refs.items')}</Table.Th>
                <Table.Th>{t('sens.refs.errors')}</Table.Th>
                <Table.Th />
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {refs.referentials.map((r) => (
                <Table.Tr key={r.id} data-testid="sens-referential" data-kind={r.kind} data-name={r.name} data-items={r.items}>
                  <Table.Td>
                    <Group gap={4} wrap="nowrap">
                      <Badge size="xs" variant="light" color={r.kind === 'taxonomy' ? 'gray' : r.kind === 'local' ? 'grape' : 'blue'} style={{ flex: 'none' }}>
                        {t(`sens.kind.${r.kind}`)}
                      </Badge>
                      <Text size="xs" fw={600} truncate="end">
                        {r.name}
                        {r.version ? ` · v${r.version}` : ''}
                      </Text>
                    </Group>
                    <Text size="xs" c="dimmed">
                      {r.layout}
                      {r.encoding ? ` · ${r.encoding}` : ''} · {t('sens.refs.loaded', { date: date(r.loadedAt), by: r.loadedBy })}
                    </Text>
                  </Table.Td>
                  <Table.Td>
                    {r.kind === 'taxonomy' ? t('sens.refs.taxa', { count: r.items }) : t('sens.refs.rules', { count: r.items })}
                    <Text size="xs" c="dimmed">
                      {t('sens.refs.lines', { count: r.dataLines })}
                    </Text>
                  </Table.Td>
                  <Table.Td>
                    <Badge size="xs" color={r.errorCount > 0 ? 'red' : 'teal'} variant="light">
                      {r.errorCount}
                    </Badge>
                  </Table.Td>
                  <Table.Td>
                    {confirm === r.id ? (
                      <Button size="compact-xs" color="red" onClick={() => void remove(r.id)} data-testid="sens-referential-remove-confirm">
                        {t('sens.refs.confirmRemove')}
                      </Button>
                    ) : (
                      <Tooltip label={t('sens.refs.remove')}>
                        <ActionIcon size="sm" variant="subtle" color="red" aria-label={t('sens.refs.remove')} onClick={() => setConfirm(r.id)} data-testid="sens-referential-remove">
                          <IconTrash size={14} />
                        </ActionIcon>
                      </Tooltip>
                    )}
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      )}
      {refs && (
        <Text size="xs" data-testid="sens-pulled">
          {refs.pulled
            ? t('sens.refs.pulled', {
                rules: refs.pulled.rules,
                inactive: refs.pulled.inactive,
                errors: refs.pulled.errors.length,
                server: refs.pulled.server ?? '?',
                date: refs.pulled.pulledAt ? date(refs.pulled.pulledAt) : '?',
              })
            : t('sens.refs.notPulled')}
        </Text>
      )}
      {refs && !noTaxonomy && (
        <Text size="xs" data-testid="sens-taxonomy">
          {t('sens.refs.taxonomy', { workspace: refs.taxonomy.workspaceTaxa, loaded: refs.taxonomy.loadedTaxa })}
        </Text>
      )}
      {noTaxonomy && (
        <Alert color="orange" variant="light" p="xs" data-testid="sens-no-taxonomy">
          <Text size="xs">{t('sens.refs.noTaxonomy')}</Text>
        </Alert>
      )}
      <FileLoader workspace={workspace} onLoaded={onChanged} />
    </Stack>
  );
}
