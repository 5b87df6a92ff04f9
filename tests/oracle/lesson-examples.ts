/**
 * The example programs a lesson shows (content/examples/<lesson>/), as scenario files: the lesson's code
 * blocks and the programs real systemd runs are the same files (tests/lessons/lesson-examples.test.ts).
 */
import * as fs from 'node:fs';
import type { ScenarioFile } from './scenario.ts';

const EXAMPLES = new URL('../../content/examples/', import.meta.url);

/** content/examples/<lesson>/<name> as a scenario file, executable when the example is. */
export function example(lesson: string, name: string): ScenarioFile {
  const url = new URL(`${lesson}/${name}`, EXAMPLES);
  const executable = (fs.statSync(url).mode & 0o111) !== 0;
  return { content: fs.readFileSync(url, 'utf8'), mode: executable ? 0o755 : 0o644 };
}

/** NAME.socket on 127.0.0.1:PORT (extra [Socket] lines optional). */
export function helloSocket(name: string, port: number, extra = ''): string {
  return `[Unit]\nDescription=${name} socket\n\n[Socket]\nListenStream=127.0.0.1:${port}\n${extra}`;
}

/** NAME.service: Type=notify, ExecStart= the program (extra [Service] lines optional). */
export function helloService(name: string, description: string, execStart: string, extra = ''): string {
  return `[Unit]\nDescription=${description}\n\n[Service]\nType=notify\nExecStart=${execStart}\n${extra}`;
}
