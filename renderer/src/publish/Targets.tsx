import { useState } from 'react';
import { Alert, Badge, Button, Group, Paper, Radio, Stack, Text, Title } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import type { ApiError, PublishProfileList } from '../../../shared/contract/index.js';
import type { PublishProfile } from '../../../shared/publish/profiles.js';
import { useEngine } from '../api/engine.js';
import { errorText } from '../i18n/index.js';
import type { ListedProfile } from './format.js';
import { ProfileDialog } from './ProfileDialog.js';
import type { SecretStatus } from './use-publish-secrets.js';

/**
 * Where the bundle goes: the built-in profiles (data.gouv.fr and its demo instance) and the saved
 * ones (a regional udata portal, the park's GeoNetwork), one chosen; saved ones can be added,
 * edited and deleted (deleting one forgets its secret too).
 */
export function Targets({
  profiles,
  selected,
  onSelect,
  onProfiles,
  secretStatus,
  forgetSecret,
}: {
  profiles: readonly ListedProfile[];
  selected: string | null;
  onSelect: (name: string) => void;
  onProfiles: (list: PublishProfileList) => void;
  secretStatus: (secretKey: string) => SecretStatus;
  forgetSecret: (secretKey: string) => Promise<void>;
}) {
  const { t } = useTranslation();
  const { client } = useEngine();
  const [dialog, setDialog] = useState<{ edited: PublishProfile | null } | null>(null);
  const [error, setError] = useState<ApiError | null>(null);

  const remove = async (p: ListedProfile) => {
    if (!window.confirm(t('publish.profile.confirmDelete', { name: p.profile.name }))) return;
    setError(null);
    const r = await client.call('publish.deleteProfile', { name: p.profile.name });
    if (!r.ok) {
      setError(r.error);
      return;
    }
    await forgetSecret(p.secretKey);
    onProfiles(r.value);
    if (selected === p.profile.name) onSelect(r.value.profiles[0]?.profile.name ?? '');
  };

  return (
    <Stack gap="xs" data-testid="publish-targets">
      <Group justify="space-between">
        <Title order={5}>{t('publish.targets.title')}</Title>
        <Button size="xs" variant="light" onClick={() => setDialog({ edited: null })} data-testid="publish-profile-add">
          {t('publish.targets.add')}
        </Button>
      </Group>
      <Text size="xs" c="dimmed">
        {t('publish.targets.intro')}
      </Text>
      <Radio.Group value={selected ?? ''} onChange={onSelect}>
        <Stack gap={4}>
          {profiles.map((p) => {
            const s = secretStatus(p.secretKey);
            return (
              <Paper
                key={p.profile.name}
                withBorder
                p="xs"
                data-testid="publish-profile"
                data-name={p.profile.name}
                data-target={p.profile.target}
                data-selected={selected === p.profile.name}
                data-secret={s}
                style={{ cursor: 'pointer' }}
                onClick={() => onSelect(p.profile.name)}
              >
                <Group gap="xs" wrap="nowrap" justify="space-between">
                  <Group gap="xs" wrap="nowrap" style={{ minWidth: 0 }}>
                    <Radio value={p.profile.name} aria-label={p.profile.name} />
                    <Stack gap={0} style={{ minWidth: 0 }}>
                      <Group gap={6}>
                        <Text size="sm" fw={500}>
                          {p.builtin ? t(`publish.builtin.${p.profile.name}`, { defaultValue: p.profile.name }) : p.profile.name}
                        </Text>
                        <Badge size="xs" variant="light" color={p.profile.target === 'datagouv' ? 'blue' : 'grape'}>
                          {t(`publish.kind.${p.profile.target}`)}
                        </Badge>
                        {p.builtin && (
                          <Badge size="xs" variant="outline" color="gray">
                            {t('publish.targets.builtin')}
                          </Badge>
                        )}
                        <Badge size="xs" variant="dot" color={s === 'none' ? 'gray' : 'teal'}>
                          {t(`publish.secret.status.${s}`, { what: t(`publish.secret.what.${p.profile.target}`) })}
                        </Badge>
                      </Group>
                      <Text size="xs" c="dimmed" ff="monospace" truncate="end">
                        {p.profile.baseUrl}
                        {p.profile.user ? ` · ${p.profile.user}` : ''}
                      </Text>
                      {p.problems.map((x) => (
                        <Text key={x.code} size="xs" c="red">
                          {t(`publish.profileProblem.${x.code}`, { defaultValue: x.message })}
                        </Text>
                      ))}
                    </Stack>
                  </Group>
                  {!p.builtin && (
                    <Group gap={4} wrap="nowrap" onClick={(e) => e.stopPropagation()}>
                      <Button size="compact-xs" variant="subtle" onClick={() => setDialog({ edited: p.profile })} data-testid="publish-profile-edit">
                        {t('publish.targets.edit')}
                      </Button>
                      <Button size="compact-xs" variant="subtle" color="red" onClick={() => void remove(p)} data-testid="publish-profile-delete">
                        {t('publish.targets.delete')}
                      </Button>
                    </Group>
                  )}
                </Group>
              </Paper>
            );
          })}
        </Stack>
      </Radio.Group>
      {error && (
        <Alert color="red" variant="light">
          {errorText(t, error)}
        </Alert>
      )}
      {dialog && (
        <ProfileDialog
          key={dialog.edited?.name ?? ''}
          opened
          edited={dialog.edited}
          onClose={() => setDialog(null)}
          onSaved={(list, name) => {
            onProfiles(list);
            onSelect(name);
            setDialog(null);
          }}
        />
      )}
    </Stack>
  );
}
