/**
 * When the reader of `stream` goes away (`steward hotspots | head` closes the pipe), writing fails
 * with EPIPE: call `end` instead of dying with a stack trace. Any other write error stays an error.
 */
export function endQuietlyOnClosedPipe(
  stream: { on(event: 'error', listener: (error: Error) => void): unknown },
  end: () => void,
): void {
  stream.on('error', (error) => {
    if ('code' in error && error.code === 'EPIPE') {
      end();
      return;
    }
    throw error;
  });
}
