/**
 * Whether `topic` matches one of `patterns`: exact, or a prefix when the pattern ends with `*`
 * (`webhook:*`). No patterns match everything.
 * @internal
 */
export function topicMatches(topic: string, patterns: readonly string[] | undefined): boolean {
  if (!patterns || patterns.length === 0) return true;
  return patterns.some((p) => (p.endsWith('*') ? topic.startsWith(p.slice(0, -1)) : topic === p));
}
