import type { ReactNode } from 'react';
import { ActionIcon, Button, Group, MultiSelect, NumberInput, Paper, Select, Stack, TagsInput, Text, TextInput, Textarea } from '@mantine/core';
import { IconPlus, IconTrash } from '@tabler/icons-react';
import { useTranslation } from 'react-i18next';
import type { MetadataCatalog } from '../../../shared/contract/index.js';
import { blankActor, type BoundingBox, type MetadataActor, type Protocol, type Publication } from '../../../shared/metadata/index.js';
import { nomenclatureOptions, type Lang } from './format.js';

/** What an input shows of the record's issues: an error, or a warning as its description. */
export interface InputIssue {
  error?: ReactNode;
  description?: ReactNode;
}

/**
 * The form as the editors see it: values by path (`actors.2.email`), list operations, and the
 * issue to show on a path. RecordForm implements it over Mantine form.
 */
export interface RecordFormApi {
  entity: 'framework' | 'dataset';
  lang: Lang;
  catalog: MetadataCatalog | null;
  get(path: string): unknown;
  set(path: string, value: unknown): void;
  insert(path: string, item: unknown): void;
  remove(path: string, index: number): void;
  issue(path: string): InputIssue;
}

/** The SINP label of a field path (`metadata.fields.<entity>.<path>`, shared with the validation messages). */
export function useFieldLabel(entity: 'framework' | 'dataset'): (field: string) => string {
  const { t } = useTranslation();
  return (field) => t(`metadata.fields.${entity}.${field}`, { defaultValue: field });
}

const str = (v: unknown): string => (typeof v === 'string' ? v : '');
const list = (v: unknown): string[] => (Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : []);

/** A text field; `nullable` ones store null when emptied. */
export function TextField({ api, path, label, nullable = false, multiline = false, required = false }: { api: RecordFormApi; path: string; label: string; nullable?: boolean; multiline?: boolean; required?: boolean }) {
  const value = str(api.get(path));
  const onChange = (v: string) => api.set(path, nullable && v === '' ? null : v);
  const common = { label, value, withAsterisk: required, 'data-path': path, ...api.issue(path) };
  return multiline ? (
    <Textarea size="xs" autosize minRows={2} maxRows={8} {...common} onChange={(e) => onChange(e.currentTarget.value)} />
  ) : (
    <TextInput size="xs" {...common} onChange={(e) => onChange(e.currentTarget.value)} />
  );
}

/** A date (YYYY-MM-DD) or nothing. */
export function DateField({ api, path, label, required = false }: { api: RecordFormApi; path: string; label: string; required?: boolean }) {
  return (
    <TextInput
      size="xs"
      type="date"
      label={label}
      withAsterisk={required}
      value={str(api.get(path))}
      onChange={(e) => api.set(path, e.currentTarget.value === '' ? null : e.currentTarget.value)}
      data-path={path}
      {...api.issue(path)}
    />
  );
}

/** Options of a type, plus the current codes the catalog does not know (shown, so they can be replaced). */
function optionsWith(catalog: MetadataCatalog | null, type: string, lang: Lang, current: string[]): { value: string; label: string }[] {
  const opts = nomenclatureOptions(catalog, type, lang);
  const known = new Set(opts.map((o) => o.value));
  return [...opts, ...current.filter((c) => c && !known.has(c)).map((c) => ({ value: c, label: `${c} (?)` }))];
}

/** One nomenclature code, picked by its label. */
export function NomenclatureField({ api, path, type, label, required = false, testId }: { api: RecordFormApi; path: string; type: string; label: string; required?: boolean; testId?: string }) {
  const value = api.get(path);
  const code = typeof value === 'string' && value !== '' ? value : null;
  return (
    <Select
      size="xs"
      label={label}
      withAsterisk={required}
      searchable
      clearable
      data={optionsWith(api.catalog, type, api.lang, code ? [code] : [])}
      value={code}
      onChange={(v) => api.set(path, v)}
      data-path={path}
      data-testid={testId ?? `meta-field-${path}`}
      comboboxProps={{ withinPortal: true }}
      {...api.issue(path)}
    />
  );
}

/** Several nomenclature codes. */
export function NomenclatureListField({ api, path, type, label, required = false }: { api: RecordFormApi; path: string; type: string; label: string; required?: boolean }) {
  const value = list(api.get(path));
  return (
    <MultiSelect
      size="xs"
      label={label}
      withAsterisk={required}
      searchable
      clearable
      data={optionsWith(api.catalog, type, api.lang, value)}
      value={value}
      onChange={(v) => api.set(path, v)}
      data-path={path}
      data-testid={`meta-field-${path}`}
      {...api.issue(path)}
    />
  );
}

/** Free words (keywords). */
export function WordsField({ api, path, label }: { api: RecordFormApi; path: string; label: string }) {
  const { t } = useTranslation();
  return (
    <TagsInput
      size="xs"
      label={label}
      placeholder={t('meta.form.keywordsHint')}
      value={list(api.get(path))}
      onChange={(v) => api.set(path, v)}
      data-path={path}
      data-testid={`meta-field-${path}`}
      {...api.issue(path)}
    />
  );
}

/** A yes/no that may be unknown (marine and terrestrial domains). */
export function BooleanField({ api, path, label, required = false }: { api: RecordFormApi; path: string; label: string; required?: boolean }) {
  const { t } = useTranslation();
  const v = api.get(path);
  return (
    <Select
      size="xs"
      label={label}
      withAsterisk={required}
      clearable
      data={[
        { value: 'true', label: t('meta.form.yes') },
        { value: 'false', label: t('meta.form.no') },
      ]}
      value={typeof v === 'boolean' ? String(v) : null}
      onChange={(s) => api.set(path, s === null ? null : s === 'true')}
      data-path={path}
      data-testid={`meta-field-${path}`}
      {...api.issue(path)}
    />
  );
}

/** An error or warning below a list or a row (where no single input carries it). */
function BlockIssue({ issue }: { issue: InputIssue }) {
  if (issue.error) return <Text size="xs" c="red">{issue.error}</Text>;
  if (issue.description) return <Text size="xs" c="orange">{issue.description}</Text>;
  return null;
}

/** The actors: organism and/or person, role (ROLE_ACTEUR), e-mail, organism UUID. */
export function ActorsEditor({ api, label }: { api: RecordFormApi; label: string }) {
  const { t } = useTranslation();
  const field = useFieldLabel(api.entity);
  const actors = (api.get('actors') as MetadataActor[] | undefined) ?? [];
  return (
    <Stack gap={6} data-field="actors" tabIndex={-1} data-testid="meta-actors">
      <Group justify="space-between">
        <Text size="sm" fw={600}>
          {label}
        </Text>
        <Button size="compact-xs" variant="light" leftSection={<IconPlus size={12} />} onClick={() => api.insert('actors', blankActor(actors.length === 0 ? '1' : null))} data-testid="meta-actor-add">
          {t('meta.form.addActor')}
        </Button>
      </Group>
      <BlockIssue issue={api.issue('actors')} />
      {actors.length === 0 && (
        <Text size="xs" c="dimmed">
          {t('meta.form.noActor')}
        </Text>
      )}
      {actors.map((_, i) => (
        <Paper key={i} withBorder p={6} radius="sm" data-field={`actors.${i}`} data-testid="meta-actor">
          <Group gap={6} align="flex-start" wrap="nowrap">
            <Select
              size="xs"
              style={{ width: 200, flex: 'none' }}
              label={field('actors.role')}
              data={optionsWith(api.catalog, 'ROLE_ACTEUR', api.lang, [str(api.get(`actors.${i}.role`))])}
              value={str(api.get(`actors.${i}.role`)) || null}
              onChange={(v) => api.set(`actors.${i}.role`, v)}
              data-path={`actors.${i}.role`}
              {...api.issue(`actors.${i}.role`)}
            />
            <TextInput size="xs" style={{ flex: 1 }} label={field('actors.organism')} value={str(api.get(`actors.${i}.organism`))} onChange={(e) => api.set(`actors.${i}.organism`, e.currentTarget.value || null)} data-path={`actors.${i}.organism`} {...api.issue(`actors.${i}.organism`)} />
            <TextInput size="xs" style={{ flex: 1 }} label={field('actors.person')} value={str(api.get(`actors.${i}.person`))} onChange={(e) => api.set(`actors.${i}.person`, e.currentTarget.value || null)} data-path={`actors.${i}.person`} {...api.issue(`actors.${i}.person`)} />
            <ActionIcon mt={22} size="sm" variant="subtle" color="red" aria-label={t('meta.form.remove')} onClick={() => api.remove('actors', i)}>
              <IconTrash size={14} />
            </ActionIcon>
          </Group>
          <Group gap={6} mt={4} wrap="nowrap" pr={28}>
            <TextInput size="xs" style={{ flex: 1 }} label={field('actors.email')} value={str(api.get(`actors.${i}.email`))} onChange={(e) => api.set(`actors.${i}.email`, e.currentTarget.value || null)} data-path={`actors.${i}.email`} {...api.issue(`actors.${i}.email`)} />
            <TextInput size="xs" style={{ flex: 1 }} label={field('actors.organismUuid')} value={str(api.get(`actors.${i}.organismUuid`))} onChange={(e) => api.set(`actors.${i}.organismUuid`, e.currentTarget.value || null)} data-path={`actors.${i}.organismUuid`} {...api.issue(`actors.${i}.organismUuid`)} />
          </Group>
          <BlockIssue issue={api.issue(`actors.${i}`)} />
        </Paper>
      ))}
    </Stack>
  );
}

/** The protocols of a JDD: name, type (TYPE_PROTOCOLE), URL, description; the UUID is kept as read. */
export function ProtocolsEditor({ api, label }: { api: RecordFormApi; label: string }) {
  const { t } = useTranslation();
  const field = useFieldLabel(api.entity);
  const protocols = (api.get('protocols') as Protocol[] | undefined) ?? [];
  const blank: Protocol = { uuid: null, name: '', description: null, url: null, type: null };
  return (
    <Stack gap={6} data-field="protocols" tabIndex={-1} data-testid="meta-protocols">
      <Group justify="space-between">
        <Text size="sm" fw={600}>
          {label}
        </Text>
        <Button size="compact-xs" variant="light" leftSection={<IconPlus size={12} />} onClick={() => api.insert('protocols', blank)}>
          {t('meta.form.addProtocol')}
        </Button>
      </Group>
      <BlockIssue issue={api.issue('protocols')} />
      {protocols.map((p, i) => (
        <Paper key={i} withBorder p={6} radius="sm" data-field={`protocols.${i}`}>
          <Group gap={6} align="flex-start" wrap="nowrap">
            <TextInput size="xs" style={{ flex: 2 }} label={field('protocols.name')} value={p.name} onChange={(e) => api.set(`protocols.${i}.name`, e.currentTarget.value)} data-path={`protocols.${i}.name`} {...api.issue(`protocols.${i}.name`)} />
            <Select
              size="xs"
              style={{ flex: 1 }}
              label={field('protocols.type')}
              clearable
              data={optionsWith(api.catalog, 'TYPE_PROTOCOLE', api.lang, p.type ? [p.type] : [])}
              value={p.type}
              onChange={(v) => api.set(`protocols.${i}.type`, v)}
              data-path={`protocols.${i}.type`}
              {...api.issue(`protocols.${i}.type`)}
            />
            <ActionIcon mt={22} size="sm" variant="subtle" color="red" aria-label={t('meta.form.remove')} onClick={() => api.remove('protocols', i)}>
              <IconTrash size={14} />
            </ActionIcon>
          </Group>
          <Group gap={6} mt={4} wrap="nowrap" pr={28}>
            <TextInput size="xs" style={{ flex: 1 }} label={field('protocols.url')} value={p.url ?? ''} onChange={(e) => api.set(`protocols.${i}.url`, e.currentTarget.value || null)} data-path={`protocols.${i}.url`} {...api.issue(`protocols.${i}.url`)} />
            <TextInput size="xs" style={{ flex: 1 }} label={field('protocols.description')} value={p.description ?? ''} onChange={(e) => api.set(`protocols.${i}.description`, e.currentTarget.value || null)} data-path={`protocols.${i}.description`} />
          </Group>
          {p.uuid && (
            <Text size="xs" c="dimmed" mt={2}>
              {field('protocols.uuid')} : {p.uuid}
            </Text>
          )}
          <BlockIssue issue={api.issue(`protocols.${i}`)} />
        </Paper>
      ))}
    </Stack>
  );
}

/** The publications of a CA: reference and URL. */
export function PublicationsEditor({ api, label }: { api: RecordFormApi; label: string }) {
  const { t } = useTranslation();
  const field = useFieldLabel(api.entity);
  const pubs = (api.get('publications') as Publication[] | undefined) ?? [];
  return (
    <Stack gap={6} data-field="publications" tabIndex={-1}>
      <Group justify="space-between">
        <Text size="sm" fw={600}>
          {label}
        </Text>
        <Button size="compact-xs" variant="light" leftSection={<IconPlus size={12} />} onClick={() => api.insert('publications', { reference: '', url: null })}>
          {t('meta.form.addPublication')}
        </Button>
      </Group>
      {pubs.map((p, i) => (
        <Group key={i} gap={6} align="flex-start" wrap="nowrap" data-field={`publications.${i}`}>
          <TextInput size="xs" style={{ flex: 2 }} label={field('publications.reference')} value={p.reference} onChange={(e) => api.set(`publications.${i}.reference`, e.currentTarget.value)} data-path={`publications.${i}.reference`} {...api.issue(`publications.${i}.reference`)} />
          <TextInput size="xs" style={{ flex: 1 }} label={field('publications.url')} value={p.url ?? ''} onChange={(e) => api.set(`publications.${i}.url`, e.currentTarget.value || null)} data-path={`publications.${i}.url`} {...api.issue(`publications.${i}.url`)} />
          <ActionIcon mt={22} size="sm" variant="subtle" color="red" aria-label={t('meta.form.remove')} onClick={() => api.remove('publications', i)}>
            <IconTrash size={14} />
          </ActionIcon>
        </Group>
      ))}
    </Stack>
  );
}

/** The WGS 84 extent of a JDD, or none. */
export function BboxEditor({ api, label }: { api: RecordFormApi; label: string }) {
  const { t } = useTranslation();
  const bbox = api.get('bbox') as BoundingBox | null;
  const side = (k: keyof BoundingBox) => (
    <NumberInput
      size="xs"
      style={{ flex: 1 }}
      label={t(`meta.form.bbox.${k}`)}
      decimalScale={7}
      value={bbox ? bbox[k] : ''}
      onChange={(v) => {
        const n = typeof v === 'number' ? v : Number(v);
        if (!Number.isFinite(n)) return;
        api.set('bbox', { ...(bbox ?? { west: 0, south: 0, east: 0, north: 0 }), [k]: n });
      }}
      data-path={`bbox.${k}`}
    />
  );
  const issue = api.issue('bbox');
  return (
    <Stack gap={4} data-field="bbox" tabIndex={-1}>
      <Group justify="space-between">
        <Text size="sm" fw={600}>
          {label}
        </Text>
        {bbox && (
          <Button size="compact-xs" variant="subtle" color="gray" onClick={() => api.set('bbox', null)}>
            {t('meta.form.clearBbox')}
          </Button>
        )}
      </Group>
      <Group gap={6} wrap="nowrap">
        {side('west')}
        {side('south')}
        {side('east')}
        {side('north')}
      </Group>
      <BlockIssue issue={issue} />
    </Stack>
  );
}
