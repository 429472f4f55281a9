/**
 * Everything the HTML report shows comes from a repository (paths, function names, smell details)
 * and may hold `<`, `&` or quotes: it goes through one of these on its way into the page.
 */

const entities: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};

/** For text content and double- or single-quoted attribute values alike. */
export function escapeHtml(value: string): string {
  // NUL is replaced by the HTML parser anyway; say so explicitly rather than rely on it.
  return value.replace(/[&<>"']/g, (ch) => entities[ch]!).replace(/\0/g, '\uFFFD');
}

/**
 * JSON to embed in `<script type="application/json">`: with every `<` escaped, no `</script>` or
 * `<!--` in the data can end or disturb the script element; JSON.parse reads `\u003c` back as `<`.
 */
export function jsonForScript(value: unknown): string {
  return JSON.stringify(value)
    .replace(/</g, '\\u003c')
    .replace(/\u2028/g, '\\u2028')
    .replace(/\u2029/g, '\\u2029');
}
