/** One JSON object per line on stdout/stderr; fields carry the CloudEvent id and traceparent when known. */
export type LogLevel = "debug" | "info" | "warn" | "error";
export type LogFields = Record<string, unknown>;

export interface Logger {
  debug(message: string, fields?: LogFields): void;
  info(message: string, fields?: LogFields): void;
  warn(message: string, fields?: LogFields): void;
  error(message: string, fields?: LogFields): void;
  /** A logger that adds `fields` to every record (e.g. { eventId, traceparent }). */
  child(fields: LogFields): Logger;
}

const rank: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40 };

export interface LoggerOptions {
  service: string;
  level?: LogLevel;
  /** Where lines go; defaults to stdout (stderr for warn and error). */
  write?: (line: string, level: LogLevel) => void;
  now?: () => Date;
}

const defaultWrite = (line: string, level: LogLevel) => {
  if (rank[level] >= rank.warn) process.stderr.write(line + "\n");
  else process.stdout.write(line + "\n");
};

export function createLogger(options: LoggerOptions, bound: LogFields = {}): Logger {
  const min = rank[options.level ?? "info"];
  const write = options.write ?? defaultWrite;
  const now = options.now ?? (() => new Date());
  const log = (level: LogLevel, message: string, fields?: LogFields) => {
    if (rank[level] < min) return;
    const record = { time: now().toISOString(), level, service: options.service, msg: message, ...bound, ...fields };
    write(JSON.stringify(record, errorReplacer), level);
  };
  return {
    debug: (m, f) => log("debug", m, f),
    info: (m, f) => log("info", m, f),
    warn: (m, f) => log("warn", m, f),
    error: (m, f) => log("error", m, f),
    child: (fields) => createLogger(options, { ...bound, ...fields }),
  };
}

/** Errors serialise as { name, message, stack } instead of {}. */
function errorReplacer(_key: string, value: unknown) {
  if (value instanceof Error) return { name: value.name, message: value.message, stack: value.stack };
  return value;
}

/** A logger that keeps records in memory: for tests that assert on what was logged. */
export function createMemoryLogger(service = "test"): Logger & { records: LogFields[] } {
  const records: LogFields[] = [];
  const logger = createLogger({ service, level: "debug", write: (line) => records.push(JSON.parse(line)) });
  return Object.assign(logger, { records });
}
