/**
 * /usr/local/bin/http-hello (the lessons' "myapp"): a tiny HTTP server that answers every request with a
 * greeting naming its pid and the fd it serves on. Socket-activated through fd 3, or `--port N` directly.
 */
import type { ProgramFactory } from '../../../service/sandbox.ts';

/** The program. */
export const httpHello: ProgramFactory = ({ process, require, console }) => {
  const http = require('http') as any;
  const server = http.createServer((req: any, res: any) => {
    res.setHeader('Content-Type', 'text/plain');
    res.end(`Hello from myapp (pid ${process.pid}), you asked for ${req.url}\n`);
  });
  const portAt = process.argv.indexOf('--port');
  if (process.env.LISTEN_PID === String(process.pid) && Number(process.env.LISTEN_FDS) > 0) {
    server.listen({ fd: 3 }, () => console.log(`myapp: serving on fd 3 (${process.env.LISTEN_FDNAMES ?? 'unknown'})`));
  } else {
    const port = portAt >= 0 ? Number(process.argv[portAt + 1]) : 8080;
    server.listen(port, () => console.log(`myapp: listening on port ${port}`));
  }
};
