import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { main } from '../tools/health/cli.ts';
import { classifyFailure, classifyResponse, probe, type HealthStatus } from '../tools/health/probe.ts';
import { runScript, tempProject, testContext } from './helpers.ts';
import { closedPortUrl, drip, httpServer, huge, json, redirect, tcpServer, text, type Running } from './health-servers.ts';

const TIMEOUT_MS = 300;
/** How late a timeout may fire on a busy machine and still count as on time. */
const MARGIN_MS = 500;

describe('health: probing real servers', () => {
  const servers: Record<string, Running> = {};
  const hugeSent = { bytes: 0 };
  let closedPort: string;

  before(async () => {
    servers.healthyJson = await httpServer(json(200, { status: 'UP', components: { db: { status: 'UP' } } }));
    servers.plain200 = await httpServer(text(200, 'OK'));
    servers.error500 = await httpServer(text(500, 'Internal Server Error'));
    servers.down503 = await httpServer(json(503, { status: 'DOWN' }));
    servers.fail200 = await httpServer(json(200, { status: 'fail' }));
    servers.warn200 = await httpServer(json(200, { status: 'warn' }));
    servers.redirect = await httpServer(redirect('/login'));
    servers.silent = await tcpServer(() => {}); // accepts, never answers
    servers.drip = await httpServer(drip);
    servers.huge = await httpServer(huge(100 * 1024 * 1024, hugeSent));
    servers.garbage = await tcpServer((socket) => socket.end('SSH-2.0-OpenSSH_9.2\r\nnot http at all\r\n'));
    closedPort = await closedPortUrl();
  });
  after(async () => {
    await Promise.all(Object.values(servers).map((s) => s.close()));
  });

  const cases: [string, () => string, HealthStatus, RegExp][] = [
    ['healthy JSON', () => servers.healthyJson!.url, 'ok', /^HTTP 200, status UP$/],
    ['a plain 200', () => servers.plain200!.url, 'ok', /^HTTP 200$/],
    ['500', () => servers.error500!.url, 'down', /^HTTP 500$/],
    ['503 with {"status":"DOWN"}', () => servers.down503!.url, 'down', /^HTTP 503, status DOWN$/],
    ['200 with {"status":"fail"}', () => servers.fail200!.url, 'down', /^HTTP 200, status fail$/],
    ['200 with {"status":"warn"}', () => servers.warn200!.url, 'degraded', /^HTTP 200, status warn$/],
    ['a redirect to /login', () => servers.redirect!.url, 'degraded', /^HTTP 302, redirects to \/login$/],
    ['a server that accepts and never answers', () => servers.silent!.url, 'down', new RegExp(`^no response within ${TIMEOUT_MS} ms$`)],
    ['headers, then a body that drips forever', () => servers.drip!.url, 'down', new RegExp(`^no response within ${TIMEOUT_MS} ms$`)],
    ['a 100 MB body', () => servers.huge!.url, 'ok', /^HTTP 200, body over 64 KB not read$/],
    ['a closed port', () => closedPort, 'not_running', /^connection refused at 127\.0\.0\.1:\d+$/],
    ['a listener that writes garbage', () => servers.garbage!.url, 'error', /^the answer is not HTTP \(HPE_[A-Z_]+\)$/],
  ];

  for (const [name, url, status, detail] of cases) {
    it(`${name}: ${status}`, async () => {
      const started = performance.now();
      const result = await probe({ name, url: url(), timeoutMs: TIMEOUT_MS, optional: false }, fetch);
      const elapsed = performance.now() - started;
      assert.equal(result.status, status, result.detail);
      assert.match(result.detail, detail);
      assert.ok(elapsed < TIMEOUT_MS + MARGIN_MS, `took ${Math.round(elapsed)} ms`);
      if (detail.source.includes('no response')) assert.ok(elapsed >= TIMEOUT_MS - 20, `timed out early, at ${Math.round(elapsed)} ms`);
    });
  }

  it('reads no more of a 100 MB body than it must', () => {
    // The client read 64 KB and hung up; the socket buffers let the server push only a few MB more.
    assert.ok(hugeSent.bytes < 32 * 1024 * 1024, `server sent ${hugeSent.bytes} bytes`);
  });

  it('probes every service at once', async () => {
    let inFlight = 0;
    let most = 0;
    const slow = await httpServer((_req, res) => {
      inFlight += 1;
      most = Math.max(most, inFlight);
      setTimeout(() => {
        inFlight -= 1;
        res.end('ok');
      }, 100);
    });
    const services = ['a', 'b', 'c', 'd'].map((name) => `    - { name: ${name}, url: "${slow.url}" }`).join('\n');
    const ctx = testContext(tempProject(`health:\n  services:\n${services}\n`), { fetch });
    assert.equal(await main([], ctx), 0);
    await slow.close();
    assert.equal(most, 4, 'all four requests were open together');
  });
});

describe('health: classifying answers', () => {
  const body = (text: string, truncated = false) => ({ text, truncated });
  const cases: [string, Parameters<typeof classifyResponse>, HealthStatus, string][] = [
    ['204, no body', [204, null, body('')], 'ok', 'HTTP 204'],
    ['UP in lower case', [200, null, body('{"status":"up"}')], 'ok', 'HTTP 200, status up'],
    ['pass (IETF draft)', [200, null, body('{"status":"pass","checks":{}}')], 'ok', 'HTTP 200, status pass'],
    ['OUT_OF_SERVICE', [200, null, body('{"status":"OUT_OF_SERVICE"}')], 'down', 'HTTP 200, status OUT_OF_SERVICE'],
    ['error', [200, null, body('{"status":"error"}')], 'down', 'HTTP 200, status error'],
    ['degraded', [200, null, body('{"status":"Degraded"}')], 'degraded', 'HTTP 200, status Degraded'],
    ['an unknown status word', [200, null, body('{"status":"UNKNOWN"}')], 'ok', 'HTTP 200, status UNKNOWN'],
    ['a non-JSON body', [200, null, body('<html>fine</html>')], 'ok', 'HTTP 200'],
    ['broken JSON', [200, null, body('{"status":')], 'ok', 'HTTP 200'],
    ['a JSON status that is not text', [200, null, body('{"status":1}')], 'ok', 'HTTP 200'],
    ['404', [404, null, body('Not Found')], 'down', 'HTTP 404'],
    ['301 without Location', [301, null, body('')], 'degraded', 'HTTP 301, redirects to (no Location header)'],
    ['expected status met', [204, null, body('')], 'ok', 'HTTP 204'],
    ['expected 204, got 200', [200, null, body(''), 204], 'down', 'HTTP 200, expected 204'],
    ['an expected redirect', [302, '/login', body(''), 302], 'ok', 'HTTP 302'],
  ];
  for (const [name, args, status, detail] of cases) {
    it(name, () => assert.deepEqual(classifyResponse(...args), { status, detail }));
  }
});

describe('health: classifying failures', () => {
  const fetchFailed = (cause: object) => Object.assign(new TypeError('fetch failed'), { cause });
  const at = (url: string, extra: Partial<Parameters<typeof classifyFailure>[1]> = {}) => ({ url, timeoutMs: 2000, timedOut: false, interrupted: false, ...extra });
  const cases: [string, unknown, Parameters<typeof classifyFailure>[1], HealthStatus, string][] = [
    ['a timeout', new DOMException('The operation was aborted due to timeout', 'TimeoutError'), at('http://localhost:1/', { timedOut: true }), 'down', 'no response within 2000 ms'],
    ['refused on IPv4', fetchFailed({ code: 'ECONNREFUSED', address: '127.0.0.1', port: 3000 }), at('http://127.0.0.1:3000/'), 'not_running', 'connection refused at 127.0.0.1:3000'],
    [
      'localhost refused on ::1 only',
      fetchFailed({ code: 'ECONNREFUSED', address: '::1', port: 4000 }),
      at('http://localhost:4000/health'),
      'not_running',
      'connection refused at [::1]:4000; localhost resolved to ::1: if the service listens on IPv4 only, use 127.0.0.1 in the URL',
    ],
    [
      'localhost refused on both families',
      fetchFailed({ errors: [{ code: 'ECONNREFUSED', address: '::1', port: 4000 }, { code: 'ECONNREFUSED', address: '127.0.0.1', port: 4000 }] }),
      at('http://localhost:4000/health'),
      'not_running',
      'connection refused at [::1]:4000, 127.0.0.1:4000',
    ],
    ['DNS', fetchFailed({ code: 'ENOTFOUND', message: 'getaddrinfo ENOTFOUND api.invalid' }), at('http://api.invalid/'), 'error', 'DNS lookup failed for api.invalid (ENOTFOUND)'],
    ['DNS, temporary', fetchFailed({ code: 'EAI_AGAIN' }), at('http://api.internal/'), 'error', 'DNS lookup failed for api.internal (EAI_AGAIN)'],
    ['TLS, self-signed', fetchFailed({ code: 'DEPTH_ZERO_SELF_SIGNED_CERT' }), at('https://localhost/'), 'error', 'TLS failed (DEPTH_ZERO_SELF_SIGNED_CERT)'],
    ['TLS, plain HTTP on an https URL', fetchFailed({ code: 'ERR_SSL_WRONG_VERSION_NUMBER' }), at('https://localhost/'), 'error', 'TLS failed (ERR_SSL_WRONG_VERSION_NUMBER)'],
    ['a reset connection', fetchFailed({ code: 'ECONNRESET', message: 'read ECONNRESET' }), at('http://localhost/'), 'error', 'read ECONNRESET (ECONNRESET)'],
    ['a port fetch refuses', fetchFailed({ message: 'bad port' }), at('http://localhost:6000/'), 'error', 'fetch refuses port 6000 (a "bad port" in the fetch standard); serve the health check on another port'],
    ['interrupted', new DOMException('aborted', 'AbortError'), at('http://localhost/', { interrupted: true }), 'error', 'interrupted'],
  ];
  for (const [name, error, context, status, detail] of cases) {
    it(name, () => assert.deepEqual(classifyFailure(error, context), { status, detail }));
  }
});

describe('health: the real entry script', () => {
  let healthy: Running;
  let down: Running;
  before(async () => {
    healthy = await httpServer(json(200, { status: 'UP' }));
    down = await httpServer(json(503, { status: 'DOWN' }));
  });
  after(async () => {
    await healthy.close();
    await down.close();
  });
  const project = (...services: string[]) => tempProject(`health:\n  services:\n${services.map((s) => `    - ${s}\n`).join('')}`);

  it('exit 0 when every service is healthy, in the handoff format', async () => {
    const result = await runScript('tools/health/check.ts', [], { cwd: project(`{ name: API, url: "${healthy.url}" }`) });
    assert.equal(result.code, 0, result.stderr);
    assert.match(result.stdout, /^🏥 Health Check\n\n {2}API: ✅ OK \(HTTP 200, status UP, \d+ ms\)\n\n1 of 1 healthy\.\n$/);
  });

  it('exit 1 when one is down; --json prints the documented objects', async () => {
    const result = await runScript('tools/health/check.ts', ['--json'], { cwd: project(`{ name: API, url: "${healthy.url}" }`, `{ name: DB, url: "${down.url}" }`) });
    assert.equal(result.code, 1);
    const results = JSON.parse(result.stdout);
    assert.deepEqual(results.map((r: object) => Object.keys(r)), [['name', 'url', 'status', 'httpStatus', 'latencyMs', 'detail'], ['name', 'url', 'status', 'httpStatus', 'latencyMs', 'detail']]);
    assert.deepEqual(results.map((r: { status: string; httpStatus: number }) => [r.status, r.httpStatus]), [['ok', 200], ['down', 503]]);
  });

  it('exit 0 when only an optional service is down', async () => {
    const result = await runScript('tools/health/check.ts', [], { cwd: project(`{ name: API, url: "${healthy.url}" }`, `{ name: DB, url: "${down.url}", optional: true }`) });
    assert.equal(result.code, 0);
    assert.match(result.stdout, /DB: ❌ DOWN \(HTTP 503, status DOWN, \d+ ms\) \[optional\]/);
  });

  it('--only checks one service', async () => {
    const result = await runScript('tools/health/check.ts', ['--only', 'API', '--json'], { cwd: project(`{ name: API, url: "${healthy.url}" }`, `{ name: DB, url: "${down.url}" }`) });
    assert.equal(result.code, 0);
    assert.deepEqual(JSON.parse(result.stdout).map((r: { name: string }) => r.name), ['API']);
  });

  it('exit 2 on a bad option, an unknown --only, or a bad config', async () => {
    const cwd = project(`{ name: API, url: "${healthy.url}" }`);
    const badTimeout = await runScript('tools/health/check.ts', ['--timeout', 'soon'], { cwd });
    assert.equal(badTimeout.code, 2);
    assert.match(badTimeout.stderr, /^--timeout: expected a whole number of milliseconds/);
    const unknown = await runScript('tools/health/check.ts', ['--only', 'Web'], { cwd });
    assert.equal(unknown.code, 2);
    assert.match(unknown.stderr, /^--only: no service named "Web" in health\.services \(known: "API"\)/);
    const badConfig = await runScript('tools/health/check.ts', [], { cwd: project('{ name: DB, url: "postgres://localhost/db" }') });
    assert.equal(badConfig.code, 2);
    assert.match(badConfig.stderr, /config\.yaml:3:24: health\.services\[0\]\.url: got "postgres:\/\/localhost\/db", expected an http:\/\/ or https:\/\/ URL/);
  });
});

describe('health: --watch', () => {
  it('prints one line per change when stdout is not a terminal, until interrupted', async () => {
    let answer = 200;
    let requests = 0;
    const flaky = await httpServer((_req, res) => {
      requests += 1;
      if (requests === 2) answer = 503; // the second round finds it down, and it stays down
      res.writeHead(answer).end();
    });
    const interrupt = new AbortController();
    const ctx = testContext(tempProject(`health:\n  services:\n    - { name: web, url: "${flaky.url}" }\n`), { fetch, signal: interrupt.signal });
    const done = main(['--watch', '0.1'], ctx);
    const giveUp = Date.now() + 10_000;
    while (requests < 4 && Date.now() < giveUp) await new Promise((resolve) => setTimeout(resolve, 10));
    interrupt.abort();
    const code = await done;
    await flaky.close();
    const lines = ctx.stdout.text.trimEnd().split('\n');
    assert.equal(lines.length, 2, ctx.stdout.text);
    assert.match(lines[0]!, /^\d{4}-\d{2}-\d{2} \d{2}:\d{2} web: ✅ OK \(HTTP 200, \d+ ms\)$/);
    assert.match(lines[1]!, /^\d{4}-\d{2}-\d{2} \d{2}:\d{2} web: ❌ DOWN \(HTTP 503, \d+ ms\)$/);
    assert.equal(code, 1, 'the last round decides the exit code');
  });
});
