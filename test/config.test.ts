import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { CONFIG_PATH, DEFAULTS, loadConfig, parseConfig } from '../tools/shared/config.ts';
import { CliError, ExitCode } from '../tools/shared/errors.ts';
import { REPO_ROOT, tempProject } from './helpers.ts';

/** Each case: a config, and the one error it must produce (`line:col: message`). */
const BAD_CONFIGS: { name: string; yaml: string; error: string }[] = [
  {
    name: 'YAML syntax error',
    yaml: 'telemetry:\n  enabled: [true\n',
    error: '3:1: YAML syntax error',
  },
  {
    name: 'a tab used for indentation',
    yaml: 'telemetry:\n\tenabled: true\n',
    error: '2:1: YAML syntax error',
  },
  {
    name: 'duplicate key',
    yaml: 'telemetry:\n  enabled: true\n  enabled: false\n',
    error: '3:3: telemetry.enabled: duplicate key (first defined on line 2), keep only one',
  },
  {
    name: 'enabled is not a boolean',
    yaml: 'telemetry:\n  enabled: "yes"\n',
    error: '2:12: telemetry.enabled: got "yes", expected true or false',
  },
  {
    name: 'telemetry is a list',
    yaml: 'telemetry:\n  - enabled\n',
    error: '2:3: telemetry: got a list, expected a map of settings',
  },
  {
    name: 'negative retention_days',
    yaml: 'telemetry:\n  destinations:\n    file:\n      retention_days: -3\n',
    error: '4:23: telemetry.destinations.file.retention_days: -3 is below 1, expected a whole number of days (1 or more)',
  },
  {
    name: 'non-integer retention_days',
    yaml: 'telemetry:\n  destinations:\n    file:\n      retention_days: 7.5\n',
    error: '4:23: telemetry.destinations.file.retention_days: 7.5 is not a whole number, expected a whole number of days (1 or more)',
  },
  {
    name: 'retention_days as words',
    yaml: 'telemetry:\n  destinations:\n    file:\n      retention_days: thirty\n',
    error: '4:23: telemetry.destinations.file.retention_days: got "thirty", expected a whole number of days (1 or more)',
  },
  {
    name: 'unknown rotation',
    yaml: 'telemetry:\n  destinations:\n    file:\n      rotation: weekly\n',
    error: '4:17: telemetry.destinations.file.rotation: got "weekly", expected one of daily, none',
  },
  {
    name: 'unknown console level',
    yaml: 'telemetry:\n  destinations:\n    console:\n      level: loud\n',
    error: '4:14: telemetry.destinations.console.level: got "loud", expected one of debug, info, warn, error, silent',
  },
  {
    name: 'unknown alert channel',
    yaml: 'telemetry:\n  alerts:\n    token_budget_exceeded:\n      channel: slack\n',
    error: '4:16: telemetry.alerts.token_budget_exceeded.channel: got "slack", expected one of console, none',
  },
  {
    name: 'alert threshold as a string',
    yaml: 'telemetry:\n  alerts:\n    token_budget_exceeded:\n      threshold: "100k"\n',
    error: '4:18: telemetry.alerts.token_budget_exceeded.threshold: got "100k", expected a whole number of tokens (1 or more)',
  },
  {
    name: 'bad alert window',
    yaml: 'telemetry:\n  alerts:\n    token_budget_exceeded:\n      window: monthly\n',
    error: '4:15: telemetry.alerts.token_budget_exceeded.window: got "monthly", expected a duration such as 90m, 24h, 7d or 2w',
  },
  {
    name: 'log_file is not a string',
    yaml: 'telemetry:\n  metrics:\n    build_times:\n      log_file: 42\n',
    error: '4:17: telemetry.metrics.build_times.log_file: got 42, expected a file path as a string',
  },
  {
    name: 'log_file is a list',
    yaml: 'telemetry:\n  metrics:\n    test_results:\n      log_file: [a, b]\n',
    error: '4:17: telemetry.metrics.test_results.log_file: got a list, expected a file path as a string',
  },
  {
    name: 'a new metric without log_file',
    yaml: 'telemetry:\n  metrics:\n    deploys:\n      enabled: true\n',
    error: '4:7: telemetry.metrics.deploys.log_file: missing, this key is required',
  },
  {
    name: 'a metric name with a space',
    yaml: 'telemetry:\n  metrics:\n    "lint time":\n      log_file: .logs/lint.jsonl\n',
    error: '3:5: telemetry.metrics.lint time: "lint time" is not a valid name, expected letters, digits and _ . : -',
  },
  {
    name: 'two metrics in one file',
    yaml: 'telemetry:\n  metrics:\n    test_results:\n      log_file: .logs/build-metrics.jsonl\n',
    error: '4:7: telemetry.metrics.test_results.log_file: ".logs/build-metrics.jsonl" is already used by telemetry.metrics.build_times, give each metric its own file',
  },
  {
    name: 'a service URL that is not http(s)',
    yaml: 'health:\n  services:\n    - name: db\n      url: postgres://localhost:5432\n',
    error: '4:12: health.services[0].url: got "postgres://localhost:5432", expected an http:// or https:// URL',
  },
  {
    name: 'a service without a URL',
    yaml: 'health:\n  services:\n    - name: db\n',
    error: '3:7: health.services[0].url: missing, this key is required',
  },
  {
    name: 'a zero timeout',
    yaml: 'health:\n  timeout_ms: 0\n',
    error: '2:15: health.timeout_ms: 0 is below 1, expected a whole number of milliseconds (1 to 600000)',
  },
  {
    name: 'an impossible expected status',
    yaml: 'health:\n  services:\n    - name: api\n      url: http://localhost:1/\n      expect_status: 999\n',
    error: '5:22: health.services[0].expect_status: 999 is above 599, expected a whole number of HTTP status (100 to 599)',
  },
  {
    name: 'two services with one name',
    yaml: 'health:\n  services:\n    - { name: api, url: "http://a/" }\n    - { name: api, url: "http://b/" }\n',
    error: '4:7: health.services[1]: the name "api" is used twice, give each service its own name',
  },
  {
    name: 'a Pushgateway URL that is not http(s)',
    yaml: 'telemetry:\n  destinations:\n    pushgateway:\n      enabled: true\n      url: localhost:9091\n',
    error: '5:12: telemetry.destinations.pushgateway.url: got "localhost:9091", expected an http:// or https:// URL',
  },
  {
    name: 'a Pushgateway job with a slash',
    yaml: 'telemetry:\n  destinations:\n    pushgateway:\n      job: ci/main\n',
    error: '4:12: telemetry.destinations.pushgateway.job: got "ci/main", expected a job name (letters, digits, _ . -)',
  },
  {
    name: 'the whole file is a string',
    yaml: 'just some text\n',
    error: '1:1: got "just some text", expected a map of settings',
  },
];

describe('config: each bad config is reported with its line and column', () => {
  for (const { name, yaml, error } of BAD_CONFIGS) {
    it(name, () => {
      const errors = parseConfig(yaml).problems.filter((p) => p.severity === 'error');
      assert.equal(errors.length, 1, errors.map((p) => p.text).join('\n'));
      assert.ok(errors[0]!.text.startsWith(`${CONFIG_PATH}:${error}`), `got: ${errors[0]!.text}`);
    });
  }
});

describe('config: loading', () => {
  it('with no config file, the defaults are the handoff config', () => {
    const loaded = loadConfig(tempProject());
    assert.equal(loaded.file, undefined);
    assert.deepEqual(loaded.config, DEFAULTS);
  });

  it('the committed config equals the defaults, so both stay in step', () => {
    assert.deepEqual(loadConfig(REPO_ROOT).config, DEFAULTS);
  });

  it('the committed config keeps the handoff YAML key for key', () => {
    const text = readFileSync(join(REPO_ROOT, CONFIG_PATH), 'utf8');
    for (const line of ['version: "1.0"', 'path: ".logs/"', 'rotation: "daily"', 'retention_days: 30', 'threshold: 100000', 'threshold_seconds: 300']) {
      assert.ok(text.includes(line), line);
    }
  });

  it('a partial config keeps the defaults for every key it leaves out', () => {
    const { config } = loadConfig(tempProject('telemetry:\n  destinations:\n    file:\n      retention_days: 7\n'));
    assert.equal(config.telemetry.destinations.file.retention_days, 7);
    assert.equal(config.telemetry.destinations.file.rotation, 'daily');
    assert.deepEqual(config.telemetry.metrics, DEFAULTS.telemetry.metrics);
    assert.deepEqual(config.health, DEFAULTS.health);
  });

  it('an empty file means the defaults', () => {
    assert.deepEqual(loadConfig(tempProject('')).config, DEFAULTS);
  });

  it('an unknown key is a warning with its line, not an error', () => {
    const loaded = loadConfig(tempProject('telemetry:\n  enabled: true\n  sampling: 0.5\n'));
    assert.deepEqual(loaded.warnings, [
      `${CONFIG_PATH}:3:3: warning: telemetry.sampling: unknown key, ignored (known keys here: enabled, destinations, metrics, alerts)`,
    ]);
  });

  it('reports every problem at once, in file order, as one usage error', () => {
    const root = tempProject('telemetry:\n  enabled: 1\n  destinations:\n    file:\n      rotation: hourly\nhealth:\n  timeout_ms: -1\n');
    assert.throws(() => loadConfig(root), (error: unknown) => {
      assert.ok(error instanceof CliError);
      assert.equal(error.exitCode, ExitCode.USAGE);
      const lines = error.message.split('\n');
      assert.match(lines[0]!, /:2:12: telemetry\.enabled: /);
      assert.match(lines[1]!, /:5:17: telemetry\.destinations\.file\.rotation: /);
      assert.match(lines[2]!, /:7:15: health\.timeout_ms: /);
      assert.match(lines[3]!, /has 3 problems; fix them/);
      return true;
    });
  });

  it('reads new metrics, the alert window and service options', () => {
    const { config } = parseConfig(
      'telemetry:\n  metrics:\n    deploys:\n      log_file: .logs/deploys.jsonl\n  alerts:\n    token_budget_exceeded:\n      window: 24h\n' +
        'health:\n  services:\n    - name: web\n      url: https://localhost:8443/\n      timeout_ms: 500\n      expect_status: 204\n      optional: true\n',
    );
    assert.deepEqual(config.telemetry.metrics.deploys, { enabled: true, log_file: '.logs/deploys.jsonl' });
    assert.equal(config.telemetry.alerts.token_budget_exceeded.window, 86_400_000);
    assert.deepEqual(config.health.services, [{ name: 'web', url: 'https://localhost:8443/', timeout_ms: 500, expect_status: 204, optional: true }]);
  });
});
