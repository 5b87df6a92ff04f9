import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { scriptHashSource } from '../../src/site/csp.ts';
import {
  allowInlineStylesForDev,
  headersForPath,
  matchesPattern,
  parseHeadersFile,
  rebaseRules,
  serializeHeaders,
} from '../../src/site/headers.ts';
import { assertThemeHashAllowed } from '../../src/site/integration.ts';
import { THEME_INIT_SCRIPT } from '../../src/site/theme-script.ts';

const text = readFileSync('public/_headers', 'utf8');
const rules = parseHeadersFile(text);
const csp = (path: string) => headersForPath(rules, path).get('Content-Security-Policy') ?? '';
const htmlPages = ['/', '/faq/', '/404.html', '/lessons/the-problem/', '/lessons/fd-inheritance/', '/labs/first-socket/'];

describe('parseHeadersFile', () => {
  it('reads path lines and indented headers, skipping comments', () => {
    expect(parseHeadersFile('# c\n/a/*\n  X-A: 1\n  X-B: two: parts\n\n/b\n  X-C: 3\n')).toEqual([
      { pattern: '/a/*', headers: [['X-A', '1'], ['X-B', 'two: parts']] },
      { pattern: '/b', headers: [['X-C', '3']] },
    ]);
  });
  it('says which line is wrong', () => {
    expect(() => parseHeadersFile('  X-A: 1\n')).toThrow(/_headers line 1: expected an indented "Name: value" under a path line/);
  });
  it('round-trips through serializeHeaders', () => {
    expect(parseHeadersFile(serializeHeaders(rules))).toEqual(rules);
  });
});

describe('matchesPattern', () => {
  it('matches splats, placeholders and directory index files', () => {
    expect(matchesPattern('/lessons/*', '/lessons/accept-yes/')).toBe(true);
    expect(matchesPattern('/labs/:id/', '/labs/first-socket/')).toBe(true);
    expect(matchesPattern('/faq/', '/faq/index.html')).toBe(true);
    expect(matchesPattern('/faq/', '/faq')).toBe(true);
    expect(matchesPattern('/', '/faq/')).toBe(false);
    expect(matchesPattern('/lessons/*', '/labs/x/')).toBe(false);
  });
});

describe('public/_headers', () => {
  it('gives lesson pages and lab embeds cross-origin isolation, and no other page', () => {
    for (const path of ['/lessons/fd-inheritance/', '/labs/first-socket/']) {
      const headers = headersForPath(rules, path);
      expect(headers.get('Cross-Origin-Opener-Policy')).toBe('same-origin');
      expect(headers.get('Cross-Origin-Embedder-Policy')).toBe('credentialless');
    }
    for (const path of ['/', '/faq/', '/404.html']) {
      expect(headersForPath(rules, path).has('Cross-Origin-Embedder-Policy')).toBe(false);
    }
  });

  it('gives every HTML page exactly one Content-Security-Policy (hosts join repeats into two policies)', () => {
    for (const path of htmlPages) {
      const policy = csp(path);
      expect(policy, path).toMatch(/^default-src 'self'/);
      expect(policy.split(/,\s*default-src/).length, `${path} has more than one CSP`).toBe(1);
    }
  });

  it('never allows inline or eval scripts, only the theme script hash and WebAssembly', () => {
    const hash = scriptHashSource(THEME_INIT_SCRIPT);
    for (const path of htmlPages) {
      const scriptSrc = csp(path).match(/script-src ([^;]*)/)?.[1] ?? '';
      expect(scriptSrc.split(' '), path).toEqual(["'self'", hash, "'wasm-unsafe-eval'"]);
    }
    expect(() => assertThemeHashAllowed(text)).not.toThrow();
  });

  it('allows the WebContainer hosts on lab pages only', () => {
    for (const path of ['/lessons/accept-yes/', '/labs/x/']) expect(csp(path)).toContain('https://*.webcontainer-api.io');
    for (const path of ['/', '/faq/', '/404.html']) expect(csp(path)).not.toMatch(/webcontainer|stackblitz/);
  });

  it('is rebased for a sub-path build', () => {
    const rebased = rebaseRules(rules, '/training/socket-activation/');
    expect(rebased.map((rule) => rule.pattern)).toContain('/training/socket-activation/lessons/*');
    expect(headersForPath(rebased, '/training/socket-activation/lessons/dbus/').get('Cross-Origin-Opener-Policy')).toBe(
      'same-origin',
    );
    expect(headersForPath(rebased, '/lessons/dbus/').has('Cross-Origin-Opener-Policy')).toBe(false);
  });
});

describe('assertThemeHashAllowed', () => {
  it('names the file and the hash to add when the CSP is stale', () => {
    expect(() => assertThemeHashAllowed("/\n  Content-Security-Policy: script-src 'self'\n", 'public/_headers')).toThrow(
      /public\/_headers: the Content-Security-Policy of "\/" lacks the theme script hash 'sha256-/,
    );
  });
});

describe('allowInlineStylesForDev', () => {
  it("adds 'unsafe-inline' to style-src only, once", () => {
    const relaxed = allowInlineStylesForDev("default-src 'self'; style-src 'self'; script-src 'self'");
    expect(relaxed).toBe("default-src 'self'; style-src 'self' 'unsafe-inline'; script-src 'self'");
    expect(allowInlineStylesForDev(relaxed)).toBe(relaxed);
  });
});
