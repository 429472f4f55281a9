import { describe, expect, it } from 'vitest';
import { SeriesInputError, parseSeriesCsv } from '../../src/anomaly/csv.ts';

const T0 = Date.UTC(2026, 2, 1, 12, 0, 0);

/** The SeriesInputError `text` throws, as the fields a test compares. */
function failure(text: string) {
  try {
    parseSeriesCsv(text, 'series.csv');
  } catch (error: unknown) {
    if (!(error instanceof SeriesInputError)) throw error;
    return { line: error.line, field: error.field, message: error.message };
  }
  throw new Error(`parsed without an error: ${JSON.stringify(text.slice(0, 80))}`);
}

describe('parseSeriesCsv', () => {
  it('reads ISO 8601 timestamps with a zone and decimal values', () => {
    const text = [
      'timestamp,value',
      '2026-03-01T12:00:00Z,1.5',
      '2026-03-01T14:01:00+02:00,-2',
      '2026-03-01T12:02:00.250z,3e2',
      '2026-03-01 12:03:00-0000,+.5',
    ].join('\n');
    expect(parseSeriesCsv(text, 'series.csv')).toEqual([
      { t: T0, v: 1.5 },
      { t: T0 + 60_000, v: -2 },
      { t: T0 + 120_250, v: 300 },
      { t: T0 + 180_000, v: 0.5 },
    ]);
  });

  it('reads epoch seconds, decimals included', () => {
    const seconds = T0 / 1000;
    const text = `timestamp,value\n${seconds},1\n${seconds}.5,2\n${seconds + 60},3\n`;
    expect(parseSeriesCsv(text, 'series.csv')).toEqual([
      { t: T0, v: 1 },
      { t: T0 + 500, v: 2 },
      { t: T0 + 60_000, v: 3 },
    ]);
  });

  it('takes a header in any case, quoted cells, a BOM, CRLF, lone CR, spaces and blank lines', () => {
    const crlf =
      '\ufeff"Timestamp" , "VALUE"\r\n"1772366400", "1"\r\n\r\n 1772366460 ,2\r\n\r\n\r\n';
    expect(parseSeriesCsv(crlf, 's.csv')).toEqual([
      { t: T0, v: 1 },
      { t: T0 + 60_000, v: 2 },
    ]);
    expect(parseSeriesCsv('TIMESTAMP,Value\r1772366400,1\r1772366460,2', 's.csv')).toHaveLength(2);
    // A doubled quote inside quotes is one quote, which makes the value bad, not the row.
    expect(failure('timestamp,value\n1772366400,"1""2"').message).toBe(
      'series.csv:2: the value "1\\"2" is not a number; write a decimal such as 42, -0.5 or 1.5e3 (a point for decimals, no thousands separators)',
    );
  });

  describe('names each problem with its line and field', () => {
    const cases: [string, string, number, string, string][] = [
      ['an empty file', '', 1, 'header', 'the file is empty or starts with a blank line'],
      [
        'another header',
        'time,v\n1,2',
        1,
        'header',
        'the header is "time,v"; the first line must be the header timestamp,value',
      ],
      [
        'a missing header',
        '1772366400,1\n',
        1,
        'header',
        'this looks like a row of data: add the header above it',
      ],
      [
        'a third column',
        'timestamp,value,host\n',
        1,
        'header',
        'the header is "timestamp,value,host"',
      ],
      ['no rows', 'timestamp,value\n\n', 3, 'row', 'the file has a header but no rows'],
      [
        'one field',
        'timestamp,value\n1772366400,1\n1772366460',
        3,
        'row',
        'expected 2 fields (timestamp,value), got 1',
      ],
      [
        'three fields',
        'timestamp,value\n1772366400,1,5',
        2,
        'row',
        'got 3; a decimal comma? write decimals with a point',
      ],
      [
        'an open quote',
        'timestamp,value\n"1772366400,1',
        2,
        'row',
        'a double quote is opened and never closed',
      ],
      ['an empty timestamp', 'timestamp,value\n,1', 2, 'timestamp', 'the timestamp is empty'],
      [
        'a zone-less ISO time',
        'timestamp,value\n2026-03-01T12:00:00,1',
        2,
        'timestamp',
        'the timestamp "2026-03-01T12:00:00" has no time zone, so the instant is ambiguous; add Z for UTC or an offset such as +02:00',
      ],
      [
        'a date alone',
        'timestamp,value\n2026-03-01,1',
        2,
        'timestamp',
        'is a date without a time; write it as 2026-03-01T00:00:00Z',
      ],
      [
        'a day that does not exist',
        'timestamp,value\n2026-02-29T00:00:00Z,1',
        2,
        'timestamp',
        'names a day that does not exist (2026-02-29)',
      ],
      [
        'hour 24',
        'timestamp,value\n2026-03-01T24:00:00Z,1',
        2,
        'timestamp',
        'has a time of day out of range',
      ],
      [
        'a leap second',
        'timestamp,value\n2026-03-01T23:59:60Z,1',
        2,
        'timestamp',
        'has a time of day out of range',
      ],
      [
        'an offset out of range',
        'timestamp,value\n2026-03-01T00:00:00+24:00,1',
        2,
        'timestamp',
        'has an offset out of range',
      ],
      [
        'a year before 1970',
        'timestamp,value\n0099-03-01T00:00:00Z,1',
        2,
        'timestamp',
        'is before 1970',
      ],
      [
        'epoch milliseconds',
        'timestamp,value\n1772366400000,1',
        2,
        'timestamp',
        'is too large for epoch seconds; if it is milliseconds, divide by 1000',
      ],
      ['negative epoch seconds', 'timestamp,value\n-5,1', 2, 'timestamp', 'is neither ISO 8601'],
      [
        'an RFC 2822 date',
        'timestamp,value\n"Sun, 01 Mar 2026 12:00:00 GMT",1',
        2,
        'timestamp',
        'is neither ISO 8601 (such as 2026-03-01T12:00:00Z) nor epoch seconds',
      ],
      [
        'an empty value',
        'timestamp,value\n1772366400,1\n1772366460,',
        3,
        'value',
        'the value is empty; every row needs a number (drop the row: gaps between timestamps are allowed)',
      ],
      [
        'NaN',
        'timestamp,value\n1772366400,NaN',
        2,
        'value',
        'the value is "NaN", not a finite number',
      ],
      [
        '+Inf',
        'timestamp,value\n1772366400,+Inf',
        2,
        'value',
        'the value is "+Inf", not a finite number',
      ],
      [
        '-infinity',
        'timestamp,value\n1772366400,-infinity',
        2,
        'value',
        'the value is "-infinity", not a finite number',
      ],
      [
        '1e400',
        'timestamp,value\n1772366400,1e400',
        2,
        'value',
        'the value "1e400" is too large for a finite number',
      ],
      [
        'a thousands separator',
        'timestamp,value\n1772366400,"1,000"',
        2,
        'value',
        'the value "1,000" is not a number',
      ],
      ['hex', 'timestamp,value\n1772366400,0x10', 2, 'value', 'the value "0x10" is not a number'],
      ['a unit', 'timestamp,value\n1772366400,5ms', 2, 'value', 'the value "5ms" is not a number'],
      [
        'a repeated timestamp',
        'timestamp,value\n1772366400,1\n\n2026-03-01T12:00:00Z,2',
        4,
        'timestamp',
        'the timestamp "2026-03-01T12:00:00Z" is the same instant as line 2\'s; keep one row per instant',
      ],
      [
        'a step back in time',
        'timestamp,value\n1772366400,1\n1772366460,1\n1772366399,2',
        4,
        'timestamp',
        'the timestamp "1772366399" is before line 3\'s; sort the rows by time',
      ],
    ];
    it.each(cases)('%s', (_name, text, line, field, message) => {
      const error = failure(text);
      expect(error.line).toBe(line);
      expect(error.field).toBe(field);
      expect(error.message.startsWith(`series.csv:${line}: `)).toBe(true);
      expect(error.message).toContain(message);
    });
  });

  describe('hostile input', () => {
    it('rejects formula-like cells as numbers, and quotes them in the message', () => {
      for (const cell of ['=1+1', '@SUM(A1)', '=HYPERLINK("http://x")', '-1+1', '+-1'])
        expect(failure(`timestamp,value\n1772366400,${JSON.stringify(cell)}`)).toMatchObject({
          line: 2,
          field: 'value',
        });
      expect(failure('timestamp,value\n=NOW(),1')).toMatchObject({ line: 2, field: 'timestamp' });
    });

    it('cuts a 10,000-character cell short in the message', () => {
      const long = '9'.repeat(10_000);
      for (const text of [
        `timestamp,value\n1772366400,${long}x`,
        `timestamp,value\n${long},1`,
        `${'h'.repeat(10_000)},value\n`,
      ]) {
        const { message } = failure(text);
        expect(message.length).toBeLessThan(300);
      }
      // A long number is still a number: 10,000 digits overflow to Infinity and are named so.
      expect(failure(`timestamp,value\n1772366400,${long}`).message).toContain(
        'is too large for a finite number',
      );
    });

    it('reads only ASCII digits', () => {
      // Arabic-Indic, fullwidth and Devanagari digits look like numbers and are not.
      for (const digits of ['١٢٣', '１２３', '१२३'])
        expect(failure(`timestamp,value\n1772366400,${digits}`)).toMatchObject({ field: 'value' });
      expect(failure('timestamp,value\n１７７２３６６４００,1')).toMatchObject({
        field: 'timestamp',
      });
      expect(failure('timestamp,value\n2026-03-01T12:00:00Z,١')).toMatchObject({ field: 'value' });
    });

    it('escapes control and bidirectional characters in the message', () => {
      const { message } = failure('timestamp,value\n1772366400,"\u001b[31mred\u202egnp.exe"');
      expect(message).not.toContain('\u001b');
      expect(message).not.toContain('\u202e');
      expect(message).toContain('\\u001b[31mred\\u202egnp.exe');
    });

    it('takes Unicode spaces around a cell as spaces, and rejects a NUL', () => {
      expect(parseSeriesCsv('timestamp,value\n\ufeff1772366400,\u00a01\u2028', 's.csv')).toEqual([
        { t: T0, v: 1 },
      ]);
      expect(failure('timestamp,value\n1772366400,1\u0000')).toMatchObject({ field: 'value' });
      expect(failure('timestamp,value\n17723\u00006400,1')).toMatchObject({ field: 'timestamp' });
    });
  });

  it('reads a million rows (linear: one pass)', () => {
    const rows = ['timestamp,value'];
    for (let i = 0; i < 1_000_000; i++) rows.push(`${1_772_366_400 + i * 60},${i % 97}`);
    const points = parseSeriesCsv(rows.join('\n'), 'big.csv');
    expect(points).toHaveLength(1_000_000);
    expect(points[999_999]).toEqual({ t: (1_772_366_400 + 999_999 * 60) * 1000, v: 999_999 % 97 });
  });
});
