import { Badge, Group, ScrollArea, Stack, Text, UnstyledButton } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import type { Finding, ValidationReport as Report } from '../../../shared/contract/index.js';

const COLORS = { error: 'red', warning: 'orange', info: 'blue' } as const;

/** The validator's report: a summary, then each finding — click one to zoom to its feature. */
export function ValidationReport({ report, onZoom }: { report: Report; onZoom: (f: Finding) => void }) {
  const { t } = useTranslation();
  const order = { error: 0, warning: 1, info: 2 } as const;
  const findings = [...report.findings].sort((a, b) => order[a.severity] - order[b.severity]);
  return (
    <Stack gap="xs" h="100%" data-testid="validation-report" data-clean={report.clean}>
      <Group gap="xs" px="xs" pt={4}>
        <Text size="sm" fw={700}>
          {report.clean ? t('report.clean') : t('report.notClean')}
        </Text>
        <Badge color="red" variant="light">
          {t('report.errors', { count: report.summary.errors })}
        </Badge>
        <Badge color="orange" variant="light">
          {t('report.warnings', { count: report.summary.warnings })}
        </Badge>
        <Badge color="blue" variant="light">
          {t('report.infos', { count: report.summary.infos })}
        </Badge>
      </Group>
      <ScrollArea style={{ flex: 1 }} type="auto" px="xs">
        <Stack gap={6} pb="xs">
          {findings.map((f, i) => (
            <UnstyledButton key={i} onClick={() => onZoom(f)} disabled={f.fid === null} data-testid="finding" data-rule={f.rule}>
              <Stack gap={0} style={{ borderLeft: `3px solid var(--mantine-color-${COLORS[f.severity]}-6)`, paddingLeft: 8 }}>
                <Group gap={6} wrap="nowrap">
                  <Badge size="xs" color={COLORS[f.severity]}>
                    {t(`report.severity.${f.severity}`)}
                  </Badge>
                  <Text size="xs" c="dimmed">
                    {f.requirement} · {f.rule}
                    {f.table ? ` · ${f.table}` : ''}
                    {f.fid !== null ? ` · fid ${f.fid}` : ''}
                    {f.count > 1 ? ` · ×${f.count}` : ''}
                  </Text>
                </Group>
                <Text size="sm">{t(`${f.key}.message`, { ...f.params, defaultValue: f.message })}</Text>
                <Text size="xs" c="dimmed">
                  {t('report.fix')} : {t(`${f.key}.fix`, { ...f.params, defaultValue: f.fix })}
                </Text>
              </Stack>
            </UnstyledButton>
          ))}
        </Stack>
      </ScrollArea>
    </Stack>
  );
}
