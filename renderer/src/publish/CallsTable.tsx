import { Badge, Paper, Table, Text } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import type { PublishCallView } from '../../../shared/contract/index.js';
import { formatBytes } from '../bundle/format.js';
import { useLang } from '../cleanup/common.js';
import { privateFlag, shortUrl } from './format.js';

const METHOD_COLOR: Record<PublishCallView['method'], string> = { GET: 'gray', POST: 'blue', PUT: 'orange', DELETE: 'red' };

/**
 * Every HTTP call of a publication, planned (dry run: nothing sent) or made: the method, where it
 * goes, what it does, the `private` flag it sends (a dataset is never made public but by the
 * explicit step), the file it carries, and for a call made, its status and attempts.
 */
export function CallsTable({ calls, baseUrl, testId }: { calls: readonly PublishCallView[]; baseUrl: string; testId: string }) {
  const { t } = useTranslation();
  const lang = useLang();
  const made = calls.some((c) => c.attempts > 0);
  return (
    <Paper withBorder p={0} mah={360} style={{ overflow: 'auto' }} data-testid={testId} data-count={calls.length}>
      <Table fz="xs" verticalSpacing={2} striped>
        <Table.Thead>
          <Table.Tr>
            <Table.Th w={28}>#</Table.Th>
            <Table.Th w={64}>{t('publish.calls.method')}</Table.Th>
            <Table.Th>{t('publish.calls.url')}</Table.Th>
            <Table.Th>{t('publish.calls.what')}</Table.Th>
            <Table.Th>{t('publish.calls.visibility')}</Table.Th>
            {made && <Table.Th>{t('publish.calls.status')}</Table.Th>}
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {calls.map((c, i) => {
            const priv = privateFlag(c);
            const file = c.body.kind === 'multipart' ? c.body.file : null;
            return (
              <Table.Tr key={i} data-testid={`${testId}-row`} data-method={c.method} data-url={c.url} data-step={c.step} data-private={priv === null ? '' : String(priv)} data-status={c.status ?? ''} style={{ verticalAlign: 'top' }}>
                <Table.Td>{i + 1}</Table.Td>
                <Table.Td>
                  <Badge size="xs" variant="light" color={METHOD_COLOR[c.method]}>
                    {c.method}
                  </Badge>
                </Table.Td>
                <Table.Td ff="monospace" title={c.url} style={{ wordBreak: 'break-all' }}>
                  {shortUrl(c.url, baseUrl)}
                </Table.Td>
                <Table.Td>
                  <Text size="xs">{t(`publish.step.${c.step}`)}</Text>
                  {c.file && (
                    <Text size="xs" c="dimmed" ff="monospace">
                      {c.file}
                      {file ? ` · ${formatBytes(file.bytes, lang)}` : ''}
                    </Text>
                  )}
                </Table.Td>
                <Table.Td>
                  {priv !== null && (
                    <Badge size="xs" variant={priv ? 'light' : 'filled'} color={priv ? 'teal' : 'red'} data-testid={`${testId}-private`}>
                      {priv ? t('publish.visibility.private') : t('publish.visibility.public')}
                    </Badge>
                  )}
                </Table.Td>
                {made && (
                  <Table.Td>
                    {c.status ?? '—'}
                    {c.attempts > 1 ? ` (${t('publish.calls.attempts', { count: c.attempts })})` : ''}
                  </Table.Td>
                )}
              </Table.Tr>
            );
          })}
        </Table.Tbody>
      </Table>
    </Paper>
  );
}
