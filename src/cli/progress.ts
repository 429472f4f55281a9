/** Redraws at most this often: a progress line is for eyes, not for every parsed file. */
const REDRAW_MS = 80;

/**
 * One line of progress on a terminal, rewritten in place and cleared when the command ends, so it
 * never mixes with the output people keep.
 */
export function terminalProgress(stream: { write(text: string): boolean; columns?: number }): {
  update: (message: string) => void;
  clear: () => void;
} {
  let last = 0;
  let shown = false;
  return {
    update(message) {
      const now = Date.now();
      if (now - last < REDRAW_MS) return;
      last = now;
      const width = Math.max(20, (stream.columns ?? 80) - 1);
      stream.write(
        `\r\u001b[2K${message.length > width ? `${message.slice(0, width - 1)}…` : message}`,
      );
      shown = true;
    },
    clear() {
      if (shown) stream.write('\r\u001b[2K');
      shown = false;
    },
  };
}
