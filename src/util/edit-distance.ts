/** Levenshtein distance, for "did you mean …?" over short names (commands, flags). */
export function editDistance(a: string, b: string): number {
  let previous = Array.from({length: b.length + 1}, (_, i) => i)
  for (let i = 1; i <= a.length; i++) {
    const current = [i]
    for (let j = 1; j <= b.length; j++) {
      current[j] = Math.min(previous[j]! + 1, current[j - 1]! + 1, previous[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1))
    }

    previous = current
  }

  return previous[b.length]!
}

/** The candidate closest to `wanted`, when it is close enough to be what was meant. */
export function closest(wanted: string, candidates: readonly string[]): string | undefined {
  const best = candidates
    .map((candidate) => ({candidate, distance: editDistance(wanted, candidate)}))
    .sort((a, b) => a.distance - b.distance || (a.candidate < b.candidate ? -1 : 1))[0]
  return best && best.distance <= Math.max(2, Math.floor(wanted.length / 3)) ? best.candidate : undefined
}
