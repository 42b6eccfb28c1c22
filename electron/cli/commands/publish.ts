import { resolve } from 'node:path';
import { Option } from 'commander';
import { EXIT, type FeedResult, type LandingResult, type PublishHistory, type PublishProfileList, type PublishRun, type Result } from '../../../shared/contract/index.js';
import { ENV_SECRET, PUBLISH_TARGETS, UDATA_FREQUENCIES, type PublishProfileInput, type PublishTarget } from '../../../shared/publish/profiles.js';
import type { CliContext } from '../context.js';
import { printError, printResult, table } from '../output.js';
import { formatGate } from './bundle.js';

const collect = (v: string, prev: string[] = []) => [...prev, v];

interface PublishOpts {
  workspace?: string;
  target?: PublishTarget;
  profile?: string;
  baseUrl?: string;
  referential?: string[];
  taxonomy?: string;
  dryRun?: boolean;
  makePublic?: boolean;
  frequency?: string;
  hostedAt?: string;
  newDataset?: boolean;
  user?: string;
  group?: string;
  organization?: string;
  zone?: string[];
  proxy?: string;
  caFile?: string;
  chunkSize?: string;
  bundleId?: string;
  out?: string;
  title?: string;
}

const size = (n: number) => (n >= 1 << 20 ? `${(n / (1 << 20)).toFixed(1)} MiB` : n >= 1024 ? `${(n / 1024).toFixed(1)} KiB` : `${n} B`);

/** A call, one line: method, URL, what it carries (the private flag of a dataset, a file and its size). */
function callLine(c: PublishRun['calls'][number]): string {
  let what = '';
  if (c.body.kind === 'json' && c.body.json && typeof c.body.json === 'object' && 'private' in (c.body.json as object)) what = ` private=${String((c.body.json as { private: unknown }).private)}`;
  else if (c.body.kind === 'multipart' && c.body.file) what = ` ${c.body.fields.partindex !== undefined ? `chunk ${Number(c.body.fields.partindex) + 1}/${c.body.fields.totalparts} of ` : ''}${c.file ?? c.body.file.name} (${size(c.body.file.bytes)})`;
  else if (c.body.kind === 'multipart') what = ` combine ${c.body.fields.totalparts} chunks of ${c.file ?? ''}`;
  else if (c.body.kind === 'xml') what = ` ${c.body.file} (${size(c.body.bytes)}, sha256 ${c.body.sha256.slice(0, 12)}…)`;
  const status = c.status === null ? '' : ` → ${c.status}${c.attempts > 1 ? ` after ${c.attempts} attempts` : ''}`;
  return `    ${c.method.padEnd(6)} ${c.url}${what}${status}\n`;
}

function formatRun(r: PublishRun): string {
  let out = `${r.step === 'make-public' ? 'Make public' : 'Publish'} ${r.dryRun ? '(DRY RUN: nothing sent) ' : ''}to ${r.target} "${r.profile}" — ${r.baseUrl}\n`;
  out += `  bundle ${r.bundle.id} version ${r.bundle.version} (as of ${r.bundle.asOf}): ${r.bundle.title}\n`;
  out += formatGate(r.gate);
  if (r.refused) {
    out += `  REFUSED: nothing ${r.dryRun ? 'would be' : 'was'} sent\n`;
    for (const p of r.problems) out += `    ${p.code}: ${p.message}\n`;
    return out;
  }
  const what = r.target === 'geonetwork' ? `record ${r.remote.id ?? ''}${r.remote.existed === null ? '' : r.remote.existed ? ' (updated)' : ' (inserted)'}` : `dataset ${r.remote.id ?? '(new)'}`;
  out += `  ${r.action}: ${what}, ${r.remote.visibility ?? 'private'}${r.remote.page ? ` — ${r.remote.page}` : ''}\n`;
  if (r.resources.length) {
    out += '  files:\n';
    out += table(r.resources.map((x) => [x.action, x.path, size(x.bytes), x.sha256 ? `sha256 ${x.sha256.slice(0, 16)}…` : '', x.chunks > 1 ? `${x.chunks} chunks` : '', x.resourceId ?? '']), '    ');
  }
  out += `  ${r.calls.length} calls${r.dryRun ? ' (planned)' : ''}:\n`;
  for (const c of r.calls) out += callLine(c);
  if (r.publicationId !== null) out += `  recorded in the workspace's publishing history (#${r.publicationId})\n`;
  return out;
}

function formatHistory(h: PublishHistory): string {
  if (h.targets.length === 0) return `No publication recorded in ${h.workspace}\n`;
  let out = `Publications of ${h.workspace}\n`;
  for (const t of h.targets) {
    out += `  ${t.target} "${t.profile}" ${t.baseUrl}\n`;
    out += `    bundle ${t.bundleId} → ${t.target === 'geonetwork' ? 'record' : 'dataset'} ${t.remoteId}${t.page ? ` (${t.page})` : ''}, ${t.visibility}${t.madePublicAt ? ` since ${t.madePublicAt}` : ''}${t.supersededAt ? `, superseded ${t.supersededAt}` : ''}\n`;
    out += `    last version ${t.lastVersion ?? '(none complete)'}${t.lastPublishedAt ? ` on ${t.lastPublishedAt}` : ''}\n`;
    for (const r of t.resources) out += `      ${r.path.padEnd(28)} ${r.resourceId}  v${r.version}  ${r.sha256 ? `sha256 ${r.sha256.slice(0, 16)}…` : ''}\n`;
    for (const e of t.events) out += `    ${e.at}  ${e.kind.padEnd(11)} ${e.version.padEnd(7)} ${e.status.padEnd(7)} ${e.calls} calls by ${e.actor}${e.message ? ` — ${e.message}` : ''}\n`;
  }
  return out;
}

/**
 * `passerelle publish …` (issue 9): a verified bundle to data.gouv.fr or any udata portal (private;
 * `--make-public` is the separate, explicit step), its ISO record to a GeoNetwork; `status` (the
 * history), `landing` (the landing page), `feed` (the DCAT feed), profiles. The API key comes from
 * PASSERELLE_UDATA_API_KEY, a GeoNetwork password from PASSERELLE_GEONETWORK_PASSWORD; the proxy
 * from HTTPS_PROXY (or --proxy), an extra CA from PASSERELLE_CA_FILE (or --ca-file).
 *
 * Exit codes: 0 published (or planned); 1 refused (the gate, the licence, a version not sent);
 * 2 bad input; 3 portal unreachable, proxy or TLS failure, credentials refused.
 */
export function registerPublish(cli: CliContext): void {
  // Options are the command's: its subcommands read them too (commander's optsWithGlobals).
  const publish = cli.program
    .command('publish')
    .description('publish a verified bundle (private first) to data.gouv.fr or a udata portal, its ISO record to GeoNetwork; exit 1 when refused, 3 when the portal is unreachable or refuses the key')
    .argument('[bundle]', 'the bundle (folder or zip)')
    .addOption(new Option('-w, --workspace <path>', 'the workspace the bundle was built from (the gate needs it, the history is kept in it); "demo" for the demo').env('PASSERELLE_WORKSPACE'))
    .addOption(new Option('--target <target>', 'where to').choices([...PUBLISH_TARGETS]))
    .option('--profile <name>', 'a publishing profile (default for datagouv: "datagouv"; see `publish profiles`)')
    .option('--base-url <url>', 'the API root, for a portal without a saved profile (https://demo.data.gouv.fr/api/1, https://…/geonetwork/srv/api)')
    .option('--referential <file>', 'the referential file(s) the bundle was built with (for the gate)', collect)
    .option('--taxonomy <file>', 'the taxonomy file the bundle was built with')
    .option('--dry-run', 'list every call without sending anything')
    .option('--make-public', 'the explicit publish step: make the dataset (record) this version went to public')
    .addOption(new Option('--frequency <frequency>', 'udata update frequency (default: the profile’s)').choices([...UDATA_FREQUENCIES]))
    .option('--hosted-at <url>', 'where the park serves the bundle folder (absolute links in the ISO record, the landing page, the feed)')
    .option('--new-dataset', 'create a new dataset even though this bundle went to this portal before')
    .option('--user <name>', 'GeoNetwork user name')
    .option('--group <id>', 'GeoNetwork group id')
    .option('--organization <id>', 'udata organisation id')
    .option('--zone <id>', 'udata GeoZone of the spatial coverage (fr:departement:05); repeat for several', collect)
    .option('--proxy <url>', 'HTTP(S) proxy, or "direct" (default: HTTPS_PROXY / HTTP_PROXY / NO_PROXY)')
    .option('--ca-file <pem>', 'extra certificate authorities (PEM) to trust (default: PASSERELLE_CA_FILE)')
    .option('--chunk-size <bytes>', 'udata: upload files larger than this in chunks of this size')
    .option('--bundle-id <id>', 'status: only this bundle')
    .option('--out <file>', 'feed: the DCAT catalogue file (JSON-LD) to write or update')
    .option('--title <text>', 'feed: the catalogue’s title');

  /** The profile: a saved one by name, or one made of --base-url, with the options given on the command line. */
  type Choice = { name: string } | { profile: PublishProfileInput };
  const profileFor = async (o: PublishOpts): Promise<{ choice: Choice; target: PublishTarget } | null> => {
    const target = o.target;
    const overrides: Partial<PublishProfileInput> = {
      ...(o.user ? { user: o.user } : {}),
      ...(o.group ? { group: o.group } : {}),
      ...(o.organization ? { organization: o.organization } : {}),
      ...(o.zone?.length ? { zones: o.zone } : {}),
      ...(o.proxy ? { proxy: o.proxy } : {}),
      ...(o.caFile ? { caFile: resolve(o.caFile) } : {}),
      ...(o.chunkSize ? { chunkSize: Number(o.chunkSize) } : {}),
    };
    if (o.baseUrl) {
      if (!target) return fail('--target is needed with --base-url');
      return { choice: { profile: { name: o.profile ?? target, target, baseUrl: o.baseUrl, ...overrides } }, target };
    }
    const name = o.profile ?? (target === 'datagouv' ? 'datagouv' : null);
    if (!name) return fail('give --profile NAME (see `passerelle publish profiles`) or --base-url URL');
    const list = await cli.call('publish.profiles', {});
    if (!list.ok) return (printError(list.error), cli.exit(EXIT.BAD_INPUT), null);
    const found = (list.value as PublishProfileList).profiles.find((p) => p.profile.name === name);
    if (!found) return fail(`no publishing profile named "${name}"`);
    if (target && found.profile.target !== target) return fail(`the profile "${name}" publishes to ${found.profile.target}, not ${target}`);
    return { choice: Object.keys(overrides).length ? { profile: { ...found.profile, ...overrides } } : { name }, target: found.profile.target };
  };
  const fail = (message: string): null => {
    process.stderr.write(`passerelle: INVALID_INPUT: ${message}\n`);
    cli.exit(EXIT.BAD_INPUT);
    return null;
  };

  publish.action(async (bundle: string | undefined, o: PublishOpts) => {
    if (!bundle) return void fail('give the bundle to publish (passerelle publish BUNDLE --target datagouv), or a subcommand: status, landing, feed, profiles');
    if (!o.workspace) return void fail('give the workspace the bundle was built from (-w PATH, or PASSERELLE_WORKSPACE): the gate runs with it and the history is kept in it');
    const resolved = await profileFor(o);
    if (!resolved) return;
    const { choice: profile, target } = resolved;
    const secret = process.env[ENV_SECRET[target]];
    const r = await cli.call(o.makePublic ? 'publish.makePublic' : 'publish.run', {
      bundle: resolve(bundle),
      workspace: cli.workspacePath(o.workspace),
      referentials: (o.referential ?? []).map((p) => resolve(p)),
      ...(o.taxonomy ? { taxonomy: resolve(o.taxonomy) } : {}),
      profile,
      credentials: secret ? (target === 'datagouv' ? { apiKey: secret } : { password: secret }) : {},
      dryRun: o.dryRun === true,
      ...(o.frequency ? { frequency: o.frequency as (typeof UDATA_FREQUENCIES)[number] } : {}),
      ...(o.hostedAt ? { hostedAt: o.hostedAt } : {}),
      newDataset: o.newDataset === true,
    });
    cli.exit(printResult(r as Result<PublishRun>, cli.output(), formatRun, (v) => v.refused));
  });

  publish
    .command('status')
    .description('where the bundles of a workspace went (-w): datasets and records, resource ids, every publication')
    .action(async function (this: { optsWithGlobals(): PublishOpts }) {
      const o = this.optsWithGlobals();
      if (!o.workspace) return void fail('give the workspace (-w PATH, or PASSERELLE_WORKSPACE)');
      const r = await cli.call('publish.history', { workspace: cli.workspacePath(o.workspace), ...(o.bundleId ? { bundleId: o.bundleId } : {}) });
      cli.exit(printResult(r as Result<PublishHistory>, cli.output(), formatHistory));
    });

  publish
    .command('landing')
    .description('write the landing page into a bundle: index.html (schema.org JSON-LD, README, licence, downloads) and preview.png (map of the published geometries); --hosted-at makes its URLs absolute')
    .argument('<bundle>', 'the bundle (folder or zip)')
    .action(async function (this: { optsWithGlobals(): PublishOpts }, bundle: string) {
      const o = this.optsWithGlobals();
      const r = await cli.call('publish.landing', { bundle: resolve(bundle), ...(o.hostedAt ? { hostedAt: o.hostedAt } : {}) });
      cli.exit(
        printResult(r as Result<LandingResult>, cli.output(), (v) => {
          let out = `Landing page written in ${v.path}${v.zip ? ' (zip rewritten)' : ''}\n`;
          out += table(v.files.map((f) => [f.path, size(f.bytes), `sha256 ${f.sha256}`]));
          if (v.map) out += `  map ${v.map.width}×${v.map.height}: ${v.map.points} points, ${v.map.areas} areas (published geometries only)\n`;
          for (const p of v.problems) out += `  note: ${p}\n`;
          return out;
        }),
      );
    });

  publish
    .command('feed')
    .description('add the bundle’s DCAT dataset to the park’s DCAT catalogue file (--out, JSON-LD) with download URLs under --hosted-at; with -w, the public portal pages too')
    .argument('<bundle>', 'the bundle (folder or zip)')
    .action(async function (this: { optsWithGlobals(): PublishOpts }, bundle: string) {
      const o = this.optsWithGlobals();
      if (!o.out || !o.hostedAt) return void fail('give --out FILE and --hosted-at URL');
      const r = await cli.call('publish.feed', {
        bundle: resolve(bundle),
        out: resolve(o.out),
        hostedAt: o.hostedAt,
        ...(o.title ? { title: o.title } : {}),
        ...(o.workspace ? { workspace: cli.workspacePath(o.workspace) } : {}),
      });
      cli.exit(printResult(r as Result<FeedResult>, cli.output(), (v) => `DCAT feed ${v.path}: ${v.datasets} dataset(s), ${v.datasetId} added or updated\n`));
    });

  publish
    .command('profiles')
    .description('the publishing profiles (built-in data.gouv.fr and its demo instance, and saved ones), with where each one’s secret is read from')
    .action(async () => {
      const r = await cli.call('publish.profiles', {});
      cli.exit(
        printResult(r as Result<PublishProfileList>, cli.output(), (v) =>
          table(v.profiles.map((p) => [p.profile.name, p.profile.target, p.profile.baseUrl, p.builtin ? 'built-in' : 'saved', `secret: keyring ${p.secretKey} or ${p.envVariable}`, p.problems.map((x) => x.message).join('; ')])),
        ),
      );
    });

  publish
    .command('save-profile')
    .description('save a profile (--target, --base-url and the options above); never a secret')
    .argument('<name>', 'the profile name')
    .action(async function (this: { optsWithGlobals(): PublishOpts }, name: string) {
      const o = this.optsWithGlobals();
      if (!o.target || !o.baseUrl) return void fail('give --target and --base-url');
      const p = await profileFor({ ...o, profile: name });
      if (!p || !('profile' in p.choice)) return;
      const r = await cli.call('publish.saveProfile', { profile: { ...p.choice.profile, ...(o.frequency ? { frequency: o.frequency as (typeof UDATA_FREQUENCIES)[number] } : {}) } });
      cli.exit(printResult(r as Result<PublishProfileList>, cli.output(), () => `Profile "${name}" saved (${o.target} ${o.baseUrl})\n`));
    });

  publish
    .command('delete-profile')
    .description('delete a saved profile')
    .argument('<name>', 'the profile name')
    .action(async (name: string) => {
      const r = await cli.call('publish.deleteProfile', { name });
      cli.exit(printResult(r as Result<PublishProfileList>, cli.output(), () => `Profile "${name}" deleted\n`));
    });
}
