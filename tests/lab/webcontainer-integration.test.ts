/** The Astro integration that ships the WebContainer emulator bundle with every site build. */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { EMULATOR_BUNDLE_FILES } from '../../src/lab/runtime/webcontainer/container-layout.ts';
import { emulatorBundle } from '../../src/lab/runtime/webcontainer/emulator-bundle-integration.ts';

describe('emulator bundle integration', () => {
  it('astro:build:done writes every bundle file the runtime fetches into <outDir>/webcontainer/', async () => {
    const outDir = fs.mkdtempSync(path.join(os.tmpdir(), 'emu-dist-'));
    const messages: string[] = [];
    const hook = emulatorBundle().hooks['astro:build:done'] as (options: unknown) => Promise<void>;
    await hook({ dir: pathToFileURL(`${outDir}/`), logger: { info: (message: string) => messages.push(message) } });
    for (const file of EMULATOR_BUNDLE_FILES) expect(fs.statSync(path.join(outDir, 'webcontainer', file)).size, file).toBeGreaterThan(0);
    expect(messages).toEqual([`emulator bundle for WebContainer labs: ${EMULATOR_BUNDLE_FILES.length} files in ${path.join(outDir, 'webcontainer')}`]);
    fs.rmSync(outDir, { recursive: true });
  });
});
