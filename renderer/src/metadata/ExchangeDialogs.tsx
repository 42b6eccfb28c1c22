import { useState } from 'react';
import { Alert, Badge, Button, Checkbox, Group, List, Modal, ScrollArea, Select, Stack, Table, Text, TextInput } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import type { ApiError, MetadataCatalog, MetadataExportFormat, MetadataExportResult, MetadataImportResult, MetadataTree } from '../../../shared/contract/index.js';
import { LICENCES, LICENCE_IDS, type LicenceId } from '../../../shared/metadata/licences.js';
import { useEngine } from '../api/engine.js';
import { newJobId } from '../api/job-id.js';
import { errorText } from '../i18n/index.js';
import { allDatasets, isAbsolutePath, type Lang } from './format.js';

const FORMATS: readonly MetadataExportFormat[] = ['mtd', 'iso19139', 'eml', 'dcat', 'schemaorg'];
const EXTENSION: Record<MetadataExportFormat, string> = { mtd: 'xml', iso19139: 'xml', eml: 'xml', dcat: 'jsonld', schemaorg: 'jsonld' };

/**
 * A file path: the system dialog in the desktop app (a read-only field shows the choice), a
 * path field in a browser (a page cannot learn a local file's path).
 */
function PathField({ label, value, onChange, mode, defaultName, testId }: { label: string; value: string; onChange: (p: string) => void; mode: 'save' | 'open'; defaultName: string; testId: string }) {
  const { t } = useTranslation();
  const { client, transport } = useEngine();
  const browse = async () => {
    const filters = [{ name: 'XML / JSON-LD', extensions: ['xml', 'jsonld', 'json'] }];
    const r = mode === 'save' ? await client.call('dialog.saveFile', { defaultName, filters }) : await client.call('dialog.openFile', { filters });
    if (r.ok && r.value.path) onChange(r.value.path);
  };
  return (
    <Group gap="xs" align="flex-end" wrap="nowrap">
      <TextInput
        size="xs"
        style={{ flex: 1 }}
        label={label}
        placeholder={`/…/${defaultName}`}
        value={value}
        onChange={(e) => onChange(e.currentTarget.value)}
        readOnly={transport.kind === 'electron'}
        data-testid={testId}
        error={value && !isAbsolutePath(value) ? t('meta.exchange.absolute') : undefined}
      />
      {transport.kind === 'electron' && (
        <Button size="xs" variant="default" onClick={() => void browse()}>
          {t('workspace.browse')}
        </Button>
      )}
    </Group>
  );
}

function Notes({ notes, lang }: { notes: { id: string; fr: string; en: string }[]; lang: Lang }) {
  const { t } = useTranslation();
  if (notes.length === 0) return null;
  return (
    <Stack gap={2}>
      <Text size="xs" fw={700}>
        {t('meta.exchange.notes')}
      </Text>
      <List size="xs" spacing={2}>
        {notes.map((n, i) => (
          <List.Item key={i}>{n[lang]}</List.Item>
        ))}
      </List>
    </Stack>
  );
}

/** Writes the metadata to a file: format, JDD (one per file except MTD), licence, where. */
export function ExportDialog({ workspace, tree, catalog, lang, dataset: initial, onClose }: { workspace: string; tree: MetadataTree; catalog: MetadataCatalog | null; lang: Lang; dataset: string | null; onClose: () => void }) {
  const { t } = useTranslation();
  const { client } = useEngine();
  const datasets = allDatasets(tree);
  const [format, setFormat] = useState<MetadataExportFormat>(initial ? 'iso19139' : 'mtd');
  const [dataset, setDataset] = useState<string | null>(initial ?? (datasets.length === 1 ? (datasets[0]?.uuid ?? null) : null));
  const [licence, setLicence] = useState<LicenceId>(catalog?.licence ?? 'etalab-2.0');
  const [language, setLanguage] = useState<Lang>(lang);
  const [out, setOut] = useState('');
  const [overwrite, setOverwrite] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ApiError | null>(null);
  const [result, setResult] = useState<MetadataExportResult | null>(null);
  const chosen = datasets.find((d) => d.uuid === dataset);
  const defaultName = `${chosen?.shortName || 'metadonnees'}-${format}.${EXTENSION[format]}`;
  const needsDataset = format !== 'mtd';

  const run = async () => {
    setBusy(true);
    setError(null);
    setResult(null);
    const r = await client.call('metadata.export', { workspace, format, ...(dataset ? { dataset } : {}), out, overwrite, options: { licence, language } });
    setBusy(false);
    if (r.ok) setResult(r.value);
    else setError(r.error);
  };
  return (
    <Modal opened onClose={onClose} size="lg" title={t('meta.export.title')}>
      <Stack gap="sm" data-testid="meta-export">
        <Group grow>
          <Select size="xs" label={t('meta.export.format')} data={FORMATS.map((f) => ({ value: f, label: t(`meta.export.formats.${f}`) }))} value={format} onChange={(v) => v && setFormat(v as MetadataExportFormat)} allowDeselect={false} data-testid="meta-export-format" comboboxProps={{ withinPortal: true }} />
          <Select
            size="xs"
            label={needsDataset ? t('meta.export.dataset') : t('meta.export.datasetOptional')}
            clearable={!needsDataset}
            data={datasets.map((d) => ({ value: d.uuid, label: d.name || d.uuid }))}
            value={dataset}
            onChange={setDataset}
            searchable
            data-testid="meta-export-dataset"
          />
        </Group>
        <Group grow>
          <Select size="xs" label={t('meta.export.licence')} data={(catalog?.licences ?? [...LICENCE_IDS]).map((id) => ({ value: id, label: LICENCES[id].title[lang] }))} value={licence} onChange={(v) => v && setLicence(v as LicenceId)} allowDeselect={false} />
          <Select
            size="xs"
            label={t('meta.export.language')}
            data={[
              { value: 'fr', label: 'Français' },
              { value: 'en', label: 'English' },
            ]}
            value={language}
            onChange={(v) => setLanguage(v === 'en' ? 'en' : 'fr')}
            allowDeselect={false}
          />
        </Group>
        <PathField label={t('meta.export.out')} value={out} onChange={setOut} mode="save" defaultName={defaultName} testId="meta-export-out" />
        <Checkbox size="xs" label={t('meta.export.overwrite')} checked={overwrite} onChange={(e) => setOverwrite(e.currentTarget.checked)} />
        {error && (
          <Alert color="red" variant="light" data-testid="meta-export-error">
            {errorText(t, error)}
          </Alert>
        )}
        {result && (
          <Alert color="teal" variant="light" data-testid="meta-export-done">
            <Stack gap={4}>
              <Text size="sm">{t('meta.export.done', { path: result.path, bytes: result.bytes, datasets: result.datasets, frameworks: result.frameworks })}</Text>
              <Notes notes={result.notes} lang={lang} />
            </Stack>
          </Alert>
        )}
        <Group justify="flex-end">
          <Button variant="default" onClick={onClose}>
            {t('meta.close')}
          </Button>
          <Button onClick={() => void run()} loading={busy} disabled={!isAbsolutePath(out) || (needsDataset && !dataset)} data-testid="meta-export-run">
            {t('meta.export.run')}
          </Button>
        </Group>
      </Stack>
    </Modal>
  );
}

function RecordsTable({ title, records }: { title: string; records: MetadataImportResult['datasets'] }) {
  const { t } = useTranslation();
  if (records.length === 0) return null;
  return (
    <Stack gap={2}>
      <Text size="xs" fw={700}>
        {title}
      </Text>
      <Table fz="xs" striped>
        <Table.Tbody>
          {records.map((r) => (
            <Table.Tr key={r.uuid} data-testid="meta-import-record" data-action={r.action}>
              <Table.Td>
                <Badge size="xs" variant="light" color={r.action === 'create' ? 'cyan' : r.action === 'update' ? 'orange' : 'gray'}>
                  {t(`meta.import.action.${r.action}`)}
                </Badge>
              </Table.Td>
              <Table.Td>{r.name || r.uuid}</Table.Td>
              <Table.Td c="dimmed">
                {r.changed.join(', ')}
                {r.frameworkMissing ? ` ${t('meta.import.frameworkMissing')}` : ''}
              </Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </Stack>
  );
}

/** Reads an MTD, EML or ISO 19139 file: preview of what it creates or updates, then apply. */
export function ImportDialog({ workspace, lang, onClose, onApplied }: { workspace: string; lang: Lang; onClose: () => void; onApplied: () => void }) {
  const { t } = useTranslation();
  const { client } = useEngine();
  const [file, setFile] = useState('');
  const [preview, setPreview] = useState<{ file: string; result: MetadataImportResult } | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ApiError | null>(null);
  const result = preview?.file === file ? preview.result : null;

  const run = async (dryRun: boolean) => {
    setBusy(true);
    setError(null);
    const r = await client.call('metadata.import', { workspace, file, dryRun, lang, jobId: newJobId(dryRun ? 'import-preview' : 'import') });
    setBusy(false);
    if (!r.ok) setError(r.error);
    else if (dryRun) setPreview({ file, result: r.value });
    else onApplied();
  };
  const changes = result ? [...result.frameworks, ...result.datasets].filter((r) => r.action !== 'unchanged').length : 0;
  return (
    <Modal opened onClose={onClose} size="lg" title={t('meta.import.title')}>
      <Stack gap="sm" data-testid="meta-import">
        <PathField label={t('meta.import.file')} value={file} onChange={setFile} mode="open" defaultName="metadonnees.xml" testId="meta-import-file" />
        <Button size="xs" variant="light" onClick={() => void run(true)} disabled={!isAbsolutePath(file)} loading={busy && !result} style={{ alignSelf: 'flex-start' }} data-testid="meta-import-preview">
          {t('meta.preview')}
        </Button>
        {error && (
          <Alert color="red" variant="light" data-testid="meta-import-error">
            {errorText(t, error)}
          </Alert>
        )}
        {result && (
          <ScrollArea.Autosize mah={360}>
            <Stack gap="xs" data-testid="meta-import-result" data-changes={changes}>
              <Text size="sm" fw={600}>
                {t('meta.import.summary', { format: result.format.toUpperCase(), frameworks: result.frameworks.length, datasets: result.datasets.length, changes })}
              </Text>
              <RecordsTable title={t('meta.import.frameworks')} records={result.frameworks} />
              <RecordsTable title={t('meta.import.datasets')} records={result.datasets} />
              <Notes notes={result.notes} lang={lang} />
              {result.issues.length > 0 && (
                <Text size="xs" c="orange">
                  {t('meta.import.issues', { count: result.issues.length })}
                </Text>
              )}
            </Stack>
          </ScrollArea.Autosize>
        )}
        <Group justify="flex-end">
          <Button variant="default" onClick={onClose}>
            {t('meta.close')}
          </Button>
          <Button onClick={() => void run(false)} disabled={!result || changes === 0} loading={busy && !!result} data-testid="meta-import-apply">
            {t('meta.import.apply', { count: changes })}
          </Button>
        </Group>
      </Stack>
    </Modal>
  );
}
