import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { createOwnershipOverlay } from '../../../src/emulator/kernel/node/ownership-overlay.ts';

describe('the Node kernel\'s ownership overlay', () => {
  it('keeps a recorded owner for its file only: a file made again at once (ext4 reuses the inode) starts with none', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'overlay-'));
    const file = path.join(dir, 'docker.sock');
    const overlay = createOwnershipOverlay();
    fs.writeFileSync(file, '');
    overlay.record(fs.statSync(file), 'root', 'root');
    expect(overlay.owner(fs.statSync(file))).toEqual({ user: 'root', group: 'root' });
    // What dockerd does to docker.socket's placeholder: unlink it and make its own at the same path.
    fs.unlinkSync(file);
    fs.writeFileSync(file, '');
    expect(overlay.owner(fs.statSync(file))).toBeUndefined();
    fs.rmSync(dir, { recursive: true, force: true });
  });
});
