import { Divider, ScrollArea, Stack, Text } from '@mantine/core';
import { IconDatabase, IconFolderOpen, IconStack2 } from '@tabler/icons-react';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';

function Section({ icon, title, children }: { icon: ReactNode; title: string; children: ReactNode }) {
  return (
    <Stack gap="xs">
      <Text size="xs" fw={700} tt="uppercase" c="dimmed" style={{ display: 'flex', alignItems: 'center', gap: 6 }}>
        {icon}
        {title}
      </Text>
      {children}
    </Stack>
  );
}

/**
 * The sidebar: the workspace, the opened GeoPackages, and the GeoNature connections.
 */
export function SourcesPanel({ workspace, geopackages, geonature }: { workspace: ReactNode; geopackages: ReactNode; geonature: ReactNode }) {
  const { t } = useTranslation();
  return (
    <ScrollArea h="100%" p="md" type="auto" scrollbars="y">
      <Stack gap="md">
        <Section icon={<IconFolderOpen size={14} />} title={t('sources.workspace')}>
          {workspace}
        </Section>
        <Divider />
        <Section icon={<IconStack2 size={14} />} title={t('sources.geopackages')}>
          {geopackages}
        </Section>
        <Divider />
        <Section icon={<IconDatabase size={14} />} title={t('sources.geonature')}>
          {geonature}
        </Section>
      </Stack>
    </ScrollArea>
  );
}
