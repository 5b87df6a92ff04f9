/** One daemon per root: a pid file created exclusively, refused while its owner lives. */
import * as fs from 'node:fs';
import type { ControlPaths } from './control-address.ts';

/** True when a process with this pid exists. */
function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Takes the lock or returns the pid of the daemon that holds it; a stale lock is removed. */
export function acquireDaemonLock(paths: ControlPaths): { ok: true; release: () => void } | { ok: false; pid: number } {
  fs.mkdirSync(paths.dir, { recursive: true });
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      fs.writeFileSync(paths.lockFile, `${process.pid}\n`, { flag: 'wx' });
      return {
        ok: true,
        release: () => {
          try {
            if (fs.readFileSync(paths.lockFile, 'utf8').trim() === String(process.pid)) fs.unlinkSync(paths.lockFile);
          } catch {
            // already gone
          }
        },
      };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      const pid = Number(fs.readFileSync(paths.lockFile, 'utf8').trim());
      if (pid > 0 && pid !== process.pid && isAlive(pid)) return { ok: false, pid };
      fs.rmSync(paths.lockFile, { force: true }); // stale: its daemon is gone
    }
  }
  return { ok: false, pid: Number(fs.readFileSync(paths.lockFile, 'utf8').trim()) };
}
