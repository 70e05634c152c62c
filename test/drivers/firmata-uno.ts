// A StandardFirmata Uno on a serialport 13 mock port: it answers the handshake (version, firmware,
// capabilities, analog mapping), reports its input pins and records what the host drives.
import { SerialPortMock } from 'serialport';

const UNO_PINS = 20; // D0–D13, then A0–A5 as 14–19
const [START_SYSEX, END_SYSEX, REPORT_VERSION] = [0xf0, 0xf7, 0xf9];

export function fakeUno(path: string) {
  SerialPortMock.binding.createPort(path, { echo: false, record: false });
  const port = new SerialPortMock({ path, baudRate: 57600 });
  const levels = new Array<number>(UNO_PINS).fill(1); // inputs with pull-ups read high
  const driven = new Map<number, number>();
  const send = (bytes: number[]) => port.port?.emitData(Buffer.from(bytes));
  const reportPort = (p: number) => {
    let mask = 0;
    for (let i = 0; i < 8; i++) if (levels[p * 8 + i]) mask |= 1 << i;
    send([0x90 | p, mask & 0x7f, mask >> 7]);
  };
  const firmware = () => send([START_SYSEX, 0x79, 2, 5, ...[...'Uno'].flatMap((c) => [c.charCodeAt(0) & 0x7f, 0]), END_SYSEX]);
  const sysex = (cmd: number) => {
    if (cmd === 0x79) firmware();
    if (cmd === 0x6b) {
      const pins = Array.from({ length: UNO_PINS }, (_, i) => [0, 1, 1, 1, 11, 1, ...(i >= 14 ? [2, 10] : []), 0x7f]);
      send([START_SYSEX, 0x6c, ...pins.flat(), END_SYSEX]);
    }
    if (cmd === 0x69) send([START_SYSEX, 0x6a, ...Array.from({ length: UNO_PINS }, (_, i) => (i >= 14 ? i - 14 : 0x7f)), END_SYSEX]);
  };
  const fromHost = (data: Buffer) => {
    for (let i = 0; i < data.length; i++) {
      const b = data[i] as number;
      if (b === START_SYSEX) sysex(data[i + 1] as number);
      else if ((b & 0xf0) === 0xd0 && data[i + 1] === 1) reportPort(b & 0x0f);
      else if ((b & 0xf0) === 0x90) {
        const mask = (data[i + 1] as number) | ((data[i + 2] as number) << 7);
        for (let bit = 0; bit < 8; bit++) driven.set((b & 0x0f) * 8 + bit, (mask >> bit) & 1);
        i += 2;
      } else if (b === 0xf5) driven.set(data[i + 1] as number, data[i + 2] as number);
    }
  };
  const write = port.write.bind(port);
  port.write = ((chunk: Buffer, ...rest: never[]) => {
    setImmediate(() => fromHost(Buffer.from(chunk)));
    return write(chunk, ...rest);
  }) as typeof port.write;
  // StandardFirmata announces its version and firmware name by itself after reset.
  port.on('open', () => {
    send([REPORT_VERSION, 2, 5]);
    firmware();
  });
  return {
    port,
    driven,
    /** The contact on `pin` changes: the Uno reports its port, as StandardFirmata does on change. */
    setInput(pin: number, level: 0 | 1) {
      levels[pin] = level;
      reportPort(pin >> 3);
    },
  };
}
