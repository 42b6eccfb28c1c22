import { ActionIcon, Group, SegmentedControl, Text, Title, Tooltip, useMantineColorScheme, useComputedColorScheme } from '@mantine/core';
import { IconFileText, IconMoon, IconSun } from '@tabler/icons-react';
import { useTranslation } from 'react-i18next';
import { LANGUAGES } from '../i18n/index.js';

/** Title, language (FR/EN), light/dark theme and the log. */
export function AppHeader({ onOpenLog }: { onOpenLog: () => void }) {
  const { t, i18n } = useTranslation();
  const { setColorScheme } = useMantineColorScheme();
  const scheme = useComputedColorScheme('light');
  return (
    <Group h="100%" px="md" justify="space-between" wrap="nowrap">
      <Group gap="sm" wrap="nowrap">
        <img src="./favicon.svg" alt="" width={28} height={28} />
        <Title order={3}>{t('app.title')}</Title>
        <Text size="sm" c="dimmed" visibleFrom="md">
          {t('app.tagline')}
        </Text>
      </Group>
      <Group gap="sm" wrap="nowrap">
        <SegmentedControl
          size="xs"
          aria-label={t('header.language')}
          data-testid="language"
          value={i18n.language}
          onChange={(l) => void i18n.changeLanguage(l)}
          data={LANGUAGES.map((l) => ({ value: l, label: l.toUpperCase() }))}
        />
        <Tooltip label={t('header.theme')}>
          <ActionIcon variant="default" aria-label={t('header.theme')} onClick={() => setColorScheme(scheme === 'dark' ? 'light' : 'dark')}>
            {scheme === 'dark' ? <IconSun size={16} /> : <IconMoon size={16} />}
          </ActionIcon>
        </Tooltip>
        <Tooltip label={t('header.log')}>
          <ActionIcon variant="default" aria-label={t('header.log')} onClick={onOpenLog} data-testid="open-log">
            <IconFileText size={16} />
          </ActionIcon>
        </Tooltip>
      </Group>
    </Group>
  );
}
