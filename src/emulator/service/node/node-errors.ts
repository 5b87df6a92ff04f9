/** Errors shaped like Node's system errors (`listen EADDRINUSE: address already in use :::8080`). */
import { ERRNO } from '../../kernel/errno.ts';

/** libuv's lower-case texts where they differ from a lower-cased strerror(). */
const UV_TEXT: Record<string, string> = {
  EADDRNOTAVAIL: 'address not available',
  EAI_NONAME: 'name does not resolve',
};

/** A Node system error: message `SYSCALL CODE: text DETAIL` (uv style) or `SYSCALL CODE DETAIL` (connect style). */
export function nodeSystemError(syscall: string, code: string, detail: string, style: 'uv' | 'host-port', extra: Record<string, unknown> = {}): Error {
  const text = UV_TEXT[code] ?? (ERRNO[code]?.text ?? code).toLowerCase();
  const message = style === 'uv' ? `${syscall} ${code}: ${text}${detail ? ' ' + detail : ''}` : `${syscall} ${code}${detail ? ' ' + detail : ''}`;
  const error = new Error(message) as Error & Record<string, unknown>;
  error.code = code;
  error.errno = -(ERRNO[code]?.errno ?? 0);
  error.syscall = syscall;
  Object.assign(error, extra);
  return error;
}

/** An fs error as Node words it: `ENOENT: no such file or directory, open '/x'`. */
export function nodeFsError(code: string, syscall: string, path: string): Error {
  const text = (ERRNO[code]?.text ?? code).toLowerCase();
  const error = new Error(`${code}: ${text}, ${syscall} '${path}'`) as Error & Record<string, unknown>;
  error.code = code;
  error.errno = -(ERRNO[code]?.errno ?? 0);
  error.syscall = syscall;
  error.path = path;
  return error;
}
