import { existsSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { KEY_TABLE_FILE, SYSTEMD_BINARY, readSystemd, renderKeyTable } from './systemd-keys-dump.ts';

const version = existsSync(SYSTEMD_BINARY) ? readSystemd().version : '';
const is252 = version.startsWith('systemd 252 ');
if (!is252) console.warn(`skipping the key-table check: ${SYSTEMD_BINARY} is ${version ? `"${version}", not systemd 252` : 'missing'}`);

describe.skipIf(!is252)('the systemd 252 key table', () => {
  it('is exactly what systemd 252 --dump-configuration-items lists', () => {
    const { dump } = readSystemd();
    expect(readFileSync(KEY_TABLE_FILE, 'utf8')).toBe(renderKeyTable(dump, version));
  });
});
