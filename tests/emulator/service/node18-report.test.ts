/**
 * A program's crash as the lab machine's Node.js prints it: each expected report is what Debian 12's Node.js 18.20.4
 * printed for the same program (run as nobody in the oracle's Debian root: `node FILE`; the journal keeps no empty
 * line, the test keeps them), so the in-page runtime's reports read like the real machine's journal.
 */
import { describe, expect, it } from 'vitest';
import { createMemoryKernel } from '../../../src/emulator/kernel/memory/memory-kernel.ts';

/** Runs `source` as /progs/NAME under node as nobody until it exits 1; its stderr lines. */
async function crashReport(name: string, source: string): Promise<string[]> {
  const k = createMemoryKernel({ files: { [`/progs/${name}`]: source } });
  const lines: string[] = [];
  let exited: unknown;
  const proc = k.processes.spawn({ argv: ['/usr/bin/node', `/progs/${name}`], env: {}, setListenPid: false, fds: [], unit: 'x.service', user: 'nobody', onOutput: (line, stream) => stream === 'stderr' && lines.push(line), onNotify: () => undefined });
  proc.onExit((status) => (exited = status));
  for (let i = 0; i < 50 && exited === undefined; i++) await k.advance(20);
  expect(exited).toEqual({ code: 1 });
  return lines;
}

describe("uncaught errors in Node.js 18's words", () => {
  it("an EADDRINUSE of listen(port, host): made from the event loop, emitted as an unhandled 'error' event", async () => {
    const source = "const net = require('net');\nconst s1 = net.createServer(); s1.listen(8080, '127.0.0.1', () => {\n  const web = net.createServer();\n  web.listen(8080, '127.0.0.1', () => console.log('x'));\n});\n";
    expect(await crashReport('a.js', source)).toEqual([
      "node:events:495",
      "      throw er; // Unhandled 'error' event",
      "      ^",
      "",
      "Error: listen EADDRINUSE: address already in use 127.0.0.1:8080",
      "    at Server.setupListenHandle [as _listen2] (node:net:1811:16)",
      "    at listenInCluster (node:net:1859:12)",
      "    at doListen (node:net:2008:7)",
      "    at process.processTicksAndRejections (node:internal/process/task_queues:83:21)",
      "Emitted 'error' event on Server instance at:",
      "    at emitErrorNT (node:net:1838:8)",
      "    at process.processTicksAndRejections (node:internal/process/task_queues:82:21) {",
      "  code: 'EADDRINUSE',",
      "  errno: -98,",
      "  syscall: 'listen',",
      "  address: '127.0.0.1',",
      "  port: 8080",
      "}",
      "",
      "Node.js v18.20.4",
    ]);
  });

  it("listen(port) in a 'listening' callback: EADDRINUSE on ::, with the program's frames and the events below them", async () => {
    const source = "const net = require('net');\nconst s1 = net.createServer(); s1.listen(8080, () => {\n  const web = net.createServer();\n  web.listen(8080);\n});\n";
    expect(await crashReport('b.js', source)).toEqual([
      "node:events:495",
      "      throw er; // Unhandled 'error' event",
      "      ^",
      "",
      "Error: listen EADDRINUSE: address already in use :::8080",
      "    at Server.setupListenHandle [as _listen2] (node:net:1811:16)",
      "    at listenInCluster (node:net:1859:12)",
      "    at Server.listen (node:net:1947:7)",
      "    at Server.<anonymous> (/progs/b.js:4:7)",
      "    at Object.onceWrapper (node:events:631:28)",
      "    at Server.emit (node:events:517:28)",
      "    at emitListeningNT (node:net:1845:10)",
      "    at process.processTicksAndRejections (node:internal/process/task_queues:81:21)",
      "Emitted 'error' event on Server instance at:",
      "    at emitErrorNT (node:net:1838:8)",
      "    at process.processTicksAndRejections (node:internal/process/task_queues:82:21) {",
      "  code: 'EADDRINUSE',",
      "  errno: -98,",
      "  syscall: 'listen',",
      "  address: '::',",
      "  port: 8080",
      "}",
      "",
      "Node.js v18.20.4",
    ]);
  });

  it("listen(80) without a host as an unprivileged user: :: then 0.0.0.0, so EACCES names 0.0.0.0:80", async () => {
    const source = "const net = require('net');\nnet.createServer().listen(80);\n";
    expect(await crashReport('c.js', source)).toEqual([
      "node:events:495",
      "      throw er; // Unhandled 'error' event",
      "      ^",
      "",
      "Error: listen EACCES: permission denied 0.0.0.0:80",
      "    at Server.setupListenHandle [as _listen2] (node:net:1794:21)",
      "    at listenInCluster (node:net:1859:12)",
      "    at Server.listen (node:net:1947:7)",
      "    at Object.<anonymous> (/progs/c.js:2:20)",
      "    at Module._compile (node:internal/modules/cjs/loader:1364:14)",
      "    at Module._extensions..js (node:internal/modules/cjs/loader:1422:10)",
      "    at Module.load (node:internal/modules/cjs/loader:1203:32)",
      "    at Module._load (node:internal/modules/cjs/loader:1019:12)",
      "    at Function.executeUserEntryPoint [as runMain] (node:internal/modules/run_main:128:12)",
      "    at node:internal/main/run_main_module:28:49",
      "Emitted 'error' event on Server instance at:",
      "    at emitErrorNT (node:net:1838:8)",
      "    at process.processTicksAndRejections (node:internal/process/task_queues:82:21) {",
      "  code: 'EACCES',",
      "  errno: -13,",
      "  syscall: 'listen',",
      "  address: '0.0.0.0',",
      "  port: 80",
      "}",
      "",
      "Node.js v18.20.4",
    ]);
  });

  it("a throw in the main module: the caret under the throw, the loader's frames", async () => {
    const source = "const x = 1;\nthrow new Error('boom');\n";
    expect(await crashReport('d.js', source)).toEqual([
      "/progs/d.js:2",
      "throw new Error('boom');",
      "^",
      "",
      "Error: boom",
      "    at Object.<anonymous> (/progs/d.js:2:7)",
      "    at Module._compile (node:internal/modules/cjs/loader:1364:14)",
      "    at Module._extensions..js (node:internal/modules/cjs/loader:1422:10)",
      "    at Module.load (node:internal/modules/cjs/loader:1203:32)",
      "    at Module._load (node:internal/modules/cjs/loader:1019:12)",
      "    at Function.executeUserEntryPoint [as runMain] (node:internal/modules/run_main:128:12)",
      "    at node:internal/main/run_main_module:28:49",
      "",
      "Node.js v18.20.4",
    ]);
  });

  it("a throw in a timer: Timeout._onTimeout and the timer frames", async () => {
    const source = "setTimeout(() => {\n  throw new Error('late');\n}, 10);\n";
    expect(await crashReport('e.js', source)).toEqual([
      "/progs/e.js:2",
      "  throw new Error('late');",
      "  ^",
      "",
      "Error: late",
      "    at Timeout._onTimeout (/progs/e.js:2:9)",
      "    at listOnTimeout (node:internal/timers:569:17)",
      "    at process.processTimers (node:internal/timers:512:7)",
      "",
      "Node.js v18.20.4",
    ]);
  });

  it("a refused connect(): errno before code, the stream's emit frames", async () => {
    const source = "const net = require('net');\nconst c = net.connect(9999, '127.0.0.1');\n";
    expect(await crashReport('h.js', source)).toEqual([
      "node:events:495",
      "      throw er; // Unhandled 'error' event",
      "      ^",
      "",
      "Error: connect ECONNREFUSED 127.0.0.1:9999",
      "    at TCPConnectWrap.afterConnect [as oncomplete] (node:net:1549:16)",
      "Emitted 'error' event on Socket instance at:",
      "    at emitErrorNT (node:internal/streams/destroy:151:8)",
      "    at emitErrorCloseNT (node:internal/streams/destroy:116:3)",
      "    at process.processTicksAndRejections (node:internal/process/task_queues:82:21) {",
      "  errno: -111,",
      "  code: 'ECONNREFUSED',",
      "  syscall: 'connect',",
      "  address: '127.0.0.1',",
      "  port: 9999",
      "}",
      "",
      "Node.js v18.20.4",
    ]);
  });

  it("a ReferenceError on a line the preemption checks were inserted in: the columns of the source", async () => {
    const source = "function f() { undefinedThing.call(); }\nf();\n";
    expect(await crashReport('i.js', source)).toEqual([
      "/progs/i.js:1",
      "function f() { undefinedThing.call(); }",
      "               ^",
      "",
      "ReferenceError: undefinedThing is not defined",
      "    at f (/progs/i.js:1:16)",
      "    at Object.<anonymous> (/progs/i.js:2:1)",
      "    at Module._compile (node:internal/modules/cjs/loader:1364:14)",
      "    at Module._extensions..js (node:internal/modules/cjs/loader:1422:10)",
      "    at Module.load (node:internal/modules/cjs/loader:1203:32)",
      "    at Module._load (node:internal/modules/cjs/loader:1019:12)",
      "    at Function.executeUserEntryPoint [as runMain] (node:internal/modules/run_main:128:12)",
      "    at node:internal/main/run_main_module:28:49",
      "",
      "Node.js v18.20.4",
    ]);
  });

  it("a throw in a 'data' handler: Socket.<anonymous> and the readable stream's frames", async () => {
    const source = "const net = require('net');\nnet.createServer((c) => { c.on('data', (d) => { throw new Error('in data'); }); }).listen(8080, '127.0.0.1', () => { const s = net.connect(8080, '127.0.0.1', () => s.write('x')); });\n";
    expect(await crashReport('l.js', source)).toEqual([
      "/progs/l.js:2",
      "net.createServer((c) => { c.on('data', (d) => { throw new Error('in data'); }); }).listen(8080, '127.0.0.1', () => { const s = net.connect(8080, '127.0.0.1', () => s.write('x')); });",
      "                                                ^",
      "",
      "Error: in data",
      "    at Socket.<anonymous> (/progs/l.js:2:55)",
      "    at Socket.emit (node:events:517:28)",
      "    at addChunk (node:internal/streams/readable:368:12)",
      "    at readableAddChunk (node:internal/streams/readable:341:9)",
      "    at Readable.push (node:internal/streams/readable:278:10)",
      "    at TCP.onStreamRead (node:internal/stream_base_commons:190:23)",
      "",
      "Node.js v18.20.4",
    ]);
  });

  it("a throw in process.nextTick: an anonymous frame has no name", async () => {
    const source = "process.nextTick(() => { throw new Error('nt'); });\n";
    expect(await crashReport('p.js', source)).toEqual([
      "/progs/p.js:1",
      "process.nextTick(() => { throw new Error('nt'); });",
      "                         ^",
      "",
      "Error: nt",
      "    at /progs/p.js:1:32",
      "    at process.processTicksAndRejections (node:internal/process/task_queues:77:11)",
      "",
      "Node.js v18.20.4",
    ]);
  });

  it("listen(path) that cannot create the socket: port -1", async () => {
    const source = "const net = require('net');\nnet.createServer().listen('/proc/nope/x.sock');\n";
    expect(await crashReport('s.js', source)).toEqual([
      "node:events:495",
      "      throw er; // Unhandled 'error' event",
      "      ^",
      "",
      "Error: listen EACCES: permission denied /proc/nope/x.sock",
      "    at Server.setupListenHandle [as _listen2] (node:net:1794:21)",
      "    at listenInCluster (node:net:1859:12)",
      "    at Server.listen (node:net:1958:5)",
      "    at Object.<anonymous> (/progs/s.js:2:20)",
      "    at Module._compile (node:internal/modules/cjs/loader:1364:14)",
      "    at Module._extensions..js (node:internal/modules/cjs/loader:1422:10)",
      "    at Module.load (node:internal/modules/cjs/loader:1203:32)",
      "    at Module._load (node:internal/modules/cjs/loader:1019:12)",
      "    at Function.executeUserEntryPoint [as runMain] (node:internal/modules/run_main:128:12)",
      "    at node:internal/main/run_main_module:28:49",
      "Emitted 'error' event on Server instance at:",
      "    at emitErrorNT (node:net:1838:8)",
      "    at process.processTicksAndRejections (node:internal/process/task_queues:82:21) {",
      "  code: 'EACCES',",
      "  errno: -13,",
      "  syscall: 'listen',",
      "  address: '/proc/nope/x.sock',",
      "  port: -1",
      "}",
      "",
      "Node.js v18.20.4",
    ]);
  });

  it("a throw in an HTTP request handler: the HTTP parser's frames (Node 18 ran the same line with http.get as the client)", async () => {
    const source = "const http = require('http');\nhttp.createServer((req, res) => { throw new Error('in request'); }).listen(8080, '127.0.0.1', () => require('net').connect(8080, '127.0.0.1', function () { this.write('GET / HTTP/1.1\\r\\nHost: x\\r\\n\\r\\n'); }));\n";
    expect(await crashReport('m.js', source)).toEqual([
      "/progs/m.js:2",
      "http.createServer((req, res) => { throw new Error('in request'); }).listen(8080, '127.0.0.1', () => require('net').connect(8080, '127.0.0.1', function () { this.write('GET / HTTP/1.1\\r\\nHost: x\\r\\n\\r\\n'); }));",
      "                                  ^",
      "",
      "Error: in request",
      "    at Server.<anonymous> (/progs/m.js:2:41)",
      "    at Server.emit (node:events:517:28)",
      "    at parserOnIncoming (node:_http_server:1130:12)",
      "    at HTTPParser.parserOnHeadersComplete (node:_http_common:119:17)",
      "",
      "Node.js v18.20.4",
    ]);
  });

  it("readFileSync of a missing file: thrown from fs's internals, errno before code", async () => {
    const source = "const fs = require('fs');\nconst conf = fs.readFileSync('/etc/nope.conf', 'utf8');\n";
    expect(await crashReport('w.js', source)).toEqual([
      "node:internal/fs/utils:356",
      "    throw err;",
      "    ^",
      "",
      "Error: ENOENT: no such file or directory, open '/etc/nope.conf'",
      "    at Object.openSync (node:fs:596:3)",
      "    at Object.readFileSync (node:fs:464:35)",
      "    at Object.<anonymous> (/progs/w.js:2:17)",
      "    at Module._compile (node:internal/modules/cjs/loader:1364:14)",
      "    at Module._extensions..js (node:internal/modules/cjs/loader:1422:10)",
      "    at Module.load (node:internal/modules/cjs/loader:1203:32)",
      "    at Module._load (node:internal/modules/cjs/loader:1019:12)",
      "    at Function.executeUserEntryPoint [as runMain] (node:internal/modules/run_main:128:12)",
      "    at node:internal/main/run_main_module:28:49 {",
      "  errno: -2,",
      "  syscall: 'open',",
      "  code: 'ENOENT',",
      "  path: '/etc/nope.conf'",
      "}",
      "",
      "Node.js v18.20.4",
    ]);
  });

  it("require() of a module that is not installed: the loader's frames and the require stack", async () => {
    const source = "const missing = require('express');\n";
    expect(await crashReport('x.js', source)).toEqual([
      "node:internal/modules/cjs/loader:1143",
      "  throw err;",
      "  ^",
      "",
      "Error: Cannot find module 'express'",
      "Require stack:",
      "- /progs/x.js",
      "    at Module._resolveFilename (node:internal/modules/cjs/loader:1140:15)",
      "    at Module._load (node:internal/modules/cjs/loader:981:27)",
      "    at Module.require (node:internal/modules/cjs/loader:1231:19)",
      "    at require (node:internal/modules/helpers:177:18)",
      "    at Object.<anonymous> (/progs/x.js:1:17)",
      "    at Module._compile (node:internal/modules/cjs/loader:1364:14)",
      "    at Module._extensions..js (node:internal/modules/cjs/loader:1422:10)",
      "    at Module.load (node:internal/modules/cjs/loader:1203:32)",
      "    at Module._load (node:internal/modules/cjs/loader:1019:12)",
      "    at Function.executeUserEntryPoint [as runMain] (node:internal/modules/run_main:128:12) {",
      "  code: 'MODULE_NOT_FOUND',",
      "  requireStack: [ '/progs/x.js' ]",
      "}",
      "",
      "Node.js v18.20.4",
    ]);
  });
});
