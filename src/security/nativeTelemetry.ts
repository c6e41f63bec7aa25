/**
 * Telemetry of the native libraries privsynth loads, switched off before any of them loads.
 *
 * The network guard (networkGuard.ts) only sees Node's JavaScript network APIs. Native code opens
 * sockets and writes files on its own, so each native dependency is checked here, once, and its
 * own switch is set in the process environment, which native code reads with getenv():
 *
 * | dependency        | what it does unless told                                             | switch                         |
 * |-------------------|----------------------------------------------------------------------|--------------------------------|
 * | onnxruntime-node  | 1DS telemetry (collector mobile.events.data.microsoft.com): writes   | ORT_DISABLE_TELEMETRY=1        |
 * |                   | ~/.cache/Microsoft/DeveloperTools/.onnxruntime/{deviceid,onnxruntime.db} |                            |
 * |                   | and uploads the event queue when online                              |                                |
 * | node-llama-cpp    | no telemetry; can download or build binaries (GitHub) and fetch      | NODE_LLAMA_CPP_SKIP_DOWNLOAD=true, |
 * |                   | models by URI (Hugging Face). privsynth calls getLlama with          | and build: 'never' in code     |
 * |                   | build 'never' and only ever passes a local file (resolveModelPath)   |                                |
 * | DuckDB            | no telemetry; downloads extensions when asked or autoloading         | configured in io/duckdb.ts     |
 * |                   | (autoinstall/autoload/community extensions off, spill files in tmp)  |                                |
 * | tfjs-node         | no telemetry (libtensorflow is fetched at *install* time only)       | none needed                    |
 *
 * How they were checked: `strings` on each shared library for URLs and telemetry switches, the JS of
 * each package for fetch/https/env use, and a whole `privsynth run` under `strace -f` with the network
 * up and a fresh HOME (test/security/egress.test.ts, run in CI).
 *
 * Importing this module applies the switches (the library entry imports it first); every loader of a
 * native library calls `disableNativeTelemetry()` again right before it loads, so a caller that
 * reaches one by a deep import is covered too. A user's own value of a switch is overridden: the
 * promise is "nothing leaves the machine", not "unless an environment variable says otherwise".
 */

export interface TelemetrySwitch {
  /** The npm package whose native code reads the variable. */
  dependency: string;
  variable: string;
  value: string;
  /** What the switch stops. */
  stops: string;
}

export const NATIVE_TELEMETRY_SWITCHES: readonly TelemetrySwitch[] = [
  {
    dependency: 'onnxruntime-node',
    variable: 'ORT_DISABLE_TELEMETRY',
    value: '1',
    stops: '1DS telemetry: a device id and an event queue under ~/.cache/Microsoft, uploaded when online',
  },
  {
    dependency: 'node-llama-cpp',
    variable: 'NODE_LLAMA_CPP_SKIP_DOWNLOAD',
    value: 'true',
    stops: 'binary downloads and source builds at run time',
  },
];

/** Set every switch in this process's environment (idempotent; cheap). */
export function disableNativeTelemetry(): void {
  for (const s of NATIVE_TELEMETRY_SWITCHES) {
    if (process.env[s.variable] !== s.value) process.env[s.variable] = s.value;
  }
}

export interface TelemetryState extends TelemetrySwitch {
  /** The variable holds the value that switches the telemetry off. */
  off: boolean;
}

/** Each switch and whether it is in force now (for `privsynth doctor`). */
export function nativeTelemetryState(): TelemetryState[] {
  return NATIVE_TELEMETRY_SWITCHES.map((s) => ({ ...s, off: process.env[s.variable] === s.value }));
}

disableNativeTelemetry();
