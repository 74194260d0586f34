/**
 * Probing one service: a GET with one timeout over connecting, headers and
 * body, and an honest classification of what came back (or did not).
 *
 * The classification is two pure functions, `classifyResponse` and
 * `classifyFailure`, so every case is tested without a network.
 */

export type HealthStatus = 'ok' | 'degraded' | 'down' | 'not_running' | 'error';

export interface Target {
  name: string;
  url: string;
  timeoutMs: number;
  expectStatus?: number;
  optional: boolean;
}

export interface ProbeResult {
  name: string;
  url: string;
  status: HealthStatus;
  httpStatus: number | null;
  latencyMs: number;
  detail: string;
}

/** The kubelet reads 10 KB; a health body worth reading is far smaller than this. */
export const BODY_LIMIT = 64 * 1024;

export async function probe(target: Target, fetchImpl: typeof fetch, interrupt?: AbortSignal): Promise<ProbeResult> {
  // One signal for the whole exchange: it also aborts a body that drips forever.
  const timeout = AbortSignal.timeout(target.timeoutMs);
  const signal = interrupt ? AbortSignal.any([timeout, interrupt]) : timeout;
  const started = performance.now();
  const elapsed = () => Math.round(performance.now() - started);
  try {
    const response = await fetchImpl(target.url, {
      method: 'GET', // not HEAD: dev servers answer HEAD with 404
      redirect: 'manual', // a /health that redirects to /login is not healthy
      signal,
      headers: { accept: 'application/health+json, application/json;q=0.9, */*;q=0.5' },
    });
    const body = await readCapped(response, BODY_LIMIT);
    const verdict = classifyResponse(response.status, response.headers.get('location'), body, target.expectStatus);
    return result(target, verdict, response.status, elapsed());
  } catch (error) {
    const verdict = classifyFailure(error, { url: target.url, timeoutMs: target.timeoutMs, timedOut: timeout.aborted, interrupted: interrupt?.aborted ?? false });
    return result(target, verdict, null, elapsed());
  }
}

type Verdict = { status: HealthStatus; detail: string };

/** The fields in the order `--json` promises. */
function result(target: Target, verdict: Verdict, httpStatus: number | null, latencyMs: number): ProbeResult {
  return { name: target.name, url: target.url, status: verdict.status, httpStatus, latencyMs, detail: verdict.detail };
}

/** Reads at most `limit` bytes of the body as text, then cancels the rest. */
export async function readCapped(response: Response, limit: number): Promise<{ text: string; truncated: boolean }> {
  if (!response.body) return { text: '', truncated: false };
  const reader = response.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  while (size < limit) {
    const { done, value } = await reader.read();
    if (done) return { text: Buffer.concat(chunks).toString('utf8'), truncated: false };
    chunks.push(value);
    size += value.byteLength;
  }
  await reader.cancel();
  return { text: Buffer.concat(chunks).subarray(0, limit).toString('utf8'), truncated: true };
}

const BODY_STATUS: Record<string, 'ok' | 'degraded' | 'down'> = {
  up: 'ok', pass: 'ok', ok: 'ok',
  warn: 'degraded', degraded: 'degraded',
  down: 'down', fail: 'down', error: 'down', out_of_service: 'down',
};

/**
 * HTTP status first (as Kubernetes does), then a JSON body's `status`
 * (Spring Boot Actuator, the IETF health-check draft).
 */
export function classifyResponse(httpStatus: number, location: string | null, body: { text: string; truncated: boolean }, expectStatus?: number): Verdict {
  const bodyStatus = readBodyStatus(body.text);
  const said = bodyStatus ? `, status ${bodyStatus.raw}` : '';
  if (expectStatus !== undefined && httpStatus !== expectStatus) {
    return { status: 'down', detail: `HTTP ${httpStatus}, expected ${expectStatus}${said}` };
  }
  if (expectStatus === undefined && httpStatus >= 300 && httpStatus < 400) {
    return { status: 'degraded', detail: `HTTP ${httpStatus}, redirects to ${location ?? '(no Location header)'}` };
  }
  if (expectStatus === undefined && (httpStatus < 200 || httpStatus >= 400)) {
    return { status: 'down', detail: `HTTP ${httpStatus}${said}` };
  }
  const health = bodyStatus?.health ?? 'ok';
  const note = body.truncated ? `, body over ${BODY_LIMIT / 1024} KB not read` : '';
  return { status: health, detail: `HTTP ${httpStatus}${said}${note}` };
}

/** A JSON object body's `status`, mapped case-insensitively; undefined for any other body. */
function readBodyStatus(text: string): { raw: string; health: 'ok' | 'degraded' | 'down' | undefined } | undefined {
  if (!text.trimStart().startsWith('{')) return undefined;
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return undefined;
  }
  const status = (parsed as { status?: unknown }).status;
  if (typeof status !== 'string') return undefined;
  return { raw: status, health: BODY_STATUS[status.toLowerCase()] };
}

const DNS_CODES = new Set(['ENOTFOUND', 'EAI_AGAIN', 'EAI_NONAME', 'EAI_FAIL', 'EAI_NODATA']);
const TLS_CODES = new Set(['CERT_HAS_EXPIRED', 'CERT_NOT_YET_VALID', 'DEPTH_ZERO_SELF_SIGNED_CERT', 'SELF_SIGNED_CERT_IN_CHAIN', 'UNABLE_TO_VERIFY_LEAF_SIGNATURE', 'UNABLE_TO_GET_ISSUER_CERT_LOCALLY']);

interface Attempt {
  code?: string;
  address?: string;
  port?: number;
}

interface FailureContext {
  url: string;
  timeoutMs: number;
  /** The probe's own timeout fired. */
  timedOut: boolean;
  /** The user interrupted the run. */
  interrupted: boolean;
}

/**
 * node's fetch throws `TypeError: fetch failed` with the real reason in
 * `cause.code`, or in `cause.errors[]` when several addresses were tried.
 */
export function classifyFailure(error: unknown, context: FailureContext): Verdict {
  if (context.timedOut) return { status: 'down', detail: `no response within ${context.timeoutMs} ms` };
  if (context.interrupted) return { status: 'error', detail: 'interrupted' };
  const cause = (error as { cause?: Attempt & { message?: string; errors?: Attempt[] } })?.cause;
  const attempts = cause?.errors?.length ? cause.errors : cause ? [cause] : [];
  const codes = attempts.map((a) => a.code);
  const code = codes.find((c) => c !== undefined) ?? cause?.code;
  const host = new URL(context.url).hostname;

  if (codes.length > 0 && codes.every((c) => c === 'ECONNREFUSED')) {
    const addresses = attempts.map((a) => a.address).filter((a): a is string => a !== undefined);
    const endpoints = attempts.filter((a) => a.address !== undefined).map((a) => (a.address!.includes(':') ? `[${a.address}]` : a.address) + (a.port ? `:${a.port}` : ''));
    const where = endpoints.length ? ` at ${[...new Set(endpoints)].join(', ')}` : '';
    const ipv6Only = host === 'localhost' && addresses.includes('::1') && !addresses.includes('127.0.0.1');
    const hint = ipv6Only ? '; localhost resolved to ::1: if the service listens on IPv4 only, use 127.0.0.1 in the URL' : '';
    return { status: 'not_running', detail: `connection refused${where}${hint}` };
  }
  if (code && DNS_CODES.has(code)) return { status: 'error', detail: `DNS lookup failed for ${host} (${code})` };
  if (code && (TLS_CODES.has(code) || code.startsWith('ERR_SSL') || code.startsWith('ERR_TLS'))) return { status: 'error', detail: `TLS failed (${code})` };
  if (code?.startsWith('HPE_')) return { status: 'error', detail: `the answer is not HTTP (${code})` };
  if (code === 'UND_ERR_CONNECT_TIMEOUT') return { status: 'down', detail: `no connection (${code})` };
  if (cause?.message === 'bad port') {
    return { status: 'error', detail: `fetch refuses port ${new URL(context.url).port} (a "bad port" in the fetch standard); serve the health check on another port` };
  }
  const message = cause?.message ?? (error instanceof Error ? error.message : String(error));
  return { status: 'error', detail: code ? `${message} (${code})` : message };
}
