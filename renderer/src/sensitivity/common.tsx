import { Badge, type MantineSize } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { levelColor } from './format.js';

/** A SENSIBILITE level in the map's colour, with its meaning ("3 · département"). */
export function LevelBadge({ level, size = 'sm', short = false }: { level: number | null; size?: MantineSize; short?: boolean }) {
  const { t } = useTranslation();
  const key = String(level ?? -1);
  return (
    <Badge color={levelColor(level)} autoContrast size={size} variant="filled" data-level={key} style={{ flex: 'none' }}>
      {short ? (level ?? '?') : `${level ?? '?'} · ${t(`sens.level.${key}`)}`}
    </Badge>
  );
}

export { useJobRunner } from '../api/use-job-runner.js';
export { JobLine } from '../components/JobLine.js';
