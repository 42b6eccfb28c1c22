import { Badge, Group, Paper, Stack, Table, Text, Title } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import type { GateCheck, GateReport } from '../../../shared/contract/index.js';
import { formatBytes, langOf } from './format.js';

export const VERDICT_COLOR: Record<GateReport['verdict'], string> = { pass: 'teal', fail: 'red', incomplete: 'orange' };
const STATUS_COLOR: Record<GateCheck['status'], string> = { pass: 'teal', fail: 'red', warn: 'orange', skipped: 'gray' };

/** One finding in the UI language (`bundle.finding.<key>`), falling back to the engine's English. */
export function useFindingText() {
  const { t } = useTranslation();
  return (f: GateCheck['findings'][number]) => t(`bundle.finding.${f.key}`, { ...f.params, defaultValue: f.message });
}

/**
 * The gate's report: the verdict (pass only when every blocking check passed; incomplete when a
 * blocking check could not run), then every check with its status and its findings, each with
 * where it is (file and line, byte, page…).
 */
export function GateReportView({ report, testId }: { report: GateReport; testId: string }) {
  const { t, i18n } = useTranslation();
  const text = useFindingText();
  const lang = langOf(i18n.language);
  return (
    <Stack gap="xs" data-testid={testId} data-verdict={report.verdict}>
      <Group gap="sm" align="center">
        <Title order={5}>{t('bundle.gate.title')}</Title>
        <Badge size="lg" color={VERDICT_COLOR[report.verdict]} variant="filled" data-testid={`${testId}-verdict`} data-verdict={report.verdict}>
          {t(`bundle.gate.verdict.${report.verdict}`)}
        </Badge>
      </Group>
      <Text size="xs" c="dimmed">
        {t(`bundle.gate.verdictHint.${report.verdict}`)}
      </Text>
      <Text size="xs" c="dimmed">
        {report.bundle ? `${t('bundle.gate.bundle', { id: report.bundle.id, version: report.bundle.version, audience: report.bundle.audience, asOf: report.bundle.asOf })} · ` : ''}
        {t('bundle.gate.stats', { files: report.stats.files, size: formatBytes(report.stats.bytes, lang), secret: report.stats.secretPoints })}
      </Text>
      <Paper withBorder p={0}>
        <Table fz="xs" verticalSpacing={4} layout="fixed">
          <Table.Thead>
            <Table.Tr>
              <Table.Th w="42%">{t('bundle.gate.check')}</Table.Th>
              <Table.Th w={110}>{t('bundle.gate.status')}</Table.Th>
              <Table.Th>{t('bundle.gate.findings')}</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {report.checks.map((c) => (
              <Table.Tr key={c.id} data-testid={`${testId}-check`} data-check={c.id} data-status={c.status} data-findings={c.findings.length + c.more} style={{ verticalAlign: 'top' }}>
                <Table.Td>
                  <Text size="xs" fw={500}>
                    {t(`bundle.check.${c.id}`)}
                  </Text>
                  {!c.blocking && (
                    <Text size="xs" c="dimmed">
                      {t('bundle.gate.notBlocking')}
                    </Text>
                  )}
                </Table.Td>
                <Table.Td>
                  <Badge size="sm" color={STATUS_COLOR[c.status]} variant={c.status === 'pass' ? 'light' : 'filled'}>
                    {t(`bundle.gate.statusName.${c.status}`)}
                  </Badge>
                </Table.Td>
                <Table.Td>
                  <Stack gap={4}>
                    {c.findings.map((f, i) => (
                      <Stack key={i} gap={0} data-testid={`${testId}-finding`} data-key={f.key} data-where={f.where ?? ''} data-check={c.id}>
                        <Text size="xs" style={{ wordBreak: 'break-word' }}>
                          {text(f)}
                        </Text>
                        {f.where && (
                          <Text size="xs" c="dimmed" ff="monospace" style={{ wordBreak: 'break-all' }}>
                            {t('bundle.gate.where', { where: f.where })}
                          </Text>
                        )}
                      </Stack>
                    ))}
                    {c.more > 0 && (
                      <Text size="xs" c="dimmed">
                        {t('bundle.gate.more', { count: c.more })}
                      </Text>
                    )}
                  </Stack>
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      </Paper>
    </Stack>
  );
}
