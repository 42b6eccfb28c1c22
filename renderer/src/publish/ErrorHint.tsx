import { Text } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import type { ApiError } from '../../../shared/contract/index.js';

/** What to do about a publication's error (a refused key, a portal out of reach, a cancel…). */
export function ErrorHint({ error }: { error: ApiError }) {
  const { t } = useTranslation();
  const hint = t(`publish.errorHint.${error.code}`, { defaultValue: '' });
  if (!hint) return null;
  return (
    <Text size="xs" mt={4} data-testid="publish-error-hint">
      {hint}
    </Text>
  );
}
