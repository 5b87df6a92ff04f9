/**
 * /usr/bin/dockerd, reduced: `-H fd://` takes its API sockets from systemd (sd_listen_fds) exactly as the
 * real daemon does, and fails like it when started without them; the API answers GET /_ping, /version and
 * /containers/json over HTTP — what `curl --unix-socket /run/docker.sock http://localhost/version` shows.
 */
import type { ProgramFactory } from '../../../service/sandbox.ts';

/** What GET /version returns (Debian 12's docker.io). */
export const DOCKER_VERSION = { Version: '20.10.24+dfsg1', ApiVersion: '1.41', MinAPIVersion: '1.12', GitCommit: '5d6db84', GoVersion: 'go1.19.8', Os: 'linux', Arch: 'amd64', KernelVersion: '6.1.0-18-amd64' };

/** The program. */
export const dockerd: ProgramFactory = ({ process, require, console }) => {
  const http = require('http') as any;
  const sd = require('sd-daemon') as any;
  const hosts = process.argv.flatMap((a: string, i: number) => (a === '-H' || a === '--host' ? [process.argv[i + 1]] : a.startsWith('-H') && a.length > 2 ? [a.slice(2)] : []));
  const log = (level: string, msg: string) => console.error(`level=${level} msg="${msg}"`);
  const api = (req: any, res: any) => {
    const path = String(req.url).replace(/^\/v\d+\.\d+/, '');
    res.setHeader('Api-Version', DOCKER_VERSION.ApiVersion);
    res.setHeader('Docker-Experimental', 'false');
    res.setHeader('Ostype', 'linux');
    res.setHeader('Server', `Docker/${DOCKER_VERSION.Version} (linux)`);
    if (path === '/_ping') return res.end('OK');
    res.setHeader('Content-Type', 'application/json');
    if (path === '/version') return res.end(JSON.stringify(DOCKER_VERSION) + '\n');
    if (path.startsWith('/containers/json')) return res.end('[]\n');
    res.statusCode = 404;
    res.end(JSON.stringify({ message: 'page not found' }) + '\n');
  };
  for (const host of hosts.length > 0 ? hosts : ['unix:///run/docker.sock']) {
    if (host === 'fd://') {
      const fds = sd.listenFdsWithNames({ unsetEnvironment: true });
      if (fds.length === 0) {
        log('fatal', 'failed to load listeners: no sockets found via socket activation: make sure the service was started by systemd');
        process.exit(1);
      }
      for (const { fd } of fds) http.createServer(api).listen({ fd });
      log('info', 'API listen on ' + (fds.length === 1 ? 'fd://' : `${fds.length} sockets`));
    } else if (host.startsWith('unix://')) {
      const path = host.slice(7);
      http.createServer(api).listen(path, () => log('info', `API listen on ${path}`)).on('error', (e: Error) => {
        log('fatal', `failed to load listeners: ${e.message}`);
        process.exit(1);
      });
    }
  }
  log('info', 'Daemon has completed initialization');
  sd.notify('READY=1');
  process.on('SIGTERM', () => {
    log('info', 'Processing signal \'terminated\'');
    process.exit(0);
  });
};
