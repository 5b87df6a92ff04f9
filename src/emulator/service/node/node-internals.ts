/**
 * Node.js's own stack frames, as Debian 12's Node.js 18.20.4 prints them in a crash report (recorded from that
 * binary in the oracle's Debian root: `node:net:1811:16` and the like). The lab machine is a Debian 12, so its
 * programs' crashes must read like that Node's: the in-page runtime names the version and puts these frames around
 * the program's own frames, as the real one would have them on its stack.
 *
 * Two kinds of data: where Node's internals entered the program (an EntryPoint: the frames below the program's
 * outermost frame, and the name V8 gives that frame), and where a Node error was made (its own frames above the
 * program's, and those of the place that emitted it as an 'error' event).
 */

/** The version the lab machine's `node` reports (Debian 12's nodejs package). */
export const LAB_NODE_VERSION = 'v18.20.4';

/** Error.stackTraceLimit: Node keeps the innermost 10 frames of a stack. */
export const STACK_TRACE_LIMIT = 10;

/** Where Node's internals called into the program. */
export type EntryPoint = 'main' | 'timeout' | 'immediate' | 'nextTick' | 'listening' | 'connection' | 'data' | 'end' | 'request';

/** What the stack holds below the program's outermost frame, and the name V8 gives that frame when its function is anonymous. */
export interface EntryFrames {
  name: string | undefined;
  frames: string[];
}

const TICKS = 'process.processTicksAndRejections (node:internal/process/task_queues';

/** Node 18.20.4's frames below each entry point. */
export const ENTRY_FRAMES: Record<EntryPoint, EntryFrames> = {
  main: {
    name: 'Object.<anonymous>',
    frames: [
      'Module._compile (node:internal/modules/cjs/loader:1364:14)',
      'Module._extensions..js (node:internal/modules/cjs/loader:1422:10)',
      'Module.load (node:internal/modules/cjs/loader:1203:32)',
      'Module._load (node:internal/modules/cjs/loader:1019:12)',
      'Function.executeUserEntryPoint [as runMain] (node:internal/modules/run_main:128:12)',
      'node:internal/main/run_main_module:28:49',
    ],
  },
  timeout: { name: 'Timeout._onTimeout', frames: ['listOnTimeout (node:internal/timers:569:17)', 'process.processTimers (node:internal/timers:512:7)'] },
  immediate: { name: 'Immediate.<anonymous>', frames: ['process.processImmediate (node:internal/timers:476:21)'] },
  nextTick: { name: undefined, frames: [`${TICKS}:77:11)`] },
  listening: {
    name: 'Server.<anonymous>',
    frames: ['Object.onceWrapper (node:events:631:28)', 'Server.emit (node:events:517:28)', 'emitListeningNT (node:net:1845:10)', `${TICKS}:81:21)`],
  },
  connection: { name: 'Server.<anonymous>', frames: ['Server.emit (node:events:517:28)', 'TCP.onconnection (node:net:2098:8)'] },
  data: {
    name: 'Socket.<anonymous>',
    frames: [
      'Socket.emit (node:events:517:28)',
      'addChunk (node:internal/streams/readable:368:12)',
      'readableAddChunk (node:internal/streams/readable:341:9)',
      'Readable.push (node:internal/streams/readable:278:10)',
      'TCP.onStreamRead (node:internal/stream_base_commons:190:23)',
    ],
  },
  end: { name: 'Socket.<anonymous>', frames: ['Socket.emit (node:events:529:35)', 'endReadableNT (node:internal/streams/readable:1400:12)', `${TICKS}:82:21)`] },
  request: {
    name: 'Server.<anonymous>',
    frames: ['Server.emit (node:events:517:28)', 'parserOnIncoming (node:_http_server:1130:12)', 'HTTPParser.parserOnHeadersComplete (node:_http_common:119:17)'],
  },
};

/** The frames of net.Server#listen()'s failure: at bind (createServerHandle) or at listen(2) (EADDRINUSE, which libuv defers to it). */
export function listenErrorFrames(stage: 'bind' | 'listen', call: 'port' | 'host' | 'path' | 'fd'): string[] {
  const first = stage === 'listen' ? 'Server.setupListenHandle [as _listen2] (node:net:1811:16)' : 'Server.setupListenHandle [as _listen2] (node:net:1794:21)';
  const byCall = { port: 'Server.listen (node:net:1947:7)', path: 'Server.listen (node:net:1958:5)', fd: 'Server.listen (node:net:1921:5)', host: 'doListen (node:net:2008:7)' };
  return [first, 'listenInCluster (node:net:1859:12)', byCall[call], ...(call === 'host' ? [`${TICKS}:83:21)`] : [])];
}

/** A failed connect(): the callback libuv calls (TCP or Unix). */
export function connectErrorFrames(unix: boolean): string[] {
  return [`${unix ? 'PipeConnectWrap' : 'TCPConnectWrap'}.afterConnect [as oncomplete] (node:net:1549:16)`];
}

/** A failed name lookup of connect(). */
export const LOOKUP_ERROR_FRAMES = ['GetAddrInfoReqWrap.onlookup [as oncomplete] (node:dns:107:26)'];

/** Where net.Server emits its 'error' event. */
export const SERVER_EMIT_FRAMES = ['emitErrorNT (node:net:1838:8)', `${TICKS}:82:21)`];

/** Where a destroyed stream (net.Socket) emits its 'error' event. */
export const SOCKET_EMIT_FRAMES = ['emitErrorNT (node:internal/streams/destroy:151:8)', 'emitErrorCloseNT (node:internal/streams/destroy:116:3)', `${TICKS}:82:21)`];

/** Where fs's synchronous calls throw (handleErrorFromBinding), and fs.readFileSync()'s own frames. */
export const FS_SYNC_THROW_SOURCE = ['node:internal/fs/utils:356', '    throw err;', '    ^'];
export const READ_FILE_SYNC_FRAMES = ['Object.openSync (node:fs:596:3)', 'Object.readFileSync (node:fs:464:35)'];

/** Where require() of a module that is not there throws, and the loader's frames above the program's. */
export const MODULE_NOT_FOUND_SOURCE = ['node:internal/modules/cjs/loader:1143', '  throw err;', '  ^'];
export const REQUIRE_FRAMES = [
  'Module._resolveFilename (node:internal/modules/cjs/loader:1140:15)',
  'Module._load (node:internal/modules/cjs/loader:981:27)',
  'Module.require (node:internal/modules/cjs/loader:1231:19)',
  'require (node:internal/modules/helpers:177:18)',
];

/** The lines Node prints above the error when an 'error' event had no listener (events.js throws it there). */
export const UNHANDLED_ERROR_EVENT_SOURCE = ['node:events:495', "      throw er; // Unhandled 'error' event", '      ^'];
