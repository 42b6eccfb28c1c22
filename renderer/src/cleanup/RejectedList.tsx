import { useCallback } from 'react';
import { Badge, Text } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import type { RejectedRow } from '../../../shared/contract/index.js';
import { useEngine } from '../api/engine.js';
import { bi, type Lang } from './format.js';
import { PagedTable } from './PagedTable.js';

/** The rows an import kept aside, each with its line, reason and raw text (`clean.rejected`, paged). */
export function RejectedList({ workspace, importId, total, lang }: { workspace: string; importId: number; total: number; lang: Lang }) {
  const { t } = useTranslation();
  const { client } = useEngine();
  const fetchPage = useCallback(
    async (offset: number, limit: number) => {
      const r = await client.call('clean.rejected', { workspace, importId, offset, limit });
      return r.ok ? { ok: true as const, value: r.value.rows } : r;
    },
    [client, workspace, importId],
  );
  return (
    <PagedTable<RejectedRow>
      testId="rejected-list"
      rowTestId="rejected-row"
      resetKey={`${workspace}#${importId}`}
      total={total}
      pageSize={200}
      height={Math.min(260, 34 + total * 28)}
      fetchPage={fetchPage}
      rowProps={(r) => ({ 'data-line': r.line, 'data-reason': r.reason })}
      columns={[
        { key: 'line', label: t('clean.preview.line'), width: 60, fixed: true, render: (r) => r.line },
        {
          key: 'reason',
          label: t('clean.rejected.reason'),
          width: 150,
          render: (r) => (
            <Badge size="xs" color="orange" variant="light">
              {t(`clean.reason.${r.reason}`)}
            </Badge>
          ),
        },
        { key: 'message', label: t('clean.rejected.message'), width: 280, render: (r) => bi(r.message, lang), title: (r) => bi(r.message, lang) },
        {
          key: 'raw',
          label: t('clean.rejected.raw'),
          width: 360,
          render: (r) => (
            <Text span size="xs" ff="monospace">
              {r.raw ?? '—'}
            </Text>
          ),
          title: (r) => r.raw ?? '',
        },
      ]}
    />
  );
}
