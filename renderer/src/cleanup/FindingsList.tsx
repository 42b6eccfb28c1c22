import { useCallback } from 'react';
import { ActionIcon, Text, Tooltip } from '@mantine/core';
import { IconMapPin } from '@tabler/icons-react';
import { useTranslation } from 'react-i18next';
import type { CheckId, CleanFinding } from '../../../shared/contract/index.js';
import { useEngine } from '../api/engine.js';
import { bi, fieldLabel, isLonLat, show, type Lang } from './format.js';
import { PagedTable } from './PagedTable.js';

/**
 * One check's findings, all of them, paged from the engine as the user scrolls: the
 * observation, the source line, the field, the value, the message and the suggested fix.
 */
export function FindingsList({
  workspace,
  runId,
  check,
  total,
  lang,
  selectedFid,
  onSelect,
  onShowOnMap,
}: {
  workspace: string;
  runId: string;
  check: CheckId;
  total: number;
  lang: Lang;
  selectedFid: number | null;
  onSelect: (f: CleanFinding) => void;
  onShowOnMap: (f: CleanFinding) => void;
}) {
  const { t } = useTranslation();
  const { client } = useEngine();
  const fetchPage = useCallback(
    async (offset: number, limit: number) => {
      const r = await client.call('clean.findings', { workspace, runId, check, offset, limit });
      return r.ok ? { ok: true as const, value: r.value.findings } : r;
    },
    [client, workspace, runId, check],
  );
  const suggestion = (f: CleanFinding) => (f.suggestion ? (f.suggestion.value !== undefined && f.suggestion.value !== null ? show(f.suggestion.value) : t(`clean.fix.kind.${f.suggestion.fix}`)) : '');
  return (
    <PagedTable<CleanFinding>
      testId="clean-findings"
      rowTestId="clean-finding"
      resetKey={`${runId}#${check}`}
      total={total}
      pageSize={200}
      height={Math.min(300, 34 + total * 28)}
      fetchPage={fetchPage}
      onRowClick={onSelect}
      selected={(f) => f.fid === selectedFid}
      rowProps={(f) => ({ 'data-fid': f.fid, 'data-field': f.field })}
      columns={[
        {
          key: 'map',
          label: '',
          width: 30,
          fixed: true,
          render: (f) =>
            f.geometry && isLonLat(f.geometry) ? (
              <Tooltip label={t('clean.findings.showOne')}>
                <ActionIcon
                  size="xs"
                  variant="subtle"
                  aria-label={t('clean.findings.showOne')}
                  onClick={(e) => {
                    e.stopPropagation();
                    onShowOnMap(f);
                  }}
                  data-testid="clean-finding-map"
                >
                  <IconMapPin size={14} />
                </ActionIcon>
              </Tooltip>
            ) : null,
        },
        { key: 'fid', label: t('clean.findings.fid'), width: 70, fixed: true, render: (f) => f.fid },
        { key: 'line', label: t('clean.preview.line'), width: 50, fixed: true, render: (f) => (f.line === null ? '—' : f.line) },
        { key: 'field', label: t('clean.findings.field'), width: 110, render: (f) => fieldLabel(f.field, lang), title: (f) => f.field },
        { key: 'value', label: t('clean.findings.value'), width: 150, render: (f) => show(f.value), title: (f) => show(f.value) },
        { key: 'message', label: t('clean.findings.message'), width: 260, render: (f) => bi(f.message, lang), title: (f) => bi(f.message, lang) },
        {
          key: 'suggestion',
          label: t('clean.findings.suggestion'),
          width: 140,
          render: (f) => (
            <Text span size="xs" c="teal">
              {suggestion(f)}
            </Text>
          ),
          title: suggestion,
        },
      ]}
    />
  );
}
