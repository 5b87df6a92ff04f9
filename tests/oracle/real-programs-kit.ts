/**
 * The one home of the real programs: the real-program scenarios (kernels: ['node']) run them on real systemd and on
 * the command line's Node kernel, and tests/emulator/node/real-programs.test.ts under `emu daemon` directly. Paths a program writes are relative to "/" (the working
 * directory of a system service on both), so a compiler run by a unit writes inside the emulator's root too.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';

const DEBIAN_UNITS = path.resolve(import.meta.dirname, '../fixtures/debian-units');

/** A unit file exactly as Debian 12 ships it (tests/fixtures/debian-units/PACKAGE/NAME). */
export function debianUnit(packageDir: string, name: string): string {
  return fs.readFileSync(path.join(DEBIAN_UNITS, packageDir, name), 'utf8');
}

/** A python3-systemd service: accepts on fd 3 in a blocking loop and answers each connection with one line. */
export const PYTHON_ACCEPT_LOOP = `import socket
from systemd import daemon
listener = socket.socket(fileno=daemon.listen_fds()[0])
while True:
    connection, _ = listener.accept()
    connection.recv(1024)  # read the request first: closing with unread data would reset the connection
    connection.sendall(b"hello from python\\n")
    connection.close()
`;

/** A C service linked with -lsystemd: Type=notify (READY=1, STATUS=), then a blocking accept() loop on fd 3. */
export const C_NOTIFY_ACCEPT_LOOP = `#include <stdio.h>
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

/**
 * python3-systemd programs for sd_notify(); the first argument picks one (anything else: READY=1 and STATUS=Serving).
 * "malformed" sends what systemd must ignore with a warning: bad fields, an oversized and a NUL datagram, an fd with
 * a message that does not store it, and FDSTORE=1 with an fd (FileDescriptorStoreMax=0 closes it).
 */
export const PYTHON_NOTIFY = `import array, os, socket, sys, time
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
    for datagram in [b"STATUS=a\\0b", b"X" * 5000, b"STATUS=\\xff\\xfe", b"\\n\\n", b"ERRNO=abc\\nMAINPID=-3", b"WATCHDOG=maybe", b"EXTEND_TIMEOUT_USEC=soon", b"BARRIER=1"]:
        raw.sendto(datagram, address)
    r, w = os.pipe()
    raw.sendmsg([b"STATUS=with an fd"], [(socket.SOL_SOCKET, socket.SCM_RIGHTS, array.array("i", [r]))], 0, address)
    raw.sendmsg([b"FDSTORE=1"], [(socket.SOL_SOCKET, socket.SCM_RIGHTS, array.array("i", [r]))], 0, address)
    time.sleep(0.2)
    daemon.notify("READY=1\\nSTATUS=still fine\\nERRNO=2")
elif mode == "watchdog":
    print("WATCHDOG_USEC=" + os.environ.get("WATCHDOG_USEC", ""), flush=True)
    daemon.notify("READY=1")
elif mode == "fdstore":
    print("LISTEN_FDS=" + os.environ.get("LISTEN_FDS", "") + " LISTEN_FDNAMES=" + os.environ.get("LISTEN_FDNAMES", ""), flush=True)
    if daemon.listen_fds():
        print("fd 3 holds " + os.read(3, 100).decode(), flush=True)
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

/** A plain HTTP server on 127.0.0.1 (not socket-activated; port 8000 or the first argument) that says READY=1 once it listens. */
export const PYTHON_BACKEND = `import socket, sys
from systemd import daemon
server = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
server.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
server.bind(("127.0.0.1", int(sys.argv[1]) if len(sys.argv) > 1 else 8000))
server.listen(16)
daemon.notify("READY=1")
while True:
    connection, _ = server.accept()
    connection.recv(4096)
    body = b"hello from the backend\\n"
    connection.sendall(b"HTTP/1.0 200 OK\\r\\nContent-Length: %d\\r\\n\\r\\n" % len(body) + body)
    connection.close()
`;

/** A Go service doing what go-systemd's activation.Listeners() does (LISTEN_PID/LISTEN_FDS, net.FileListener(fd 3)); answers each connection with its PID. */
export const GO_PID_ACCEPT_LOOP = `package main

import (
	"fmt"
	"net"
	"os"
	"strconv"
)

func main() {
	if os.Getenv("LISTEN_PID") != strconv.Itoa(os.Getpid()) || os.Getenv("LISTEN_FDS") != "1" {
		fmt.Fprintln(os.Stderr, "go: no socket from systemd")
		os.Exit(1)
	}
	listener, err := net.FileListener(os.NewFile(3, "LISTEN_FD_3"))
	if err != nil {
		fmt.Fprintln(os.Stderr, "go:", err)
		os.Exit(1)
	}
	for {
		connection, err := listener.Accept()
		if err != nil {
			fmt.Fprintln(os.Stderr, "go:", err)
			os.Exit(2)
		}
		fmt.Fprintf(connection, "go %d\\n", os.Getpid())
		connection.Close()
	}
}
`;

/** A python3-systemd service: a blocking accept() loop on fd 3 that answers each connection with its PID. */
export const PYTHON_PID_ACCEPT_LOOP = `
import socket
from systemd import daemon
fds = daemon.listen_fds()
listener = socket.socket(fileno=fds[0])
while True:
    connection, _ = listener.accept()
    connection.sendall(b"python %d\\n" % __import__("os").getpid())
    connection.close()
`;

/** A C service (sd_listen_fds, blocking accept() on fd 3) that answers each connection with its PID. */
export const C_PID_ACCEPT_LOOP = `
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>
#include <systemd/sd-daemon.h>
int main(void) {
  if (sd_listen_fds(1) != 1) { fprintf(stderr, "no socket\\n"); return 1; }
  for (;;) {
    int connection = accept(SD_LISTEN_FDS_START, NULL, NULL);
    if (connection < 0) { perror("accept"); return 2; }
    char reply[64];
    int n = snprintf(reply, sizeof reply, "c %d\\n", (int)getpid());
    write(connection, reply, n);
    close(connection);
  }
}
`;

/** A python3-systemd service for ListenDatagram= (udp, unix), ListenSequentialPacket= and ListenFIFO= (the first argument): it reads what woke it from fd 3 and answers or logs it. */
export const PYTHON_DATAGRAM_READER = `
import os, socket, sys
from systemd import daemon
kind = sys.argv[1]
fds = daemon.listen_fds()
if kind == "fifo":
    while True:
        print("fifo got " + os.read(fds[0], 100).decode().strip(), flush=True)
listener = socket.socket(fileno=fds[0])
while True:
    if kind == "udp":
        data, peer = listener.recvfrom(100)
        listener.sendto(b"udp got " + data, peer)
    elif kind == "unix":
        print("unix got " + listener.recv(100).decode(), flush=True)
    else:
        connection, _ = listener.accept()
        connection.send(b"seqpacket got " + connection.recv(100))
        connection.close()
`;
