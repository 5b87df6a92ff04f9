/** Errors shaped like Node's system errors (`listen EADDRINUSE: address already in use :::8080`). */
import { ERRNO } from '../../kernel/errno.ts';

/** libuv's lower-case texts where they differ from a lower-cased strerror(). */
const UV_TEXT: Record<string, string> = {
  EADDRNOTAVAIL: 'address not available',
  EAI_NONAME: 'name does not resolve',
};

/** libuv's own error numbers (getaddrinfo's EAI_* codes), where they are not an errno. */
const UV_ERRNO: Record<string, number> = { ENOTFOUND: -3008, EAI_AGAIN: -3001 };

/** A Node system error: message `SYSCALL CODE: text DETAIL` (uv style) or `SYSCALL CODE DETAIL` (connect style). */
export function nodeSystemError(syscall: string, code: string, detail: string, style: 'uv' | 'host-port', extra: Record<string, unknown> = {}): Error {
  const text = UV_TEXT[code] ?? (ERRNO[code]?.text ?? code).toLowerCase();
  const message = style === 'uv' ? `${syscall} ${code}: ${text}${detail ? ' ' + detail : ''}` : `${syscall} ${code}${detail ? ' ' + detail : ''}`;
  const error = new Error(message) as Error & Record<string, unknown>;
  // Node sets them in this order (uvException: code first; exceptionWithHostPort and getaddrinfo's: errno first), and prints them so.
  const errno = UV_ERRNO[code] ?? -(ERRNO[code]?.errno ?? 0);
  if (style === 'uv') Object.assign(error, { code, errno });
  else Object.assign(error, { errno, code });
  error.syscall = syscall;
  Object.assign(error, extra);
  return error;
}

/** An fs error as Node words it: `ENOENT: no such file or directory, open '/x'`. */
export function nodeFsError(code: string, syscall: string, path: string): Error {
  const text = (ERRNO[code]?.text ?? code).toLowerCase();
  const error = new Error(`${code}: ${text}, ${syscall} '${path}'`) as Error & Record<string, unknown>;
  // In the order Node 18 sets (and prints) them.
  error.errno = -(ERRNO[code]?.errno ?? 0);
  error.syscall = syscall;
  error.code = code;
  error.path = path;
  return error;
}
