import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { renderHotspotsHtml } from '../../../src/hotspots/report/html.ts';
import { escapeHtml, jsonForScript } from '../../../src/hotspots/report/html-escape.ts';
import { evilPaths, evilReport, sampleReport } from './sample-report.ts';

function between(html: string, open: string, close: string): string {
  const start = html.indexOf(open) + open.length;
  return html.slice(start, html.indexOf(close, start));
}

describe('renderHotspotsHtml', () => {
  it('is one page with exactly one shape per file', () => {
    const report = sampleReport(120);

    const html = renderHotspotsHtml(report);

    expect(html.startsWith('<!doctype html>')).toBe(true);
    expect(html.match(/ data-path="/g)).toHaveLength(120);
    expect(html.match(/<tr data-i="/g)).toHaveLength(120);
  });

  it('loads nothing: no external reference, and a policy that forbids fetching', () => {
    const html = renderHotspotsHtml(sampleReport(50));

    const references = [...html.matchAll(/\s(?:src|href|action|srcset)="([^"]*)"/g)].map(
      (m) => m[1],
    );
    expect(references.every((ref) => ref === '#ranked' || ref === 'data:,')).toBe(true);
    expect(html).not.toMatch(/@import|url\(|<link rel="stylesheet"|<iframe|<object/i);
    const csp = between(html, '<meta http-equiv="Content-Security-Policy" content="', '"');
    expect(csp).toContain("default-src 'none'");
    // The script is allowed by its hash, not by 'unsafe-inline'.
    const script = between(html, '<script>', '</script>');
    const hash = createHash('sha256').update(script, 'utf8').digest('base64');
    expect(csp).toContain(`script-src 'sha256-${hash}'`);
  });

  it('embeds the data as JSON that no path can break out of', () => {
    const html = renderHotspotsHtml(evilReport);

    // Two script elements and no more: the JSON one and the page's own.
    expect(html.match(/<script/gi)).toHaveLength(2);
    expect(html.match(/<\/script/gi)).toHaveLength(2);
    expect(html).not.toContain('<img');
    expect(html).not.toContain('<!--comment');
    const json = between(html, '<script type="application/json" id="hotspots-data">', '</script>');
    expect(json).not.toContain('<');
    const data = JSON.parse(json) as { files: { path: string }[] };
    expect(data.files.map((f) => f.path)).toEqual(evilPaths);
  });

  it('escapes repository text in attributes and text alike', () => {
    const html = renderHotspotsHtml(evilReport);

    expect(html).toContain('data-path="docs/Tom &amp; Jerry&#39;s &quot;quotes&quot;.md"');
    expect(html).toContain('<h1>acme/&lt;b&gt;shop&lt;/b&gt; &amp; &quot;co&quot;</h1>');
    expect(html).toContain('<code>main&lt;script&gt;</code>');
  });

  it('renders the same page for the same report', () => {
    expect(renderHotspotsHtml(sampleReport(80))).toBe(renderHotspotsHtml(sampleReport(80)));
  });

  it('renders an empty report', () => {
    const html = renderHotspotsHtml({ repo: 'r', head: 'h', since: null, files: [], coupling: [] });

    expect(html).not.toContain('data-path=');
    expect(html).toContain('No files in this report.');
  });
});

describe('escapeHtml and jsonForScript', () => {
  it('escape what HTML and script elements would read as markup', () => {
    expect(escapeHtml(`<a href="x">'&'</a>\0`)).toBe(
      '&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;\uFFFD',
    );
    const json = jsonForScript({ p: '</script><!-- \u2028' });
    expect(json).toBe('{"p":"\\u003c/script>\\u003c!-- \\u2028"}');
    expect(JSON.parse(json)).toEqual({ p: '</script><!-- \u2028' });
  });
});
