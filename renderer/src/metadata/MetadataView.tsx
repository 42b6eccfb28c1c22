import { useState } from 'react';
import { Alert, Badge, Button, CloseButton, Drawer, Group, Loader, ScrollArea, Stack, Text, Title } from '@mantine/core';
import { IconCloudUpload, IconFileExport, IconFileImport, IconFolderPlus, IconPencil, IconTransfer } from '@tabler/icons-react';
import { useTranslation } from 'react-i18next';
import type { ApiError, MetadataIssueView, MetadataTree as Tree } from '../../../shared/contract/index.js';
import { freshKey } from '../api/job-id.js';
import { WorkspaceChanges } from '../geonature/WorkspaceChanges.js';
import { useConnections } from '../geonature/connections.js';
import { errorText } from '../i18n/index.js';
import { useMetadataData, useRecord } from './data.js';
import { ExportDialog, ImportDialog } from './ExchangeDialogs.js';
import { allDatasets, formPath, langOf, type Lang } from './format.js';
import { IssueList } from './IssueList.js';
import { MetadataTree, type Selection, type TreeAction } from './MetadataTree.js';
import { RecordForm } from './RecordForm.js';
import { BulkEditDialog, MergeDialog, MoveDialog, NewFrameworkDialog, ReassignDialog } from './RestructureDialogs.js';
import { SplitWizard } from './SplitWizard.js';
import { UndoControl } from './UndoControl.js';

type Dialog = TreeAction | { kind: 'import' } | { kind: 'push' };

function exists(tree: Tree | null, s: Selection): boolean {
  if (!tree) return true;
  return s.entity === 'framework' ? tree.frameworks.some((f) => f.uuid === s.uuid) : allDatasets(tree).some((d) => d.uuid === s.uuid);
}

/** The selected record's form, read again after each write; says which fields the last save changed. */
function RecordPanel({
  workspace,
  selected,
  version,
  lang,
  data,
  focus,
  saved,
  onSaved,
}: {
  workspace: string;
  selected: Selection | null;
  version: number;
  lang: Lang;
  data: ReturnType<typeof useMetadataData>;
  focus: { uuid: string; path: string; key: string } | null;
  saved: { uuid: string; fields: string[] } | null;
  onSaved: (uuid: string, fields: string[]) => void;
}) {
  const { t } = useTranslation();
  const { view, error, key } = useRecord(workspace, selected, version, lang);
  if (!selected) {
    return (
      <Text c="dimmed" size="sm" p="md">
        {t('meta.choose')}
      </Text>
    );
  }
  if (error) return <Alert color="red">{errorText(t, error)}</Alert>;
  if (!view) return <Loader size="sm" m="md" />;
  const entity = view.entity;
  return (
    <Stack gap="xs">
      {saved && saved.uuid === view.uuid && (
        <Alert color="teal" variant="light" data-testid="meta-saved" py={6}>
          {saved.fields.length ? t('meta.form.saved', { fields: saved.fields.map((f) => t(`metadata.fields.${entity}.${f}`, { defaultValue: f })).join(', ') }) : t('meta.form.savedNothing')}
        </Alert>
      )}
      <RecordForm key={key} workspace={workspace} view={view} catalog={data.catalog} tree={data.tree} lang={lang} focus={focus && focus.uuid === view.uuid ? focus : null} onSaved={(fields) => onSaved(view.uuid, fields)} />
    </Stack>
  );
}

/**
 * The metadata view: the workspace's CA → JDD tree (drag a JDD onto another CA), the selected
 * record's form, every validation issue (click one to fix it), the restructuring wizards
 * (split, merge, move, reassign, bulk edit, new CA), undo with what it undoes, import and
 * export, and the way to GeoNature's reviewed push.
 */
export function MetadataView({ workspace, onChanged }: { workspace: string | null; onChanged: () => Promise<void> }) {
  const { t } = useTranslation();
  if (!workspace) {
    return (
      <Group p="md" gap="xs">
        <Loader size="xs" />
        <Text size="sm">{t('workspace.loading')}</Text>
      </Group>
    );
  }
  return <MetadataWorkspace key={workspace} workspace={workspace} onChanged={onChanged} />;
}

function MetadataWorkspace({ workspace, onChanged }: { workspace: string; onChanged: () => Promise<void> }) {
  const { t, i18n } = useTranslation();
  const lang = langOf(i18n.language);
  const conns = useConnections();
  const [version, setVersion] = useState(0);
  const data = useMetadataData(workspace, version, lang);
  const { tree, validation } = data;
  const [selected, setSelected] = useState<Selection | null>(null);
  const [checked, setChecked] = useState<string[]>([]);
  const [dialog, setDialog] = useState<Dialog | null>(null);
  const [focus, setFocus] = useState<{ uuid: string; path: string; key: string } | null>(null);
  const [saved, setSaved] = useState<{ uuid: string; fields: string[] } | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const [error, setError] = useState<ApiError | null>(null);

  const current = selected && exists(tree, selected) ? selected : null;
  const liveChecked = checked.filter((u) => allDatasets(tree).some((d) => d.uuid === u));

  /** After a write: read the tree, issues and record again, and the workspace summary (sidebar, map). */
  const written = (message: string | null = null, keepSaved = false) => {
    setDialog(null);
    setNotice(message);
    setError(null);
    setFocus(null);
    if (!keepSaved) setSaved(null);
    setVersion((v) => v + 1);
    void onChanged();
  };

  const pick = (issue: MetadataIssueView) => {
    setSelected({ entity: issue.entity, uuid: issue.uuid });
    setSaved(null);
    setFocus({ uuid: issue.uuid, path: formPath(issue.field), key: freshKey('focus') });
  };

  const datasetOf = (uuid: string) => allDatasets(tree).find((d) => d.uuid === uuid);
  const connection = conns.active ? conns.connection(conns.active) : null;

  return (
    <Stack gap={0} h="100%" data-testid="metadata-view">
      <Stack gap={6} px="md" py={6} style={{ borderBottom: '1px solid var(--mantine-color-default-border)' }}>
        <Group justify="space-between" wrap="nowrap">
          <Group gap={6} wrap="wrap" style={{ flex: 1, minWidth: 0 }}>
            <Title order={4} style={{ whiteSpace: 'nowrap' }}>
              {t('meta.title')}
            </Title>
            {tree && (
              <Badge variant="light" style={{ flex: 'none' }} data-testid="meta-counts">
                {t('meta.counts', { frameworks: tree.frameworks.length, datasets: allDatasets(tree).length })}
              </Badge>
            )}
            {validation && (
              <Badge variant="light" color={validation.valid ? 'teal' : 'red'} style={{ flex: 'none' }} data-testid="meta-validity" data-valid={validation.valid}>
                {validation.valid ? t('meta.issues.valid') : t('meta.issues.errors', { count: validation.errors })}
              </Badge>
            )}
            {tree?.pulled && (
              <Badge variant="light" color={tree.pendingChanges ? 'orange' : 'gray'} style={{ flex: 'none' }} data-testid="meta-pending">
                {t('meta.pending', { count: tree.pendingChanges })}
              </Badge>
            )}
            {data.loading && <Loader size="xs" />}
          </Group>
          {tree && <UndoControl workspace={workspace} undo={tree.undo} onUndone={() => written(t('meta.undo.done'))} onError={setError} />}
        </Group>
        {tree && (
          <Group gap={6} wrap="wrap">
            <Button size="compact-sm" variant="default" leftSection={<IconFolderPlus size={14} />} onClick={() => setDialog({ kind: 'newFramework', from: null })} data-testid="meta-new-framework-open">
              {t('meta.action.newFramework')}
            </Button>
            <Button size="compact-sm" variant="default" leftSection={<IconTransfer size={14} />} onClick={() => setDialog({ kind: 'reassign', to: current?.entity === 'dataset' ? current.uuid : null })} data-testid="meta-reassign-open">
              {t('meta.action.reassignShort')}
            </Button>
            <Button size="compact-sm" variant="default" leftSection={<IconPencil size={14} />} onClick={() => setDialog({ kind: 'bulk', datasets: liveChecked.length ? liveChecked : allDatasets(tree).map((d) => d.uuid) })} data-testid="meta-bulk-open">
              {liveChecked.length ? t('meta.action.bulkTicked', { count: liveChecked.length }) : t('meta.action.bulkShort')}
            </Button>
            <Button size="compact-sm" variant="default" leftSection={<IconFileImport size={14} />} onClick={() => setDialog({ kind: 'import' })} data-testid="meta-import-open">
              {t('meta.action.import')}
            </Button>
            <Button size="compact-sm" variant="default" leftSection={<IconFileExport size={14} />} onClick={() => setDialog({ kind: 'export', dataset: current?.entity === 'dataset' ? current.uuid : null })} data-testid="meta-export-open">
              {t('meta.action.exportShort')}
            </Button>
            {tree.pulled && (
              <Button size="compact-sm" variant="light" leftSection={<IconCloudUpload size={14} />} onClick={() => setDialog({ kind: 'push' })} data-testid="meta-push-open">
                {t('meta.action.push')}
              </Button>
            )}
          </Group>
        )}
      </Stack>
      {(notice || error || data.error) && (
        <Group px="md" pt={6} gap={6} wrap="nowrap">
          {notice && (
            <Alert color="teal" variant="light" py={4} style={{ flex: 1 }} data-testid="meta-notice" withCloseButton onClose={() => setNotice(null)}>
              {notice}
            </Alert>
          )}
          {(error ?? data.error) && (
            <Alert color="red" variant="light" py={4} style={{ flex: 1 }} data-testid="meta-error">
              <Group justify="space-between" wrap="nowrap">
                <Text size="sm">{errorText(t, (error ?? data.error) as ApiError)}</Text>
                {error && <CloseButton size="sm" onClick={() => setError(null)} />}
              </Group>
            </Alert>
          )}
        </Group>
      )}
      <div style={{ flex: 1, minHeight: 0, display: 'flex' }}>
        <div style={{ width: 430, flex: 'none', display: 'flex', flexDirection: 'column', borderRight: '1px solid var(--mantine-color-default-border)' }}>
          <ScrollArea style={{ flex: 3, minHeight: 0 }} type="auto" p="xs">
            {!tree && !data.error && <Loader size="sm" />}
            {tree && (
              <MetadataTree
                tree={tree}
                selected={current}
                checked={liveChecked}
                onSelect={(s) => {
                  setSelected(s);
                  setFocus(null);
                  setSaved(null);
                }}
                onCheck={(uuid, on) => setChecked((c) => (on ? [...c.filter((x) => x !== uuid), uuid] : c.filter((x) => x !== uuid)))}
                onAction={setDialog}
              />
            )}
          </ScrollArea>
          <ScrollArea style={{ flex: 2, minHeight: 0, borderTop: '1px solid var(--mantine-color-default-border)' }} type="auto" p="xs">
            {validation && <IssueList validation={validation} lang={lang} onPick={pick} />}
          </ScrollArea>
        </div>
        <ScrollArea style={{ flex: 1, minWidth: 0 }} type="auto" p="md">
          <RecordPanel
            workspace={workspace}
            selected={current}
            version={version}
            lang={lang}
            data={data}
            focus={focus}
            saved={saved}
            onSaved={(uuid, fields) => {
              setSaved({ uuid, fields });
              written(null, true);
            }}
          />
        </ScrollArea>
      </div>

      {tree && dialog?.kind === 'split' && (
        <SplitWizard
          workspace={workspace}
          dataset={{ uuid: dialog.dataset, name: datasetOf(dialog.dataset)?.name ?? dialog.dataset, observations: datasetOf(dialog.dataset)?.observations ?? 0 }}
          lang={lang}
          onClose={() => setDialog(null)}
          onApplied={(r) => written(t('meta.split.done', { count: r.created, moved: r.moved }))}
        />
      )}
      {tree && dialog?.kind === 'merge' && <MergeDialog workspace={workspace} tree={tree} into={dialog.into} sources={dialog.sources} onClose={() => setDialog(null)} onApplied={() => written(t('meta.merge.done'))} />}
      {tree && dialog?.kind === 'move' && <MoveDialog workspace={workspace} tree={tree} datasets={dialog.datasets} framework={dialog.framework} onClose={() => setDialog(null)} onApplied={() => written(t('meta.move.done'))} />}
      {tree && dialog?.kind === 'reassign' && <ReassignDialog workspace={workspace} tree={tree} to={dialog.to} onClose={() => setDialog(null)} onApplied={() => written(t('meta.reassign.done'))} />}
      {tree && dialog?.kind === 'bulk' && <BulkEditDialog workspace={workspace} tree={tree} catalog={data.catalog} lang={lang} datasets={dialog.datasets} onClose={() => setDialog(null)} onApplied={() => written(t('meta.bulk.done'))} />}
      {tree && dialog?.kind === 'newFramework' && (
        <NewFrameworkDialog
          workspace={workspace}
          tree={tree}
          from={dialog.from}
          onClose={() => setDialog(null)}
          onCreated={(uuid) => {
            setSelected({ entity: 'framework', uuid });
            written(t('meta.newFramework.done'));
          }}
        />
      )}
      {tree && dialog?.kind === 'export' && <ExportDialog workspace={workspace} tree={tree} catalog={data.catalog} lang={lang} dataset={dialog.dataset} onClose={() => setDialog(null)} />}
      {dialog?.kind === 'import' && <ImportDialog workspace={workspace} lang={lang} onClose={() => setDialog(null)} onApplied={() => written(t('meta.import.done'))} />}
      <Drawer opened={dialog?.kind === 'push'} onClose={() => written()} position="right" size="xl" title={t('meta.push.title')}>
        <Stack gap="sm" data-testid="meta-push">
          <Text size="sm" c="dimmed">
            {connection ? t('meta.push.connection', { name: conns.active ?? '' }) : t('meta.push.chooseConnection')}
          </Text>
          {dialog?.kind === 'push' && <WorkspaceChanges workspace={workspace} connection={connection} />}
        </Stack>
      </Drawer>
    </Stack>
  );
}
