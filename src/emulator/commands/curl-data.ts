/**
 * curl's request body as curl 7.88 builds it (src/tool_getparam.c, tool_formparse.c): -d/--data and --data-ascii
 * read `@file` (or `@-`, stdin) without its CR and LF bytes; --data-binary reads it as it is; --data-raw takes the
 * text literally; --data-urlencode [name]=content / [name]@file percent-encodes the content; several are joined
 * with '&'. -F/--form builds a multipart/form-data body: `name=value`, `name=@file` (a file part with its
 * filename and a content type guessed from the extension), `name=<file` (the file's contents as the value).
 */
import type { CommandIO, System } from '../system.ts';
import { resolvePath } from '../path-util.ts';

/** One -d-like option and its argument. */
export interface DataOption {
  how: 'ascii' | 'binary' | 'raw' | 'urlencode';
  value: string;
}

/** What curl sends after the headers. */
export interface RequestBody {
  body: string;
  contentType: string;
}

/** curl's warnf(): `Warning: ` lines wrapped at 79 columns, cut after the last blank that fits. */
export function curlWarning(text: string): string {
  const prefix = 'Warning: ';
  const width = 79 - prefix.length;
  let rest = `${text}\n`;
  let out = '';
  while (rest.length > 0) {
    if (rest.length <= width) {
      out += prefix + rest;
      break;
    }
    let cut = width - 1;
    while (cut > 0 && rest[cut] !== ' ' && rest[cut] !== '\t') cut--;
    if (cut === 0) cut = width - 1;
    out += `${prefix}${rest.slice(0, cut + 1)}\n`;
    rest = rest.slice(cut + 1);
  }
  return out;
}

/** --data-urlencode's encoding: every byte but A-Z a-z 0-9 - . _ ~ as %XX, and a space as '+' (curl 7.88). */
function urlEncode(text: string): string {
  let out = '';
  for (const byte of new TextEncoder().encode(text)) {
    const c = String.fromCharCode(byte);
    out += /[A-Za-z0-9\-._~]/.test(c) ? c : c === ' ' ? '+' : `%${byte.toString(16).toUpperCase().padStart(2, '0')}`;
  }
  return out;
}

/** Everything on stdin until it ends ('' without one). */
function readStdin(io: CommandIO): Promise<string> {
  const stdin = io.stdin;
  if (!stdin) return Promise.resolve('');
  return new Promise((resolve) => {
    let text = '';
    const offData = stdin.onData((chunk) => (text += chunk));
    const offEnd = stdin.onEnd(() => {
      offData();
      offEnd();
      resolve(text);
    });
  });
}

/** A file's contents (`-` is stdin), or undefined when it cannot be read (a directory reads as empty, as read(2) fails). */
async function readSource(name: string, io: CommandIO, system: System): Promise<string | undefined> {
  if (name === '-') return readStdin(io);
  const path = resolvePath(io.env?.PWD ?? '/', name);
  try {
    return system.kernel.fs.readFile(path);
  } catch (error) {
    return (error as { code?: string }).code === 'EISDIR' ? '' : undefined;
  }
}

/** The -d/--data-* part: the joined data, with the warnings curl prints for files it cannot read. */
export async function formDataBody(options: DataOption[], io: CommandIO, system: System, warn: (text: string) => void): Promise<RequestBody> {
  const parts: string[] = [];
  const fromFile = async (name: string): Promise<string> => {
    const text = await readSource(name, io, system);
    if (text === undefined) warn(`Couldn't read data from file "${name}", this makes an empty POST.`);
    return text ?? '';
  };
  for (const option of options) {
    const { how, value } = option;
    if (how === 'raw' || !(how === 'urlencode' || value.startsWith('@'))) {
      parts.push(value);
    } else if (how === 'ascii') {
      parts.push((await fromFile(value.slice(1))).replace(/[\r\n]/g, ''));
    } else if (how === 'binary') {
      parts.push(await fromFile(value.slice(1)));
    } else {
      // --data-urlencode: the name ends at the first '=', else at the first '@' (which makes the rest a file name).
      const equals = value.indexOf('=');
      const at = equals < 0 ? value.indexOf('@') : -1;
      const split = equals >= 0 ? equals : at;
      const name = split > 0 ? value.slice(0, split) : '';
      const content = at >= 0 ? await fromFile(value.slice(at + 1)) : value.slice(split + 1);
      parts.push(name ? `${name}=${urlEncode(content)}` : urlEncode(content));
    }
  }
  return { body: parts.join('&'), contentType: 'application/x-www-form-urlencoded' };
}

/** Whether a -F argument has curl's `name=content` form (else: "Illegally formatted input field!"). */
export function validFormField(value: string): boolean {
  return value.indexOf('=') > 0;
}

/** The content type curl guesses for a file part from its extension (tool_formparse.c's ctts table). */
function guessContentType(filename: string): string {
  const types: Record<string, string> = {
    gif: 'image/gif', jpg: 'image/jpeg', jpeg: 'image/jpeg', png: 'image/png', svg: 'image/svg+xml',
    txt: 'text/plain', htm: 'text/html', html: 'text/html', pdf: 'application/pdf', xml: 'application/xml',
  };
  const dot = filename.lastIndexOf('.');
  return (dot >= 0 && types[filename.slice(dot + 1).toLowerCase()]) || 'application/octet-stream';
}

/** A random multipart boundary: 24 dashes and 16 hex digits, as curl 7.88 makes it. */
function boundary(): string {
  let hex = '';
  for (let i = 0; i < 16; i++) hex += Math.floor(Math.random() * 16).toString(16);
  return `${'-'.repeat(24)}${hex}`;
}

/** The -F/--form body; a string is curl's error for a file it cannot read (exit 26). */
export async function multipartBody(fields: string[], io: CommandIO, system: System): Promise<RequestBody | string> {
  const mark = boundary();
  let body = '';
  for (const field of fields) {
    const equals = field.indexOf('=');
    const name = field.slice(0, equals);
    let content = field.slice(equals + 1);
    let headers = `Content-Disposition: form-data; name="${name}"`;
    if (content.startsWith('@') || content.startsWith('<')) {
      // ;type= and ;filename= after the file name set the part's content type and file name.
      const [file, ...params] = content.slice(1).split(';');
      const text = await readSource(file, io, system);
      if (text === undefined) return 'Failed to open/read local data from file/application';
      const param = (key: string): string | undefined => params.find((p) => p.startsWith(`${key}=`))?.slice(key.length + 1);
      if (content.startsWith('@')) {
        const filename = param('filename') ?? file.slice(file.lastIndexOf('/') + 1);
        headers += `; filename="${filename}"\r\nContent-Type: ${param('type') ?? guessContentType(filename)}`;
      } else if (param('type')) headers += `\r\nContent-Type: ${param('type')}`;
      content = text;
    }
    body += `--${mark}\r\n${headers}\r\n\r\n${content}\r\n`;
  }
  body += `--${mark}--\r\n`;
  return { body, contentType: `multipart/form-data; boundary=${mark}` };
}
