import { describe, expect, it } from 'vitest';
import { GATE_CHECKS, GATE_CHECK_TITLES, GATE_FINDINGS, fillFinding, gateVerdict } from './gate.js';

describe('the gate’s verdict', () => {
  const all = (status: 'pass' | 'fail' | 'warn' | 'skipped') => GATE_CHECKS.map((id) => ({ id, status }));
  it('passes only when every blocking check passed (warnings allowed)', () => {
    expect(gateVerdict(all('pass'))).toBe('pass');
    expect(gateVerdict(all('warn'))).toBe('pass');
    expect(gateVerdict(all('pass').map((c) => (c.id === 'leaks' ? { ...c, status: 'skipped' as const } : c)))).toBe('incomplete');
    expect(gateVerdict(all('skipped').map((c) => (c.id === 'licence' ? { ...c, status: 'fail' as const } : c)))).toBe('fail');
    // Unmatched taxa are listed, not blocking.
    expect(gateVerdict(all('pass').map((c) => (c.id === 'unmatchedTaxa' ? { ...c, status: 'skipped' as const } : c)))).toBe('pass');
  });

  it('every check has a title and every finding a text in both languages with the same parameters', () => {
    for (const id of GATE_CHECKS) expect(GATE_CHECK_TITLES[id].fr && GATE_CHECK_TITLES[id].en).toBeTruthy();
    const params = (s: string) => [...s.matchAll(/\{\{(\w+)\}\}/g)].map((m) => m[1]).sort();
    for (const [k, t] of Object.entries(GATE_FINDINGS)) expect(params(t.fr), k).toEqual(params(t.en));
    expect(fillFinding(GATE_FINDINGS['checksum.missingFile']?.en ?? '', { file: 'README.md' })).toBe('README.md is listed in the manifest but missing.');
  });
});
