import { readFileSync } from 'node:fs';
import Papa from 'papaparse';
const t = readFileSync('/work/shared/data/geonature/import_csv_synthese/one_line.csv', 'utf8');
const lines = t.split(/\r\n/);
const r = Papa.parse(lines[1], { delimiter: ';' });
console.log(r.errors, r.data[0].slice(25, 40));
