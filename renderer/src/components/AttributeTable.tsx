import { useEffect, useMemo, useRef, useState } from 'react';
import { Alert, Group, Loader, ScrollArea, Text } from '@mantine/core';
import { useVirtualizer } from '@tanstack/react-virtual';
import { useTranslation } from 'react-i18next';
import type { ApiError, GpkgColumn, Row } from '../../../shared/contract/index.js';
import { useEngine } from '../api/engine.js';
import { errorText } from '../i18n/index.js';

const PAGE = 200;
const ROW_HEIGHT = 26;

function show(v: unknown): string {
  if (v === null || v === undefined) return '';
  if (typeof v === 'object') return 'blob' in (v as object) ? `BLOB ${(v as { blob: number }).blob} o` : JSON.stringify(v);
  return String(v);
}

/**
 * A layer's attribute table, virtualised: only the visible rows are in the DOM, and pages
 * of 200 rows are fetched from the engine as the user scrolls (a million rows stay smooth).
 */
export function AttributeTable({ path, layer, onRowClick, selectedFid }: { path: string; layer: string; onRowClick: (fid: number) => void; selectedFid: number | null }) {
  const { t } = useTranslation();
  const { client } = useEngine();
  const [columns, setColumns] = useState<GpkgColumn[]>([]);
  const [geometryColumn, setGeometryColumn] = useState<string | null>(null);
  const [total, setTotal] = useState<number | null>(null);
  const [pages, setPages] = useState<Map<number, Row[]>>(new Map());
  const [error, setError] = useState<ApiError | null>(null);
  const loading = useRef(new Set<number>());
  const viewport = useRef<HTMLDivElement>(null);

  const loadPage = useMemo(
    () => async (page: number, withCount: boolean) => {
      if (loading.current.has(page)) return;
      loading.current.add(page);
      const r = await client.call('gpkg.rows', { path, layer, offset: page * PAGE, limit: PAGE, geometry: 'summary', count: withCount });
      if (!r.ok) {
        setError(r.error);
        return;
      }
      if (withCount) {
        setColumns(r.value.columns);
        setGeometryColumn(r.value.geometryColumn);
        setTotal(r.value.total);
      }
      setPages((prev) => new Map(prev).set(page, r.value.rows));
    },
    [client, path, layer],
  );

  useEffect(() => {
    loading.current.clear();
    void loadPage(0, true);
  }, [loadPage]);

  const count = total ?? 0;
  // TanStack Virtual hands back mutable functions React Compiler cannot memoise; we do not compile this component.
  // eslint-disable-next-line react-hooks/incompatible-library
  const virtualizer = useVirtualizer({ count, getScrollElement: () => viewport.current, estimateSize: () => ROW_HEIGHT, overscan: 20 });
  const items = virtualizer.getVirtualItems();
  const first = items[0]?.index ?? 0;
  const last = items[items.length - 1]?.index ?? 0;
  useEffect(() => {
    for (let p = Math.floor(first / PAGE); p <= Math.floor(last / PAGE); p++) if (!pages.has(p)) void loadPage(p, false);
  }, [first, last, pages, loadPage]);

  const header = ['fid', ...(geometryColumn ? [geometryColumn] : []), ...columns.filter((c) => !c.primaryKey).map((c) => c.name)];
  const width = (name: string) => (name === 'fid' ? 80 : 160);
  const totalWidth = header.reduce((s, h) => s + width(h), 0);

  if (error) return <Alert color="red">{errorText(t, error)}</Alert>;
  if (total === null)
    return (
      <Group p="sm" gap="xs">
        <Loader size="xs" />
        <Text size="sm">{t('table.loading')}</Text>
      </Group>
    );
  return (
    <div data-testid="attribute-table" data-total={total} style={{ height: '100%', display: 'flex', flexDirection: 'column' }}>
      <Text size="xs" c="dimmed" px="xs" py={2}>
        {t('table.rows', { count: total, layer })}
      </Text>
      <ScrollArea viewportRef={viewport} style={{ flex: 1 }} type="auto">
        <div style={{ width: totalWidth, fontSize: 12 }}>
          <div style={{ display: 'flex', position: 'sticky', top: 0, zIndex: 1, background: 'var(--mantine-color-body)', borderBottom: '1px solid var(--mantine-color-default-border)', fontWeight: 700 }}>
            {header.map((h) => (
              <div key={h} style={{ width: width(h), padding: '4px 6px', overflow: 'hidden', textOverflow: 'ellipsis', whiteSpace: 'nowrap' }} title={h}>
                {h}
              </div>
            ))}
          </div>
          <div style={{ height: virtualizer.getTotalSize(), position: 'relative' }}>
            {items.map((it) => {
              const row = pages.get(Math.floor(it.index / PAGE))?.[it.index % PAGE];
              const fid = row?.fid ?? null;
              const cells = row
                ? [String(fid ?? ''), ...(geometryColumn ? [row.geometry ? (row.geometry.empty ? `${row.geometry.type} EMPTY` : row.geometry.type) : 'NULL'] : []), ...columns.filter((c) => !c.primaryKey).map((c) => show(row.values[c.name]))]
                : header.map(() => '…');
              return (
                <div
                  key={it.key}
                  data-testid="attribute-row"
                  onClick={() => fid !== null && onRowClick(fid)}
                  style={{
                    position: 'absolute',
                    top: it.start,
                    height: ROW_HEIGHT,
                    display: 'flex',
                    width: totalWidth,
                    cursor: fid !== null ? 'pointer' : undefined,
                    background: fid !== null && fid === selectedFid ? 'var(--mantine-primary-color-light)' : it.index % 2 ? 'var(--mantine-color-default-hover)' : undefined,
                  }}
                >
                  {cells.map((c, i) => (
                    <div key={i} style={{ width: width(header[i] ?? ''), padding: '4px 6px', overflow: 'hidden', textOverflow: 'ellipsis', whiteSpace: 'nowrap' }} title={c}>
                      {c}
                    </div>
                  ))}
                </div>
              );
            })}
          </div>
        </div>
      </ScrollArea>
    </div>
  );
}
