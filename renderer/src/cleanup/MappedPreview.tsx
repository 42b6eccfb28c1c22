import { useEffect, useState } from 'react';
import { Alert, Badge, Group, Loader, ScrollArea, Stack, Table, Text, Tooltip } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import type { ApiError, FieldMapping, MappedRow, ReadOptions } from '../../../shared/contract/index.js';
import { TARGET_FIELDS } from '../../../shared/cleanup/fields.js';
import { useEngine } from '../api/engine.js';
import { errorText } from '../i18n/index.js';
import { bi, show, type Lang } from './format.js';

const DEBOUNCE_MS = 300;

/**
 * The live preview of the wizard: the first rows of the file through the mapping being edited,
 * as the import would write them (`clean.previewMapping`), a cell with a problem in red with
 * its message, a row that would be kept aside with its reason.
 */
export function MappedPreview({ path, read, mapping, workspace, lang }: { path: string; read: ReadOptions; mapping: FieldMapping; workspace: string | null; lang: Lang }) {
  const { t } = useTranslation();
  const { client } = useEngine();
  const key = JSON.stringify({ path, read, mapping, workspace });
  const [result, setResult] = useState<{ key: string; rows: MappedRow[] | null; error: ApiError | null }>({ key: '', rows: null, error: null });
  const fresh = result.key === key;

  useEffect(() => {
    let alive = true;
    const input = JSON.parse(key) as { path: string; read: ReadOptions; mapping: FieldMapping; workspace: string | null };
    const timer = setTimeout(() => {
      void client.call('clean.previewMapping', { path: input.path, read: input.read, mapping: input.mapping, rows: 20, ...(input.workspace ? { workspace: input.workspace } : {}) }).then((r) => {
        if (alive) setResult({ key, rows: r.ok ? r.value.rows : null, error: r.ok ? null : r.error });
      });
    }, DEBOUNCE_MS);
    return () => {
      alive = false;
      clearTimeout(timer);
    };
  }, [client, key]);

  const rows = result.rows ?? [];
  // The mapped fields, and those the import fills itself (the end date from the start date…).
  const fields = TARGET_FIELDS.filter((f) => mapping.fields[f.key] !== undefined || rows.some((r) => r.values[f.key] !== undefined && r.values[f.key] !== null));
  const fieldsByKey = new Map(TARGET_FIELDS.map((f) => [f.key, f.label[lang]]));
  const problems = rows.reduce((n, r) => n + r.problems.length, 0);
  const rejected = rows.filter((r) => r.rejected).length;

  return (
    <div data-testid="mapped-preview" data-fresh={fresh} data-rows={rows.length} data-problems={problems} data-rejected={rejected}>
      <Group gap="xs" mb={4}>
        <Text size="sm" fw={600}>
          {t('clean.preview.title')}
        </Text>
        {!fresh && <Loader size={14} />}
        {result.rows && (
          <>
            <Badge size="sm" variant="light" color={problems ? 'red' : 'teal'} data-testid="mapped-problems">
              {t('clean.preview.problems', { count: problems })}
            </Badge>
            <Badge size="sm" variant="light" color={rejected ? 'orange' : 'teal'}>
              {t('clean.preview.rejected', { count: rejected })}
            </Badge>
          </>
        )}
      </Group>
      {result.error && (
        <Alert color="red" variant="light" data-testid="mapped-error">
          {errorText(t, result.error)}
        </Alert>
      )}
      <ScrollArea type="auto" h={420} style={{ opacity: fresh ? 1 : 0.6 }}>
        <Table fz="xs" striped withTableBorder withColumnBorders verticalSpacing={2} style={{ whiteSpace: 'nowrap' }}>
          <Table.Thead style={{ position: 'sticky', top: 0, background: 'var(--mantine-color-body)', zIndex: 1 }}>
            <Table.Tr>
              <Table.Th>{t('clean.preview.line')}</Table.Th>
              <Table.Th>{t('clean.preview.status')}</Table.Th>
              {fields.map((f) => (
                <Table.Th key={f.key} title={f.key}>
                  {f.label[lang]}
                </Table.Th>
              ))}
              <Table.Th>{t('clean.preview.geometry')}</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {rows.map((r) => {
              const byField = new Map<string, string[]>();
              for (const p of r.problems) byField.set(p.field, [...(byField.get(p.field) ?? []), bi(p.message, lang)]);
              const geomProblem = byField.get('geom');
              return (
                <Table.Tr key={r.line} data-testid="mapped-row" data-line={r.line} data-rejected={r.rejected ?? ''}>
                  <Table.Td>{r.line}</Table.Td>
                  <Table.Td style={{ minWidth: 150 }}>
                    {r.rejected ? (
                      <Tooltip label={geomProblem?.join(' · ') ?? r.rejected} multiline maw={360}>
                        <Badge size="xs" color="orange">
                          {t(`clean.reason.${r.rejected}`)}
                        </Badge>
                      </Tooltip>
                    ) : r.problems.length ? (
                      <Badge size="xs" color="red" variant="light">
                        {t('clean.preview.problems', { count: r.problems.length })}
                      </Badge>
                    ) : (
                      <Badge size="xs" color="teal" variant="light">
                        OK
                      </Badge>
                    )}
                  </Table.Td>
                  {fields.map((f) => {
                    const msg = byField.get(f.key);
                    return (
                      <Table.Td key={f.key} data-field={f.key} data-problem={msg ? 'true' : undefined} style={msg ? { background: 'var(--mantine-color-red-light)', color: 'var(--mantine-color-red-light-color)' } : undefined} title={msg?.join(' · ')}>
                        {show(r.values[f.key])}
                      </Table.Td>
                    );
                  })}
                  <Table.Td data-field="geom" data-problem={geomProblem && !r.rejected ? 'true' : undefined} title={geomProblem?.join(' · ')}>
                    {r.geometry ? `${r.geometry.type} ${r.geometry.lon.toFixed(5)} ${r.geometry.lat.toFixed(5)}` : '—'}
                  </Table.Td>
                </Table.Tr>
              );
            })}
          </Table.Tbody>
        </Table>
      </ScrollArea>
      {problems > 0 && (
        <ScrollArea.Autosize mah={120} type="auto" mt={4}>
          <Stack gap={0} data-testid="mapped-problem-list">
            {rows.flatMap((r) =>
              r.problems.map((p, i) => (
                <Text key={`${r.line}-${i}`} size="xs" c={r.rejected ? 'orange' : 'red'}>
                  {p.code.startsWith('rejected.')
                    ? t('clean.preview.rejectedLine', { line: r.line, message: bi(p.message, lang) })
                    : t('clean.preview.problemLine', { line: r.line, field: p.field === 'geom' ? t('clean.preview.geometry') : (fieldsByKey.get(p.field) ?? p.field), message: bi(p.message, lang) })}
                </Text>
              )),
            )}
          </Stack>
        </ScrollArea.Autosize>
      )}
    </div>
  );
}
