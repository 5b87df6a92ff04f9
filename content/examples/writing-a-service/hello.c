/* hello-c: greets each client and closes. Socket-activated (fd 3 from hello-c.socket) or, started by
 * hand, on a port of its own. Tells systemd when it is ready, and exits after 5 s without clients. */
#define _GNU_SOURCE /* accept4() */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>
#include <systemd/sd-daemon.h>

#define IDLE_MS 5000

static int listen_myself(int port) {
  struct sockaddr_in addr = { .sin_family = AF_INET, .sin_port = htons(port), .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
  int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  int one = 1;
  setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
  if (fd < 0 || bind(fd, (struct sockaddr *) &addr, sizeof addr) < 0 || listen(fd, SOMAXCONN) < 0) {
    perror("hello-c: bind");
    exit(1);
  }
  return fd;
}

int main(void) {
  int fd, activated, n = sd_listen_fds(1);
  if (n > 1) {
    fprintf(stderr, "hello-c: expected one socket from systemd, got %d\n", n);
    return 1;
  }
  activated = n == 1;
  if (activated) {
    fd = SD_LISTEN_FDS_START;
    /* systemd passes whatever the .socket says: make sure it is a listening TCP/Unix stream socket. */
    if (sd_is_socket(fd, AF_UNSPEC, SOCK_STREAM, 1) <= 0) {
      fprintf(stderr, "hello-c: fd 3 is not a listening stream socket\n");
      return 1;
    }
    printf("hello-c: socket-activated, serving fd 3\n");
  } else {
    fd = listen_myself(9101);
    printf("hello-c: not socket-activated, listening on 127.0.0.1:9101 myself\n");
  }
  fflush(stdout);
  sd_notify(0, "READY=1");

  for (unsigned long served = 0;;) {
    struct pollfd p = { .fd = fd, .events = POLLIN };
    int r = poll(&p, 1, activated ? IDLE_MS : -1);
    if (r == 0) {
      /* Idle: exit. A client that connects now waits in systemd's socket, which starts us again. */
      sd_notify(0, "STOPPING=1");
      printf("hello-c: idle for %d s after %lu connection(s), exiting\n", IDLE_MS / 1000, served);
      return 0;
    }
    int client = accept4(fd, NULL, NULL, SOCK_CLOEXEC);
    if (client < 0) continue;
    dprintf(client, "hello from C (pid %d), connection %lu\n", (int) getpid(), ++served);
    close(client);
  }
}
