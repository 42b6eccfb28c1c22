/**
 * The cleanup checks: pure rules over one observation (the engine streams the rows, decodes
 * the geometry, asks GEOS for validity, and runs the cross-row checks — duplicates — in SQL).
 *
 * Each check has an id, a category, a severity, a French and English title and message, and the
 * fixes that repair what it finds. A finding carries the field, the value and, when one value
 * can be proposed, the suggested fix with that value.
 */
import type { Bilingual, CheckGroup, CheckId, FixKind, Severity, Suggestion } from '../contract/schemas/cleanup.js';
import { SYNTHESE_NOMENCLATURES, nomenclatureColumn, type SyntheseNomenclatureField, NOMENCLATURE_FIELDS } from '../domain/synthese.js';
import { FRANCE_BOX, inBox, isLonLat, looksSwapped, projectedCandidates, type LonLatBox } from './coords.js';
import { DATE_PATTERNS, formatIso, isoSortKey, parseDateWith, parseIso } from './dates.js';
import { anchorOf, isEmptyGeometry, type SimpleGeometry } from './geometry.js';
import { encodingDamage } from './mojibake.js';
import { MANDATORY_FIELDS, TARGET_FIELDS } from './fields.js';
import { isSinpCode, matchNomenclature, type SyntheseCatalog } from './nomenclatures.js';
import { cellText, isIntegerText, isUuid } from './normalize.js';
import { codeForName, type Taxonomy } from './taxonomy.js';

type Category = CheckGroup['category'];

export interface CheckInfo {
  readonly id: CheckId;
  readonly category: Category;
  readonly severity: Severity;
  readonly title: Bilingual;
  /** The finding's sentence; `{{field}}`, `{{value}}` and the finding's params are substituted. */
  readonly message: Bilingual;
  readonly fixes: readonly FixKind[];
}

const c = (id: CheckId, category: Category, severity: Severity, title: [string, string], message: [string, string], fixes: FixKind[] = []): CheckInfo => ({
  id,
  category,
  severity,
  title: { fr: title[0], en: title[1] },
  message: { fr: message[0], en: message[1] },
  fixes,
});

/** Every check, in report order. */
export const CHECKS: readonly CheckInfo[] = [
  c('date.missing', 'dates', 'error', ['Date manquante', 'Missing date'], ['{{field}} est vide.', '{{field}} is empty.'], ['parse-dates']),
  c('date.unparseable', 'dates', 'error', ['Date illisible ou hors format ISO', 'Unreadable or non-ISO date'], ['« {{value}} » n’est pas une date ISO (AAAA-MM-JJ).', '"{{value}}" is not an ISO date (YYYY-MM-DD).'], ['parse-dates']),
  c('date.end-before-start', 'dates', 'error', ['Date de fin avant la date de début', 'End date before start date'], ['La date de fin {{value}} précède la date de début {{start}}.', 'The end date {{value}} is before the start date {{start}}.']),
  c('date.future', 'dates', 'error', ['Date dans le futur', 'Date in the future'], ['{{value}} est après le {{today}}.', '{{value}} is after {{today}}.']),
  c('date.implausible-year', 'dates', 'warning', ['Année invraisemblable', 'Implausible year'], ['{{value}} est antérieure à {{minYear}}.', '{{value}} is before {{minYear}}.']),
  c('taxon.unknown-code', 'taxa', 'error', ['Code de taxon inconnu', 'Unknown taxon code'], ['Le cd_nom {{value}} n’est pas dans le référentiel ({{taxonomy}}).', 'cd_nom {{value}} is not in the taxonomy ({{taxonomy}}).'], ['fill-taxon-codes']),
  c('taxon.name-code-mismatch', 'taxa', 'warning', ['Nom cité et code en désaccord', 'Cited name and code disagree'], ['« {{name}} » désigne le taxon {{nameCode}}, pas {{value}}.', '"{{name}}" designates taxon {{nameCode}}, not {{value}}.']),
  c('taxon.code-from-name', 'taxa', 'info', ['Code de taxon déductible du nom', 'Taxon code found from the name'], ['Sans cd_nom, « {{name}} » correspond au taxon {{suggested}}.', 'No cd_nom; "{{name}}" matches taxon {{suggested}}.'], ['fill-taxon-codes']),
  c('geometry.missing', 'geometry', 'error', ['Géométrie manquante', 'Missing geometry'], ['L’observation n’a pas de géométrie.', 'The observation has no geometry.']),
  c('geometry.empty', 'geometry', 'error', ['Géométrie vide', 'Empty geometry'], ['La géométrie est vide ({{value}}).', 'The geometry is empty ({{value}}).']),
  c('geometry.invalid', 'geometry', 'error', ['Géométrie invalide', 'Invalid geometry'], ['La géométrie n’est pas valide (GEOS) : {{reason}}.', 'The geometry is not valid (GEOS): {{reason}}.'], ['make-valid']),
  c('geometry.outside-territory', 'geometry', 'warning', ['Hors du territoire', 'Outside the territory'], ['Le point {{value}} est hors des départements de l’espace de travail.', 'Point {{value}} is outside the workspace’s départements.']),
  c('geometry.outside-departement', 'geometry', 'warning', ['Hors du département attendu', 'Outside the expected département'], ['Le point {{value}} est dans le département {{found}}, pas dans {{expected}}.', 'Point {{value}} is in département {{found}}, not in {{expected}}.']),
  c('geometry.swapped', 'geometry', 'error', ['Latitude et longitude inversées', 'Latitude and longitude swapped'], ['{{value}} tombe hors du territoire ; inversé, il y tombe.', '{{value}} falls outside the territory; swapped, it falls inside.'], ['swap-coordinates']),
  c('geometry.projected', 'geometry', 'error', ['Coordonnées dans un autre système', 'Coordinates in another system'], ['{{value}} ne sont pas des degrés : on dirait du {{srs}}.', '{{value}} are not degrees: they look like {{srs}}.'], ['reproject']),
  c('duplicate.observation', 'duplicates', 'warning', ['Doublon probable', 'Probable duplicate'], ['Même taxon, même jour, mêmes observateurs, à moins de {{tolerance}} m de l’observation {{other}}.', 'Same taxon, day and observers, within {{tolerance}} m of observation {{other}}.'], ['merge-duplicates']),
  c('duplicate.source-pk', 'duplicates', 'error', ['Identifiant d’origine en double', 'Duplicate source identifier'], ['L’identifiant d’origine {{value}} est aussi celui de l’observation {{other}}.', 'Source identifier {{value}} is also that of observation {{other}}.']),
  c('count.min-gt-max', 'counts', 'error', ['Nombre minimal supérieur au maximal', 'Minimum count above maximum'], ['count_min {{value}} > count_max {{max}}.', 'count_min {{value}} > count_max {{max}}.']),
  c('count.negative', 'counts', 'error', ['Nombre négatif', 'Negative count'], ['{{field}} vaut {{value}}.', '{{field}} is {{value}}.']),
  c('altitude.min-gt-max', 'counts', 'error', ['Altitude minimale supérieure à la maximale', 'Minimum altitude above maximum'], ['altitude_min {{value}} > altitude_max {{max}}.', 'altitude_min {{value}} > altitude_max {{max}}.']),
  c('depth.min-gt-max', 'counts', 'error', ['Profondeur minimale supérieure à la maximale', 'Minimum depth above maximum'], ['depth_min {{value}} > depth_max {{max}}.', 'depth_min {{value}} > depth_max {{max}}.']),
  c('value.not-integer', 'counts', 'error', ['Nombre entier attendu', 'Whole number expected'], ['{{field}} : « {{value}} » n’est pas un entier.', '{{field}}: "{{value}}" is not a whole number.']),
  c('nomenclature.unknown-value', 'nomenclatures', 'error', ['Valeur hors nomenclature SINP', 'Value not in the SINP nomenclature'], ['« {{value}} » n’est pas une valeur de {{type}}.', '"{{value}}" is not a value of {{type}}.'], ['map-values']),
  c('encoding.mojibake', 'encoding', 'warning', ['Accents abîmés (encodage)', 'Broken accents (encoding)'], ['« {{value}} » devrait se lire « {{repaired}} ».', '"{{value}}" should read "{{repaired}}".'], ['repair-mojibake']),
  c('encoding.lost-characters', 'encoding', 'warning', ['Caractères perdus (encodage)', 'Lost characters (encoding)'], ['« {{value}} » contient des caractères irrécupérables (�).', '"{{value}}" has unrecoverable characters (�).']),
  c('mandatory.missing', 'mandatory', 'error', ['Champ SINP obligatoire manquant', 'Missing mandatory SINP field'], ['{{field}} est obligatoire.', '{{field}} is mandatory.'], ['fill-taxon-codes', 'parse-dates']),
  c('mandatory.conditional', 'mandatory', 'error', ['Champ obligatoire selon un autre', 'Field required by another'], ['{{field}} est obligatoire quand {{when}}.', '{{field}} is required when {{when}}.']),
  c('uuid.invalid', 'mandatory', 'error', ['UUID invalide', 'Invalid UUID'], ['{{field}} : « {{value}} » n’est pas un UUID.', '{{field}}: "{{value}}" is not a UUID.']),
  c('proof.inconsistent', 'mandatory', 'error', ['Preuve incohérente', 'Inconsistent proof'], ['Preuve existante « {{value}} » mais {{detail}}.', 'Existing proof "{{value}}" but {{detail}}.']),
  c('proof.invalid-url', 'mandatory', 'error', ['URL de preuve invalide', 'Invalid proof URL'], ['« {{value}} » n’est pas une URL.', '"{{value}}" is not a URL.']),
];

const BY_ID = new Map(CHECKS.map((x) => [x.id, x]));

/** A check's description. */
export function checkInfo(id: CheckId): CheckInfo {
  const info = BY_ID.get(id);
  if (!info) throw new Error(`unknown check ${id}`);
  return info;
}

/** Fills `{{name}}` placeholders. */
export function render(template: string, params: Readonly<Record<string, string | number | null>>): string {
  return template.replace(/\{\{(\w+)\}\}/g, (_m, k: string) => {
    const v = params[k];
    return v === null || v === undefined ? '' : String(v);
  });
}

/** A finding's message in both languages. */
export function findingMessage(id: CheckId, params: Readonly<Record<string, string | number | null>>): Bilingual {
  const info = checkInfo(id);
  return { fr: render(info.message.fr, params), en: render(info.message.en, params) };
}

/** One observation as the checks see it: its values (workspace columns and import extras) and its geometry. */
export interface CheckRow {
  readonly fid: number;
  readonly values: Readonly<Record<string, unknown>>;
  /** The decoded geometry (WGS 84 as stored), null when there is none. */
  readonly geometry: SimpleGeometry | null;
  /** GEOS validity for non-point geometries (null when not computed); with its reason. */
  readonly invalidReason: string | null;
}

/** What the checks know beyond the row. */
export interface CheckContext {
  readonly enabled: ReadonlySet<CheckId>;
  readonly today: string;
  readonly minYear: number;
  readonly catalog: SyntheseCatalog;
  readonly taxonomy: Taxonomy | null;
  /** Inside the workspace's territory (its DEP areas); null when it has none. */
  readonly inTerritory: ((lon: number, lat: number) => boolean) | null;
  /** The département a point falls in (its DEP area code), for the expected-département check. */
  readonly departementOf: ((lon: number, lat: number) => string | null) | null;
  readonly departements: readonly string[];
  /** Box the swapped / projected heuristics test against (the areas' extent, else metropolitan France). */
  readonly referenceBox: LonLatBox;
  /** Reprojects (x, y) from `srs` to lon/lat, to confirm a projected-coordinates guess; null when it cannot. */
  readonly toLonLat: ((x: number, y: number, srs: string) => [number, number] | null) | null;
}

/** A finding before the engine adds the row's identity, message and geometry. */
export interface FindingDraft {
  readonly check: CheckId;
  readonly field: string;
  readonly value: string | number | null;
  readonly suggestion: Suggestion | null;
  readonly params: Readonly<Record<string, string | number | null>>;
}

const TEXT_FIELDS = TARGET_FIELDS.filter((t) => t.kind === 'text').map((t) => t.key);
const INTEGER_FIELDS = TARGET_FIELDS.filter((t) => t.kind === 'integer').map((t) => t.key);

/** A value as a finding shows it. */
function shown(v: unknown): string | number | null {
  if (v === null || v === undefined) return null;
  if (typeof v === 'number' || typeof v === 'string') return v;
  return String(v);
}

/** An integer value, or undefined when empty, or NaN when it is not a whole number. */
export function integerOf(v: unknown): number | undefined {
  if (v === null || v === undefined) return undefined;
  if (typeof v === 'number') return Number.isInteger(v) ? v : NaN;
  if (typeof v === 'bigint') return Number(v);
  const t = cellText(v);
  if (t === null) return undefined;
  return isIntegerText(t) ? Number(t) : NaN;
}

/** The first date pattern that reads a value, and the ISO text it gives. */
export function suggestDate(text: string, today: string): { pattern: string; iso: string } | null {
  for (const p of DATE_PATTERNS) {
    const d = parseDateWith(text, p, today);
    if (d) return { pattern: p, iso: formatIso(d) };
  }
  return null;
}

/** URL-like proof: a web/ftp URL with a dotted host (or an IP), or a bare domain ("geonature.fr"), as GeoNature's importer accepts. */
export function isProofUrl(s: string): boolean {
  const t = s.trim();
  const scheme = /^([a-z][a-z0-9+.-]*):/i.exec(t);
  if (scheme) return /^(https?|ftp):\/\/([\w-]+\.)+[\w-]+(:\d+)?([/?#]\S*)?$/i.test(t);
  return /^([\w-]+\.)+[a-z]{2,}([/?#]\S*)?$/i.test(t);
}

/** Runs every per-row check on one observation. */
export function checkRow(row: CheckRow, ctx: CheckContext): FindingDraft[] {
  const out: FindingDraft[] = [];
  const on = (id: CheckId) => ctx.enabled.has(id);
  const add = (check: CheckId, field: string, value: unknown, suggestion: Suggestion | null = null, params: Record<string, string | number | null> = {}) =>
    out.push({ check, field, value: shown(value), suggestion, params: { field, value: shown(value), ...params } });
  const v = row.values;
  const text = (k: string) => cellText(v[k]);

  // Mandatory fields and identifiers.
  for (const k of MANDATORY_FIELDS) {
    if (v[k] === null || v[k] === undefined || text(k) === null) {
      if (on('mandatory.missing') && !(k === 'date_min' || k === 'date_max')) add('mandatory.missing', k, null);
    }
  }
  for (const k of ['unique_id_sinp', 'unique_id_sinp_grp', 'dataset_uuid']) {
    const t = text(k);
    if (t !== null && !isUuid(t) && on('uuid.invalid')) add('uuid.invalid', k, t);
  }
  if (on('mandatory.conditional') && text(nomenclatureColumn('source_status')) === 'Li' && text('reference_biblio') === null) {
    add('mandatory.conditional', 'reference_biblio', null, null, { when: 'statut_source = Li (Littérature)' });
  }

  // Dates.
  const dates: Record<string, ReturnType<typeof parseIso>> = {};
  for (const k of ['date_min', 'date_max'] as const) {
    const t = text(k);
    if (t === null) {
      if (on('date.missing')) {
        const start = text('date_min');
        const fill = k === 'date_max' && start !== null && parseIso(start) ? start : null;
        add('date.missing', k, null, fill !== null ? { fix: 'parse-dates', value: fill, params: {} } : null);
      }
      dates[k] = null;
      continue;
    }
    const d = parseIso(t);
    dates[k] = d;
    if (!d) {
      if (on('date.unparseable')) {
        const s = suggestDate(t, ctx.today);
        add('date.unparseable', k, t, s ? { fix: 'parse-dates', value: s.iso, params: { pattern: s.pattern } } : null);
      }
      continue;
    }
    if (on('date.future') && isoSortKey(d).slice(0, 10) > ctx.today) add('date.future', k, t, null, { today: ctx.today });
    if (on('date.implausible-year') && d.year < ctx.minYear) add('date.implausible-year', k, t, null, { minYear: ctx.minYear });
  }
  if (on('date.end-before-start') && dates.date_min && dates.date_max && isoSortKey(dates.date_max) < isoSortKey(dates.date_min)) {
    add('date.end-before-start', 'date_max', text('date_max'), null, { start: text('date_min') });
  }

  // Integers, counts, altitudes, depths.
  const ints: Record<string, number | undefined> = {};
  for (const k of INTEGER_FIELDS) {
    const n = integerOf(v[k]);
    ints[k] = n;
    if (Number.isNaN(n) && on('value.not-integer')) add('value.not-integer', k, v[k]);
  }
  const ok = (n: number | undefined): n is number => n !== undefined && !Number.isNaN(n);
  for (const k of ['count_min', 'count_max']) if (on('count.negative') && ok(ints[k]) && (ints[k] as number) < 0) add('count.negative', k, ints[k]);
  const pair = (id: CheckId, a: string, b: string) => {
    const x = ints[a];
    const y = ints[b];
    if (on(id) && ok(x) && ok(y) && x > y) add(id, a, x, null, { max: y });
  };
  pair('count.min-gt-max', 'count_min', 'count_max');
  pair('altitude.min-gt-max', 'altitude_min', 'altitude_max');
  pair('depth.min-gt-max', 'depth_min', 'depth_max');

  // Taxa.
  const t = ctx.taxonomy;
  const name = text('nom_cite');
  if (t) {
    const cd = ints.cd_nom;
    const fromName = name !== null ? codeForName(t, name) : null;
    if (ok(cd)) {
      const rec = t.get(cd);
      if (!rec) {
        if (on('taxon.unknown-code')) add('taxon.unknown-code', 'cd_nom', cd, fromName !== null ? { fix: 'fill-taxon-codes', value: fromName, params: {} } : null, { taxonomy: t.source });
      } else if (fromName !== null && on('taxon.name-code-mismatch')) {
        const nameRef = t.get(fromName)?.cdRef ?? fromName;
        if (nameRef !== rec.cdRef) add('taxon.name-code-mismatch', 'cd_nom', cd, null, { name, nameCode: fromName });
      }
    } else if (cd === undefined && fromName !== null && on('taxon.code-from-name')) {
      add('taxon.code-from-name', 'cd_nom', null, { fix: 'fill-taxon-codes', value: fromName, params: {} }, { name, suggested: fromName });
    }
  }

  // Nomenclatures.
  if (on('nomenclature.unknown-value')) {
    for (const f of NOMENCLATURE_FIELDS) {
      const col = nomenclatureColumn(f);
      const val = text(col);
      if (val === null) continue;
      const type = SYNTHESE_NOMENCLATURES[f as SyntheseNomenclatureField];
      if (isSinpCode(ctx.catalog, type, val)) continue;
      const memoKey = `${type}\u0000${val}`;
      let memo = nomenclatureMemo.get(ctx.catalog);
      if (!memo) nomenclatureMemo.set(ctx.catalog, (memo = new Map()));
      let code = memo.get(memoKey);
      if (code === undefined) {
        code = matchNomenclature(ctx.catalog, type, val);
        if (memo.size > 10_000) memo.clear();
        memo.set(memoKey, code);
      }
      add('nomenclature.unknown-value', col, val, code !== null ? { fix: 'map-values', value: code, params: { field: col } } : null, { type });
    }
  }

  // Proofs (GeoNature's INVALID_EXISTING_PROOF_VALUE and INVALID_URL_PROOF).
  const proof = text(nomenclatureColumn('exist_proof'));
  const digital = text('digital_proof');
  const nonDigital = text('non_digital_proof');
  if (on('proof.inconsistent')) {
    if (proof === '1' && digital === null && nonDigital === null) add('proof.inconsistent', nomenclatureColumn('exist_proof'), proof, null, { detail: 'aucune preuve / no proof given' });
    else if (proof !== '1' && (digital !== null || nonDigital !== null)) add('proof.inconsistent', nomenclatureColumn('exist_proof'), proof, null, { detail: 'une preuve est donnée / a proof is given' });
  }
  if (on('proof.invalid-url') && digital !== null && !isProofUrl(digital)) add('proof.invalid-url', 'digital_proof', digital);

  // Encoding damage in free text.
  if (on('encoding.mojibake') || on('encoding.lost-characters')) {
    for (const k of TEXT_FIELDS) {
      const raw = v[k];
      if (typeof raw !== 'string' || raw === '') continue;
      const dmg = encodingDamage(raw);
      if (!dmg) continue;
      if (dmg.kind === 'mojibake' && on('encoding.mojibake')) add('encoding.mojibake', k, raw, { fix: 'repair-mojibake', value: dmg.repaired, params: {} }, { repaired: dmg.repaired });
      if (dmg.kind === 'lost' && on('encoding.lost-characters')) add('encoding.lost-characters', k, raw);
    }
  }

  // Geometry.
  const g = row.geometry;
  if (!g) {
    if (on('geometry.missing')) add('geometry.missing', 'geom', null);
    return out;
  }
  if (isEmptyGeometry(g)) {
    if (on('geometry.empty')) add('geometry.empty', 'geom', `${g.type.toUpperCase()} EMPTY`);
    return out;
  }
  if (row.invalidReason !== null && on('geometry.invalid')) add('geometry.invalid', 'geom', g.type, { fix: 'make-valid', params: {} }, { reason: row.invalidReason });
  const a = anchorOf(g);
  if (!a) return out;
  const [x, y] = a;
  const pos = `${round(x)} ${round(y)}`;
  const inside = ctx.inTerritory ?? ((lon: number, lat: number) => inBox(lon, lat, ctx.referenceBox));
  if (!isLonLat(x, y)) {
    if (on('geometry.projected')) {
      let srs: string | null = null;
      for (const cand of projectedCandidates(x, y)) {
        const ll = ctx.toLonLat?.(x, y, cand) ?? null;
        if (ll && inside(ll[0], ll[1])) {
          srs = cand;
          break;
        }
      }
      add('geometry.projected', 'geom', pos, srs ? { fix: 'reproject', params: { from: srs } } : null, { srs: srs ?? '?' });
    }
    return out;
  }
  if (looksSwapped(x, y, inside)) {
    if (on('geometry.swapped')) add('geometry.swapped', 'geom', pos, { fix: 'swap-coordinates', value: `${round(y)} ${round(x)}`, params: {} });
    return out;
  }
  if (ctx.inTerritory && !ctx.inTerritory(x, y)) {
    if (on('geometry.outside-territory')) add('geometry.outside-territory', 'geom', pos);
  } else if (ctx.departements.length && ctx.departementOf && on('geometry.outside-departement')) {
    const dep = ctx.departementOf(x, y);
    if (dep === null || !ctx.departements.includes(dep)) add('geometry.outside-departement', 'geom', pos, null, { found: dep ?? '—', expected: ctx.departements.join(', ') });
  }
  return out;
}

const round = (n: number) => Math.round(n * 1e6) / 1e6;

/** Unknown values repeat: their suggested codes are looked up once (the INPN catalog does not change in a run). */
const nomenclatureMemo = new WeakMap<SyntheseCatalog, Map<string, string | null>>();

/** The reference box when the workspace has no areas. */
export const DEFAULT_REFERENCE_BOX = FRANCE_BOX;
