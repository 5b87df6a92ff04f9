/**
 * What the user-units lesson's scenarios (tests/oracle/scenarios/lesson-user-units-*.ts) share. The oracle's root
 * has libpam-systemd, as a normal Debian 12 install does, so user@UID.service gets its XDG_RUNTIME_DIR from
 * pam_systemd and nothing stands in for it.
 */

/** The lesson's student account, made before anything else (the lab machine has it already). */
export const ADD_STUDENT = 'useradd -m -u 1000 -s /bin/bash student && chown -R student:student /home/student';
