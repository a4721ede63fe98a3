// Mobilizon's metadata keys for the fields the form offers; other keys are kept as custom entries.
export const LIVE_KEYS: Record<string, string> = {
  peertube: "mz:live:peertube:url",
  youtube: "mz:live:youtube:url",
  twitch: "mz:live:twitch:url",
};
export const WHEELCHAIR = "mz:accessibility:wheelchairAccessible";
export const SIGN_LANGUAGE = "mz:accessibility:live:sign_language";
export const SUBTITLES = "mz:accessibility:live:subtitle";
export const FEDIVERSE = "mz:social:fediverse:account_url";
export const KNOWN_KEYS = new Set([...Object.values(LIVE_KEYS), WHEELCHAIR, SIGN_LANGUAGE, SUBTITLES, FEDIVERSE]);

/** Which player a live-stream link is for, from its address. */
export function liveKeyFor(url: string): string {
  const host = (() => {
    try {
      return new URL(url).hostname;
    } catch {
      return "";
    }
  })();
  if (/(^|\.)youtube\.com$|(^|\.)youtu\.be$/.test(host)) return LIVE_KEYS.youtube;
  if (/(^|\.)twitch\.tv$/.test(host)) return LIVE_KEYS.twitch;
  return LIVE_KEYS.peertube;
}

/** The embeddable player address for a live stream, or null if we don't know the platform's format. */
export function embedUrl(key: string, url: string): string | null {
  try {
    const u = new URL(url);
    if (key === LIVE_KEYS.youtube) {
      const id = u.hostname.endsWith("youtu.be") ? u.pathname.slice(1) : (u.searchParams.get("v") ?? u.pathname.split("/").pop());
      return id ? `https://www.youtube-nocookie.com/embed/${encodeURIComponent(id)}` : null;
    }
    if (key === LIVE_KEYS.twitch) {
      const channel = u.pathname.split("/").filter(Boolean)[0];
      return channel ? `https://player.twitch.tv/?channel=${encodeURIComponent(channel)}&parent=${location.hostname}` : null;
    }
    if (key === LIVE_KEYS.peertube) {
      const m = u.pathname.match(/\/(?:w|videos\/watch)\/([\w-]+)/);
      return m ? `${u.origin}/videos/embed/${m[1]}` : null;
    }
  } catch {
    return null;
  }
  return null;
}
