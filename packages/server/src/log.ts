/**
 * Structured logs on pino: one JSON object per line (`time` ISO, `level` by name, `msg`, then the
 * fields), debug and info on stdout, warn and error on stderr, so operators can grep and ship
 * them. `LOG_LEVEL=silent` (tests) or `debug` changes how much is written. Callers keep the small
 * interface below (`log.error('…', { error })`); any Error among the fields goes through pino's
 * err serializer, so its type, message, stack (with causes) and own fields reach the line.
 */
import { pino, type DestinationStream, type Logger as PinoLogger } from 'pino';

type Level = 'debug' | 'info' | 'warn' | 'error';
const LEVELS = new Set(['debug', 'info', 'warn', 'error', 'silent']);

export interface Logger {
  debug(msg: string, fields?: Record<string, unknown>): void;
  info(msg: string, fields?: Record<string, unknown>): void;
  warn(msg: string, fields?: Record<string, unknown>): void;
  error(msg: string, fields?: Record<string, unknown>): void;
}

/**
 * @param level one of debug, info, warn, error, silent; anything else is taken as info.
 * @param destination where the lines go (tests); by default stdout and stderr as above.
 */
export function createLogger(level: string = process.env.LOG_LEVEL ?? 'info', destination?: DestinationStream): Logger {
  const logger = pino(
    {
      level: LEVELS.has(level) ? level : 'info',
      base: undefined, // no pid/hostname: the fields a line had before pino
      timestamp: pino.stdTimeFunctions.isoTime,
      formatters: { level: (label) => ({ level: label }) }
    },
    destination ?? standardStreams()
  );
  const at = (lvl: Level) => (msg: string, fields?: Record<string, unknown>) => write(logger, lvl, msg, fields);
  return { debug: at('debug'), info: at('info'), warn: at('warn'), error: at('error') };
}

function write(logger: PinoLogger, lvl: Level, msg: string, fields?: Record<string, unknown>): void {
  if (!logger.isLevelEnabled(lvl)) return;
  if (!fields) return logger[lvl](msg);
  // pino serialises errors under its `err` key only; callers name them `error` (or otherwise).
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(fields)) out[k] = v instanceof Error ? serialiseError(v) : v;
  logger[lvl](out, msg);
}

/**
 * pino's err serializer (type, message and stack with their causes, and the error's own fields),
 * keeping only the fields that are plain values (`code`, `detail`…): an error can carry objects
 * such as the Redis command with a document's bytes as its arguments, which a log must not hold.
 */
function serialiseError(error: Error): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(pino.stdSerializers.err(error))) if (v === null || typeof v !== 'object') out[k] = v;
  return out;
}

let streams: DestinationStream | undefined;

/** Shared by every logger of the process; synchronous, so a line written just before exit is kept. */
function standardStreams(): DestinationStream {
  streams ??= pino.multistream(
    [
      { level: 'debug', stream: pino.destination({ fd: 1, sync: true }) },
      { level: 'warn', stream: pino.destination({ fd: 2, sync: true }) }
    ],
    { dedupe: true } // each line to the one stream of the highest level it reaches
  );
  return streams;
}
