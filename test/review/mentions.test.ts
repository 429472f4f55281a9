import { describe, expect, it } from 'vitest';
import { commentBody } from '../../src/review/post.ts';
import { withoutMentions } from '../../src/review/report/mentions.ts';

describe('mentions in model-written text', () => {
  it('breaks @user and @org/team so nobody is notified, and leaves emails and code alone', () => {
    const text = withoutMentions(
      '@alice and (@acme/security) approve this; mail ops@acme.io; see `@Component()` here',
    );
    expect(text).not.toMatch(/(^|[^\w])@alice/);
    expect(text).not.toMatch(/\(@acme\/security/);
    expect(text).toContain('ops@acme.io');
    expect(text).toContain('`@Component()`');
    expect(text.replaceAll('\u2060', '')).toBe(
      '@alice and (@acme/security) approve this; mail ops@acme.io; see `@Component()` here',
    );
  });

  it('applies to posted comment titles and bodies, not to suggestions', () => {
    const body = commentBody({
      path: 'a.ts',
      line: 1,
      endLine: 1,
      side: 'RIGHT',
      severity: 'minor',
      category: 'x',
      title: 'Ping @octocat',
      body: 'cc @acme/everyone',
      suggestion: '@Injectable() class A {}',
      fingerprint: '0'.repeat(20),
    });
    expect(body).not.toMatch(/ @octocat|@acme\/everyone/);
    expect(body).toContain('\n@Injectable() class A {}\n');
  });
});
