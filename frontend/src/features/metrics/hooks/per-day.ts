/** Counts per calendar day (local time) over the last `days` days, oldest first, zeros included. */
export function countPerDay(
  timestamps: readonly string[],
  days: number,
  today: Date = new Date(),
): Array<{ day: string; count: number }> {
  const key = (date: Date) =>
    `${date.getFullYear()}-${String(date.getMonth() + 1).padStart(2, '0')}-${String(date.getDate()).padStart(2, '0')}`;
  const counts = new Map<string, number>();
  for (let offset = days - 1; offset >= 0; offset -= 1) {
    const day = new Date(today.getFullYear(), today.getMonth(), today.getDate() - offset);
    counts.set(key(day), 0);
  }
  for (const stamp of timestamps) {
    const day = key(new Date(stamp));
    if (counts.has(day)) counts.set(day, (counts.get(day) ?? 0) + 1);
  }
  return [...counts].map(([day, count]) => ({ day, count }));
}
