import autocannon from 'autocannon';

/**
 * One autocannon run against `url`, for `durationSeconds` or, when `amount` is given, for that many
 * requests. `tokens` (optional) are sent as Bearer tokens, one after the
 * other from `offset`, shared by all connections: with a pool at least as large as the run's requests, every
 * request carries a token the server has never seen. With `dpop` ({ token, proofs }) every request sends
 * `Authorization: DPoP <token>` and the next proof of the pool (a proof is good once). Returns what the report needs.
 */
export async function runLoad({ url, connections, durationSeconds, amount, tokens, dpop, offset = 0 }) {
  let next = offset;
  // One token goes in a prebuilt request; a pool needs setupRequest, which costs the load
  // generator a request build per request (buildRequest already copied `req`, so it is ours to edit).
  const headers = dpop
    ? { authorization: `DPoP ${dpop.token}` }
    : tokens?.length === 1 ? { authorization: `Bearer ${tokens[0]}` } : undefined;
  const requests = dpop
    ? [{ setupRequest: (req) => ((req.headers.dpop = dpop.proofs[next++ % dpop.proofs.length]), req) }]
    : tokens?.length > 1 && [
        {
          setupRequest: (req) => {
            req.headers.authorization = `Bearer ${tokens[next++ % tokens.length]}`;
            return req;
          },
        },
      ];
  const cpuBefore = process.cpuUsage();
  const length = amount === undefined ? { duration: durationSeconds } : { amount };
  const result = await autocannon({ url, connections, ...length, headers, requests: requests || undefined, timeout: 10 });
  const cpu = process.cpuUsage(cpuBefore);
  const non2xx = result.non2xx ?? 0;
  return {
    requests: result.requests.total,
    ok: result['2xx'],
    non2xx,
    errors: result.errors,
    timeouts: result.timeouts,
    statusCodes: result.statusCodeStats,
    durationSeconds: result.duration,
    reqPerSec: result.requests.total / result.duration,
    p50: result.latency.p50,
    p99: result.latency.p99,
    // Near 100 % the load generator, not the server, set the pace: the run under-reports the server.
    loadGenCpuShare: (cpu.user + cpu.system) / 1e6 / result.duration,
    tokensUsed: tokens || dpop ? next - offset : 0,
  };
}

/** What makes a `runLoad` result unfit to report (non-2xx, errors, timeouts, no responses); empty when fit. */
export function loadProblems(r) {
  const problems = [];
  if (r.non2xx) problems.push(`${r.non2xx} non-2xx (${JSON.stringify(r.statusCodes)})`);
  if (r.errors) problems.push(`${r.errors} errors`);
  if (r.timeouts) problems.push(`${r.timeouts} timeouts`);
  if (r.requests === 0) problems.push('no responses');
  return problems;
}
