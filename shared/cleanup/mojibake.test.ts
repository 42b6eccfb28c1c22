import { describe, expect, it } from 'vitest';
import { decodeUtf8Strict, encodingDamage, mojibakeScore, repairMojibake } from './mojibake.js';

describe('repairMojibake', () => {
  // Real values of GeoNature's Écrins dump (data/dev/jdd_synthese_dev.sql) and common cases.
  it.each([
    ['Nicolas Marie-GeneviÃ¨ve', 'Nicolas Marie-Geneviève'],
    ['Bouche Michel, LefranÃ§ois Olivier', 'Bouche Michel, Lefrançois Olivier'],
    ['Foret JÃ©rÃ´me, Vannard Eric', 'Foret Jérôme, Vannard Eric'],
    ['Magnolon SÃ©verine', 'Magnolon Séverine'],
    ['Enregistrement Ã  prÃ©ciser', 'Enregistrement à préciser'],
    ["vu par Charles Marechal, photo Ã  l'appui", "vu par Charles Marechal, photo à l'appui"],
    ['gÃ®te 5', 'gîte 5'],
    ['Ã‰crins', 'Écrins'],
    ['Å“uf', 'œuf'],
    ['â‚¬ 5', '€ 5'],
    ['GeneviÃƒÂ¨ve', 'Geneviève'],
  ])('%s → %s', (broken, right) => {
    expect(repairMojibake(broken)).toBe(right);
    expect(encodingDamage(broken)).toEqual({ kind: 'mojibake', repaired: right });
  });

  it.each(['Geneviève', 'Lefrançois', 'Café crème', 'naïve', 'Ça', 'À la côte', 'Œuf', 'plain ASCII', '°C', 'Noël «entre guillemets»', 'Âge'])('leaves correct text alone: %s', (ok) => {
    expect(repairMojibake(ok)).toBe(ok);
    expect(encodingDamage(ok)).toBeNull();
  });

  it('reports characters lost to a wrong decoding (U+FFFD) without inventing a repair', () => {
    expect(encodingDamage('Genevi\ufffdve')).toEqual({ kind: 'lost' });
  });

  it('decodes UTF-8 strictly', () => {
    expect(decodeUtf8Strict([0xc3, 0xa9])).toBe('é');
    expect(decodeUtf8Strict([0xe9])).toBeNull();
    expect(decodeUtf8Strict([0xc0, 0x80])).toBeNull(); // overlong
    expect(decodeUtf8Strict([0xed, 0xa0, 0x80])).toBeNull(); // surrogate
    expect(decodeUtf8Strict([0xf0, 0x9f, 0x98, 0x86])).toBe('😆');
  });

  it('scores damaged text above clean text', () => {
    expect(mojibakeScore('GeneviÃ¨ve LefranÃ§ois')).toBeGreaterThan(50);
    expect(mojibakeScore('Geneviève Lefrançois')).toBe(0);
  });
});
