/**
 * The order in which `systemctl show` prints properties: the D-Bus interface of the unit's type first (Socket,
 * Service, Path), then the Unit interface, each in its vtable's order. Recorded from Debian 12's systemd 252
 * (`systemctl show --all` of a socket, a service, a path and a target unit in tests/oracle's container), so that
 * `show -p B -p A` prints A and B in systemd's order, whatever the order asked. As in systemd's sources, the
 * properties that socket and service units share are declared once, by the vtable they come from
 * (dbus-unit.c's cgroup part, dbus-cgroup.c, dbus-execute.c, dbus-kill.c), and the type's own interface
 * (dbus-socket.c, dbus-service.c, dbus-path.c) is followed by them.
 */

/** org.freedesktop.systemd1.Unit, as a target unit shows it. */
export const UNIT_PROPERTY_ORDER: readonly string[] = [
  'Id', 'Names', 'Following', 'Requires', 'Requisite', 'Wants', 'BindsTo', 'PartOf', 'Upholds', 'RequiredBy',
  'RequisiteOf', 'WantedBy', 'BoundBy', 'UpheldBy', 'ConsistsOf', 'Conflicts', 'ConflictedBy', 'Before', 'After',
  'OnSuccess', 'OnSuccessOf', 'OnFailure', 'OnFailureOf', 'Triggers', 'TriggeredBy', 'PropagatesReloadTo',
  'ReloadPropagatedFrom', 'PropagatesStopTo', 'StopPropagatedFrom', 'JoinsNamespaceOf', 'SliceOf',
  'RequiresMountsFor', 'Documentation', 'Description', 'AccessSELinuxContext', 'LoadState', 'ActiveState',
  'FreezerState', 'SubState', 'FragmentPath', 'SourcePath', 'DropInPaths', 'UnitFileState', 'UnitFilePreset',
  'StateChangeTimestamp', 'StateChangeTimestampMonotonic', 'InactiveExitTimestamp', 'InactiveExitTimestampMonotonic',
  'ActiveEnterTimestamp', 'ActiveEnterTimestampMonotonic', 'ActiveExitTimestamp', 'ActiveExitTimestampMonotonic',
  'InactiveEnterTimestamp', 'InactiveEnterTimestampMonotonic', 'CanStart', 'CanStop', 'CanReload', 'CanIsolate',
  'CanClean', 'CanFreeze', 'Job', 'StopWhenUnneeded', 'RefuseManualStart', 'RefuseManualStop', 'AllowIsolate',
  'DefaultDependencies', 'OnSuccessJobMode', 'OnFailureJobMode', 'IgnoreOnIsolate', 'NeedDaemonReload', 'Markers',
  'JobTimeoutUSec', 'JobRunningTimeoutUSec', 'JobTimeoutAction', 'JobTimeoutRebootArgument', 'ConditionResult',
  'AssertResult', 'ConditionTimestamp', 'ConditionTimestampMonotonic', 'AssertTimestamp', 'AssertTimestampMonotonic',
  'Conditions', 'Asserts', 'LoadError', 'Transient', 'Perpetual', 'StartLimitIntervalUSec', 'StartLimitBurst',
  'StartLimitAction', 'FailureAction', 'FailureActionExitStatus', 'SuccessAction', 'SuccessActionExitStatus',
  'RebootArgument', 'InvocationID', 'CollectMode', 'Refs', 'ActivationDetails',
];

/** bus_unit_cgroup_vtable: the control group's runtime properties (Slice=, ControlGroup=, accounting). */
const CGROUP_RUNTIME_PROPERTIES: readonly string[] = [
  'Slice', 'ControlGroup', 'ControlGroupId', 'MemoryCurrent', 'MemoryAvailable', 'CPUUsageNSec', 'EffectiveCPUs',
  'EffectiveMemoryNodes', 'TasksCurrent', 'IPIngressBytes', 'IPIngressPackets', 'IPEgressBytes', 'IPEgressPackets',
  'IOReadBytes', 'IOReadOperations', 'IOWriteBytes', 'IOWriteOperations',
];

/** bus_cgroup_vtable: the resource-control settings (CGroupContext). */
const CGROUP_CONTEXT_PROPERTIES: readonly string[] = [
  'Delegate', 'DelegateControllers', 'CPUAccounting', 'CPUWeight', 'StartupCPUWeight', 'CPUShares',
  'StartupCPUShares', 'CPUQuotaPerSecUSec', 'CPUQuotaPeriodUSec', 'AllowedCPUs', 'StartupAllowedCPUs',
  'AllowedMemoryNodes', 'StartupAllowedMemoryNodes', 'IOAccounting', 'IOWeight', 'StartupIOWeight',
  'BlockIOAccounting', 'BlockIOWeight', 'StartupBlockIOWeight', 'MemoryAccounting', 'DefaultMemoryLow',
  'DefaultMemoryMin', 'MemoryMin', 'MemoryLow', 'MemoryHigh', 'MemoryMax', 'MemorySwapMax', 'MemoryLimit',
  'DevicePolicy', 'TasksAccounting', 'TasksMax', 'IPAccounting', 'IPAddressAllow', 'IPAddressDeny',
  'IPIngressFilterPath', 'IPEgressFilterPath', 'DisableControllers', 'ManagedOOMSwap', 'ManagedOOMMemoryPressure',
  'ManagedOOMMemoryPressureLimit', 'ManagedOOMPreference', 'RestrictNetworkInterfaces',
];

/** bus_exec_vtable: the execution environment (ExecContext). */
const EXEC_CONTEXT_PROPERTIES: readonly string[] = [
  'Environment', 'PassEnvironment', 'UnsetEnvironment', 'UMask', 'LimitCPU', 'LimitCPUSoft', 'LimitFSIZE',
  'LimitFSIZESoft', 'LimitDATA', 'LimitDATASoft', 'LimitSTACK', 'LimitSTACKSoft', 'LimitCORE', 'LimitCORESoft',
  'LimitRSS', 'LimitRSSSoft', 'LimitNOFILE', 'LimitNOFILESoft', 'LimitAS', 'LimitASSoft', 'LimitNPROC',
  'LimitNPROCSoft', 'LimitMEMLOCK', 'LimitMEMLOCKSoft', 'LimitLOCKS', 'LimitLOCKSSoft', 'LimitSIGPENDING',
  'LimitSIGPENDINGSoft', 'LimitMSGQUEUE', 'LimitMSGQUEUESoft', 'LimitNICE', 'LimitNICESoft', 'LimitRTPRIO',
  'LimitRTPRIOSoft', 'LimitRTTIME', 'LimitRTTIMESoft', 'WorkingDirectory', 'RootDirectory', 'RootImage', 'RootHash',
  'RootHashPath', 'RootHashSignature', 'RootHashSignaturePath', 'RootVerity', 'ExtensionDirectories',
  'ExtensionImages', 'MountImages', 'OOMScoreAdjust', 'CoredumpFilter', 'Nice', 'IOSchedulingClass',
  'IOSchedulingPriority', 'CPUSchedulingPolicy', 'CPUSchedulingPriority', 'CPUAffinity', 'CPUAffinityFromNUMA',
  'NUMAPolicy', 'NUMAMask', 'TimerSlackNSec', 'CPUSchedulingResetOnFork', 'NonBlocking', 'StandardInput',
  'StandardInputFileDescriptorName', 'StandardInputData', 'StandardOutput', 'StandardOutputFileDescriptorName',
  'StandardError', 'StandardErrorFileDescriptorName', 'TTYPath', 'TTYReset', 'TTYVHangup', 'TTYVTDisallocate',
  'TTYRows', 'TTYColumns', 'SyslogPriority', 'SyslogIdentifier', 'SyslogLevelPrefix', 'SyslogLevel',
  'SyslogFacility', 'LogLevelMax', 'LogRateLimitIntervalUSec', 'LogRateLimitBurst', 'LogExtraFields', 'LogNamespace',
  'SecureBits', 'CapabilityBoundingSet', 'AmbientCapabilities', 'User', 'Group', 'DynamicUser', 'RemoveIPC',
  'SetCredential', 'SetCredentialEncrypted', 'LoadCredential', 'LoadCredentialEncrypted', 'SupplementaryGroups',
  'PAMName', 'ReadWritePaths', 'ReadOnlyPaths', 'InaccessiblePaths', 'ExecPaths', 'NoExecPaths', 'ExecSearchPath',
  'MountFlags', 'PrivateTmp', 'PrivateDevices', 'ProtectClock', 'ProtectKernelTunables', 'ProtectKernelModules',
  'ProtectKernelLogs', 'ProtectControlGroups', 'PrivateNetwork', 'PrivateUsers', 'PrivateMounts', 'PrivateIPC',
  'ProtectHome', 'ProtectSystem', 'SameProcessGroup', 'UtmpIdentifier', 'UtmpMode', 'SELinuxContext',
  'AppArmorProfile', 'SmackProcessLabel', 'IgnoreSIGPIPE', 'NoNewPrivileges', 'SystemCallFilter',
  'SystemCallArchitectures', 'SystemCallErrorNumber', 'SystemCallLog', 'Personality', 'LockPersonality',
  'RestrictAddressFamilies', 'RuntimeDirectoryPreserve', 'RuntimeDirectoryMode', 'RuntimeDirectory',
  'StateDirectoryMode', 'StateDirectory', 'CacheDirectoryMode', 'CacheDirectory', 'LogsDirectoryMode',
  'LogsDirectory', 'ConfigurationDirectoryMode', 'ConfigurationDirectory', 'TimeoutCleanUSec',
  'MemoryDenyWriteExecute', 'RestrictRealtime', 'RestrictSUIDSGID', 'RestrictNamespaces', 'RestrictFileSystems',
  'BindPaths', 'BindReadOnlyPaths', 'TemporaryFileSystem', 'MountAPIVFS', 'KeyringMode', 'ProtectProc', 'ProcSubset',
  'ProtectHostname', 'NetworkNamespacePath', 'IPCNamespacePath',
];

/** bus_kill_vtable: how processes are stopped (KillContext). */
const KILL_CONTEXT_PROPERTIES: readonly string[] = [
  'KillMode', 'KillSignal', 'RestartKillSignal', 'FinalKillSignal', 'SendSIGKILL', 'SendSIGHUP', 'WatchdogSignal',
];

/** What a unit type with processes adds after its own interface, in that order. */
const PROCESS_UNIT_PROPERTIES: readonly string[] = [
  ...CGROUP_RUNTIME_PROPERTIES, ...CGROUP_CONTEXT_PROPERTIES, ...EXEC_CONTEXT_PROPERTIES, ...KILL_CONTEXT_PROPERTIES,
];

/** org.freedesktop.systemd1.Socket (bus_socket_vtable), then the shared process-unit properties. */
export const SOCKET_PROPERTY_ORDER: readonly string[] = [
  'BindIPv6Only', 'Backlog', 'TimeoutUSec', 'BindToDevice', 'SocketUser', 'SocketGroup', 'SocketMode',
  'DirectoryMode', 'Accept', 'FlushPending', 'Writable', 'KeepAlive', 'KeepAliveTimeUSec', 'KeepAliveIntervalUSec',
  'KeepAliveProbes', 'DeferAcceptUSec', 'NoDelay', 'Priority', 'ReceiveBuffer', 'SendBuffer', 'IPTOS', 'IPTTL',
  'PipeSize', 'FreeBind', 'Transparent', 'Broadcast', 'PassCredentials', 'PassSecurity', 'PassPacketInfo',
  'Timestamping', 'RemoveOnStop', 'Listen', 'Symlinks', 'Mark', 'MaxConnections', 'MaxConnectionsPerSource',
  'MessageQueueMaxMessages', 'MessageQueueMessageSize', 'TCPCongestion', 'ReusePort', 'SmackLabel', 'SmackLabelIPIn',
  'SmackLabelIPOut', 'ControlPID', 'Result', 'NConnections', 'NAccepted', 'NRefused', 'FileDescriptorName',
  'SocketProtocol', 'TriggerLimitIntervalUSec', 'TriggerLimitBurst', 'UID', 'GID',
  ...PROCESS_UNIT_PROPERTIES,
];

/** org.freedesktop.systemd1.Service (bus_service_vtable), then the shared process-unit properties. */
export const SERVICE_PROPERTY_ORDER: readonly string[] = [
  'Type', 'ExitType', 'Restart', 'PIDFile', 'NotifyAccess', 'RestartUSec', 'TimeoutStartUSec', 'TimeoutStopUSec',
  'TimeoutAbortUSec', 'TimeoutStartFailureMode', 'TimeoutStopFailureMode', 'RuntimeMaxUSec',
  'RuntimeRandomizedExtraUSec', 'WatchdogUSec', 'WatchdogTimestamp', 'WatchdogTimestampMonotonic',
  'RootDirectoryStartOnly', 'RemainAfterExit', 'GuessMainPID', 'RestartPreventExitStatus', 'RestartForceExitStatus',
  'SuccessExitStatus', 'MainPID', 'ControlPID', 'BusName', 'FileDescriptorStoreMax', 'NFileDescriptorStore',
  'StatusText', 'StatusErrno', 'Result', 'ReloadResult', 'CleanResult', 'USBFunctionDescriptors',
  'USBFunctionStrings', 'UID', 'GID', 'NRestarts', 'OOMPolicy', 'ExecMainStartTimestamp',
  'ExecMainStartTimestampMonotonic', 'ExecMainExitTimestamp', 'ExecMainExitTimestampMonotonic', 'ExecMainPID',
  'ExecMainCode', 'ExecMainStatus', 'ExecStart', 'ExecStartEx',
  ...PROCESS_UNIT_PROPERTIES,
];

/** org.freedesktop.systemd1.Path. */
export const PATH_PROPERTY_ORDER: readonly string[] = [
  'Unit', 'Paths', 'MakeDirectory', 'DirectoryMode', 'Result', 'TriggerLimitIntervalUSec', 'TriggerLimitBurst',
];

/** org.freedesktop.systemd1.Slice: the control group's runtime properties, then its resource-control settings. */
export const SLICE_PROPERTY_ORDER: readonly string[] = [...CGROUP_RUNTIME_PROPERTIES, ...CGROUP_CONTEXT_PROPERTIES];

/** Each unit type's own interface (a target has none: it shows the Unit interface only). */
const TYPE_PROPERTY_ORDER: Readonly<Record<string, readonly string[]>> = {
  socket: SOCKET_PROPERTY_ORDER,
  service: SERVICE_PROPERTY_ORDER,
  path: PATH_PROPERTY_ORDER,
  slice: SLICE_PROPERTY_ORDER,
};

/** The print order of a unit type's properties: its own interface, then the Unit interface. */
export function propertyOrder(type: string): readonly string[] {
  return [...(TYPE_PROPERTY_ORDER[type] ?? []), ...UNIT_PROPERTY_ORDER];
}
