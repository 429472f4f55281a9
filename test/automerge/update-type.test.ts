import { describe, expect, it } from 'vitest';
import { classifyUpdate, riskiest } from '../../src/automerge/update-type.ts';

describe('classifyUpdate', () => {
  it.each([
    ['^4.17.20', '^4.17.21', 'patch'],
    ['~1.2.3', '~1.3.0', 'minor'],
    ['1.2.3', '2.0.0', 'major'],
    ['^1.2.3', '1.2.3', 'pin'],
    ['>=1.2.3 <2.0.0', '>=1.3.0 <2.0.0', 'minor'],
    ['v1.0.0', 'v1.0.1', 'patch'],
    ['^0.3.1', '^0.4.0', 'major'],
    ['0.3.1', '0.3.2', 'minor'],
    ['0.0.1', '0.0.2', 'major'],
    ['github:owner/repo#abc1234', 'github:owner/repo#def5678', 'digest'],
    ['npm:string-width@^4.2.3', 'npm:string-width@^4.2.4', 'patch'],
    ['^1.0.0', '^1.0.0 || ^2.0.0', 'major'],
  ])('%s → %s is %s', (from, to, type) => {
    expect(classifyUpdate(from, to)).toMatchObject({ ok: true, type });
  });

  it('treats a downgrade and a prerelease as major, with a note', () => {
    expect(classifyUpdate('2.0.0', '1.9.0')).toMatchObject({
      ok: true,
      type: 'major',
      note: expect.stringContaining('downgrade'),
    });
    expect(classifyUpdate('1.2.3', '1.2.4-beta.1')).toMatchObject({
      ok: true,
      type: 'major',
      note: expect.stringContaining('prerelease'),
    });
  });

  it('widening a range admits unreviewed versions: major', () => {
    expect(classifyUpdate('1.2.3', '^1.2.3')).toMatchObject({ ok: true, type: 'major' });
  });

  it.each([
    ['^4.17.20', '>=4.17.21', 'every future version'],
    ['^4.17.20', '>4.17.20', 'every future version'],
    ['~1.2.3', '^1.2.4', 'new minor versions'],
    ['1.2.3', '~1.2.4', 'new patch versions'],
    ['^1.2.3', '>=1.2.4 <3.0.0', 'new major versions'],
  ])('a bump that also widens the upper bound is major: %s → %s', (from, to, admits) => {
    expect(classifyUpdate(from, to)).toEqual({
      ok: true,
      type: 'major',
      note: `the range widened from "${from}" to "${to}": it now admits ${admits}`,
    });
  });

  it.each([
    ['~1.2.3', '~1.2.4', 'patch'],
    ['>=1.0.0', '>=1.0.1', 'patch'],
    ['1.2.x', '1.3.x', 'minor'],
    ['^0.9.1', '^0.9.2', 'minor'],
  ])('a bump that keeps the range’s reach is not widened: %s → %s', (from, to, type) => {
    expect(classifyUpdate(from, to)).toEqual({ ok: true, type });
  });

  it.each([
    ['latest', '^1.0.0'],
    ['^1.0.0', '*'],
    ['file:../x', 'file:../y'],
    ['github:a/b#abc1234', 'github:evil/b#abc1234'],
    ['npm:a@^1.0.0', 'npm:b@^1.0.1'],
  ])('fails closed on %s → %s', (from, to) => {
    expect(classifyUpdate(from, to).ok).toBe(false);
  });
});

describe('riskiest', () => {
  it('orders major > minor > patch > digest > pin', () => {
    expect(riskiest(['pin', 'patch', 'minor'])).toBe('minor');
    expect(riskiest(['pin', 'digest'])).toBe('digest');
    expect(riskiest(['patch', 'major'])).toBe('major');
    expect(riskiest([])).toBeNull();
  });
});
