import { useEffect, useState } from 'react';
import { Alert, Badge, Button, Checkbox, Code, Fieldset, Group, Select, SimpleGrid, Stack, Table, Text, Title } from '@mantine/core';
import { useForm } from '@mantine/form';
import { useTranslation } from 'react-i18next';
import type { ApiError, MetadataCatalog, MetadataRecordView, MetadataTree } from '../../../shared/contract/index.js';
import type { AcquisitionFramework, Dataset } from '../../../shared/metadata/index.js';
import { useEngine } from '../api/engine.js';
import { errorText } from '../i18n/index.js';
import {
  ActorsEditor,
  BboxEditor,
  BooleanField,
  DateField,
  NomenclatureField,
  NomenclatureListField,
  ProtocolsEditor,
  PublicationsEditor,
  TextField,
  WordsField,
  useFieldLabel,
  type InputIssue,
  type RecordFormApi,
} from './editors.js';
import { changedFields, issuesByPath, type Lang } from './format.js';

type Values = Record<string, unknown>;

/** A value at a Mantine form path (`actors.2.email`). */
function valueAt(values: unknown, path: string): unknown {
  let v: unknown = values;
  for (const part of path.split('.')) {
    if (v === null || typeof v !== 'object') return undefined;
    v = (v as Record<string, unknown>)[part];
  }
  return v;
}

/** Scrolls to a field of the form and focuses its input (issues list → form). */
export function focusField(path: string): boolean {
  const esc = CSS.escape(path);
  const node = document.querySelector<HTMLElement>(`[data-path="${esc}"]`) ?? document.querySelector<HTMLElement>(`[data-field="${esc}"]`);
  if (!node) return false;
  node.scrollIntoView({ block: 'center' });
  const input = node.matches('input, textarea') ? node : (node.querySelector<HTMLElement>('input:not([type=hidden]), textarea, button') ?? node);
  input.focus({ preventScroll: true });
  return true;
}

/**
 * The form of one CA or JDD (every SINP field), built on Mantine form: nomenclature pickers
 * with their labels, actors, protocols, territories and keywords editors. The record's issues
 * show inline until the field is edited; Save writes the record (metadata.put) and says which
 * fields changed; Check asks the engine without writing.
 */
export function RecordForm({
  workspace,
  view,
  catalog,
  tree,
  lang,
  focus,
  onSaved,
}: {
  workspace: string;
  view: MetadataRecordView;
  catalog: MetadataCatalog | null;
  tree: MetadataTree | null;
  lang: Lang;
  focus: { path: string; key: string } | null;
  onSaved: (fields: string[]) => void;
}) {
  const { t } = useTranslation();
  const { client } = useEngine();
  const entity = view.entity;
  const field = useFieldLabel(entity);
  const form = useForm<Values>({ mode: 'controlled', initialValues: view.record as unknown as Values });
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ApiError | null>(null);
  const server = issuesByPath(view.issues, lang);

  const focusKey = focus?.key ?? '';
  const focusPath = focus?.path ?? '';
  useEffect(() => {
    if (!focusKey) return;
    const timer = setTimeout(() => focusField(focusPath), 50);
    return () => clearTimeout(timer);
  }, [focusKey, focusPath]);

  const values = form.values;
  const initial = form.getInitialValues();
  const api: RecordFormApi = {
    entity,
    lang,
    catalog,
    get: (path) => valueAt(values, path),
    set: (path, value) => form.setFieldValue(path, value),
    insert: (path, item) => form.insertListItem(path, item),
    remove: (path, index) => form.removeListItem(path, index),
    issue: (path): InputIssue => {
      const own = form.errors[path];
      if (own) return { error: own };
      // Edited since it was read: the engine's issue may no longer hold (Check or Save tells).
      if (JSON.stringify(valueAt(values, path) ?? null) !== JSON.stringify(valueAt(initial, path) ?? null)) return {};
      const s = server[path];
      if (!s) return {};
      return s.severity === 'error' ? { error: s.message } : { description: <Text span size="xs" c="orange">{s.message}</Text> };
    },
  };
  const dirty = changedFields(initial, values);

  const put = async (dryRun: boolean) => {
    setBusy(true);
    setError(null);
    const r =
      entity === 'framework'
        ? await client.call('metadata.put', { workspace, entity, record: values as unknown as AcquisitionFramework, dryRun, lang })
        : await client.call('metadata.put', { workspace, entity, record: values as unknown as Dataset, dryRun, lang });
    setBusy(false);
    if (!r.ok) {
      setError(r.error);
      return;
    }
    if (dryRun) {
      const found = issuesByPath(r.value.view.issues, lang);
      form.setErrors(Object.fromEntries(Object.entries(found).map(([p, i]) => [p, i.message])));
      return;
    }
    onSaved(changedFields(view.record as unknown as Values, r.value.view.record as unknown as Values));
  };

  const frameworks = (tree?.frameworks ?? []).filter((f) => !f.isMetaFramework).map((f) => ({ value: f.uuid, label: f.name || f.uuid }));
  const metaFrameworks = (tree?.frameworks ?? []).filter((f) => f.isMetaFramework && f.uuid !== view.uuid).map((f) => ({ value: f.uuid, label: f.name || f.uuid }));
  const issues = view.issues;
  const errors = issues.filter((i) => i.severity === 'error').length;
  const warnings = issues.length - errors;

  return (
    <form
      onSubmit={(e) => {
        e.preventDefault();
        void put(false);
      }}
      data-testid="meta-form"
      data-entity={entity}
      data-uuid={view.uuid}
    >
      <Stack gap="sm">
        <Stack gap={2}>
          <Group gap={6}>
            <Badge size="sm" variant="filled" color={entity === 'framework' ? 'grape' : 'blue'}>
              {t(`meta.entity.${entity}`)}
            </Badge>
            <Badge size="sm" variant="light" color={view.status === 'server' ? 'gray' : view.status === 'modified' ? 'orange' : 'cyan'}>
              {t(`meta.status.${view.status}`)}
            </Badge>
            <Badge size="sm" variant="light">
              {t('meta.tree.observations', { count: view.observations })}
            </Badge>
            {errors > 0 && (
              <Badge size="sm" color="red" variant="light">
                {t('meta.issues.errors', { count: errors })}
              </Badge>
            )}
            {warnings > 0 && (
              <Badge size="sm" color="orange" variant="light">
                {t('meta.issues.warnings', { count: warnings })}
              </Badge>
            )}
          </Group>
          <Title order={4}>{String(values.name ?? '') || view.uuid}</Title>
          <Text size="xs" c="dimmed">
            <Code>{view.uuid}</Code>
            {view.dateMin ? ` · ${t('meta.tree.dates', { min: view.dateMin, max: view.dateMax ?? '' })}` : ''}
          </Text>
        </Stack>
        {/* The form's actions stay in sight while scrolling a long record. */}
        <Group justify="space-between" wrap="nowrap" py={6} style={{ position: 'sticky', top: 0, zIndex: 3, background: 'var(--mantine-color-body)', borderBottom: '1px solid var(--mantine-color-default-border)' }}>
          <Text size="xs" c={dirty.length ? 'orange' : 'dimmed'} data-testid="meta-form-dirty" style={{ minWidth: 0 }}>
            {dirty.length ? t('meta.form.dirty', { fields: dirty.map(field).join(', ') }) : t('meta.form.clean')}
          </Text>
          <Group gap={6} wrap="nowrap" style={{ flex: 'none' }}>
            <Button size="xs" variant="default" onClick={() => form.reset()} disabled={dirty.length === 0 || busy}>
              {t('meta.form.reset')}
            </Button>
            <Button size="xs" variant="light" onClick={() => void put(true)} loading={busy} data-testid="meta-form-check">
              {t('meta.form.check')}
            </Button>
            <Button size="xs" type="submit" disabled={dirty.length === 0} loading={busy} data-testid="meta-form-save">
              {t('meta.form.save')}
            </Button>
          </Group>
        </Group>
        {error && (
          <Alert color="red" variant="light" data-testid="meta-form-error">
            {errorText(t, error)}
          </Alert>
        )}

        <Fieldset legend={t('meta.form.identification')} p="xs">
          <Stack gap={6}>
            <TextField api={api} path="name" label={field('name')} required />
            {entity === 'dataset' && <TextField api={api} path="shortName" label={field('shortName')} required />}
            <TextField api={api} path="description" label={field('description')} multiline required />
            {entity === 'dataset' ? (
              <Select
                size="xs"
                label={field('frameworkUuid')}
                withAsterisk
                searchable
                data={[...frameworks, ...(values.frameworkUuid && !frameworks.some((f) => f.value === values.frameworkUuid) ? [{ value: String(values.frameworkUuid), label: String(values.frameworkUuid) }] : [])]}
                value={typeof values.frameworkUuid === 'string' && values.frameworkUuid !== '' ? values.frameworkUuid : null}
                onChange={(v) => form.setFieldValue('frameworkUuid', v ?? '')}
                data-path="frameworkUuid"
                data-testid="meta-field-frameworkUuid"
                {...api.issue('frameworkUuid')}
              />
            ) : (
              <SimpleGrid cols={2} spacing={6}>
                <Checkbox mt={22} size="xs" label={field('isMetaFramework')} checked={values.isMetaFramework === true} onChange={(e) => form.setFieldValue('isMetaFramework', e.currentTarget.checked)} data-path="isMetaFramework" />
                <Select
                  size="xs"
                  label={field('parentUuid')}
                  clearable
                  data={[...metaFrameworks, ...(values.parentUuid && !metaFrameworks.some((f) => f.value === values.parentUuid) ? [{ value: String(values.parentUuid), label: String(values.parentUuid) }] : [])]}
                  value={typeof values.parentUuid === 'string' ? values.parentUuid : null}
                  onChange={(v) => form.setFieldValue('parentUuid', v)}
                  data-path="parentUuid"
                  {...api.issue('parentUuid')}
                />
              </SimpleGrid>
            )}
          </Stack>
        </Fieldset>

        {entity === 'dataset' ? (
          <Fieldset legend={t('meta.form.nomenclatures')} p="xs">
            <SimpleGrid cols={2} spacing={6}>
              <NomenclatureField api={api} path="dataType" type="DATA_TYP" label={field('dataType')} required />
              <NomenclatureListField api={api} path="objectives" type="JDD_OBJECTIFS" label={field('objectives')} required />
              <NomenclatureField api={api} path="collectingMethod" type="METHO_RECUEIL" label={field('collectingMethod')} required />
              <NomenclatureField api={api} path="dataOrigin" type="DS_PUBLIQUE" label={field('dataOrigin')} required />
              <NomenclatureField api={api} path="sourceStatus" type="STATUT_SOURCE" label={field('sourceStatus')} required />
              <NomenclatureField api={api} path="resourceType" type="RESOURCE_TYP" label={field('resourceType')} required />
              <BooleanField api={api} path="marineDomain" label={field('marineDomain')} required />
              <BooleanField api={api} path="terrestrialDomain" label={field('terrestrialDomain')} required />
            </SimpleGrid>
          </Fieldset>
        ) : (
          <Fieldset legend={t('meta.form.nomenclatures')} p="xs">
            <SimpleGrid cols={2} spacing={6}>
              <NomenclatureField api={api} path="territorialLevel" type="NIVEAU_TERRITORIAL" label={field('territorialLevel')} required />
              <NomenclatureField api={api} path="financingType" type="TYPE_FINANCEMENT" label={field('financingType')} required />
              <NomenclatureListField api={api} path="objectives" type="CA_OBJECTIFS" label={field('objectives')} required />
              <NomenclatureListField api={api} path="voletsSinp" type="VOLET_SINP" label={field('voletsSinp')} />
            </SimpleGrid>
          </Fieldset>
        )}

        <Fieldset legend={t('meta.form.where')} p="xs">
          <Stack gap={6}>
            <NomenclatureListField api={api} path="territories" type="TERRITOIRE" label={field('territories')} required />
            <TextField api={api} path="territoryDescription" label={field('territoryDescription')} nullable />
            <WordsField api={api} path="keywords" label={field('keywords')} />
            {entity === 'framework' && (
              <>
                <TextField api={api} path="targetDescription" label={field('targetDescription')} nullable multiline />
                <TextField api={api} path="ecologicalTarget" label={field('ecologicalTarget')} nullable />
              </>
            )}
            {entity === 'dataset' && <BboxEditor api={api} label={field('bbox')} />}
          </Stack>
        </Fieldset>

        <Fieldset legend={t('meta.form.people')} p="xs">
          <Stack gap="sm">
            <ActorsEditor api={api} label={field('actors')} />
            {entity === 'dataset' ? <ProtocolsEditor api={api} label={field('protocols')} /> : <PublicationsEditor api={api} label={field('publications')} />}
          </Stack>
        </Fieldset>

        <Fieldset legend={t('meta.form.dates')} p="xs">
          <SimpleGrid cols={2} spacing={6}>
            {entity === 'framework' && (
              <>
                <DateField api={api} path="startDate" label={field('startDate')} required />
                <DateField api={api} path="endDate" label={field('endDate')} />
              </>
            )}
            <DateField api={api} path="metadataCreated" label={field('metadataCreated')} />
            <DateField api={api} path={entity === 'framework' ? 'metadataUpdated' : 'metadataRevised'} label={field(entity === 'framework' ? 'metadataUpdated' : 'metadataRevised')} />
          </SimpleGrid>
        </Fieldset>

        {Array.isArray(values.additionalAttributes) && values.additionalAttributes.length > 0 && (
          <Fieldset legend={field('additionalAttributes')} p="xs">
            <Table fz="xs">
              <Table.Tbody>
                {(values.additionalAttributes as { name: string; value: string }[]).map((a, i) => (
                  <Table.Tr key={i}>
                    <Table.Td>{a.name}</Table.Td>
                    <Table.Td>{a.value}</Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          </Fieldset>
        )}
      </Stack>
    </form>
  );
}
