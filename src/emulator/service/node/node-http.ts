/**
 * `require('http')` for sandboxed programs: createServer(handler) with IncomingMessage (method, url,
 * headers, body events) and ServerResponse (statusCode, setHeader, writeHead, write, end), HTTP/1.1 with
 * keep-alive, Content-Length when the body is known at end(), chunked otherwise — enough for curl.
 */
import { SandboxBuffer } from './buffer.ts';
import { EventEmitter } from './events.ts';
import type { NetModule } from './node-net.ts';
import { noteEntry } from '../error-report.ts';

/** Reason phrases Node sends. */
export const STATUS_CODES: Record<number, string> = {
  200: 'OK', 201: 'Created', 204: 'No Content', 301: 'Moved Permanently', 302: 'Found', 304: 'Not Modified',
  400: 'Bad Request', 401: 'Unauthorized', 403: 'Forbidden', 404: 'Not Found', 405: 'Method Not Allowed',
  500: 'Internal Server Error', 502: 'Bad Gateway', 503: 'Service Unavailable',
};

type NetSocket = InstanceType<NetModule['Socket']>;

/** Builds the http module over a net module. */
export function createHttpModule(net: NetModule, now: () => number) {
  /** A parsed request; body arrives as 'data' then 'end'. */
  class IncomingMessage extends EventEmitter {
    method = 'GET';
    url = '/';
    httpVersion = '1.1';
    headers: Record<string, string> = {};
    rawHeaders: string[] = [];
    socket: NetSocket;
    private encoding: string | undefined;
    constructor(socket: NetSocket) {
      super();
      this.socket = socket;
    }
    /** Decodes body chunks as text. */
    setEncoding(encoding = 'utf8'): this {
      this.encoding = encoding;
      return this;
    }
    /** Emits a body chunk. */
    push(bytes: Uint8Array): void {
      this.emit('data', this.encoding ? SandboxBuffer.from(bytes).toString(this.encoding) : SandboxBuffer.from(bytes));
    }
    /** Body streams flow immediately here. */
    resume(): this {
      return this;
    }
  }

  /** The response being written. */
  class ServerResponse extends EventEmitter {
    statusCode = 200;
    statusMessage = '';
    headersSent = false;
    finished = false;
    private headers = new Map<string, [string, string | number | string[]]>();
    private chunked = false;
    private readonly socket: NetSocket;
    private readonly keepAlive: boolean;
    private readonly head: boolean;
    constructor(socket: NetSocket, keepAlive: boolean, head: boolean) {
      super();
      this.socket = socket;
      this.keepAlive = keepAlive;
      this.head = head;
    }
    /** Sets a header (case kept for output, case-insensitive lookup). */
    setHeader(name: string, value: string | number | string[]): this {
      this.headers.set(name.toLowerCase(), [name, value]);
      return this;
    }
    /** A header's value. */
    getHeader(name: string): string | number | string[] | undefined {
      return this.headers.get(name.toLowerCase())?.[1];
    }
    /** Removes a header. */
    removeHeader(name: string): void {
      this.headers.delete(name.toLowerCase());
    }
    /** Sets status (and optional message and headers). */
    writeHead(status: number, message?: string | Record<string, string | number>, headers?: Record<string, string | number>): this {
      this.statusCode = status;
      if (typeof message === 'string') this.statusMessage = message;
      else headers = message;
      for (const [k, v] of Object.entries(headers ?? {})) this.setHeader(k, v);
      return this;
    }
    /** Writes a body chunk (headers go first, chunked encoding unless Content-Length is set). */
    write(chunk: string | Uint8Array): boolean {
      if (!this.headersSent) {
        if (this.getHeader('content-length') === undefined) {
          this.chunked = true;
          this.setHeader('Transfer-Encoding', 'chunked');
        }
        this.sendHead();
      }
      const bytes = typeof chunk === 'string' ? SandboxBuffer.from(chunk) : chunk;
      if (this.head || bytes.length === 0) return true;
      if (this.chunked) this.socket.write(`${bytes.length.toString(16)}\r\n`);
      this.socket.write(bytes);
      if (this.chunked) this.socket.write('\r\n');
      return true;
    }
    /** Finishes the response. */
    end(chunk?: string | Uint8Array | (() => void), cb?: () => void): this {
      if (typeof chunk === 'function') return this.end(undefined, chunk);
      if (this.finished) return this;
      if (!this.headersSent) {
        const bytes = chunk === undefined ? new Uint8Array(0) : typeof chunk === 'string' ? SandboxBuffer.from(chunk) : chunk;
        if (this.getHeader('content-length') === undefined) this.setHeader('Content-Length', bytes.length);
        this.sendHead();
        if (!this.head && bytes.length > 0) this.socket.write(bytes);
      } else {
        if (chunk !== undefined) this.write(chunk);
        if (this.chunked && !this.head) this.socket.write('0\r\n\r\n');
      }
      this.finished = true;
      if (!this.keepAlive) this.socket.end();
      this.emit('finish');
      if (cb) cb();
      return this;
    }
    private sendHead(): void {
      this.headersSent = true;
      const lines = [`HTTP/1.1 ${this.statusCode} ${this.statusMessage || STATUS_CODES[this.statusCode] || 'unknown'}`];
      for (const [name, value] of this.headers.values()) for (const v of Array.isArray(value) ? value : [value]) lines.push(`${name}: ${v}`);
      lines.push(`Date: ${new Date(now()).toUTCString()}`);
      lines.push(`Connection: ${this.keepAlive ? 'keep-alive' : 'close'}`);
      if (this.keepAlive) lines.push('Keep-Alive: timeout=5');
      this.socket.write(lines.join('\r\n') + '\r\n\r\n');
    }
  }

  /** Parses requests off a socket and emits 'request' on the server for each. */
  function serve(server: EventEmitter, socket: NetSocket): void {
    let buffer = new Uint8Array(0);
    let current: { req: IncomingMessage; remaining: number } | undefined;
    const decoder = new TextDecoder();
    socket.on('data', (chunk: Uint8Array) => {
      buffer = SandboxBuffer.concat([buffer, chunk]);
      for (;;) {
        if (current) {
          const take = Math.min(current.remaining, buffer.length);
          if (take > 0) current.req.push(buffer.subarray(0, take));
          buffer = buffer.subarray(take);
          current.remaining -= take;
          if (current.remaining > 0) return;
          current.req.emit('end');
          current = undefined;
        }
        const text = decoder.decode(buffer);
        const endOfHead = text.indexOf('\r\n\r\n');
        if (endOfHead < 0) return;
        const headBytes = new TextEncoder().encode(text.slice(0, endOfHead + 4)).length;
        const [requestLine, ...headerLines] = text.slice(0, endOfHead).split('\r\n');
        buffer = buffer.subarray(headBytes);
        const req = new IncomingMessage(socket);
        const [method, url, version] = requestLine.split(' ');
        req.method = method ?? 'GET';
        req.url = url ?? '/';
        req.httpVersion = (version ?? 'HTTP/1.1').replace('HTTP/', '');
        for (const h of headerLines) {
          const i = h.indexOf(':');
          if (i <= 0) continue;
          const k = h.slice(0, i).trim();
          const v = h.slice(i + 1).trim();
          req.rawHeaders.push(k, v);
          req.headers[k.toLowerCase()] = v;
        }
        const keepAlive = req.httpVersion === '1.1' ? req.headers.connection?.toLowerCase() !== 'close' : req.headers.connection?.toLowerCase() === 'keep-alive';
        const res = new ServerResponse(socket, keepAlive, req.method === 'HEAD');
        current = { req, remaining: Number(req.headers['content-length'] ?? 0) || 0 };
        try {
          server.emit('request', req, res);
        } catch (error) {
          // Node's HTTP parser called the handler (parserOnIncoming), not a socket's 'data' event.
          noteEntry(error, 'request');
          throw error;
        }
      }
    });
    socket.on('error', () => {});
  }

  /** An HTTP server on top of net.Server. */
  class Server extends net.Server {
    constructor(handler?: (req: IncomingMessage, res: ServerResponse) => void) {
      super({});
      if (handler) this.on('request', handler);
      this.on('connection', (socket: NetSocket) => serve(this, socket));
    }
  }

  /** http.createServer([options][, handler]). */
  function createServer(options?: unknown, handler?: (req: IncomingMessage, res: ServerResponse) => void): Server {
    return new Server(typeof options === 'function' ? (options as typeof handler) : handler);
  }

  return { createServer, Server, IncomingMessage, ServerResponse, STATUS_CODES, METHODS: ['GET', 'HEAD', 'POST', 'PUT', 'DELETE', 'PATCH', 'OPTIONS'] };
}
