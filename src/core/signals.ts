// The one vocabulary of signal names: every name a board maps, the core reads or drives, a driver
// produces and the plant simulates is one of these types, so a misspelt name does not compile.
import type { FeedId } from './types.js';

/** What a feed reports: a meter's voltage and frequency, or a "source available" contact. */
export type FeedMeasure = 'voltage' | 'frequency' | 'available';
/** What the UPS reports (flags and its charge and runtime). */
export type UpsField = 'onBattery' | 'lowBattery' | 'fault' | 'chargePct' | 'runtimeS';

/**
 * What the uplink driver measures of an uplink: interface byte counters and, with a modem, its radio
 * (access technology and operator as numbers: see ACCESS_TECHS in core/uplink/radio.ts, MCC+MNC).
 */
export type UplinkMeasure = 'rxBytes' | 'txBytes' | 'signalQualityPct' | 'rsrpDbm' | 'rsrqDb' | 'sinrDb' | 'rssiDbm' | 'accessTech' | 'operatorCode';
/** What a genset controller (DSE GenComm) reports over Modbus; optional, read only where mapped. */
export type GensetField = 'controlMode' | 'engineHours' | 'starts' | 'fuelPct' | 'engineState' | 'namedAlarms1' | 'namedAlarms2';

/** Names the controller reads. PSU and uplink ids come from the config, so they are any string. */
export type InputSignal =
  | `breaker.${FeedId}.closedFb`
  | `feed.${FeedId}.${FeedMeasure}`
  | `ups.${UpsField}`
  | 'load.live'
  | `psu.${string}.ok`
  | `uplink.${string}.carrier`
  | `uplink.${string}.${UplinkMeasure}`
  | 'uplink.routeFault'
  | 'storage.fault'
  | 'sparkplug.fault'
  | `generator.${GensetField}`;

/** Names the controller drives (the output image holds one value for each it uses). */
export type OutputSignal =
  | `breaker.${FeedId}.closeCmd`
  | 'generator.start'
  | 'alarm.common'
  | `uplink.${string}.selected`
  | `uplink.${string}.powerCycle`
  | `uplink.${string}.modemReconnect`
  | `uplink.${string}.modemReset`;

/** Logical signal names; boards map them to pins/registers. */
export type SignalName = InputSignal | OutputSignal;

// Build names with these, never by spelling a template by hand.
export const closedFbSignal = (f: FeedId) => `breaker.${f}.closedFb` as const;
export const closeCmdSignal = (f: FeedId) => `breaker.${f}.closeCmd` as const;
export const feedSignal = <M extends FeedMeasure>(f: FeedId, m: M) => `feed.${f}.${m}` as const;
export const upsSignal = <K extends UpsField>(k: K) => `ups.${k}` as const;
export const psuOkSignal = (id: string) => `psu.${id}.ok` as const;
export const carrierSignal = (id: string) => `uplink.${id}.carrier` as const;
export const uplinkMeasureSignal = <M extends UplinkMeasure>(id: string, m: M) => `uplink.${id}.${m}` as const;
export const selectedSignal = (id: string) => `uplink.${id}.selected` as const;
export const powerCycleSignal = (id: string) => `uplink.${id}.powerCycle` as const;
/** Requests to the uplink driver (ModemManager), on for a second per recovery step: it acts on the rising edge. */
export const modemReconnectSignal = (id: string) => `uplink.${id}.modemReconnect` as const;
export const modemResetSignal = (id: string) => `uplink.${id}.modemReset` as const;

export const LOAD_LIVE = 'load.live' satisfies InputSignal;
export const GENERATOR_START = 'generator.start' satisfies OutputSignal;
export const ALARM_COMMON = 'alarm.common' satisfies OutputSignal;
/** Set by the runtime while the journal (or other state under runtime.stateDir) cannot be written. */
export const STORAGE_FAULT_SIGNAL = 'storage.fault' satisfies InputSignal;
/** Set by the runtime while the Sparkplug edge node is refused, misconfigured or cannot reach its broker for long. */
export const SPARKPLUG_FAULT_SIGNAL = 'sparkplug.fault' satisfies InputSignal;
/** The genset controller's control mode, as GenComm numbers it (src/core/genset.ts). */
export const GEN_CONTROL_MODE = 'generator.controlMode' satisfies InputSignal;
export const gensetSignal = <K extends GensetField>(k: K) => `generator.${k}` as const;
/** The genset controller's counters and fuel gauge: reported (status, metrics, SCADA), never acted on. */
export const GENSET_METERS = ['engineHours', 'starts', 'fuelPct'] as const satisfies readonly GensetField[];
/** What the genset controller says of its engine: its state and the named alarms 1–8 (src/core/genset-engine.ts), acted on. */
export const GENSET_ENGINE = ['engineState', 'namedAlarms1', 'namedAlarms2'] as const satisfies readonly GensetField[];
/** Set by the uplink driver while switching the route failed (it retries). */
export const ROUTE_FAULT_SIGNAL = 'uplink.routeFault' satisfies InputSignal;

export const UPS_FIELDS: readonly UpsField[] = ['onBattery', 'lowBattery', 'fault', 'chargePct', 'runtimeS'];
