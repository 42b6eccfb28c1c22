import { useEffect, useState } from 'react';
import { Badge, Button, Checkbox, Group, PasswordInput, Stack, Text } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import type { ListedProfile } from './format.js';
import type { usePublishSecrets } from './use-publish-secrets.js';

/**
 * The API key (udata) or password (GeoNetwork) of the chosen profile: typed once, kept in the
 * system keyring when the app can (or for this session only), never shown back — the field is
 * emptied once the secret is kept, and only its status is displayed.
 */
export function SecretField({ listed, secrets }: { listed: ListedProfile; secrets: ReturnType<typeof usePublishSecrets> }) {
  const { t } = useTranslation();
  const [value, setValue] = useState('');
  const [remember, setRemember] = useState(true);
  const [busy, setBusy] = useState(false);
  const key = listed.secretKey;
  const target = listed.profile.target;
  const status = secrets.status(key);
  const { probe } = secrets;
  useEffect(() => {
    void probe(key);
  }, [probe, key]);
  const what = t(`publish.secret.what.${target}`);

  const keep = async () => {
    setBusy(true);
    await secrets.set(key, value, remember);
    setBusy(false);
    setValue('');
  };

  return (
    <Stack gap={4} data-testid="publish-secret-field" data-status={status}>
      <Group gap="xs" align="flex-end" wrap="nowrap">
        <PasswordInput
          size="xs"
          style={{ flex: 1 }}
          label={t(`publish.secret.label.${target}`, { name: listed.profile.name })}
          description={secrets.persistent ? t('publish.secret.keyringHint') : t('publish.secret.sessionHint')}
          placeholder={status === 'none' ? '' : t('publish.secret.placeholderKept')}
          value={value}
          onChange={(e) => setValue(e.currentTarget.value)}
          autoComplete="off"
          data-testid="publish-secret"
        />
        <Button size="xs" onClick={() => void keep()} loading={busy} disabled={!value} data-testid="publish-secret-save">
          {t('publish.secret.keep')}
        </Button>
        {status !== 'none' && (
          <Button size="xs" variant="subtle" color="red" onClick={() => void secrets.forget(key)} data-testid="publish-secret-forget">
            {t('publish.secret.forget')}
          </Button>
        )}
      </Group>
      <Group gap="xs">
        <Badge size="sm" variant="light" color={status === 'none' ? 'gray' : 'teal'} data-testid="publish-secret-status" data-status={status}>
          {t(`publish.secret.status.${status}`, { what })}
        </Badge>
        {secrets.persistent && <Checkbox size="xs" label={t('publish.secret.remember')} checked={remember} onChange={(e) => setRemember(e.currentTarget.checked)} />}
      </Group>
      <Text size="xs" c="dimmed">
        {t('publish.secret.env', { variable: listed.envVariable })}
      </Text>
    </Stack>
  );
}
