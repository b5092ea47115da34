/** RFC 4180 CSV: every field quoted when it holds a comma, quote or line break. */
export function toCsv(header: readonly string[], rows: ReadonlyArray<ReadonlyArray<string | number | null>>): string {
  const field = (value: string | number | null) => {
    const text = value === null ? '' : String(value);
    return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
  };
  return [header, ...rows].map((row) => row.map(field).join(',')).join('\r\n') + '\r\n';
}

export type DayFigures = { day: string; closed: number; created: Record<string, number> };

/** Every calendar day (`YYYY-MM-DD`) of the range, zero-filled, with each type's created count
 * and the day's closed count, for a chart. */
export function pivotPerDay(
  rows: ReadonlyArray<{ day: string; ticket_type_key: string; created: number; closed: number }>,
  from: string,
  to: string,
): { days: DayFigures[]; types: string[] } {
  const types = [...new Set(rows.map((r) => r.ticket_type_key))].sort();
  const byDay = new Map<string, DayFigures>();
  const end = new Date(`${to}T00:00:00Z`).getTime();
  for (let t = new Date(`${from}T00:00:00Z`).getTime(); t <= end; t += 86_400_000) {
    const day = new Date(t).toISOString().slice(0, 10);
    byDay.set(day, { day, closed: 0, created: Object.fromEntries(types.map((type) => [type, 0])) });
  }
  for (const row of rows) {
    const entry = byDay.get(row.day);
    if (!entry) continue;
    entry.created[row.ticket_type_key] = row.created;
    entry.closed += row.closed;
  }
  return { days: [...byDay.values()], types };
}
