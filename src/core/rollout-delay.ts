/**
 * The operator's roll-out pacing delays (CLUSTERS_ROLLOUT_DELAY, INSTANCES_ROLLOUT_DELAY: seconds). A leaf module:
 * the settings table validates the delay settings with it without loading the release table.
 */

export const MAX_ROLLOUT_DELAY_SECONDS = 86_400;

/** Parses a delay given on the command line or in a prompt: whole seconds, 0..86400. Throws naming `flag`. */
export function parseRolloutDelay(flag: string, value: string): number {
  const s = value.trim();
  if (!/^(0|[1-9]\d{0,5})$/.test(s) || Number(s) > MAX_ROLLOUT_DELAY_SECONDS) {
    throw new RangeError(`${flag} must be a whole number of seconds from 0 to ${MAX_ROLLOUT_DELAY_SECONDS}, got ${JSON.stringify(value)}`);
  }
  return Number(s);
}

