/** "1 function", "2 functions": a count with its noun, for one-line explanations. */
export function counted(count: number, noun: string): string {
  return `${count} ${noun}${count === 1 ? '' : 's'}`;
}
