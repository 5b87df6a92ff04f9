/**
 * Every unit-file code block in the course (content/**\/*.mdx, languages socket/service/path/target/timer/
 * systemd) passes the emulator's `systemd-analyze verify` without a parse-level message (`FILE:LINE: …`),
 * and a block titled with a packaged path (/lib/systemd/system/NAME) whose unit is in
 * tests/fixtures/debian-units/ is that shipped file, verbatim (or, titled "(abridged)", its lines in order).
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createMemoryKernel } from '../../src/emulator/kernel/memory/memory-kernel.ts';
import { verifyUnits } from '../../src/emulator/unit-file/verify-units.ts';

const ROOT = join(import.meta.dirname, '../..');
const UNIT_LANGUAGES = new Set(['socket', 'service', 'path', 'target', 'timer', 'systemd']);
const UNIT_NAME = /[A-Za-z0-9:_.@\\-]+\.(?:socket|service|path|target|timer)\b/g;

/** One unit-file code block of a lesson. */
interface Snippet {
  /** `content/lessons/x.mdx:LINE`. */
  where: string;
  language: string;
  title: string;
  text: string;
}

/** Every .mdx file under `dir`, recursively. */
function mdxFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return mdxFiles(path);
    return entry.name.endsWith('.mdx') ? [path] : [];
  });
}

/** The unit-file code blocks of one MDX source, with the line their fence starts on. */
export function unitSnippets(source: string, file: string): Snippet[] {
  const snippets: Snippet[] = [];
  for (const match of source.matchAll(/^```([\w-]+)([^\n]*)\n([\s\S]*?)^```[ \t]*$/gm)) {
    const [, language, meta, text] = match;
    if (!UNIT_LANGUAGES.has(language)) continue;
    const line = source.slice(0, match.index).split('\n').length;
    const title = /title="([^"]*)"/.exec(meta)?.[1] ?? '';
    snippets.push({ where: `${file}:${line}`, language, title, text });
  }
  return snippets;
}

/** The unit the snippet is (a drop-in `x.socket.d/y.conf` is checked as x.socket), else a name from its language. */
function unitNameOf(snippet: Snippet, index: number): string {
  const names = snippet.title.match(UNIT_NAME) ?? [];
  if (names.length > 0) return names[names.length - 1];
  const suffix = snippet.language === 'systemd' ? 'service' : snippet.language;
  return `snippet-${index}.${suffix}`;
}

/** The shipped Debian 12 unit called `name`, if the fixtures have it. */
function shippedUnit(name: string): string | undefined {
  const fixtures = join(ROOT, 'tests/fixtures/debian-units');
  for (const pkg of readdirSync(fixtures, { withFileTypes: true })) {
    if (!pkg.isDirectory()) continue;
    if (readdirSync(join(fixtures, pkg.name)).includes(name)) return readFileSync(join(fixtures, pkg.name, name), 'utf8');
  }
  return undefined;
}

const snippets = mdxFiles(join(ROOT, 'content')).flatMap((path) => unitSnippets(readFileSync(path, 'utf8'), relative(ROOT, path)));

describe('unit-file snippets in the lessons', () => {
  it('the course has unit-file snippets to check', () => {
    expect(snippets.length).toBeGreaterThan(10);
  });

  it.each(snippets.map((snippet, index) => [snippet.where, snippet, index] as const))('%s parses without a message from systemd-analyze verify', (_where, snippet, index) => {
    const name = unitNameOf(snippet, index);
    const path = `/etc/systemd/system/${name}`;
    const kernel = createMemoryKernel({ files: { [path]: snippet.text } });
    const { lines } = verifyUnits([path], kernel.fs);
    const parseLevel = lines.filter((line) => /^\S+:\d+: /.test(line));
    expect(parseLevel, `${snippet.where} (${snippet.title || name}):\n${snippet.text}`).toEqual([]);
  });

  it.each(snippets.filter((snippet) => /^\/(usr\/)?lib\/systemd\/system\//.test(snippet.title)).map((snippet) => [snippet.where, snippet] as const))(
    '%s quotes the shipped Debian 12 unit verbatim',
    (_where, snippet) => {
      const name = snippet.title.split(/\s/)[0].split('/').pop()!;
      const shipped = shippedUnit(name);
      if (shipped === undefined) {
        console.warn(`${snippet.where}: no fixture for ${name} in tests/fixtures/debian-units/, so its text is not compared.`);
        return;
      }
      if (!/abridged/.test(snippet.title)) {
        expect(snippet.text).toBe(shipped);
        return;
      }
      // "(abridged)": every line is the shipped file's, in the shipped order.
      const shippedLines = shipped.split('\n');
      let at = 0;
      for (const line of snippet.text.split('\n').filter((text) => text !== '')) {
        const found = shippedLines.indexOf(line, at);
        expect(found, `${snippet.where}: "${line}" is not in the shipped ${name} (after line ${at})`).toBeGreaterThanOrEqual(0);
        at = found + 1;
      }
    },
  );
});

describe('unitSnippets()', () => {
  it('finds unit-language blocks with their title and line, and skips other languages', () => {
    const source = ['# T', '', '```socket title="/etc/systemd/system/a.socket"', '[Socket]', 'ListenStream=1', '```', '', '```console', '$ ls', '```', ''].join('\n');
    expect(unitSnippets(source, 'x.mdx')).toEqual([
      { where: 'x.mdx:3', language: 'socket', title: '/etc/systemd/system/a.socket', text: '[Socket]\nListenStream=1\n' },
    ]);
  });

  it('a snippet with a bad line is reported with systemd-analyze\'s words', () => {
    const kernel = createMemoryKernel({ files: { '/etc/systemd/system/b.socket': '[Socket]\nListenStream=1\nAccept=maybe\n' } });
    expect(verifyUnits(['/etc/systemd/system/b.socket'], kernel.fs).lines).toContain('/etc/systemd/system/b.socket:3: Failed to parse boolean value, ignoring: maybe');
  });
});
