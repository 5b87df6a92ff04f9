/**
 * The file systems of a Debian 12 machine that are tmpfs (/run) or devtmpfs (/dev); the rest is ext4. Both kernels
 * report their directories as shmem does, whatever holds them underneath (the Node kernel's machine root is a
 * folder on the host's disk): st_size 20 bytes per entry plus 40 for `.` and `..` (BOGO_DIRENT_SIZE), no blocks.
 */
const SHMEM_MOUNTS = new Set(['run', 'dev']);

/** Whether an absolute machine path lies on /run's tmpfs or /dev's devtmpfs. */
export function onShmemMount(path: string): boolean {
  return SHMEM_MOUNTS.has(path.split('/').find((part) => part !== '') ?? '');
}

/** A shmem directory's st_size with `entries` entries (`ls -ld /run/x` with one socket in it says 60). */
export function shmemDirectorySize(entries: number): number {
  return 40 + 20 * entries;
}
