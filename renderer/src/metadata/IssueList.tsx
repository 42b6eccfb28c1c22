import { useState } from 'react';
import { Badge, Group, SegmentedControl, Stack, Text, UnstyledButton } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import type { MetadataIssueView, MetadataValidation } from '../../../shared/contract/index.js';
import type { Lang } from './format.js';

/**
 * Every validation issue of the workspace, by record: what is wrong and how to fix it, in the
 * user's language. Clicking one opens the record and focuses the field.
 */
export function IssueList({ validation, lang, onPick }: { validation: MetadataValidation; lang: Lang; onPick: (issue: MetadataIssueView) => void }) {
  const { t } = useTranslation();
  const [filter, setFilter] = useState<'all' | 'error' | 'warning'>('all');
  const shown = validation.issues.filter((i) => filter === 'all' || i.severity === filter);
  const groups = new Map<string, MetadataIssueView[]>();
  for (const i of shown) groups.set(`${i.entity}:${i.uuid}`, [...(groups.get(`${i.entity}:${i.uuid}`) ?? []), i]);
  return (
    <Stack gap={6} data-testid="meta-issues" data-errors={validation.errors} data-warnings={validation.warnings}>
      <Group justify="space-between" gap={6} wrap="wrap">
        <Group gap={6}>
          <Text size="sm" fw={700}>
            {t('meta.issues.title')}
          </Text>
          {validation.valid ? (
            <Badge size="xs" color="teal" data-testid="meta-valid">
              {t('meta.issues.valid')}
            </Badge>
          ) : (
            <Badge size="xs" color="red">
              {t('meta.issues.errors', { count: validation.errors })}
            </Badge>
          )}
          {validation.warnings > 0 && (
            <Badge size="xs" color="orange">
              {t('meta.issues.warnings', { count: validation.warnings })}
            </Badge>
          )}
        </Group>
        <SegmentedControl
          size="xs"
          value={filter}
          onChange={(v) => setFilter(v === 'error' || v === 'warning' ? v : 'all')}
          data={[
            { value: 'all', label: t('meta.issues.all') },
            { value: 'error', label: t('meta.issues.onlyErrors') },
            { value: 'warning', label: t('meta.issues.onlyWarnings') },
          ]}
        />
      </Group>
      {shown.length === 0 && (
        <Text size="xs" c="dimmed">
          {t('meta.issues.none')}
        </Text>
      )}
      {[...groups.values()].map((list) => {
        const first = list[0] as MetadataIssueView;
        return (
          <Stack key={`${first.entity}:${first.uuid}`} gap={2}>
            <Text size="xs" fw={700} c="dimmed" truncate="end" title={first.name}>
              {t(`meta.entity.${first.entity}`)} · {first.name || first.uuid}
            </Text>
            {list.map((i, n) => (
              <UnstyledButton
                key={n}
                onClick={() => onPick(i)}
                style={{ borderLeft: `3px solid var(--mantine-color-${i.severity === 'error' ? 'red' : 'orange'}-6)`, paddingLeft: 6, borderRadius: 2 }}
                data-testid="meta-issue"
                data-uuid={i.uuid}
                data-field={i.field}
                data-rule={i.rule}
                data-severity={i.severity}
              >
                <Text size="xs">{i[lang].message}</Text>
                <Text size="xs" c="dimmed">
                  {t('meta.issues.fix')} {i[lang].fix}
                </Text>
              </UnstyledButton>
            ))}
          </Stack>
        );
      })}
    </Stack>
  );
}
