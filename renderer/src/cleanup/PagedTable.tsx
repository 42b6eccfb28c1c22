import { useEffect, useMemo, useRef, useState, type ReactNode } from 'react';
import { Alert, ScrollArea, Text } from '@mantine/core';
import { useVirtualizer } from '@tanstack/react-virtual';
import { useTranslation } from 'react-i18next';
import type { ApiError, Result } from '../../../shared/contract/index.js';
import { errorText } from '../i18n/index.js';

export interface PagedColumn<T> {
  key: string;
  label: string;
  width: number;
  render: (row: T) => ReactNode;
  /** Keeps its width (the others share the room left). */
  fixed?: boolean;
  /** The cell's tooltip (defaults to nothing). */
  title?: (row: T) => string;
}

const ROW_HEIGHT = 28;

/**
 * A long list as the app's attribute table shows one: virtualised (only the visible rows are in
 * the DOM) and fetched page by page as the user scrolls, so a million findings or changed values
 * stay smooth. `resetKey` names the list: a new key starts again from its first page.
 */
export function PagedTable<T>({
  resetKey,
  total,
  pageSize,
  fetchPage,
  initial,
  columns,
  height,
  rowTestId,
  rowProps,
  onRowClick,
  selected,
  testId,
}: {
  resetKey: string;
  total: number;
  pageSize: number;
  fetchPage: (offset: number, limit: number) => Promise<Result<T[]>>;
  /** The first page when the caller already has it. */
  initial?: T[];
  columns: PagedColumn<T>[];
  height: number;
  rowTestId: string;
  rowProps?: (row: T) => Record<string, string | number>;
  onRowClick?: (row: T) => void;
  selected?: (row: T) => boolean;
  testId: string;
}) {
  const { t } = useTranslation();
  const [state, setState] = useState<{ key: string; pages: Map<number, T[]>; error: ApiError | null }>({ key: '', pages: new Map(), error: null });
  const pages = useMemo(() => (state.key === resetKey ? state.pages : initial ? new Map([[0, initial]]) : new Map<number, T[]>()), [state, resetKey, initial]);
  const error = state.key === resetKey ? state.error : null;
  const loading = useRef(new Set<string>());
  const viewport = useRef<HTMLDivElement>(null);

  // TanStack Virtual hands back mutable functions React Compiler cannot memoise; this component is not compiled.
  // eslint-disable-next-line react-hooks/incompatible-library
  const virtualizer = useVirtualizer({ count: total, getScrollElement: () => viewport.current, estimateSize: () => ROW_HEIGHT, overscan: 12 });
  const items = virtualizer.getVirtualItems();
  const first = items[0]?.index ?? 0;
  const last = items[items.length - 1]?.index ?? 0;

  useEffect(() => {
    if (total === 0) return;
    for (let p = Math.floor(first / pageSize); p <= Math.floor(last / pageSize); p++) {
      if (pages.has(p)) continue;
      const id = `${resetKey}#${p}`;
      if (loading.current.has(id)) continue;
      loading.current.add(id);
      void fetchPage(p * pageSize, pageSize).then((r) => {
        loading.current.delete(id);
        setState((prev) => {
          const base = prev.key === resetKey ? prev : { key: resetKey, pages: initial ? new Map([[0, initial]]) : new Map<number, T[]>(), error: null };
          if (!r.ok) return { ...base, error: r.error };
          const next = new Map(base.pages);
          next.set(p, r.value);
          return { ...base, pages: next };
        });
      });
    }
  }, [first, last, pages, pageSize, resetKey, total, fetchPage, initial]);

  const width = columns.reduce((s, c) => s + c.width, 0);
  if (error) return <Alert color="red">{errorText(t, error)}</Alert>;
  return (
    <div data-testid={testId} data-total={total} style={{ height, display: 'flex', flexDirection: 'column', border: '1px solid var(--mantine-color-default-border)', borderRadius: 4 }}>
      <ScrollArea viewportRef={viewport} style={{ flex: 1 }} type="auto">
        <div style={{ minWidth: width, fontSize: 12 }}>
          <div style={{ display: 'flex', position: 'sticky', top: 0, zIndex: 1, background: 'var(--mantine-color-body)', borderBottom: '1px solid var(--mantine-color-default-border)', fontWeight: 700 }}>
            {columns.map((c) => (
              <div key={c.key} style={{ width: c.width, flex: c.fixed ? 'none' : `1 0 ${c.width}px`, padding: '4px 6px', overflow: 'hidden', textOverflow: 'ellipsis', whiteSpace: 'nowrap' }} title={c.label}>
                {c.label}
              </div>
            ))}
          </div>
          {total === 0 && (
            <Text size="xs" c="dimmed" p="xs">
              {t('clean.table.empty')}
            </Text>
          )}
          <div style={{ height: virtualizer.getTotalSize(), position: 'relative' }}>
            {items.map((it) => {
              const row = pages.get(Math.floor(it.index / pageSize))?.[it.index % pageSize];
              const hot = row !== undefined && selected?.(row);
              return (
                <div
                  key={it.key}
                  data-testid={row ? rowTestId : undefined}
                  {...(row && rowProps ? rowProps(row) : {})}
                  onClick={() => row && onRowClick?.(row)}
                  style={{
                    position: 'absolute',
                    top: it.start,
                    height: ROW_HEIGHT,
                    display: 'flex',
                    minWidth: width,
                    width: '100%',
                    alignItems: 'center',
                    cursor: onRowClick && row ? 'pointer' : undefined,
                    background: hot ? 'var(--mantine-primary-color-light)' : it.index % 2 ? 'var(--mantine-color-default-hover)' : undefined,
                  }}
                >
                  {columns.map((c) => (
                    <div key={c.key} style={{ width: c.width, flex: c.fixed ? 'none' : `1 0 ${c.width}px`, padding: '2px 6px', overflow: 'hidden', textOverflow: 'ellipsis', whiteSpace: 'nowrap' }} title={row && c.title ? c.title(row) : undefined}>
                      {row ? c.render(row) : '…'}
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
