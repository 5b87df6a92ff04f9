/** `systemctl show` properties, named as systemd's D-Bus properties. */
import { serviceUser } from '../manager/dynamic-user.ts';
import { unitFileState } from '../manager/install.ts';
import type { Manager } from '../manager/manager.ts';
import { PathUnit } from '../manager/path-unit.ts';
import { ServiceUnit } from '../manager/service-unit.ts';
import { SliceUnit } from '../manager/slice-unit.ts';
import { SocketUnit, listenKindName } from '../manager/socket-unit.ts';
import { formatTimestamp } from '../manager/time-format.ts';
import type { Unit } from '../manager/unit.ts';
import { propertyOrder } from './systemctl-show-order.ts';

/** Every property `show` prints for a unit, in systemd's print order; multi-line values (Listen=) repeat the name. */
export function unitProperties(manager: Manager, unit: Unit): Array<[string, string]> {
  const file = unit.file;
  const yesNo = (b: boolean): string => (b ? 'yes' : 'no');
  const props: Array<[string, string]> = [];
  if (unit instanceof ServiceUnit) {
    const s = unit.config;
    props.push(['Type', s.type], ['Restart', s.restart], ['MainPID', String(unit.mainPid ?? 0)], ['NRestarts', String(unit.nRestarts)]);
    props.push(['ExecMainPID', String(unit.mainPid ?? 0)], ['Result', unit.result]);
    props.push(['StandardInput', s.standardInput], ['User', serviceUser(s, unit.name)?.name ?? ''], ['Group', s.group ?? '']);
    props.push(['DynamicUser', yesNo(s.dynamicUser === true)], ['PrivateNetwork', yesNo(s.privateNetwork === true)]);
    props.push(['Sockets', unit.activatingSockets().map((x) => x.name).join(' ')]);
    props.push(['FileDescriptorStoreMax', String(s.fileDescriptorStoreMax ?? 0)], ['NFileDescriptorStore', String(unit.fdStore.length)]);
    props.push(['NotifyAccess', unit.notifyAccess], ['StatusText', unit.statusText ?? ''], ['StatusErrno', String(unit.statusErrno)]);
    props.push(['WatchdogUSec', s.watchdogMs ? `${s.watchdogMs / 1000}s` : '0'], ['NonBlocking', yesNo(s.nonBlocking ?? false)]);
    // One ExecStart= line per command, as bus_print_property() prints an a(sasbttttuii) (times not kept).
    for (const command of s.execStart) {
      props.push(['ExecStart', `{ path=${command.path} ; argv[]=${command.argv.join(' ')} ; ignore_errors=${yesNo(command.ignoreFailure)} ; start_time=[n/a] ; stop_time=[n/a] ; pid=0 ; code=(null) ; status=0/0 }`]);
    }
  }
  if (unit instanceof SocketUnit) {
    const s = unit.config;
    props.push(['Accept', yesNo(s.accept)], ['Backlog', String(s.backlog)], ['MaxConnections', String(s.maxConnections)]);
    props.push(['MaxConnectionsPerSource', String(s.maxConnectionsPerSource)], ['SocketMode', '0' + s.socketMode.toString(8)]);
    props.push(['DirectoryMode', '0' + s.directoryMode.toString(8)], ['SocketUser', s.socketUser === 'root' ? '' : s.socketUser], ['SocketGroup', s.socketGroup === 'root' ? '' : s.socketGroup]);
    props.push(['RemoveOnStop', yesNo(s.removeOnStop)], ['FileDescriptorName', unit.fdName()]);
    props.push(['TriggerLimitIntervalUSec', `${(s.triggerLimitIntervalMs ?? 2000) / 1000}s`], ['TriggerLimitBurst', String(s.triggerLimitBurst ?? (s.accept ? 200 : 20))]);
    for (const address of s.listen) props.push(['Listen', `${address.text} (${listenKindName(address)})`]);
    props.push(['NConnections', String(unit.nConnections)], ['NAccepted', String(unit.nAccepted)], ['NRefused', String(unit.nRefused)]);
    props.push(['Result', unit.result]);
  }
  if (unit instanceof PathUnit) {
    props.push(['Unit', unit.targetName()], ['Result', unit.result]);
    // `Paths=PATH (Kind)`, one line each; systemd prepends each spec it reads, so the last one comes first.
    const c = unit.config;
    const specs = [
      ...c.pathExists.map((path) => `${path} (PathExists)`), ...c.pathExistsGlob.map((path) => `${path} (PathExistsGlob)`),
      ...c.pathChanged.map((path) => `${path} (PathChanged)`), ...c.pathModified.map((path) => `${path} (PathModified)`),
      ...c.directoryNotEmpty.map((path) => `${path} (DirectoryNotEmpty)`),
    ];
    for (const spec of specs.reverse()) props.push(['Paths', spec]);
  }
  props.push(['Id', unit.name], ['Names', unit.name]);
  for (const [name, list] of [
    ['Requires', manager.requiresOf(unit)], ['Wants', manager.wantsOf(unit)], ['RequiredBy', manager.requiredByOf(unit)],
    ['WantedBy', manager.wantedByOf(unit)], ['Conflicts', manager.conflictsOf(unit)],
    ['Before', manager.beforeOf(unit)], ['After', manager.afterOf(unit)], ['PartOf', file.unit.partOf],
    ['Triggers', unit.triggers()], ['TriggeredBy', manager.triggeredByOf(unit)], ['Documentation', file.unit.documentation],
  ] as const) {
    props.push([name, [...new Set(list)].join(' ')]);
  }
  const slice = manager.sliceOf(unit);
  if (slice) props.push(['Slice', slice]);
  props.push(['DefaultDependencies', yesNo(manager.defaultDependenciesOf(unit))], ['Perpetual', yesNo(unit instanceof SliceUnit && unit.perpetual)]);
  props.push(['Description', unit.description], ['LoadState', file.loadState]);
  props.push(['ActiveState', unit.activeState], ['SubState', unit.subState]);
  props.push(['FragmentPath', file.fragmentPath ?? ''], ['DropInPaths', file.dropInPaths.join(' ')]);
  props.push(['UnitFileState', unitFileState(manager.kernel.fs, file, undefined, manager.configDir)], ['UnitFilePreset', 'enabled']);
  props.push(['StateChangeTimestamp', unit.everChanged ? formatTimestamp(unit.stateChangeTimestamp) : '']);
  props.push(['CanStart', yesNo(file.loadState === 'loaded')], ['CanStop', yesNo(file.loadState === 'loaded')]);
  props.push(['NeedDaemonReload', yesNo(manager.changedOnDisk(unit))]);
  // unit_test_condition() stores the result when a start job runs; a unit never started reads "no" (the initial
  // value), one whose conditions held and that left the inactive state "yes" (scenario status-unit-kinds).
  const started = unit.inactiveExitTimestamp !== undefined;
  props.push(['ConditionResult', yesNo(started)], ['AssertResult', yesNo(started)]);
  if (file.loadError) props.push(['LoadError', file.loadError]);
  const order = propertyOrder(file.type);
  const rank = (name: string): number => {
    const index = order.indexOf(name);
    return index < 0 ? order.length : index;
  };
  // A stable sort: the lines of a multi-line property (Listen=) keep their order.
  return props.map((prop, index) => ({ prop, index })).sort((a, b) => rank(a.prop[0]) - rank(b.prop[0]) || a.index - b.index).map(({ prop }) => prop);
}

/**
 * Formats `show` output: `Name=value` lines, or values only. With -p, only those names, in systemd's property order
 * (not the order asked), empty values included; without, the non-empty ones (all with --all).
 */
export function formatShow(props: Array<[string, string]>, wanted: string[], valueOnly: boolean, all: boolean): string[] {
  const out: string[] = [];
  const selected = wanted.length > 0
    ? props.filter(([name]) => wanted.includes(name))
    : props.filter(([, value]) => all || value !== '');
  for (const [name, value] of selected) out.push(valueOnly ? value : `${name}=${value}`);
  return out;
}
