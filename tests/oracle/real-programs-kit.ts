/**
 * Building blocks of the real-program scenarios (kernels: ['node']): programs none of us wrote, run unmodified on
 * real systemd and on the command line's Node kernel. Paths a program writes are relative to "/" (the working
 * directory of a system service on both), so a compiler run by a unit writes inside the emulator's root too.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { ScenarioFile } from './scenario.ts';

const DEBIAN_UNITS = path.resolve(import.meta.dirname, '../fixtures/debian-units');

/** A unit file exactly as Debian 12 ships it (tests/fixtures/debian-units/PACKAGE/NAME). */
export function debianUnit(packageDir: string, name: string): string {
  return fs.readFileSync(path.join(DEBIAN_UNITS, packageDir, name), 'utf8');
}

/** A python3-systemd service: accepts on fd 3 in a blocking loop and answers each connection with one line. */
export const PYTHON_ACCEPT_LOOP: ScenarioFile = `import socket
from systemd import daemon
listener = socket.socket(fileno=daemon.listen_fds()[0])
while True:
    connection, _ = listener.accept()
    connection.recv(1024)  # read the request first: closing with unread data would reset the connection
    connection.sendall(b"hello from python\\n")
    connection.close()
`;

/** A C service linked with -lsystemd: Type=notify (READY=1, STATUS=), then a blocking accept() loop on fd 3. */
export const C_NOTIFY_ACCEPT_LOOP: ScenarioFile = `#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>
#include <systemd/sd-daemon.h>
int main(void) {
  if (sd_listen_fds(1) != 1) { fprintf(stderr, "c: no socket from systemd\\n"); return 1; }
  sd_notify(0, "READY=1\\nSTATUS=Accepting on fd 3");
  usleep(200000); /* so that "Started" is in the journal before anything this program logs */
  for (;;) {
    int connection = accept(SD_LISTEN_FDS_START, NULL, NULL);
    if (connection < 0) { perror("accept"); return 2; }
    char request[256];
    read(connection, request, sizeof request); /* closing with unread data would reset the connection */
    const char reply[] = "hello from C\\n";
    write(connection, reply, strlen(reply));
    close(connection);
  }
}
`;

/** A oneshot unit that builds /opt/c/server from /opt/c/server.c with cc -lsystemd (relative paths: cwd is /). */
export const C_BUILD_SERVICE = '[Unit]\nDescription=Build the C service\n\n[Service]\nType=oneshot\nRemainAfterExit=yes\nExecStart=/usr/bin/cc -O1 -o opt/c/server opt/c/server.c -lsystemd\n';

/** python3-systemd programs for the sd_notify() scenarios; the first argument picks one. */
export const PYTHON_NOTIFY: ScenarioFile = `import os, socket, sys, time
from systemd import daemon
mode = sys.argv[1]
if mode == "child":
    if os.fork() == 0:
        daemon.notify("READY=1\\nSTATUS=from the child")
        time.sleep(2)
        os._exit(0)
elif mode == "malformed":
    address = os.environ["NOTIFY_SOCKET"]
    if address.startswith("@"):
        address = "\\0" + address[1:]
    raw = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
    for datagram in [b"STATUS=a\\0b", b"X" * 5000, b"STATUS=\\xff\\xfe", b"\\n\\n", b"ERRNO=abc\\nMAINPID=-3", b"WATCHDOG=maybe", b"EXTEND_TIMEOUT_USEC=soon"]:
        raw.sendto(datagram, address)
    time.sleep(0.2)
    daemon.notify("READY=1\\nSTATUS=still fine\\nERRNO=2")
elif mode == "watchdog":
    print("WATCHDOG_USEC=" + os.environ.get("WATCHDOG_USEC", ""), flush=True)
    daemon.notify("READY=1")
elif mode == "fdstore":
    print("LISTEN_FDS=" + os.environ.get("LISTEN_FDS", "") + " LISTEN_FDNAMES=" + os.environ.get("LISTEN_FDNAMES", ""), flush=True)
    if daemon.listen_fds():
        print("fd 3 holds: " + os.read(3, 100).decode(), flush=True)
    r, w = os.pipe()
    os.write(w, b"kept across the restart")
    os.close(w)
    # FDPOLL=0: PID 1 would otherwise drop the pipe at once (its write end is closed: POLLHUP).
    daemon.notify("FDSTORE=1\\nFDNAME=mypipe\\nFDPOLL=0", fds=[r])
    daemon.notify("READY=1")
elif mode == "stopping":
    daemon.notify("READY=1\\nSTATUS=Serving")
    time.sleep(0.5)
    daemon.notify("STOPPING=1\\nSTATUS=Shutting down")
    time.sleep(0.5)
    sys.exit(0)
else:
    daemon.notify("READY=1\\nSTATUS=Serving")
time.sleep(3600)
`;

/** A plain HTTP server on 127.0.0.1:8000 (not socket-activated) that says READY=1 once it listens. */
export const PYTHON_BACKEND: ScenarioFile = `import socket
from systemd import daemon
server = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
server.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
server.bind(("127.0.0.1", 8000))
server.listen(16)
daemon.notify("READY=1")
while True:
    connection, _ = server.accept()
    connection.recv(4096)
    body = b"hello from the backend\\n"
    connection.sendall(b"HTTP/1.0 200 OK\\r\\nContent-Length: %d\\r\\n\\r\\n" % len(body) + body)
    connection.close()
`;
