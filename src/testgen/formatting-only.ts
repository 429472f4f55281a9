import { ts } from 'ts-morph';

/**
 * Checks that a formatter only formatted: the same tokens in the same order and the same comments,
 * apart from what formatting may change (quotes, semicolons, commas, parentheses, how numbers and
 * property keys are spelled). A project's prettier config and plugins are the pull request's code:
 * they must not change the tests after the chain checked them.
 */
function tokensOf(file: ts.SourceFile): { tokens: string[]; comments: string[] } {
  const tokens: string[] = [];
  const comments: string[] = [];
  const seen = new Set<number>();
  const text = file.text;
  const comment = (ranges: ts.CommentRange[] | undefined): void => {
    for (const range of ranges ?? []) {
      if (seen.has(range.pos)) continue;
      seen.add(range.pos);
      comments.push(
        text
          .slice(range.pos, range.end)
          .split(/\r?\n/)
          .map((line) => line.trim())
          .join('\n'),
      );
    }
  };
  const skipped = new Set<ts.SyntaxKind>([
    ts.SyntaxKind.SemicolonToken,
    ts.SyntaxKind.CommaToken,
    ts.SyntaxKind.OpenParenToken,
    ts.SyntaxKind.CloseParenToken,
    ts.SyntaxKind.SyntaxList,
  ]);
  const visit = (node: ts.Node): void => {
    // A doc comment is read as a comment, from the leading comments of the token after it.
    if (node.kind === ts.SyntaxKind.JSDoc) return;
    const children = node.getChildren(file);
    if (children.length > 0) {
      children.forEach(visit);
      return;
    }
    comment(ts.getLeadingCommentRanges(text, node.pos));
    comment(ts.getTrailingCommentRanges(text, node.end));
    if (skipped.has(node.kind) || node.kind === ts.SyntaxKind.EndOfFileToken) return;
    if (ts.isStringLiteral(node) || ts.isIdentifier(node) || ts.isPrivateIdentifier(node))
      tokens.push(`v:${node.text}`);
    else if (ts.isNumericLiteral(node)) tokens.push(`v:${String(Number(node.text))}`);
    else tokens.push(`${node.kind}:${node.getText(file)}`);
  };
  visit(file);
  return { tokens, comments };
}

/** Why `after` is more than `before` formatted, or undefined when it is only that. */
export function formattingOnlyProblem(
  path: string,
  before: string,
  after: string,
): string | undefined {
  const kind = /\.[cm]?jsx$|\.tsx$/.test(path) ? ts.ScriptKind.TSX : ts.ScriptKind.TS;
  const parse = (text: string): ts.SourceFile =>
    ts.createSourceFile(path, text, ts.ScriptTarget.Latest, true, kind);
  const a = tokensOf(parse(before));
  const b = tokensOf(parse(after));
  const at = a.tokens.findIndex((token, i) => token !== b.tokens[i]);
  if (at >= 0 || a.tokens.length !== b.tokens.length) {
    const index = at >= 0 ? at : Math.min(a.tokens.length, b.tokens.length);
    return `the formatted text changes code, not only its layout (token ${index + 1}: ${JSON.stringify(a.tokens[index] ?? 'end of file')} became ${JSON.stringify(b.tokens[index] ?? 'end of file')})`;
  }
  if (a.comments.join('\0') !== b.comments.join('\0'))
    return 'the formatted text changes comments, not only their layout';
  return undefined;
}
