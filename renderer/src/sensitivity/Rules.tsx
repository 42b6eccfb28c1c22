import { useEffect, useState, type ReactNode } from 'react';
import { Alert, Badge, Button, Group, Pagination, SegmentedControl, Stack, Table, Text, TextInput } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import type { ApiError, SensitivityRuleView } from '../../../shared/contract/index.js';
import { useEngine } from '../api/engine.js';
import { errorText } from '../i18n/index.js';
import { LevelBadge } from './common.js';
import { areasText, monthDay, originText, wrapsYearEnd } from './format.js';

/** A rule's period in words, flagged when it wraps the year end. */
export function PeriodText({ period }: { period: SensitivityRuleView['period'] }) {
  const { t, i18n } = useTranslation();
  if (!period) return <>{t('sens.rules.any')}</>;
  return (
    <Group gap={4} wrap="nowrap" component="span" data-testid="sens-period" data-start={period.start} data-end={period.end}>
      <span>{t('sens.rules.periodRange', { start: monthDay(period.start, i18n.language), end: monthDay(period.end, i18n.language) })}</span>
      {wrapsYearEnd(period) && (
        <Badge size="xs" variant="light" color="cyan" style={{ flex: 'none' }}>
          {t('sens.rules.wraps')}
        </Badge>
      )}
    </Group>
  );
}

/** Every criterion of a rule, one line each ("any" when not set). */
export function RuleCriteria({ rule }: { rule: SensitivityRuleView }) {
  const { t } = useTranslation();
  const bio = rule.bioStatus?.map((c) => `${c} ${t(`sens.bioStatus.${c}`, { defaultValue: '' })}`.trim()).join(', ');
  const rows: Array<[string, ReactNode]> = [
    [t('sens.rules.territory'), areasText(rule.territory) ?? t('sens.rules.any')],
    [t('sens.rules.period'), <PeriodText key="p" period={rule.period} />],
    [t('sens.rules.duration'), rule.durationYears === null ? t('sens.rules.forever') : t('sens.rules.years', { count: rule.durationYears })],
    [t('sens.rules.bio'), bio ?? t('sens.rules.any')],
    [t('sens.rules.behaviour'), rule.behaviour?.join(', ') ?? t('sens.rules.any')],
  ];
  return (
    <Table fz="xs" withRowBorders={false} verticalSpacing={0} horizontalSpacing={4}>
      <Table.Tbody>
        {rows.map(([k, v]) => (
          <Table.Tr key={k}>
            <Table.Td c="dimmed" w={110}>
              {k}
            </Table.Td>
            <Table.Td>{v}</Table.Td>
          </Table.Tr>
        ))}
      </Table.Tbody>
    </Table>
  );
}

/** One rule as a table row: level, taxon, origin, criteria, comment. */
function RuleRow({ rule, action }: { rule: SensitivityRuleView; action?: ReactNode }) {
  const { t } = useTranslation();
  return (
    <Table.Tr data-testid="sens-rule" data-rule-id={rule.id} data-cdnom={rule.cdNom}>
      <Table.Td>
        <LevelBadge level={rule.level} short />
      </Table.Td>
      <Table.Td>
        <Text size="xs" fw={600}>
          {rule.nomCite ?? '—'}
        </Text>
        <Text size="xs" c="dimmed">
          cd_nom {rule.cdNom}
        </Text>
        <Group gap={4}>
          {rule.local && (
            <Badge size="xs" color="grape" variant="light">
              {t('sens.rules.local')}
            </Badge>
          )}
          {!rule.active && (
            <Badge size="xs" color="gray">
              {t('sens.rules.inactive')}
            </Badge>
          )}
        </Group>
      </Table.Td>
      <Table.Td>
        <RuleCriteria rule={rule} />
      </Table.Td>
      <Table.Td>
        <Text size="xs">{originText(rule.origin, (line) => t('sens.rules.line', { line }))}</Text>
        {rule.comment && (
          <Text size="xs" c="dimmed" fs="italic">
            {rule.comment}
          </Text>
        )}
      </Table.Td>
      {action !== undefined && <Table.Td>{action}</Table.Td>}
    </Table.Tr>
  );
}

const PAGE = 20;
const SOURCES = ['all', 'pulled', 'files', 'local'] as const;
type RuleSource = (typeof SOURCES)[number];

/** The rules the workspace holds, by source (pulled from GeoNature, loaded files, local), paged, filtered by taxon. */
export function RulesBrowser({ workspace, version }: { workspace: string; version: number }) {
  const { t } = useTranslation();
  const { client } = useEngine();
  const [source, setSource] = useState<RuleSource>('all');
  const [cdNom, setCdNom] = useState('');
  const [page, setPage] = useState(1);
  const [data, setData] = useState<{ total: number; rules: SensitivityRuleView[] } | null>(null);
  const [error, setError] = useState<ApiError | null>(null);
  const taxon = /^\d+$/.test(cdNom.trim()) ? Number(cdNom.trim()) : undefined;

  useEffect(() => {
    let alive = true;
    void client.call('sensitivity.rules', { workspace, source, ...(taxon !== undefined ? { cdNom: taxon } : {}), offset: (page - 1) * PAGE, limit: PAGE }).then((r) => {
      if (!alive) return;
      setData(r.ok ? r.value : null);
      setError(r.ok ? null : r.error);
    });
    return () => {
      alive = false;
    };
  }, [client, workspace, source, taxon, page, version]);

  return (
    <Stack gap="xs" data-testid="sens-rules">
      <Group gap="xs" align="flex-end">
        <SegmentedControl
          size="xs"
          value={source}
          onChange={(v) => {
            setSource(v as RuleSource);
            setPage(1);
          }}
          data={SOURCES.map((s) => ({ value: s, label: t(`sens.source.${s}`) }))}
        />
        <TextInput
          size="xs"
          w={120}
          placeholder="cd_nom"
          aria-label="cd_nom"
          value={cdNom}
          onChange={(e) => {
            setCdNom(e.currentTarget.value);
            setPage(1);
          }}
        />
        {data && <Text size="xs" c="dimmed">{t('sens.rules.total', { count: data.total })}</Text>}
      </Group>
      {error && <Alert color="red">{errorText(t, error)}</Alert>}
      {data && data.rules.length === 0 && (
        <Text size="sm" c="dimmed">
          {t('sens.rules.none')}
        </Text>
      )}
      {data && data.rules.length > 0 && (
        <Table.ScrollContainer minWidth={560}>
          <Table fz="xs" striped verticalSpacing={4}>
            <Table.Tbody>
              {data.rules.map((r) => (
                <RuleRow key={r.id} rule={r} />
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      )}
      {data && data.total > PAGE && <Pagination size="xs" total={Math.ceil(data.total / PAGE)} value={page} onChange={setPage} />}
    </Stack>
  );
}

/** The park's own rules, each removable. */
export function LocalRulesList({ workspace, version, onChanged }: { workspace: string; version: number; onChanged: () => void }) {
  const { t } = useTranslation();
  const { client } = useEngine();
  const [rules, setRules] = useState<SensitivityRuleView[] | null>(null);
  const [error, setError] = useState<ApiError | null>(null);

  useEffect(() => {
    let alive = true;
    void client.call('sensitivity.rules', { workspace, source: 'local', limit: 1000 }).then((r) => {
      if (!alive) return;
      setRules(r.ok ? r.value.rules : null);
      setError(r.ok ? null : r.error);
    });
    return () => {
      alive = false;
    };
  }, [client, workspace, version]);

  const remove = async (id: string) => {
    const r = await client.call('sensitivity.removeLocalRule', { workspace, id });
    if (!r.ok) setError(r.error);
    onChanged();
  };

  return (
    <Stack gap="xs" data-testid="sens-local-rules">
      {error && <Alert color="red">{errorText(t, error)}</Alert>}
      {rules && rules.length === 0 && (
        <Text size="sm" c="dimmed">
          {t('sens.local.empty')}
        </Text>
      )}
      {rules && rules.length > 0 && (
        <Table.ScrollContainer minWidth={560}>
          <Table fz="xs" striped verticalSpacing={4}>
            <Table.Tbody>
              {rules.map((r) => (
                <RuleRow
                  key={r.id}
                  rule={r}
                  action={
                    <Button size="compact-xs" variant="subtle" color="red" onClick={() => void remove(r.id)} data-testid="sens-local-remove">
                      {t('sens.local.remove')}
                    </Button>
                  }
                />
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      )}
    </Stack>
  );
}
