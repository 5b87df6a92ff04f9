/**
 * `node tests/oracle/accept-differences.ts [ID…]`: rewrites tests/oracle/accepted-differences.ts from the differences
 * the emulator shows now (both kernels; with IDs, those scenarios only, the other entries kept as they are): entries
 * that match nothing are dropped, and every entry gets its reason from the classification below, or "unexplained"
 * (which the golden test refuses: explain it or fix it). The rules are the one source of the reasons, so a reason is
 * changed here, never in the generated file. `--reclassify` only gives the entries in the file their reasons from
 * the rules again, without running the emulator (seconds; use it while writing rules). Run it after a fix, read the
 * diff of the file, commit it. The memory kernel runs RUNS times (default 3, ORACLE_ACCEPT_RUNS): a difference seen
 * in some runs only is marked intermittent (the real clock and the order of events vary a little), and the golden
 * test does not require it to match every run.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { acceptedDifferences } from './accepted-differences.ts';
import type { AcceptedDifference, AcceptedExit, AcceptedLine } from './compare.ts';
import { loadScenarios } from './corpus.ts';
import { inNetworkNamespace, nodeKernelUnavailable, runCorpusOnEmulator, type EmulatorRun } from './emulator-worker.ts';
import { compareCorpus } from './oracle-report.ts';
import type { Kernel } from './scenario.ts';

type Entry = AcceptedLine | AcceptedExit;

/** A rule: a test on the entry (with every entry of the list, for rules that look at the other lines of a command), and its reason. */
interface Rule {
  test: (entry: Entry, all: Entry[]) => boolean;
  reason: string;
}

const MANAGER = 'open: manager (seams)';
const COMMANDS = 'open: command layer';
const NODE = 'open: Node kernel';
const IN_PAGE = 'open: in-page runtime';

/** Whether the entry is of `scenario` (and, with `kernel`, seen on that kernel only, or on both when 'both'). */
const of = (entry: Entry, scenario: string | RegExp, kernel?: 'node' | 'memory' | 'both'): boolean =>
  (typeof scenario === 'string' ? entry.scenario === scenario : scenario.test(entry.scenario))
  && (kernel === undefined || (kernel === 'both' ? entry.kernel === undefined : entry.kernel === kernel));

/** Lines without their column padding. */
const squeeze = (line: string | null): string | null => (line === null ? null : line.trim().replace(/\s+/g, ' '));

/**
 * The kinds of difference, most specific first: each says what differs and why, as found by reading the golden
 * file and the emulator's output of that scenario and command (tests/oracle/show-golden.ts, npm run bench:oracle
 * -- --diff ID). "open: …" names who can fix it (manager (seams): src/emulator/manager; command layer:
 * src/emulator/commands; Node kernel / in-page runtime: src/emulator/kernel); "base system" and "lab programs" are
 * differences of the machine, not of the emulator.
 */
export const CLASSIFICATION: Rule[] = [
  // What a real host cannot do like the oracle's machine.
  {
    // A row that only moved: the same line is missing on one side and extra on the other, in one ss command.
    test: (e, all) => /^ss /.test(e.command) && !isExit(e) && (e.expected === null) !== (e.actual === null)
      && all.some((o) => o !== e && !isExit(o) && o.scenario === e.scenario && o.command === e.command && o.kernel === e.kernel && o.stream === e.stream
        && (e.expected === null ? o.expected === e.actual && o.actual === null : o.actual === e.expected && o.expected === null)),
    reason: `${COMMANDS}: ss lists listening TCP sockets in the order of the kernel's listening hash (a hash of address and port mixed with a random value per network namespace), so on the real machine a row comes elsewhere; the emulator's ss lists them in the order they were bound; the row itself is the same`,
  },
  {
    test: (e) => of(e, 'lesson-socket-proxyd-2') && /^ss /.test(e.command) && lineOf(e, /127\.0\.0\.1:808[01] /),
    reason: `${COMMANDS}: ss lists listening TCP sockets in the order of the kernel's listening hash (127.0.0.1:8081 before 127.0.0.1:8080 on the real machine); the emulator's ss in the order they were bound`,
  },
  {
    test: (e) => of(e, 'lesson-stopping-and-debugging-4', 'memory') && /^ss -xl src /.test(e.command),
    reason: `${IN_PAGE}: the memory kernel numbers its sockets' inodes from 20000 (5 digits), the real machine's have 7 (3222992): ss sizes its 'Local Address:Port' and 'Peer Address:Port' columns to the widest row, so the header is padded otherwise`,
  },

  {
    test: (e) => of(e, 'install-verbs-unit-kinds') && /^systemctl (disable|reenable) /.test(e.command),
    reason: "real systemd removes a unit's links in readdir(3) order of /etc/systemd/system and its .wants/ folders (install.c's remove_marked_symlinks_fd() walks each directory as it reads it): on ext4 that is the order of the names' hashes under the file system's own random hash seed, so it differs between machines (two real recordings disagree; checked on the oracle: `disable` removed each link where `ls -U` listed it, zz-alias.service before multi-user.target.wants/, b-alias.service after it); the emulator removes them in one fixed order; the lines are the same",
  },
  {
    test: (e) => of(e, 'lesson-socket-and-service-units-5', 'node') && /^ss /.test(e.command),
    reason: "base system: ss sizes its columns to the widest row, and on the Node kernel the lab machine runs no sshd on port 22 (outside a network namespace the port is the host's)",
  },

  // The real machine is a whole Debian 12 (the lab machine is one too: src/emulator/machine/debian-base.ts).
  // The Node kernel, scenario by scenario (what its run shows; the lines after the first difference follow from it).
  {
    test: (e) => of(e, /^docker-socket-(start|solution)$/, 'node') && !lineOf(e, /^(<time> <host> systemd\[1\]: )?Starting docker\.socket /),
    reason: `${NODE}: the lab's dockerd -H unix:///run/docker.sock unlinks the path and binds its own socket there, as dockerd does; on the Node kernel that bind fails ('listen unix /run/docker.sock: bind: address already in use': the service runtime, listen-fds-shim.cjs, maps fs paths into the machine's root but not net.Server.listen(path), so the unlink hits the machine's /run/docker.sock and the bind the host's, where a stale socket file of an earlier run is in the way), so docker.service loops into its start limit and docker.socket fails; the other lines follow`,
  },
  {
    test: (e) => of(e, /^(taken-port|forgot-daemon-reload)$/, 'node'),
    reason: `${NODE}: a socket that binds a port right after another socket unit on it stopped (stop x.socket, then start y.socket; restart x.socket) gets 'Address already in use' (Result: resources) on the Node kernel, in some runs (see golden.test.ts); on systemd the port is free once the stop has returned`,
  },
  {
    test: (e) => of(e, 'app-db-solution', 'node') && lineOf(e, /\/tmp\/oracle-/),
    reason: `${NODE}: a service sees the host's paths: report prints its config file as /tmp/oracle-…/opt/report/report.conf (the machine's root is a host folder, not a chroot)`,
  },
  {
    test: (e) => of(e, 'unix-socket-mode-owner', 'node') && e.command.startsWith('ls '),
    reason: `${NODE}: \`ls /run/x/x.sock\` does not find the node of a started Unix socket unit ('No such file or directory'); on systemd the node is there`,
  },
  {
    test: (e) => of(e, 'real-sshd-inetd', 'node') && e.command.includes('--no-legend'),
    reason: `${COMMANDS}: \`systemctl list-units --no-legend\` that lists no unit prints nothing; the emulator prints an empty line`,
  },
  {
    test: (e) => of(e, 'lesson-accept-yes-2', 'node') && lineOf(e, /Deactivated successfully\.$/),
    reason: `${NODE}: an Accept=yes instance's 'Deactivated successfully.' comes after the next instance's lines in the journal (its real process exits later); systemd logs it first. The lines are the same`,
  },
  {
    test: (e) => of(e, 'lesson-dependencies-and-limits-4', 'node'),
    reason: `${NODE}: curl to a socket that has just hit its trigger limit exits 7 (connection refused); on systemd it exits 56 (the connection was queued, then reset when the socket closed)`,
  },
  {
    test: (e) => of(e, 'lesson-socket-proxyd-1', 'node'),
    reason: `${COMMANDS}: the emulator's curl on the Node kernel words a reset connection as Node.js does ('Recv failure: read ECONNRESET'); curl says 'Recv failure: Connection reset by peer'`,
  },
  // PID 1 (src/emulator/manager).
  {
    test: (e) => expectedOf(e, /^(<time> <host> systemd\[1\]: )?Starting \S+\.socket - /) && !actualOf(e, /Starting \S+\.socket - /),
    reason: `${MANAGER}: a socket with SocketUser=/SocketGroup= runs a control process (sd-chown) after binding, so PID 1 logs 'Starting x.socket - …...' before 'Listening on'; the emulator logs no Starting line for it`,
  },
  {
    test: (e) => of(e, 'lesson-socket-and-service-units-1') && e.command.startsWith('systemd-analyze verify'),
    reason: `${COMMANDS}: systemd-analyze verify x.socket also loads the service the socket triggers and prints its load errors ('myapp.service: Service has no ExecStart=… Refusing.'); the emulator verifies the named file only`,
  },
  {
    test: (e) => of(e, 'myapp-start') && e.command.startsWith('systemd-analyze verify'),
    reason: `${COMMANDS}: systemd-analyze verify loads every unit first (their 'Refusing.' lines), then names each bad unit ('Unit x has a bad unit file setting.'); the emulator reports unit by unit`,
  },
  {
    test: (e) => of(e, 'myapp-start') && lineOf(e, /^TriggeredBy: /),
    reason: `${MANAGER}: a socket that failed to load (bad-setting) adds no Triggers=/TriggeredBy= dependency, so the service's status shows no TriggeredBy:; the emulator lists the socket`,
  },
  {
    test: (e) => expectedOf(e, /(\/\S+:\d+: |: Unit has no Listen setting|: Service has no ExecStart=|Unit configuration has fatal error|Neither a valid executable name nor an absolute path|Failed to parse )/),
    reason: `${MANAGER}: PID 1 logs a unit file's parse errors and its load refusal (\`file:line: …\`, \`x.socket: Unit has no Listen setting (…). Refusing.\`) in the journal each time it loads the unit; the emulator does not`,
  },
  {
    test: (e) => of(e, /^cups-on-demand-(start|solution)$/) && (e.command.includes('status') || lineOf(e, /Path unit lacks path setting/)),
    reason: `${MANAGER}: a path unit without any Path…= setting is refused at load ('cups.path: Path unit lacks path setting. Refusing.', Loaded: bad-setting) and so triggers nothing; the emulator loads it (Loaded: loaded, TriggeredBy: cups.path)`,
  },
  {
    test: (e) => of(e, 'app-db-solution') && e.command.startsWith('systemctl reset-failed'),
    reason: `${COMMANDS}: systemctl reset-failed prints one 'Unit … not loaded.' line for every unit that is not loaded; the emulator stops at the first`,
  },
  {
    test: (e) => of(e, 'boot-order-start') && lineOf(e, /bad-setting/),
    reason: `${MANAGER}: a unit that failed to load (db.socket, bad-setting) and that nothing references is unloaded again (garbage-collected), so list-units --all does not show it; the emulator keeps it`,
  },
  {
    test: (e) => of(e, 'echo-per-connection-solution') && lineOf(e, /echo\.service +not-found/),
    reason: `${MANAGER}: an Accept=yes socket references no echo.service (it starts echo@….service instances), so none is loaded; the emulator loads echo.service as not-found and lists it`,
  },
  {
    test: (e) => of(e, 'socket-dependencies') && lineOf(e, /^TriggeredBy=/),
    reason: `${MANAGER}: systemd loads units on demand: while nothing has loaded x.socket (not enabled, not started), x.service has TriggeredBy= empty; the emulator loads every unit file at boot`,
  },
  {
    test: (e) => of(e, 'socket-dependencies') && lineOf(e, /^(Requires|After|Before|Conflicts)=/),
    reason: `${MANAGER}: DefaultDependencies=yes gives a socket and a service Requires=/After=sysinit.target, After=system.slice (and systemd-journald.socket for a service), Conflicts=/Before=shutdown.target; the emulator adds only After=basic.target and Before=sockets.target`,
  },
  {
    test: (e) => of(e, 'lesson-dependencies-and-limits-3'),
    reason: `${IN_PAGE}: a program of the in-page runtime runs as soon as it is exec'd, where Debian's node needs tens of ms to start: on the real machine each restart stops a report.service that has not yet run its first line (so it never fails, and the 6th start, refused by the start limit, sets Result=start-limit-hit: 'start of the service was attempted too often'); on the memory kernel report has already failed with exit-code, which systemd 252 keeps too when the start limit refuses (checked: a service that exits 1 at once, restarted six times 0.3 s apart, ends Result=exit-code, 'the control process exited with error code')`,
  },
  {
    test: (e) => (expectedOf(e, /exit-code/) && actualOf(e, /start-limit-hit/)) || (isExit(e) && e.scenario === 'crash-loop-start-limit'),
    reason: `${MANAGER}: after 'Start request repeated too quickly.' in a socket-triggered loop, systemd 252 keeps the service's Result=exit-code (Active: failed (Result: exit-code)); the emulator sets start-limit-hit`,
  },
  {
    test: (e) => of(e, 'reset-failed') && e.command.startsWith('systemctl status'),
    reason: `${MANAGER}: after reset-failed an unreferenced unit is unloaded (garbage-collected), so the next status loads it afresh: 'inactive (dead)' without since, Duration:, Process: and Main PID:; the emulator keeps the last run's data`,
  },
  {
    test: (e) => of(e, 'restart-socket-service-running') && e.command.startsWith('systemctl status'),
    reason: `${MANAGER}: after a start refused with 'Socket service x.service already active, refusing.', the socket's status shows 'inactive (dead)' without since or Duration:; the emulator keeps the times of its last stop`,
  },
  {
    test: (e) => of(e, 'lesson-stopping-and-debugging-2'),
    reason: `${MANAGER}: stopping a socket unit closes PID 1's fd only; the running service keeps its inherited copy of the listening socket and still answers; the emulator closes the listening socket itself (curl exits 7)`,
  },
  {
    test: (e) => of(e, 'lesson-socket-proxyd-1'),
    reason: "open: the emulator's systemd-socket-proxyd (src/emulator/commands): when the backend refuses, systemd-socket-proxyd drops the client with a reset (curl: (56) Connection reset by peer); the emulator's closes it cleanly (curl: (52) Empty reply from server)",
  },
  {
    test: (e) => of(e, /^(service-exits-without-accepting|trigger-limit)$/) && e.command.includes('nc '),
    reason: `${COMMANDS}: \`nc -N -w 1\` to a connection that stays in the backlog until the socket closes exits 0 on Debian (netcat-openbsd); the emulator's nc exits 1`,
  },
  {
    test: (e) => of(e, 'logger-errors') && lineOf(e, /No such device or address/),
    reason: "the oracle types each step with `bash -c`, whose errors name the line ('bash: line 1: /run/dg.sock: …'); the lab's terminal is an interactive bash, which does not, and the emulator's shell prints that form (checked on Debian 12's bash 5.2: interactive 'bash: /nonexist/x: No such file or directory', `bash -c` 'bash: line 1: /nonexist/x: …', the same for 'command not found')",
  },
  {
    test: (e) => ['echo-per-connection-start', 'socket-service-missing', 'accept-yes-without-template'].includes(e.scenario) && e.kernel !== 'node',
    reason: `${MANAGER}: a socket whose service cannot be loaded (missing, or without ExecStart=) is refused when it starts ('x.socket: Socket service x.service not loaded, refusing.', then 'Failed to listen on …'); the emulator listens`,
  },
  {
    test: (e) => e.scenario === 'start-after-fix' && e.kernel !== 'node',
    reason: `${MANAGER}: a unit that failed to load is loaded again from disk by the next \`systemctl start\` (no daemon-reload needed); the emulator keeps the failed load`,
  },
  {
    test: (e) => lineOf(e, /Failed to locate executable|\(missing\)|Failed at step EXEC|Failed to execute /),
    reason: `${MANAGER}: a missing ExecStart= program is reported by the forked child as '(missing)[pid]: x.service: Failed to locate executable …' (status 203/EXEC); the emulator logs it from PID 1`,
  },
  // ss (src/emulator/commands).
  {
    test: (e) => e.command.startsWith('ss ') && lineOf(e, /users:\(\("[^"]{15,}"/),
    reason: `${COMMANDS}: ss -p names a process by its comm, at most 15 characters ('systemd-socket-'), and a node script as 'node'; the emulator's ss prints the program's full name`,
  },
  {
    test: (e) => e.command.startsWith('ss ') && lineOf(e, /^(State|Netid) /),
    reason: `${COMMANDS}: ss sizes its columns to the widest row and joins the header's last two ('Peer Address:PortProcess'); the emulator's ss puts a blank between them and pads differently`,
  },
  // Left: not triaged line by line (the golden test requires none of these; each is a task).
  {
    test: (e) => e.kernel === 'node',
    reason: 'open: Node kernel, not triaged yet: the emulator on the Node kernel differs from the memory kernel here (real processes, host paths and ports, timing)',
  },
  {
    test: () => true,
    reason: 'open: not triaged yet',
  },
];

/** A line entry whose expected or actual line matches. */
function lineOf(entry: Entry, pattern: RegExp): boolean {
  return expectedOf(entry, pattern) || actualOf(entry, pattern);
}

function expectedOf(entry: Entry, pattern: RegExp): boolean {
  return !isExit(entry) && entry.expected !== null && pattern.test(entry.expected);
}

function actualOf(entry: Entry, pattern: RegExp): boolean {
  return !isExit(entry) && entry.actual !== null && pattern.test(entry.actual);
}

function isExit(entry: Entry): entry is AcceptedExit {
  return 'exitCode' in entry;
}

const FILE = path.join(import.meta.dirname, 'accepted-differences.ts');
const key = (entry: AcceptedDifference): string => JSON.stringify({ ...entry, reason: undefined, kernel: undefined, intermittent: undefined });

/** The reason of the first rule that matches the entry (`all`: every entry of the list, the entry among them). */
export function reasonFor(entry: Entry, all: Entry[]): string {
  return CLASSIFICATION.find((rule) => rule.test(entry, all))?.reason ?? 'unexplained';
}

/** Writes the list, grouped by scenario (in the order the entries come within one scenario). */
function writeList(entries: AcceptedDifference[]): void {
  const order = [...new Set(entries.map((entry) => entry.scenario))].sort();
  const sorted = order.flatMap((id) => entries.filter((entry) => entry.scenario === id));
  const header = fs.readFileSync(FILE, 'utf8').split('export const acceptedDifferences')[0];
  const body = sorted.map((entry) => `  ${JSON.stringify(entry)},`).join('\n');
  fs.writeFileSync(FILE, `${header}export const acceptedDifferences: AcceptedDifference[] = [\n${body}\n];\n`);
  const unexplained = sorted.filter((entry) => entry.reason === 'unexplained').length;
  process.stdout.write(`${sorted.length} accepted differences written to tests/oracle/accepted-differences.ts (${unexplained} unexplained)\n`);
}

if (import.meta.filename === process.argv[1] && process.argv.includes('--reclassify')) {
  writeList(acceptedDifferences.map((entry) => ({ ...entry, reason: reasonFor(entry, acceptedDifferences) })));
  process.exit(0);
}

if (import.meta.filename === process.argv[1]) {
  const ids = process.argv.slice(2).filter((arg) => !arg.startsWith('--'));
  const scenarios = await loadScenarios(ids);
  const repeat = Number(process.env.ORACLE_ACCEPT_RUNS ?? 3);
  const memoryRuns: Array<Record<string, EmulatorRun>> = [];
  for (let i = 0; i < repeat; i++) memoryRuns.push(await runCorpusOnEmulator('memory', ids));
  const runs: Partial<Record<Kernel, Record<string, EmulatorRun>>> = { memory: memoryRuns[0] };
  const netns = nodeKernelUnavailable();
  if (netns) {
    process.stderr.write(`Cannot run the Node kernel here (${netns}); its entries are kept as they are.\n`);
  } else runs.node = await inNetworkNamespace('node', ids);
  const comparisons = [
    ...compareCorpus(scenarios, runs, []).comparisons,
    ...memoryRuns.slice(1).flatMap((memory) => compareCorpus(scenarios, { memory }, []).comparisons),
  ];
  const seenIn = new Map<string, number>();
  // One entry per difference; the kernel is named only when the other kernel does not show it.
  const found = new Map<string, { entry: AcceptedLine | AcceptedExit; kernels: Set<Kernel> }>();
  for (const c of comparisons) {
    for (const d of c.lineDifferences) {
      const entry: AcceptedLine = { scenario: d.scenario, command: d.command, stream: d.stream, expected: d.expected, actual: d.actual, reason: '' };
      const k = key(entry);
      if (!found.has(k)) found.set(k, { entry, kernels: new Set() });
      found.get(k)!.kernels.add(c.kernel);
      if (c.kernel === 'memory') seenIn.set(k, (seenIn.get(k) ?? 0) + 1);
    }
    for (const d of c.exitDifferences) {
      const entry: AcceptedExit = { scenario: d.scenario, command: d.command, exitCode: { expected: d.expected, actual: d.actual }, reason: '' };
      const k = key(entry);
      if (!found.has(k)) found.set(k, { entry, kernels: new Set() });
      found.get(k)!.kernels.add(c.kernel);
      if (c.kernel === 'memory') seenIn.set(k, (seenIn.get(k) ?? 0) + 1);
    }
  }
  const entries: AcceptedDifference[] = [];
  for (const [k, { entry, kernels }] of found) {
    const kernel = kernels.size === 1 && runs.node ? [...kernels][0] : undefined;
    const memoryCount = seenIn.get(k) ?? 0;
    const intermittent = kernel !== 'node' && memoryCount > 0 && memoryCount < repeat;
    entries.push({ ...entry, ...(kernel ? { kernel } : {}), ...(intermittent ? { intermittent: true } : {}) });
  }
  const rerun = new Set(scenarios.map((scenario) => scenario.id));
  // Entries of scenarios not run now stay; so do the Node kernel's when it could not run.
  const kept = acceptedDifferences.filter((entry) => !rerun.has(entry.scenario) || (!runs.node && entry.kernel === 'node'));
  const all = [...kept, ...entries];
  writeList(all.map((entry) => ({ ...entry, reason: reasonFor(entry, all) })));
  process.exit(0);
}
