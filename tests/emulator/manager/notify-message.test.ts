import { describe, expect, it } from 'vitest';
import { interpretNotifyTags, isBarrier, notifyRefusal, notifyTagsOf, readNotifyDatagram } from '../../../src/emulator/manager/notify-message.ts';

const bytes = (text: string): Uint8Array => new TextEncoder().encode(text);

describe('readNotifyDatagram (manager_dispatch_notify_fd)', () => {
  it('splits on newlines and drops empty lines', () => {
    expect(readNotifyDatagram(bytes('READY=1\nSTATUS=Serving\n\n'))).toEqual({ tags: ['READY=1', 'STATUS=Serving'], notUtf8: [] });
    expect(readNotifyDatagram(bytes(''))).toEqual({ tags: [], notUtf8: [] });
  });

  it('refuses a datagram of NOTIFY_BUFFER_MAX bytes or more, or one the kernel truncated', () => {
    const refused = { warning: 'Received notify message exceeded maximum size. Ignoring.' };
    expect(readNotifyDatagram(new Uint8Array(4096).fill(0x41))).toEqual(refused);
    expect(readNotifyDatagram(bytes('READY=1'), true)).toEqual(refused);
    expect(readNotifyDatagram(new Uint8Array(4095).fill(0x41))).toMatchObject({ tags: ['A'.repeat(4095)] });
  });

  it('refuses embedded NUL bytes', () => {
    expect(readNotifyDatagram(new Uint8Array([0x52, 0x00, 0x31]))).toEqual({ warning: 'Received notify message with embedded NUL bytes. Ignoring.' });
  });

  it('marks lines that are not valid UTF-8', () => {
    const data = new Uint8Array([...bytes('READY=1\nSTATUS=caf'), 0xe9, 0x0a]);
    expect(readNotifyDatagram(data)).toEqual({ tags: ['READY=1', 'STATUS=caf\ufffd'], notUtf8: [1] });
  });

  it('recognises a barrier', () => {
    expect(isBarrier(['BARRIER=1'])).toBe(true);
    expect(isBarrier(['BARRIER=1', 'READY=1'])).toBe(false);
  });
});

describe('notifyRefusal (service_notify_message_authorized)', () => {
  it('NotifyAccess=none refuses everyone', () => {
    expect(notifyRefusal('none', 10, 10)).toBe('Got notification message from PID 10, but reception is disabled.');
  });

  it('NotifyAccess=main takes the main process only', () => {
    expect(notifyRefusal('main', 10, 10)).toBeUndefined();
    expect(notifyRefusal('main', 11, 10)).toBe('Got notification message from PID 11, but reception only permitted for main PID 10');
    expect(notifyRefusal('main', 11)).toBe('Got notification message from PID 11, but reception only permitted for main PID which is currently not known');
  });

  it('NotifyAccess=exec takes the main and the control process', () => {
    expect(notifyRefusal('exec', 12, 10, 12)).toBeUndefined();
    expect(notifyRefusal('exec', 13, 10, 12)).toBe('Got notification message from PID 13, but reception only permitted for main PID 10 and control PID 12');
    expect(notifyRefusal('exec', 13, undefined, 12)).toBe('Got notification message from PID 13, but reception only permitted for control PID 12');
    expect(notifyRefusal('exec', 13)).toBe('Got notification message from PID 13, but reception only permitted for main PID and control PID which are currently not known');
  });

  it('NotifyAccess=all takes any process of the service', () => {
    expect(notifyRefusal('all', 99, 10)).toBeUndefined();
  });
});

describe('interpretNotifyTags (service_notify_message)', () => {
  it('reads the state changes, STATUS=, ERRNO= and MAINPID=', () => {
    expect(interpretNotifyTags(notifyTagsOf('READY=1\nSTATUS=Listening on 8080\nERRNO=2\nMAINPID=4242'))).toEqual({
      ready: true, reloading: false, stopping: false, status: 'Listening on 8080', errno: 2, mainPid: 4242, warnings: [],
    });
    expect(interpretNotifyTags(['RELOADING=1'])).toMatchObject({ reloading: true, ready: false });
    expect(interpretNotifyTags(['STOPPING=1'])).toMatchObject({ stopping: true });
  });

  it('only the exact value 1 counts for READY=, RELOADING= and STOPPING=', () => {
    expect(interpretNotifyTags(['READY=yes', 'STOPPING=0'])).toMatchObject({ ready: false, stopping: false, warnings: [] });
  });

  it('an empty STATUS= clears the text; the first STATUS= wins', () => {
    expect(interpretNotifyTags(['STATUS='])).toMatchObject({ status: null });
    expect(interpretNotifyTags(['STATUS=a', 'STATUS=b'])).toMatchObject({ status: 'a' });
  });

  it('ERRNO= takes a number 0…4095 or an errno name', () => {
    expect(interpretNotifyTags(['ERRNO=EADDRINUSE'])).toMatchObject({ errno: 98 });
    expect(interpretNotifyTags(['ERRNO=x']).warnings).toEqual(["Failed to parse ERRNO= field value 'x' in notification message: Invalid argument"]);
    expect(interpretNotifyTags(['ERRNO=5000']).warnings).toEqual(["Failed to parse ERRNO= field value '5000' in notification message: Numerical result out of range"]);
  });

  it('malformed fields give systemd\'s warnings and leave the rest of the message in force', () => {
    const request = interpretNotifyTags(['MAINPID=abc', 'READY=1', 'EXTEND_TIMEOUT_USEC=soon', 'WATCHDOG=2', 'WATCHDOG_USEC=-1', 'STATUS=ok']);
    expect(request).toMatchObject({ ready: true, status: 'ok' });
    expect(request.mainPid).toBeUndefined();
    expect(request.warnings).toEqual([
      'Failed to parse MAINPID= field in notification message, ignoring: abc',
      'Failed to parse EXTEND_TIMEOUT_USEC=soon',
      'Passed WATCHDOG= field is invalid, ignoring.',
      'Failed to parse WATCHDOG_USEC=-1',
    ]);
    expect(interpretNotifyTags(['MAINPID=0']).warnings).toEqual(['Failed to parse MAINPID= field in notification message, ignoring: 0']);
  });

  it('a STATUS= that is not UTF-8 is refused with a warning', () => {
    const datagram = readNotifyDatagram(new Uint8Array([...bytes('STATUS='), 0xff]));
    if (!('tags' in datagram)) throw new Error('expected tags');
    const request = interpretNotifyTags(datagram.tags, datagram.notUtf8);
    expect(request.status).toBeUndefined();
    expect(request.warnings).toEqual(['Status message in notification message is not UTF-8 clean, ignoring.']);
  });

  it('EXTEND_TIMEOUT_USEC=, WATCHDOG=1, WATCHDOG=trigger and WATCHDOG_USEC=', () => {
    expect(interpretNotifyTags(['EXTEND_TIMEOUT_USEC=5000000', 'WATCHDOG=1', 'WATCHDOG_USEC=2000000'])).toMatchObject({
      extendTimeoutUsec: 5_000_000, watchdog: 'ping', watchdogUsec: 2_000_000,
    });
    expect(interpretNotifyTags(['WATCHDOG=trigger'])).toMatchObject({ watchdog: 'trigger' });
  });

  it('FDSTORE=1 with FDNAME= (checked as a file descriptor name), FDPOLL=0 and FDSTOREREMOVE=1', () => {
    expect(interpretNotifyTags(['FDSTORE=1', 'FDNAME=conn'])).toMatchObject({ fdStore: { name: 'conn', poll: true } });
    expect(interpretNotifyTags(['FDSTORE=1', 'FDPOLL=0'])).toMatchObject({ fdStore: { name: undefined, poll: false } });
    expect(interpretNotifyTags(['FDSTORE=1', 'FDNAME=a:b'])).toMatchObject({ fdStore: { name: undefined }, warnings: ['Passed FDNAME= name is invalid, ignoring.'] });
    expect(interpretNotifyTags(['FDSTOREREMOVE=1', 'FDNAME=conn'])).toMatchObject({ fdStoreRemove: 'conn' });
    expect(interpretNotifyTags(['FDSTOREREMOVE=1']).warnings).toEqual(['FDSTOREREMOVE=1 requested, but no valid file descriptor name passed, ignoring.']);
  });
});
