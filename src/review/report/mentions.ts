/**
 * Text the model wrote (or quoted from the pull request) must not ping people or teams: an
 * `@name` in a bot comment notifies, so a pull request could make Steward page anyone. A word
 * joiner after the `@` keeps the text readable and the mention inert. Email addresses and code
 * spans are left as they are (GitHub does not notify from either).
 */
export function withoutMentions(text: string): string {
  return text
    .split(/(`+[^`]*`+)/)
    .map((part, i) =>
      i % 2 === 1 ? part : part.replace(/(^|[^\w.`])@(?=[A-Za-z0-9])/g, '$1@\u2060'),
    )
    .join('');
}
