import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { detectLineEndings, hasBom, sniffDelimiter } from '../../../src/csv/sniff';

describe('sniffDelimiter', () => {
  it('finds comma, semicolon, tab and pipe', () => {
    assert.equal(sniffDelimiter('a,b,c\n1,2,3\n4,5,6\n'), ',');
    assert.equal(sniffDelimiter('a;b;c\n1;2;3\n'), ';');
    assert.equal(sniffDelimiter('a\tb\tc\n1\t2\t3\n'), '\t');
    assert.equal(sniffDelimiter('a|b|c\r\n1|2|3\r\n'), '|');
  });

  it('prefers the delimiter that splits every line the same way', () => {
    // ';' splits each line once; ',' occurs 0 then 2 times (decimal commas).
    assert.equal(sniffDelimiter('x;y\n1,5;2,5\n3,5;4,5\n'), ';');
    // Commas in a free-text field that is not quoted: one per line is still the rule.
    assert.equal(sniffDelimiter('name,comment\nann,ok; fine\nbob,good\ncid,x; y; z\n'), ',');
  });

  it('ignores delimiters inside quotes', () => {
    assert.equal(sniffDelimiter('a;b\n"1,2,3";4\n"5,6";7\n'), ';');
  });

  it('requires the delimiter on the first line, ignores blank lines, and defaults to comma', () => {
    assert.equal(sniffDelimiter('x\n   \n1\n\t\n2\n'), ',', 'a one-column file with a tab-only line');
    assert.equal(sniffDelimiter('value\n1;2\n'), ',', 'not on the header line: not the delimiter');
    assert.equal(sniffDelimiter(''), ',');
    assert.equal(sniffDelimiter('\ufeffa;b\n1;2'), ';', 'after a byte order mark');
  });

  it('uses a partial first line when the sample holds no complete one', () => {
    assert.equal(sniffDelimiter('1;'.repeat(100000)), ';');
  });
});

describe('line endings and BOM', () => {
  it('names the style, or mixed, or none', () => {
    assert.equal(detectLineEndings('a\nb\n'), 'LF');
    assert.equal(detectLineEndings('a\r\nb\r\n'), 'CRLF');
    assert.equal(detectLineEndings('a\rb\r'), 'CR');
    assert.equal(detectLineEndings('a\r\nb\n'), 'mixed');
    assert.equal(detectLineEndings('a\rb\n'), 'mixed');
    assert.equal(detectLineEndings('a,b'), 'none');
    assert.equal(detectLineEndings(''), 'none');
  });

  it('detects a UTF-8 byte order mark', () => {
    assert.equal(hasBom('\ufeffx'), true);
    assert.equal(hasBom('x\ufeff'), false);
  });
});
