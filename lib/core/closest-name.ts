/** Edit distance (insertions, deletions, substitutions) between two words. */
function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      current[j] = Math.min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    previous = current;
  }
  return previous[b.length];
}

/**
 * The known name a typo most likely meant (case-insensitive), or undefined when none is close:
 * at most a third of the word may differ (at least one edit is allowed, never the whole word),
 * so that `offlne` suggests `offline` and `rol` suggests `role`, but `x` suggests nothing.
 */
export function closestName(typed: string, known: readonly string[]): string | undefined {
  const word = typed.toLowerCase();
  const allowed = Math.min(Math.max(1, Math.floor(word.length / 3)), word.length - 1);
  const ranked = known.map((name) => ({ name, distance: editDistance(word, name.toLowerCase()) })).sort((x, y) => x.distance - y.distance);
  return ranked.length > 0 && ranked[0].distance <= allowed ? ranked[0].name : undefined;
}
