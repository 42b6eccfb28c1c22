import { useState } from 'react';
import { Alert, Button, Checkbox, Collapse, Group, List, Modal, NumberInput, PasswordInput, Select, Stack, Text, TextInput } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import type { ApiError, ConnectionProfile, ConnectionTest } from '../../../shared/contract/index.js';
import { useEngine } from '../api/engine.js';
import { errorText } from '../i18n/index.js';
import { useConnections } from './connections.js';

const EMPTY: ConnectionProfile = { name: '', host: '', port: 5432, database: 'geonature2db', user: '', sslMode: 'prefer', ssh: null };

/**
 * New or edited GeoNature connection: where the database is (and the bastion in front of
 * it), a password that is never written to disk (or kept by the system keyring in the app),
 * and a Test button that says precisely what is wrong.
 */
export function ConnectionDialog({ opened, onClose, initial }: { opened: boolean; onClose: () => void; initial?: ConnectionProfile | undefined }) {
  const { t } = useTranslation();
  const { client } = useEngine();
  const conns = useConnections();
  const [p, setP] = useState<ConnectionProfile>(initial ?? EMPTY);
  const [password, setPassword] = useState('');
  const [remember, setRemember] = useState(false);
  const [test, setTest] = useState<ConnectionTest | null>(null);
  const [error, setError] = useState<ApiError | null>(null);
  const [busy, setBusy] = useState(false);
  const set = <K extends keyof ConnectionProfile>(k: K, v: ConnectionProfile[K]) => setP((x) => ({ ...x, [k]: v }));
  const { name: _name, ...target } = p;

  const runTest = async () => {
    setBusy(true);
    setError(null);
    const r = await client.call('geonature.test', { connection: { target, secrets: password ? { password } : {} } });
    setBusy(false);
    if (r.ok) setTest(r.value);
    else setError(r.error);
  };

  const save = async () => {
    setBusy(true);
    const r = await client.call('geonature.saveProfile', { profile: p });
    setBusy(false);
    if (!r.ok) {
      setError(r.error);
      return;
    }
    await conns.setPassword(p.name, password || null, remember);
    await conns.reload();
    conns.setActive(p.name);
    onClose();
  };

  return (
    <Modal opened={opened} onClose={onClose} title={t('gn.connection.title')} size="lg">
      <Stack gap="xs" data-testid="connection-dialog">
        <TextInput label={t('gn.connection.name')} value={p.name} onChange={(e) => set('name', e.currentTarget.value)} required />
        <Group grow>
          <TextInput label={t('gn.connection.host')} value={p.host} onChange={(e) => set('host', e.currentTarget.value)} required />
          <NumberInput label={t('gn.connection.port')} value={p.port} min={1} max={65535} onChange={(v) => set('port', Number(v) || 5432)} />
        </Group>
        <Group grow>
          <TextInput label={t('gn.connection.database')} value={p.database} onChange={(e) => set('database', e.currentTarget.value)} required />
          <TextInput label={t('gn.connection.user')} value={p.user} onChange={(e) => set('user', e.currentTarget.value)} required />
        </Group>
        <PasswordInput label={t('gn.connection.password')} description={conns.persistent ? t('gn.connection.passwordKeyring') : t('gn.connection.passwordSession')} value={password} onChange={(e) => setPassword(e.currentTarget.value)} />
        {conns.persistent && <Checkbox label={t('gn.connection.remember')} checked={remember} onChange={(e) => setRemember(e.currentTarget.checked)} />}
        <Select
          label={t('gn.connection.ssl')}
          value={p.sslMode}
          onChange={(v) => set('sslMode', (v ?? 'prefer') as ConnectionProfile['sslMode'])}
          data={['disable', 'prefer', 'require', 'verify-full']}
          allowDeselect={false}
        />
        <Checkbox label={t('gn.connection.useSsh')} checked={p.ssh !== null} onChange={(e) => set('ssh', e.currentTarget.checked ? { host: '', port: 22, user: '', privateKeyPath: null, hostKeySha256: null } : null)} />
        <Collapse expanded={p.ssh !== null}>
          {p.ssh && (
            <Stack gap="xs" pl="md">
              <Group grow>
                <TextInput label={t('gn.connection.sshHost')} value={p.ssh.host} onChange={(e) => set('ssh', { ...p.ssh!, host: e.currentTarget.value })} />
                <NumberInput label={t('gn.connection.port')} value={p.ssh.port} onChange={(v) => set('ssh', { ...p.ssh!, port: Number(v) || 22 })} />
              </Group>
              <TextInput label={t('gn.connection.sshUser')} value={p.ssh.user} onChange={(e) => set('ssh', { ...p.ssh!, user: e.currentTarget.value })} />
              <TextInput label={t('gn.connection.sshKey')} value={p.ssh.privateKeyPath ?? ''} onChange={(e) => set('ssh', { ...p.ssh!, privateKeyPath: e.currentTarget.value || null })} />
              <TextInput label={t('gn.connection.sshFingerprint')} value={p.ssh.hostKeySha256 ?? ''} onChange={(e) => set('ssh', { ...p.ssh!, hostKeySha256: e.currentTarget.value || null })} />
            </Stack>
          )}
        </Collapse>
        {test && (
          <Alert color={test.status === 'ok' ? 'teal' : 'red'} variant="light" data-testid="connection-status" data-status={test.status} title={t(`gn.status.${test.status}`)}>
            <Stack gap={4}>
              <Text size="sm">{test.target}</Text>
              {test.error && <Text size="sm">{errorText(t, test.error)}</Text>}
              {test.server.postgres && (
                <Text size="sm">
                  PostgreSQL {test.server.postgres} · PostGIS {test.server.postgis ?? '—'}
                  {test.schema ? ` · SRID ${test.schema.localSrid}` : ''}
                  {test.schema?.geonatureVersion ? ` · GeoNature ${test.schema.geonatureVersion}` : ''}
                </Text>
              )}
              {test.counts && <Text size="sm">{t('gn.connection.counts', { frameworks: test.counts.frameworks, datasets: test.counts.datasets, observations: test.counts.observationsEstimate })}</Text>}
              {test.missing.length > 0 && (
                <List size="xs">
                  {test.missing.map((m) => (
                    <List.Item key={m}>{m}</List.Item>
                  ))}
                </List>
              )}
              {test.status === 'ok' && !test.privileges.push && <Text size="sm">{t('gn.connection.noPush', { list: test.privileges.missingForPush.join(', ') })}</Text>}
            </Stack>
          </Alert>
        )}
        {error && (
          <Alert color="red" variant="light">
            {errorText(t, error)}
          </Alert>
        )}
        <Group justify="flex-end">
          <Button variant="default" onClick={() => void runTest()} loading={busy} disabled={!p.host || !p.database || !p.user} data-testid="connection-test">
            {t('gn.connection.test')}
          </Button>
          <Button onClick={() => void save()} loading={busy} disabled={!p.name || !p.host || !p.database || !p.user} data-testid="connection-save">
            {t('gn.connection.save')}
          </Button>
        </Group>
      </Stack>
    </Modal>
  );
}
