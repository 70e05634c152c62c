// Prometheus metrics, read from the last published snapshot at scrape time (never from the scan).
import { Counter, Gauge, Histogram, Registry } from 'prom-client';
import { ALARM_CODES } from '../core/types.js';
import type { Published } from '../io/controller-port.js';
import type { JournalHealth } from './journal/writer.js';

export interface Metrics {
  readonly registry: Registry;
  observeScan(scanMs: number): void;
}

export function createMetrics(
  latest: () => Published,
  uplinkIds: readonly string[],
  driverStats?: () => Readonly<Record<string, number>>,
  journal?: () => JournalHealth,
): Metrics {
  const registry = new Registry();
  const g = (name: string, help: string, labelNames: string[], collect: (gauge: Gauge) => void) =>
    new Gauge({
      name,
      help,
      labelNames,
      registers: [registry],
      collect() {
        collect(this);
      },
    });
  g('twinfeed_source_available', 'Feed available (1) or not (0)', ['feed'], (m) => {
    const s = latest().status;
    for (const f of ['A', 'B'] as const) m.set({ feed: f }, s.feeds[f].available ? 1 : 0);
  });
  g('twinfeed_source_voltage_volts', 'Measured feed voltage', ['feed'], (m) => {
    const s = latest().status;
    for (const f of ['A', 'B'] as const) m.set({ feed: f }, s.feeds[f].voltageV ?? NaN);
  });
  g('twinfeed_load_source', 'Feed on the load: 0 none, 1 A, 2 B', [], (m) => m.set(['none', 'A', 'B'].indexOf(latest().status.source)));
  g('twinfeed_lockout', 'Transfer switch locked out', [], (m) => m.set(latest().status.lockout ? 1 : 0));
  g('twinfeed_transfers_total', 'Completed transfers (remembered across restarts with runtime.stateDir)', [], (m) => m.set(latest().status.transferCount));
  g('twinfeed_relay_operations_total', 'Changes of each output (relay wear; remembered across restarts with runtime.stateDir)', ['output'], (m) => {
    for (const [output, n] of Object.entries(latest().status.relayOperations)) m.set({ output }, n);
  });
  g('twinfeed_alarm_active', 'Alarm active (1) or not (0)', ['code'], (m) => {
    const active = new Set(latest().status.alarms);
    for (const c of ALARM_CODES) m.set({ code: c }, active.has(c) ? 1 : 0);
  });
  g('twinfeed_ups_charge_percent', 'UPS battery charge', [], (m) => m.set(latest().status.ups.chargePct ?? NaN));
  g('twinfeed_ups_on_battery', 'UPS on battery', [], (m) => m.set(latest().status.ups.onBattery ? 1 : 0));
  // The genset controller's readings (NaN where the board does not map them).
  g('twinfeed_generator_control_mode', 'Genset controller mode, GenComm code (1 auto)', [], (m) => m.set(latest().status.genset?.controlMode ?? NaN));
  g('twinfeed_generator_engine_hours', 'Genset engine hours reported by its controller', [], (m) => m.set(latest().status.genset?.engineHours ?? NaN));
  g('twinfeed_generator_starts', 'Genset engine starts counted by its controller', [], (m) => m.set(latest().status.genset?.starts ?? NaN));
  g('twinfeed_generator_fuel_percent', 'Genset fuel level reported by its controller', [], (m) => m.set(latest().status.genset?.fuelPct ?? NaN));
  g('twinfeed_psu_ok', 'DC supplies OK', [], (m) => m.set(latest().status.psu.ok));
  g('twinfeed_uplink_up', 'Uplink up (1) or down (0)', ['id'], (m) => {
    const u = latest().status.uplink;
    for (const id of uplinkIds) {
      const e = u[id];
      m.set({ id }, typeof e === 'object' && e !== null && e.up ? 1 : 0);
    }
  });
  // Info-style: the operator's name is text, so it is a label (MCC+MNC is the SCADA register's number).
  g(
    'twinfeed_uplink_operator_info',
    'Mobile operator of an uplink modem, as the modem names it and by MCC+MNC (value always 1)',
    ['id', 'operator', 'code'],
    (m) => {
      m.reset();
      const u = latest().status.uplink;
      for (const id of uplinkIds) {
        const e = u[id];
        const r = typeof e === 'object' && e !== null ? e.radio : null;
        if (r && (r.operatorName !== null || r.operatorCode !== null)) m.set({ id, operator: r.operatorName ?? '', code: r.operatorCode ?? '' }, 1);
      }
    },
  );
  g('twinfeed_uptime_seconds', 'Seconds since the controller started', [], (m) => m.set(latest().uptimeS));
  if (driverStats) {
    g('twinfeed_driver_counter', 'Driver counters since start (transactions, timeouts, CRC errors …)', ['counter'], (m) => {
      for (const [k, v] of Object.entries(driverStats())) m.set({ counter: k }, v);
    });
  }
  if (journal) {
    g('twinfeed_storage_fault', 'The journal cannot be written (STORAGE_FAULT)', [], (m) => m.set(journal().fault ? 1 : 0));
    g('twinfeed_journal_records_written_total', 'Journal records written since start', [], (m) => m.set(journal().written));
    g('twinfeed_journal_records_dropped_total', 'Journal records dropped since start (queue full while storage was faulty)', [], (m) =>
      m.set(journal().dropped),
    );
    g('twinfeed_journal_queued_records', 'Journal records waiting for the disk', [], (m) => m.set(journal().queued));
    g('twinfeed_journal_bytes_written_total', 'Journal bytes written since start', [], (m) => m.set(journal().bytes));
    g('twinfeed_journal_fsyncs_total', 'fsync calls by the journal since start (files and directory)', [], (m) => m.set(journal().fsyncs));
  }
  const scans = new Counter({ name: 'twinfeed_scans_total', help: 'Scans run', registers: [registry] });
  const scanTime = new Histogram({
    name: 'twinfeed_scan_duration_seconds',
    help: 'Time for one scan (read, step, write, publish)',
    buckets: [0.0001, 0.0005, 0.001, 0.002, 0.005, 0.01, 0.05],
    registers: [registry],
  });
  return {
    registry,
    observeScan(ms) {
      scans.inc();
      scanTime.observe(ms / 1000);
    },
  };
}
