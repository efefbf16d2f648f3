// @ts-check
// A coach's times as the admin reads them: in the coach's own time zone (the admin may live elsewhere), the zone
// named as the alerts' messages name it. Loaded with the admin page only.

const LOCALE = 'fr-FR';

/** @type {Map<string, Intl.DateTimeFormat>} */
const formats = new Map();
/** A French format in a time zone, made once; the browser's own zone when it does not know that one. @param {Intl.DateTimeFormatOptions} options @param {string} timeZone */
const format = (options, timeZone) => {
    const key = `${JSON.stringify(options)} ${timeZone}`;
    let f = formats.get(key);
    if (!f) {
        try {
            f = new Intl.DateTimeFormat(LOCALE, { ...options, timeZone });
        } catch {
            f = new Intl.DateTimeFormat(LOCALE, options);
        }
        formats.set(key, f);
    }
    return f;
};

/** "3 déc. 2026": the date in timeZone (an IANA name, the coach's). @param {string} iso @param {string} timeZone */
export const formatDateIn = (iso, timeZone) => format({ day: 'numeric', month: 'short', year: 'numeric' }, timeZone).format(new Date(iso));

/** "3 décembre 2026 à 00:20": the date and time in timeZone (an IANA name, the coach's). @param {string} iso @param {string} timeZone */
export const formatDateTimeIn = (iso, timeZone) => format({ dateStyle: 'long', timeStyle: 'short' }, timeZone).format(new Date(iso));

/** "(fuseau horaire Europe/Paris)": how a time in a coach's zone names it, as the alerts' messages do. @param {string} timeZone */
export const zoneNote = (timeZone) => `(fuseau horaire ${timeZone})`;
