import { useState } from 'react';
import { ActionIcon, Autocomplete, Badge, Button, Group, Menu, Select, Stack, Switch, Table, Text, TextInput, Title, Tooltip } from '@mantine/core';
import { IconArrowDown, IconArrowUp, IconX } from '@tabler/icons-react';
import { useTranslation } from 'react-i18next';
import type { FieldMapping, GeometrySource, SniffResult } from '../../../shared/contract/index.js';
import { MANDATORY_FIELDS, TARGET_FIELDS, type TargetField } from '../../../shared/cleanup/fields.js';
import { matchNomenclature, SYNTHESE_CATALOG } from '../../../shared/cleanup/nomenclatures.js';
import { DATE_PATTERNS } from '../../../shared/cleanup/dates.js';
import { COMMON_CRS, type Lang } from './format.js';

/** The fields a legacy file usually has, listed even when not mapped (the others behind "all fields"). */
const CORE = new Set([
  'unique_id_sinp',
  'entity_source_pk_value',
  'dataset_uuid',
  'cd_nom',
  'nom_cite',
  'date_min',
  'date_max',
  'hour_min',
  'observers',
  'determiner',
  'count_min',
  'count_max',
  'altitude_min',
  'altitude_max',
  'comment_description',
  'life_stage',
  'sex',
  'obs_technique',
  'bio_status',
  'observation_status',
]);

const AREA_TYPES = ['COM', 'DEP', 'M10', 'M5', 'M1'] as const;

const codeOptions = (type: string | undefined) => (type ? (SYNTHESE_CATALOG[type]?.values ?? []).map((v) => ({ value: v.code, label: `${v.code} · ${v.label}` })) : []);

/**
 * The mapping editor: each synthese field ← a column of the file or a constant; the geometry
 * sources, tried in order (WKT, X/Y in a CRS, a commune / département / grid cell code, the
 * source's own geometry); the file's own words for nomenclature values → SINP codes; the date
 * pattern. Everything changes the live preview beside it.
 */
export function MappingEditor({ sniff, mapping, onChange, lang }: { sniff: SniffResult; mapping: FieldMapping; onChange: (m: FieldMapping) => void; lang: Lang }) {
  const { t } = useTranslation();
  const [all, setAll] = useState(false);
  const columns = sniff.columns;
  const columnOptions = [{ group: t('clean.map.columns'), items: columns.map((c) => ({ value: `col:${c}`, label: c })) }];
  const sourceData = [{ value: '', label: t('clean.map.none') }, ...columnOptions, { group: t('clean.map.other'), items: [{ value: 'const', label: t('clean.map.constant') }] }];
  const shown = TARGET_FIELDS.filter((f) => all || CORE.has(f.key) || mapping.fields[f.key] !== undefined);

  const setField = (key: string, v: FieldMapping['fields'][string] | null) => {
    const fields = { ...mapping.fields };
    if (v === null) delete fields[key];
    else fields[key] = v;
    onChange({ ...mapping, fields });
  };
  const setGeometry = (geometry: GeometrySource[]) => onChange({ ...mapping, geometry });
  const patchGeometry = (i: number, g: GeometrySource) => setGeometry(mapping.geometry.map((x, j) => (j === i ? g : x)));
  const moveGeometry = (i: number, d: -1 | 1) => {
    const next = [...mapping.geometry];
    const [g] = next.splice(i, 1);
    if (g) next.splice(i + d, 0, g);
    setGeometry(next);
  };
  const firstColumn = columns[0] ?? '';
  const addGeometry = (kind: GeometrySource['kind']) => {
    const g: GeometrySource =
      kind === 'wkt' ? { kind, column: firstColumn, srs: 'EPSG:4326' } : kind === 'xy' ? { kind, x: firstColumn, y: columns[1] ?? firstColumn, srs: 'EPSG:4326' } : kind === 'area' ? { kind, column: firstColumn, areaType: 'COM' } : { kind };
    setGeometry([...mapping.geometry, g]);
  };

  const columnSelect = (value: string, onPick: (c: string) => void, label: string, testId: string) => (
    <Select size="xs" label={label} data={columns} value={value} allowDeselect={false} searchable onChange={(c) => c && onPick(c)} data-testid={testId} style={{ flex: 1 }} />
  );
  const crsInput = (value: string, onPick: (s: string) => void, testId: string) => (
    <Autocomplete size="xs" label={t('clean.map.srs')} data={COMMON_CRS.map((c) => c.value)} value={value} onChange={onPick} data-testid={testId} style={{ flex: 1 }} />
  );

  // Nomenclature fields read from a column: the file's values the SINP lists do not know, in the first rows.
  const valueFields = TARGET_FIELDS.filter((f) => f.kind === 'nomenclature' && mapping.fields[f.key] && 'column' in (mapping.fields[f.key] as object));

  return (
    <Stack gap="md" data-testid="mapping-editor">
      <Stack gap={4}>
        <Group justify="space-between">
          <Title order={6}>{t('clean.map.fields')}</Title>
          <Switch size="xs" label={t('clean.map.allFields', { count: TARGET_FIELDS.length })} checked={all} onChange={(e) => setAll(e.currentTarget.checked)} data-testid="mapping-all" />
        </Group>
        <Table fz="xs" verticalSpacing={2} withRowBorders={false}>
          <Table.Tbody>
            {shown.map((f) => {
              const mv = mapping.fields[f.key];
              const value = !mv ? '' : 'column' in mv ? `col:${mv.column}` : 'const';
              return (
                <Table.Tr key={f.key} data-testid="mapping-field" data-field={f.key} data-source={value}>
                  <Table.Td style={{ width: '45%' }}>
                    <Text size="xs" fw={mv ? 600 : 400}>
                      {f.label[lang]}
                      {MANDATORY_FIELDS.includes(f.key) && (
                        <Text span c="red" size="xs">
                          {' '}
                          *
                        </Text>
                      )}
                    </Text>
                    <Text size="10px" c="dimmed" ff="monospace">
                      {f.key}
                    </Text>
                  </Table.Td>
                  <Table.Td>
                    <Group gap={4} wrap="nowrap">
                      <Select
                        size="xs"
                        data={sourceData}
                        value={value}
                        allowDeselect={false}
                        searchable
                        aria-label={f.label[lang]}
                        onChange={(v) => setField(f.key, !v ? null : v === 'const' ? { value: mv && 'value' in mv ? mv.value : '' } : { column: v.slice(4) })}
                        data-testid={`map-${f.key}`}
                        style={{ flex: 1 }}
                      />
                      {mv && 'value' in mv && <ConstantInput field={f} value={mv.value} onChange={(v) => setField(f.key, { value: v })} />}
                    </Group>
                  </Table.Td>
                </Table.Tr>
              );
            })}
          </Table.Tbody>
        </Table>
        <Text size="xs" c="dimmed">
          {t('clean.map.mandatoryHint')}
        </Text>
      </Stack>

      <Stack gap={6}>
        <Group justify="space-between">
          <Title order={6}>{t('clean.map.geometry')}</Title>
          <Menu position="bottom-end">
            <Menu.Target>
              <Button size="compact-xs" variant="light" disabled={mapping.geometry.length >= 5} data-testid="geom-add">
                {t('clean.map.addGeometry')}
              </Button>
            </Menu.Target>
            <Menu.Dropdown>
              <Menu.Item onClick={() => addGeometry('xy')} data-testid="geom-add-xy">
                {t('clean.map.kind.xy')}
              </Menu.Item>
              <Menu.Item onClick={() => addGeometry('wkt')} data-testid="geom-add-wkt">
                {t('clean.map.kind.wkt')}
              </Menu.Item>
              <Menu.Item onClick={() => addGeometry('area')} data-testid="geom-add-area">
                {t('clean.map.kind.area')}
              </Menu.Item>
              {sniff.format !== 'csv' && (
                <Menu.Item onClick={() => addGeometry('native')} data-testid="geom-add-native">
                  {t('clean.map.kind.native')}
                </Menu.Item>
              )}
            </Menu.Dropdown>
          </Menu>
        </Group>
        {mapping.geometry.length === 0 && (
          <Text size="xs" c="orange" data-testid="geom-none">
            {t('clean.map.noGeometry')}
          </Text>
        )}
        {mapping.geometry.map((g, i) => (
          <Stack key={i} gap={4} p={6} style={{ border: '1px solid var(--mantine-color-default-border)', borderRadius: 4 }} data-testid="geom-source" data-kind={g.kind}>
            <Group justify="space-between" wrap="nowrap">
              <Badge size="sm" variant="light">
                {i + 1} · {t(`clean.map.kind.${g.kind}`)}
              </Badge>
              <Group gap={2}>
                <Tooltip label={t('clean.map.up')}>
                  <ActionIcon size="sm" variant="subtle" disabled={i === 0} onClick={() => moveGeometry(i, -1)} aria-label={t('clean.map.up')}>
                    <IconArrowUp size={14} />
                  </ActionIcon>
                </Tooltip>
                <Tooltip label={t('clean.map.down')}>
                  <ActionIcon size="sm" variant="subtle" disabled={i === mapping.geometry.length - 1} onClick={() => moveGeometry(i, 1)} aria-label={t('clean.map.down')}>
                    <IconArrowDown size={14} />
                  </ActionIcon>
                </Tooltip>
                <Tooltip label={t('clean.map.remove')}>
                  <ActionIcon size="sm" variant="subtle" color="red" onClick={() => setGeometry(mapping.geometry.filter((_, j) => j !== i))} aria-label={t('clean.map.remove')} data-testid={`geom-${i}-remove`}>
                    <IconX size={14} />
                  </ActionIcon>
                </Tooltip>
              </Group>
            </Group>
            {g.kind === 'xy' && (
              <Group gap="xs" wrap="nowrap" align="flex-end">
                {columnSelect(g.x, (c) => patchGeometry(i, { ...g, x: c }), t('clean.map.x'), `geom-${i}-x`)}
                {columnSelect(g.y, (c) => patchGeometry(i, { ...g, y: c }), t('clean.map.y'), `geom-${i}-y`)}
                {crsInput(g.srs, (s) => patchGeometry(i, { ...g, srs: s }), `geom-${i}-srs`)}
              </Group>
            )}
            {g.kind === 'wkt' && (
              <Group gap="xs" wrap="nowrap" align="flex-end">
                {columnSelect(g.column, (c) => patchGeometry(i, { ...g, column: c }), t('clean.map.column'), `geom-${i}-column`)}
                {crsInput(g.srs, (s) => patchGeometry(i, { ...g, srs: s }), `geom-${i}-srs`)}
              </Group>
            )}
            {g.kind === 'area' && (
              <Group gap="xs" wrap="nowrap" align="flex-end">
                {columnSelect(g.column, (c) => patchGeometry(i, { ...g, column: c }), t('clean.map.column'), `geom-${i}-column`)}
                <Select
                  size="xs"
                  label={t('clean.map.areaType')}
                  data={AREA_TYPES.map((a) => ({ value: a, label: t(`clean.map.area.${a}`) }))}
                  value={g.areaType}
                  allowDeselect={false}
                  onChange={(a) => a && patchGeometry(i, { ...g, areaType: a as (typeof AREA_TYPES)[number] })}
                  style={{ flex: 1 }}
                />
              </Group>
            )}
            {g.kind === 'native' && (
              <Text size="xs" c="dimmed">
                {t('clean.map.nativeHint', { srs: sniff.srs ?? '?' })}
              </Text>
            )}
          </Stack>
        ))}
        {mapping.geometry.length > 1 && (
          <Text size="xs" c="dimmed">
            {t('clean.map.geometryOrder')}
          </Text>
        )}
      </Stack>

      <Autocomplete
        size="xs"
        label={t('clean.map.dateFormat')}
        description={t('clean.map.dateFormatHint')}
        data={['auto', ...DATE_PATTERNS]}
        value={mapping.dateFormat}
        onChange={(v) => onChange({ ...mapping, dateFormat: v || 'auto' })}
        data-testid="map-date-format"
      />

      {valueFields.length > 0 && (
        <Stack gap={6} data-testid="value-maps">
          <Title order={6}>{t('clean.map.values')}</Title>
          {valueFields.map((f) => (
            <ValueMap key={f.key} field={f} sniff={sniff} mapping={mapping} onChange={onChange} lang={lang} />
          ))}
        </Stack>
      )}
    </Stack>
  );
}

/** A constant: SINP codes for a nomenclature field, text otherwise. */
function ConstantInput({ field, value, onChange }: { field: TargetField; value: string; onChange: (v: string) => void }) {
  const { t } = useTranslation();
  if (field.kind === 'nomenclature')
    return <Select size="xs" data={codeOptions(field.type)} value={value || null} onChange={(v) => onChange(v ?? '')} placeholder={t('clean.map.constantValue')} searchable style={{ flex: 1 }} data-testid={`map-${field.key}-value`} />;
  return <TextInput size="xs" value={value} onChange={(e) => onChange(e.currentTarget.value)} placeholder={t('clean.map.constantValue')} style={{ flex: 1 }} data-testid={`map-${field.key}-value`} />;
}

/** One nomenclature field's own vocabulary: each file value the SINP list does not recognise → a SINP code. */
function ValueMap({ field, sniff, mapping, onChange, lang }: { field: TargetField; sniff: SniffResult; mapping: FieldMapping; onChange: (m: FieldMapping) => void; lang: Lang }) {
  const { t } = useTranslation();
  const [extra, setExtra] = useState('');
  const mv = mapping.fields[field.key];
  const column = mv && 'column' in mv ? sniff.columns.indexOf(mv.column) : -1;
  const explicit = mapping.values[field.key] ?? {};
  const seen = new Set<string>();
  for (const row of sniff.preview) {
    const v = column >= 0 ? row.cells[column] : null;
    if (v !== null && v !== undefined && v.trim() !== '') seen.add(v.trim());
  }
  const type = field.type ?? '';
  const unknown = [...seen].filter((v) => matchNomenclature(SYNTHESE_CATALOG, type, v) === null);
  const listed = [...new Set([...Object.keys(explicit), ...unknown])].sort();
  const recognised = [...seen].filter((v) => !listed.includes(v));
  const setValue = (v: string, code: string | null) => {
    const next = { ...explicit };
    if (code === null) delete next[v];
    else next[v] = code;
    const values = { ...mapping.values };
    if (Object.keys(next).length) values[field.key] = next;
    else delete values[field.key];
    onChange({ ...mapping, values });
  };
  return (
    <Stack gap={4} data-testid="value-map" data-field={field.key}>
      <Text size="xs" fw={600}>
        {field.label[lang]} <Text span size="xs" c="dimmed">({type})</Text>
      </Text>
      {listed.length === 0 && (
        <Text size="xs" c="dimmed">
          {t('clean.map.valuesAllKnown', { values: recognised.join(', ') || '—' })}
        </Text>
      )}
      {listed.map((v) => (
        <Group key={v} gap="xs" wrap="nowrap">
          <Text size="xs" ff="monospace" style={{ width: 140 }} truncate="end" c={explicit[v] ? undefined : 'red'}>
            {v}
          </Text>
          <Text size="xs">→</Text>
          <Select
            size="xs"
            data={codeOptions(field.type)}
            value={explicit[v] ?? null}
            onChange={(code) => setValue(v, code)}
            placeholder={t('clean.map.pickCode')}
            searchable
            clearable
            style={{ flex: 1 }}
            data-testid={`value-${field.key}-${v}`}
          />
        </Group>
      ))}
      <form
        onSubmit={(e) => {
          e.preventDefault();
          const v = extra.trim();
          if (!v) return;
          const first = SYNTHESE_CATALOG[type]?.values[0]?.code;
          if (first && explicit[v] === undefined) setValue(v, first);
          setExtra('');
        }}
      >
        <Group gap="xs" wrap="nowrap">
          <TextInput size="xs" placeholder={t('clean.map.addValue')} value={extra} onChange={(e) => setExtra(e.currentTarget.value)} style={{ flex: 1 }} />
          <Button size="compact-xs" variant="default" type="submit" disabled={!extra.trim()}>
            {t('clean.map.add')}
          </Button>
        </Group>
      </form>
    </Stack>
  );
}
