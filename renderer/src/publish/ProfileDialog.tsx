import { useState } from 'react';
import { Alert, Button, Group, Modal, SegmentedControl, Select, Stack, Text, TextInput } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import type { ApiError, PublishProfileList } from '../../../shared/contract/index.js';
import { PublishProfile, PublishProfileName, UDATA_FREQUENCIES, type PublishTarget, type UdataFrequency } from '../../../shared/publish/profiles.js';
import { useEngine } from '../api/engine.js';
import { errorText } from '../i18n/index.js';
import { EMPTY_FORM, formOf, profileOf, type ProfileForm } from './format.js';

/**
 * A saved publishing profile, new or edited: its name, what it publishes to (a udata portal —
 * data.gouv.fr's API, a regional portal — or a GeoNetwork catalogue) and the API root; a
 * GeoNetwork also needs its user name. Never the secret: the API key or password is entered
 * beside the profile and kept in the keyring (or for this session).
 */
export function ProfileDialog({
  opened,
  edited,
  onClose,
  onSaved,
}: {
  opened: boolean;
  /** The profile edited (null: a new one). */
  edited: PublishProfile | null;
  onClose: () => void;
  onSaved: (list: PublishProfileList, name: string) => void;
}) {
  const { t } = useTranslation();
  const { client } = useEngine();
  const [form, setForm] = useState<ProfileForm>(edited ? formOf(edited) : EMPTY_FORM);
  const [error, setError] = useState<ApiError | null>(null);
  const [busy, setBusy] = useState(false);
  const set = <K extends keyof ProfileForm>(k: K, v: ProfileForm[K]) => setForm((f) => ({ ...f, [k]: v }));
  const udata = form.target === 'datagouv';
  const candidate = profileOf(form, edited);
  const nameOk = PublishProfileName.safeParse(candidate.name).success;
  const parsed = PublishProfile.safeParse(candidate);
  const urlBad = form.baseUrl.trim() !== '' && !/^https?:\/\/[^\s/]+/i.test(form.baseUrl.trim());
  const userMissing = !udata && !form.user.trim();

  const save = async () => {
    setBusy(true);
    setError(null);
    const r = await client.call('publish.saveProfile', { profile: candidate });
    setBusy(false);
    if (!r.ok) {
      setError(r.error);
      return;
    }
    onSaved(r.value, candidate.name);
  };

  return (
    <Modal opened={opened} onClose={onClose} title={edited ? t('publish.profile.editTitle', { name: edited.name }) : t('publish.profile.newTitle')} size="lg">
      <Stack gap="xs" data-testid="publish-profile-dialog">
        <TextInput
          label={t('publish.profile.name')}
          description={t('publish.profile.nameHint')}
          value={form.name}
          onChange={(e) => set('name', e.currentTarget.value)}
          disabled={edited !== null}
          error={form.name && !nameOk ? t('publish.profile.badName') : undefined}
          required
          data-testid="publish-profile-name"
        />
        <Stack gap={4}>
          <Text size="sm" fw={500}>
            {t('publish.profile.kind')}
          </Text>
          <SegmentedControl
            size="xs"
            value={form.target}
            onChange={(v) => set('target', v as PublishTarget)}
            data={[
              { value: 'datagouv', label: t('publish.kind.datagouv') },
              { value: 'geonetwork', label: t('publish.kind.geonetwork') },
            ]}
            data-testid="publish-profile-kind"
          />
        </Stack>
        <TextInput
          label={t('publish.profile.baseUrl')}
          description={udata ? t('publish.profile.baseUrlUdata') : t('publish.profile.baseUrlGeonetwork')}
          placeholder={udata ? 'https://www.data.gouv.fr/api/1' : 'https://catalogue.example.fr/geonetwork/srv/api'}
          value={form.baseUrl}
          onChange={(e) => set('baseUrl', e.currentTarget.value)}
          error={urlBad ? t('publish.profile.badUrl') : undefined}
          required
          data-testid="publish-profile-url"
        />
        {udata ? (
          <Group grow align="flex-start">
            <TextInput
              label={t('publish.profile.organization')}
              description={t('publish.profile.organizationHint')}
              value={form.organization}
              onChange={(e) => set('organization', e.currentTarget.value)}
              data-testid="publish-profile-organization"
            />
            <Select
              label={t('publish.profile.frequency')}
              description={t('publish.profile.frequencyHint')}
              value={form.frequency}
              onChange={(v) => set('frequency', (v ?? 'irregular') as UdataFrequency)}
              data={UDATA_FREQUENCIES.map((f) => ({ value: f, label: t(`publish.frequency.${f}`) }))}
              allowDeselect={false}
            />
          </Group>
        ) : (
          <Group grow align="flex-start">
            <TextInput
              label={t('publish.profile.user')}
              description={t('publish.profile.userHint')}
              value={form.user}
              onChange={(e) => set('user', e.currentTarget.value)}
              error={userMissing && form.baseUrl ? t('publish.profile.userNeeded') : undefined}
              required
              data-testid="publish-profile-user"
            />
            <TextInput
              label={t('publish.profile.group')}
              description={t('publish.profile.groupHint')}
              value={form.group}
              onChange={(e) => set('group', e.currentTarget.value)}
              data-testid="publish-profile-group"
            />
          </Group>
        )}
        <Text size="xs" c="dimmed">
          {t('publish.profile.noSecret')}
        </Text>
        {error && (
          <Alert color="red" variant="light" data-testid="publish-profile-error">
            {errorText(t, error)}
          </Alert>
        )}
        <Group justify="flex-end">
          <Button variant="default" onClick={onClose}>
            {t('publish.cancel')}
          </Button>
          <Button onClick={() => void save()} loading={busy} disabled={!parsed.success || userMissing} data-testid="publish-profile-save">
            {t('publish.profile.save')}
          </Button>
        </Group>
      </Stack>
    </Modal>
  );
}
