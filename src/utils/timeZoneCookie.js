// The cookie the one-process server reads (backend/page_render.py, TIME_ZONE_COOKIE) to write the times in the pages it
// draws in this browser's time zone.
export const TIME_ZONE_COOKIE = 'ai-usage-tz'

/** Keep the browser's time zone (its IANA name) in the cookie, for the next page the server draws. Called when the
 * page is idle, not from the head: the first Intl call of a page costs about 30 ms, which would hold up the cards' HTML. */
export function rememberTimeZone() {
  try {
    const zone = new Intl.DateTimeFormat().resolvedOptions().timeZone
    // An IANA name ([A-Za-z0-9_+/-]) needs no escaping in a cookie; the server checks it anyway.
    if (zone) document.cookie = `${TIME_ZONE_COOKIE}=${zone}; path=/; max-age=31536000; SameSite=Strict`
  } catch {
    // No time zones in this Intl: the server keeps writing its own.
  }
}
