/**
 * What the user-units lesson's scenarios (tests/oracle/scenarios/lesson-user-units-*.ts) add to the oracle's root.
 *
 * The root is a minimal Debian 12 without libpam-systemd. On a normal install, pam_systemd sets XDG_RUNTIME_DIR
 * for the user manager (user@UID.service) and for every session, including the one `systemctl --user -M USER@`
 * opens; without it the user manager exits at once ("Trying to run as user instance, but $XDG_RUNTIME_DIR is not
 * set.") and `-M student@` fails ("Transport endpoint is not connected"). These two files set it instead.
 */
export const PAM_SYSTEMD_STAND_IN = {
  '/etc/systemd/system/user@.service.d/runtime-dir.conf': '[Service]\nEnvironment=XDG_RUNTIME_DIR=/run/user/%i\n',
  '/etc/environment': 'XDG_RUNTIME_DIR=/run/user/1000\n',
};

/** The lesson's student account, made before anything else (the lab machine has it already). */
export const ADD_STUDENT = 'useradd -m -u 1000 -s /bin/bash student && chown -R student:student /home/student';
