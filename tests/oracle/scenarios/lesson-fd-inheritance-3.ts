import { defineScenario } from '../scenario.ts';

/** The fd-inheritance lesson's child.py: its PID, LISTEN_PID, and what is on its fd 3. */
const CHILD = `import os, socket
s = socket.socket(fileno=3)
print(f"child pid={os.getpid()} LISTEN_PID={os.environ.get('LISTEN_PID')} LISTEN_FDS={os.environ.get('LISTEN_FDS')}")
print("fd 3 is", s.getsockname(), "; sd_listen_fds() would return", int(os.environ.get("LISTEN_PID") == str(os.getpid())))
`;

/** A client that connects a second later, so that systemd-socket-activate (waiting in the foreground) runs the command. */
const poke = (port: number) => `setsid -f sh -c 'sleep 1; curl -s http://127.0.0.1:${port}/' >/dev/null 2>&1`;

export default defineScenario({
  id: 'lesson-fd-inheritance-3',
  about: 'fd-inheritance: a wrapper shell without exec gives the socket to a child whose PID is not LISTEN_PID; with exec they match (dash, Debian 12)',
  files: { '/opt/demo/child.py': CHILD },
  kernels: [],
  steps: [
    poke(18080),
    { run: "systemd-socket-activate -l 127.0.0.1:18080 sh -c 'python3 /opt/demo/child.py' 2>&1", timeout: 8000 },
    poke(18081),
    { run: "systemd-socket-activate -l 127.0.0.1:18081 sh -c 'exec python3 /opt/demo/child.py' 2>&1", timeout: 8000 },
    poke(8080),
    { run: 'systemd-socket-activate -l 127.0.0.1:8080 --fdname=web env 2>&1', timeout: 8000 },
  ],
});
