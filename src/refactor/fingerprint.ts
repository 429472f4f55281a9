// CONTRACT STUB (owner r-choose)

export function fingerprintAt(
  path: string,
  name: string,
  fileText: string,
  line: number,
  endLine: number,
): string {
  void [path, name, fileText, line, endLine];
  throw new Error('not integrated');
}
