/**
 * How many log lines were dropped because stdout was not read fast enough and the log buffer was
 * full. A plain counter the logging module owns and the metrics module reads when scraped
 * (`log_lines_dropped_total`).
 */
export class DroppedLogLines {
  private count = 0;

  get total(): number {
    return this.count;
  }

  add(): void {
    this.count++;
  }
}
