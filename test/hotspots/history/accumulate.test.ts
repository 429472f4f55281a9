import { describe, expect, it } from 'vitest';
import { HistoryAccumulator } from '../../../src/hotspots/history/accumulate.ts';
import type { FileChange, LogCommit } from '../../../src/hotspots/history/log-parser.ts';

let next = 0;
function commit(time: number, changes: FileChange[], author = 'A'): LogCommit {
  return { sha: (next++).toString(16).padStart(40, '0'), time, author, changes };
}
const edit = (path: string, added = 1, deleted = 0): FileChange => ({ path, added, deleted });
const rename = (from: string, path: string): FileChange => ({ path, from, added: 0, deleted: 0 });

describe('HistoryAccumulator', () => {
  it('resolves a commit’s own names before learning its renames (a swap in one commit)', () => {
    const history = new HistoryAccumulator(new Set(['a', 'b']), 30);
    history.add(commit(3, [rename('b', 'a'), rename('a', 'b')]));
    history.add(commit(2, [edit('a', 5)])); // the file now called b
    history.add(commit(1, [edit('b', 7)])); // the file now called a
    const { files } = history.result();
    expect(files.get('a')).toMatchObject({ revisions: 2, added: 7 });
    expect(files.get('b')).toMatchObject({ revisions: 2, added: 5 });
  });

  it('counts a file listed twice in one commit as one revision and one changeset entry', () => {
    const history = new HistoryAccumulator(new Set(['new']), 30);
    history.add(commit(2, [edit('x')]));
    history.add(commit(1, [rename('old', 'new'), edit('new', 2, 1)]));
    history.add(commit(0, [edit('old', 3), edit('new', 4)]));
    const result = history.result();
    expect(result.files.get('new')).toMatchObject({ revisions: 2, added: 9, deleted: 1 });
    expect(result.changesets).toEqual([['new'], ['new']]);
  });

  it('takes first and last change from author times, whatever order they come in', () => {
    const history = new HistoryAccumulator(new Set(['f']), 30);
    history.add(commit(200, [edit('f')]));
    history.add(commit(300, [edit('f')])); // a rebased commit: older parent, newer author date
    history.add(commit(100, [edit('f')]));
    expect(history.result().files.get('f')).toMatchObject({
      firstChange: new Date(100_000).toISOString(),
      lastChange: new Date(300_000).toISOString(),
    });
  });

  it('skips boundary commits entirely and reports that they were reached', () => {
    const boundary = commit(50, [edit('f', 100)]);
    const history = new HistoryAccumulator(new Set(['f']), 30, new Set([boundary.sha]));
    history.add(commit(60, [edit('f', 1)]));
    history.add(boundary);
    const result = history.result();
    expect(result.commits).toBe(1);
    expect(result.files.get('f')).toMatchObject({ revisions: 1, added: 1 });
    expect(result.boundaries).toEqual([{ sha: boundary.sha, time: 50 }]);
  });
});
