/**
 * French and English sentences of the cleanup domain that are not check findings: file-level
 * issues met while reading a source, and the reasons a row is kept aside.
 */
import type { Bilingual, FileIssue, RejectReason } from '../contract/schemas/cleanup.js';
import { render } from './checks.js';

const b = (fr: string, en: string): Bilingual => ({ fr, en });

export const FILE_ISSUE_MESSAGES: Readonly<Record<FileIssue['code'], Bilingual>> = {
  'empty-file': b('Le fichier est vide.', 'The file is empty.'),
  'no-data-rows': b('Le fichier n’a que son en-tête, aucune ligne de données.', 'The file has its header only, no data rows.'),
  'duplicate-columns': b('Colonnes en double dans l’en-tête : {{columns}} (renommées « nom (2) »).', 'Duplicate columns in the header: {{columns}} (renamed "name (2)").'),
  'empty-column-name': b('{{count}} colonne(s) sans nom (nommées « column N »).', '{{count}} column(s) without a name (named "column N").'),
  'blank-lines-before-header': b('{{count}} ligne(s) vide(s) avant l’en-tête, ignorée(s).', '{{count}} blank line(s) before the header, skipped.'),
  'encoding-uncertain': b('Encodage deviné : {{encoding}} (le fichier n’est pas de l’UTF-8 valide) ; confirmez-le.', 'Encoding guessed: {{encoding}} (the file is not valid UTF-8); please confirm.'),
  'encoding-damage': b('Le texte lu en {{encoding}} contient des accents abîmés (« Ã© » pour « é ») : essayez un autre encodage, ou réparez-les après l’import.', 'Text read as {{encoding}} has broken accents ("Ã©" for "é"): try another encoding, or repair them after the import.'),
  'mixed-line-endings': b('Fins de ligne mélangées (LF, CRLF, CR) : toutes sont lues.', 'Mixed line endings (LF, CRLF, CR): all are read.'),
  'unclosed-quote': b('{{count}} ligne(s) ouvrent un guillemet jamais fermé : mises de côté seules, les suivantes sont lues.', '{{count}} line(s) open a quote that never closes: set aside alone, the next lines are read.'),
  'dwca-missing-file': b('Le fichier {{file}} annoncé par meta.xml est absent.', 'The file {{file}} named by meta.xml is missing.'),
};

/** A file issue with its rendered message. */
export function fileIssue(code: FileIssue['code'], severity: FileIssue['severity'], params: Record<string, string | number>): FileIssue {
  const m = FILE_ISSUE_MESSAGES[code];
  return { code, severity, params, message: { fr: render(m.fr, params), en: render(m.en, params) } };
}

export const REJECT_MESSAGES: Readonly<Record<RejectReason, Bilingual>> = {
  'field-count': b('{{found}} champs au lieu de {{expected}} : ligne mal formée.', '{{found}} fields instead of {{expected}}: malformed line.'),
  'unclosed-quote': b('Un guillemet ouvert n’est jamais fermé.', 'A quote is opened and never closed.'),
  'geometry-missing': b('Aucune géométrie : ni WKT, ni coordonnées, ni code de zone.', 'No geometry: no WKT, no coordinates, no area code.'),
  'geometry-unreadable': b('Géométrie illisible : {{detail}}', 'Unreadable geometry: {{detail}}'),
  'area-unknown': b('Zone {{detail}} absente des zones de l’espace de travail.', 'Area {{detail}} is not among the workspace areas.'),
  'duplicate-uuid': b('UUID {{detail}} déjà présent plus haut dans le fichier.', 'UUID {{detail}} already appears earlier in the file.'),
  'existing-uuid': b('UUID {{detail}} déjà présent dans l’espace de travail.', 'UUID {{detail}} is already in the workspace.'),
  'read-error': b('Ligne illisible : {{detail}}', 'Unreadable row: {{detail}}'),
};

/** A reject reason's message. */
export function rejectMessage(reason: RejectReason, params: Record<string, string | number | null>): Bilingual {
  const m = REJECT_MESSAGES[reason];
  return { fr: render(m.fr, params), en: render(m.en, params) };
}
