import { describe, expect, it } from 'vitest';
import { isRootRelative, normalizeBase, stripBase, withBase } from '../../src/site/links.ts';

describe('normalizeBase', () => {
  it.each([
    [undefined, '/'],
    ['', '/'],
    ['/', '/'],
    ['training/socket-activation', '/training/socket-activation/'],
    ['/training/socket-activation', '/training/socket-activation/'],
    ['/training/socket-activation/', '/training/socket-activation/'],
    ['//a//', '/a/'],
  ])('%s → %s', (input, expected) => {
    expect(normalizeBase(input)).toBe(expected);
  });
});

describe('withBase (base-path link rewriting)', () => {
  const base = '/training/socket-activation/';
  it('prefixes root-relative links', () => {
    expect(withBase(base, '/lessons/fd-inheritance/')).toBe('/training/socket-activation/lessons/fd-inheritance/');
    expect(withBase(base, '/lessons/fd-inheritance/#try-it')).toBe(
      '/training/socket-activation/lessons/fd-inheritance/#try-it',
    );
    expect(withBase(base, '/')).toBe('/training/socket-activation/');
    expect(withBase(base, '/favicon.svg')).toBe('/training/socket-activation/favicon.svg');
  });
  it('leaves external, protocol-relative, relative and hash links alone', () => {
    for (const href of ['https://systemd.io/', '//cdn.example/x.js', '../faq/', 'faq/', '#section', 'mailto:a@b.c']) {
      expect(withBase(base, href)).toBe(href);
    }
  });
  it('does not prefix twice', () => {
    expect(withBase(base, '/training/socket-activation/faq/')).toBe('/training/socket-activation/faq/');
    expect(withBase(base, '/training/socket-activation')).toBe('/training/socket-activation');
  });
  it('is the identity for base /', () => {
    expect(withBase('/', '/lessons/x/')).toBe('/lessons/x/');
  });
  it('accepts a base written without slashes', () => {
    expect(withBase('docs', '/faq/')).toBe('/docs/faq/');
  });
});

describe('stripBase and isRootRelative', () => {
  it('strips the base from a pathname', () => {
    expect(stripBase('/training/socket-activation/', '/training/socket-activation/faq/')).toBe('/faq/');
    expect(stripBase('/training/socket-activation/', '/training/socket-activation')).toBe('/');
    expect(stripBase('/', '/faq/')).toBe('/faq/');
    expect(stripBase('/x/', '/other/')).toBe('/other/');
  });
  it('recognizes root-relative links only', () => {
    expect(isRootRelative('/a')).toBe(true);
    expect(isRootRelative('//a')).toBe(false);
    expect(isRootRelative('a')).toBe(false);
  });
});
