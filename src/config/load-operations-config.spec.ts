import { ConfigError } from './config.error';
import { InvalidConfigError } from './config-problems';
import { loadOperationsConfig } from './load-operations-config';

describe('loadOperationsConfig', () => {
  it('has production-safe defaults', () => {
    expect(loadOperationsConfig({ NODE_ENV: 'production' })).toEqual({
      logging: { level: 'info', pretty: false, successSample: 1 },
      metrics: { enabled: true },
      docs: { enabled: true },
      trustProxy: false,
      shutdownTimeoutMs: 10_000,
    });
  });

  it('logs pretty unless NODE_ENV is production, and LOG_FORMAT overrides either way', () => {
    expect(loadOperationsConfig({}).logging.pretty).toBe(true);
    expect(loadOperationsConfig({ NODE_ENV: 'development' }).logging.pretty).toBe(true);
    expect(loadOperationsConfig({ LOG_FORMAT: 'json' }).logging.pretty).toBe(false);
    expect(loadOperationsConfig({ NODE_ENV: 'production', LOG_FORMAT: 'pretty' }).logging.pretty).toBe(true);
  });

  it('reads every setting', () => {
    expect(
      loadOperationsConfig({
        LOG_LEVEL: 'DEBUG',
        METRICS_ENABLED: 'false',
        DOCS_ENABLED: '0',
        TRUST_PROXY: '10.0.0.0/8, 192.168.1.1, ::1',
        SHUTDOWN_TIMEOUT: '25',
        REQUEST_LOG_SAMPLE: '100',
      }),
    ).toMatchObject({
      logging: { level: 'debug', successSample: 100 },
      metrics: { enabled: false },
      docs: { enabled: false },
      trustProxy: ['10.0.0.0/8', '192.168.1.1', '::1'],
      shutdownTimeoutMs: 25_000,
    });
  });

  it.each([
    ['true', true],
    ['false', false],
    ['2', 2],
    ['127.0.0.1', ['127.0.0.1']],
    ['fd00::/8', ['fd00::/8']],
  ])('TRUST_PROXY=%s', (value, expected) => {
    expect(loadOperationsConfig({ TRUST_PROXY: value }).trustProxy).toEqual(expected);
  });

  it.each([
    ['LOG_LEVEL', 'verbose'],
    ['LOG_FORMAT', 'xml'],
    ['METRICS_ENABLED', 'yes please'],
    ['DOCS_ENABLED', 'maybe'],
    ['TRUST_PROXY', 'proxy.example'],
    ['TRUST_PROXY', '10.0.0.0/33'],
    ['TRUST_PROXY', '0'],
    ['SHUTDOWN_TIMEOUT', '0'],
    ['SHUTDOWN_TIMEOUT', '2.5'],
    ['SHUTDOWN_TIMEOUT', '10s'],
    ['REQUEST_LOG_SAMPLE', '-1'],
    ['REQUEST_LOG_SAMPLE', '0.5'],
    ['REQUEST_LOG_SAMPLE', 'some'],
  ])('%s=%s stops the start with a one-line error naming the setting', (setting, value) => {
    let error: unknown;
    try {
      loadOperationsConfig({ [setting]: value });
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(InvalidConfigError);
    const [problem, ...others] = (error as InvalidConfigError).problems;
    expect(others).toEqual([]);
    expect(problem).toBeInstanceOf(ConfigError);
    expect(problem.setting).toBe(setting);
    expect(problem.message).toMatch(new RegExp(`^${setting}: `));
    expect(problem.message).not.toContain('\n');
  });

  it('reports every bad value at once', () => {
    let error: unknown;
    try {
      loadOperationsConfig({ LOG_LEVEL: 'loud', LOG_FORMAT: 'xml', TRUST_PROXY: 'proxy', SHUTDOWN_TIMEOUT: '0' });
    } catch (err) {
      error = err;
    }
    expect((error as InvalidConfigError).problems.map((p) => p.setting)).toEqual(['LOG_LEVEL', 'LOG_FORMAT', 'TRUST_PROXY', 'SHUTDOWN_TIMEOUT']);
  });
});
