/** Who made a recorded change, as people read it: a name when the service knows the person,
 * otherwise what kind of actor it was. Never a bare id. */
export function actorLabel(entry: { actor_kind: string; actor_id: string | null; actor_name?: string | null }): string {
  if (entry.actor_name) return entry.actor_name;
  switch (entry.actor_kind) {
    case 'user':
      return 'a user of your company';
    case 'external':
      return 'an external system';
    case 'system':
      return entry.actor_id ? `the system (${entry.actor_id})` : 'the system';
    default:
      return entry.actor_kind;
  }
}
