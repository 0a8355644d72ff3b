/**
 * Tallies every soak response by token kind against what was expected when the request was sent:
 * 200, 401, or either (a key or token in a change the server cannot yet be expected to have seen).
 */
export class SoakLedger {
  rows = new Map();
  examples = [];

  record(kind, expected, status) {
    let row = this.rows.get(kind);
    if (!row) this.rows.set(kind, (row = { kind, sent: 0, statuses: {}, either: 0, violations: 0 }));
    row.sent++;
    row.statuses[status] = (row.statuses[status] ?? 0) + 1;
    if (expected === 'either') row.either++;
    const ok = expected === 'either' ? status === 200 || status === 401 : status === expected;
    if (!ok) {
      row.violations++;
      if (this.examples.length < 10) this.examples.push(`${kind}: expected ${expected}, got ${status}`);
    }
  }

  get total() {
    return [...this.rows.values()].reduce((sum, r) => sum + r.sent, 0);
  }

  get violations() {
    return [...this.rows.values()].reduce((sum, r) => sum + r.violations, 0);
  }

  get serverErrors() {
    return [...this.rows.values()].reduce(
      (sum, r) => sum + Object.entries(r.statuses).reduce((s, [code, n]) => s + (Number(code) >= 500 ? n : 0), 0),
      0,
    );
  }

  table() {
    const lines = ['| token kind | sent | 200 | 401 | other | sent in a transition (200 or 401 ok) | violations |', '|---|---:|---:|---:|---:|---:|---:|'];
    for (const r of [...this.rows.values()].sort((a, b) => b.sent - a.sent)) {
      const other = r.sent - (r.statuses[200] ?? 0) - (r.statuses[401] ?? 0);
      lines.push(`| ${r.kind} | ${r.sent} | ${r.statuses[200] ?? 0} | ${r.statuses[401] ?? 0} | ${other} | ${r.either} | ${r.violations} |`);
    }
    return lines.join('\n');
  }
}
