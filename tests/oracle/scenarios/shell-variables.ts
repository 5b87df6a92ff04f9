import { defineScenario } from '../scenario.ts';

/**
 * The shell's variables, expanded when each command runs (as the stopping-and-debugging lesson types
 * `PID=$(systemctl show -p MainPID --value x.service); ls -l /proc/$PID/fd`). Each step stands alone: the oracle
 * types every step into a new bash.
 */
export default defineScenario({
  id: 'shell-variables',
  about: 'X=1; echo $X, NAME=value before a command, export, ${X:-default} and the other operators, $? and field splitting',
  files: {
    '/usr/local/bin/idle': { content: '#!/usr/bin/env node\n// Stays running.\nsetInterval(() => {}, 1 << 30);\n', mode: 0o755 },
    '/etc/systemd/system/x.service': '[Unit]\nDescription=x service\n\n[Service]\nExecStart=/usr/local/bin/idle\n',
  },
  steps: [
    'X=1; echo $X',
    'FOO=1 echo "<$FOO>"; echo "[$FOO]"',
    'export Y=2; echo "$Y"; unset Y; echo "[$Y]"',
    'echo ${U:-def} ${U-d2} "${E:-x y}" ${#HOME}',
    'E=; echo [${E:-a}] [${E-b}] [${E:+c}] [${Z+d}]; echo ${V:=set} $V',
    'false; X=$?; echo $X $?',
    'A="a  b"; echo [$A] "[$A]" $EMPTY end',
    'echo ${W:-$HOME/x} "${W:-\'q\'}"',
    'systemctl start x.service; PID=$(systemctl show -p MainPID --value x.service); echo "Main PID: $PID"; systemctl show -p MainPID x.service',
    'S=x.service; systemctl is-active $S "$S"',
  ],
});
