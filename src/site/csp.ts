/** Content-Security-Policy helpers that need Node (hashing); used at build time and in tests. */
import { createHash } from 'node:crypto';

/** The CSP source for an inline script: `'sha256-<base64>'` of its exact text. */
export function scriptHashSource(script: string): string {
  return `'sha256-${createHash('sha256').update(script, 'utf8').digest('base64')}'`;
}
