/** errno codes the emulator reports (both kernels, the manager, the unit-file parser), with Linux's strerror() texts and numbers. */
import { KernelError } from './kernel.ts';

/** strerror() text and number per errno name (glibc's wording). */
export const ERRNO: Record<string, { errno: number; text: string }> = {
  EPERM: { errno: 1, text: 'Operation not permitted' },
  ENOENT: { errno: 2, text: 'No such file or directory' },
  ENXIO: { errno: 6, text: 'No such device or address' },
  EBADF: { errno: 9, text: 'Bad file descriptor' },
  EAGAIN: { errno: 11, text: 'Resource temporarily unavailable' },
  EACCES: { errno: 13, text: 'Permission denied' },
  EEXIST: { errno: 17, text: 'File exists' },
  ENOTDIR: { errno: 20, text: 'Not a directory' },
  EISDIR: { errno: 21, text: 'Is a directory' },
  EINVAL: { errno: 22, text: 'Invalid argument' },
  ENOEXEC: { errno: 8, text: 'Exec format error' },
  EPIPE: { errno: 32, text: 'Broken pipe' },
  ERANGE: { errno: 34, text: 'Numerical result out of range' },
  ENAMETOOLONG: { errno: 36, text: 'File name too long' },
  ENOTEMPTY: { errno: 39, text: 'Directory not empty' },
  ENODEV: { errno: 19, text: 'No such device' },
  ELOOP: { errno: 40, text: 'Too many levels of symbolic links' },
  ENOTSOCK: { errno: 88, text: 'Socket operation on non-socket' },
  EPROTOTYPE: { errno: 91, text: 'Protocol wrong type for socket' },
  EPROTONOSUPPORT: { errno: 93, text: 'Protocol not supported' },
  EAFNOSUPPORT: { errno: 97, text: 'Address family not supported by protocol' },
  EADDRINUSE: { errno: 98, text: 'Address already in use' },
  EADDRNOTAVAIL: { errno: 99, text: 'Cannot assign requested address' },
  ECONNRESET: { errno: 104, text: 'Connection reset by peer' },
  ETIMEDOUT: { errno: 110, text: 'Connection timed out' },
  ECONNREFUSED: { errno: 111, text: 'Connection refused' },
  EHOSTUNREACH: { errno: 113, text: 'No route to host' },
};

/** Linux's strerror() text for an errno name (the name itself when unknown). */
export function strerror(code: string): string {
  return ERRNO[code]?.text ?? code;
}

/** A KernelError whose message is Linux's strerror() text for `code`. */
export function errnoError(code: string): KernelError {
  return new KernelError(code, strerror(code));
}
