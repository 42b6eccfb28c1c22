import { describe, expect, it } from 'vitest';
import { formatPublishProgress, parsePublishProgress } from './progress.js';

describe('publication progress messages', () => {
  it('round-trips a file’s progress (a path with spaces included) and a bare phase', () => {
    const file = { index: 2, count: 7, sent: 1048576, bytes: 4194304, path: 'data/mes observations.csv' };
    const m = formatPublishProgress('upload', file);
    expect(m).toBe('upload 2/7 1048576/4194304 data/mes observations.csv');
    expect(parsePublishProgress(m)).toEqual({ phase: 'upload', file });
    expect(parsePublishProgress(formatPublishProgress('gate'))).toEqual({ phase: 'gate', file: null });
  });

  it('is null for any other job message', () => {
    expect(parsePublishProgress('checksums')).toBeNull();
    expect(parsePublishProgress('upload 2/x')).toBeNull();
  });
});
