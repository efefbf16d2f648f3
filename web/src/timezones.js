// @ts-check
// Time zones as a French-speaking coach looks for them: by city, in French ("Bruxelles", "La Réunion", "Calcutta"),
// with the country or region and the offset from UTC, the French-speaking zones first, searchable without accents.
// The value stays the IANA name the database stores (coachs.timezone). Intl gives the zones and their offsets but no
// city names in French: the zones of French-speaking countries and regions and the large cities are named here; any
// other zone reads as its IANA city ("Asia/Ho_Chi_Minh" → "Ho Chi Minh") under its continent in French.

/** @typedef {{ id: string, city: string, where: string, offset: string, francophone: boolean, search: string }} TimeZoneOption */

/** French-speaking zones first, in this order: [IANA name, city, country or region]. */
const FRANCOPHONE = [
    ['Europe/Paris', 'Paris', 'France'],
    ['Europe/Brussels', 'Bruxelles', 'Belgique'],
    ['Europe/Zurich', 'Zurich, Genève', 'Suisse'],
    ['Europe/Luxembourg', 'Luxembourg', 'Luxembourg'],
    ['Europe/Monaco', 'Monaco', 'Monaco'],
    ['America/Toronto', 'Montréal, Québec, Toronto', 'Canada (heure de l’Est)'],
    ['America/Moncton', 'Moncton', 'Canada (heure de l’Atlantique)'],
    ['America/Guadeloupe', 'Guadeloupe', 'France (Antilles)'],
    ['America/Martinique', 'Martinique', 'France (Antilles)'],
    ['America/St_Barthelemy', 'Saint-Barthélemy', 'France (Antilles)'],
    ['America/Marigot', 'Saint-Martin', 'France (Antilles)'],
    ['America/Cayenne', 'Cayenne', 'Guyane'],
    ['America/Miquelon', 'Saint-Pierre-et-Miquelon', 'France'],
    ['America/Port-au-Prince', 'Port-au-Prince', 'Haïti'],
    ['Indian/Reunion', 'La Réunion', 'France'],
    ['Indian/Mayotte', 'Mayotte', 'France'],
    ['Indian/Mauritius', 'Port-Louis', 'Maurice'],
    ['Indian/Antananarivo', 'Antananarivo', 'Madagascar'],
    ['Indian/Comoro', 'Moroni', 'Comores'],
    ['Indian/Mahe', 'Mahé', 'Seychelles'],
    ['Pacific/Noumea', 'Nouméa', 'Nouvelle-Calédonie'],
    ['Pacific/Tahiti', 'Papeete, Tahiti', 'Polynésie française'],
    ['Pacific/Marquesas', 'Marquises', 'Polynésie française'],
    ['Pacific/Gambier', 'Gambier', 'Polynésie française'],
    ['Pacific/Wallis', 'Wallis-et-Futuna', 'France'],
    ['Pacific/Efate', 'Port-Vila', 'Vanuatu'],
    ['Africa/Casablanca', 'Casablanca, Rabat', 'Maroc'],
    ['Africa/Algiers', 'Alger', 'Algérie'],
    ['Africa/Tunis', 'Tunis', 'Tunisie'],
    ['Africa/Dakar', 'Dakar', 'Sénégal'],
    ['Africa/Abidjan', 'Abidjan', 'Côte d’Ivoire'],
    ['Africa/Bamako', 'Bamako', 'Mali'],
    ['Africa/Ouagadougou', 'Ouagadougou', 'Burkina Faso'],
    ['Africa/Niamey', 'Niamey', 'Niger'],
    ['Africa/Lome', 'Lomé', 'Togo'],
    ['Africa/Porto-Novo', 'Porto-Novo, Cotonou', 'Bénin'],
    ['Africa/Conakry', 'Conakry', 'Guinée'],
    ['Africa/Nouakchott', 'Nouakchott', 'Mauritanie'],
    ['Africa/Douala', 'Douala, Yaoundé', 'Cameroun'],
    ['Africa/Libreville', 'Libreville', 'Gabon'],
    ['Africa/Brazzaville', 'Brazzaville', 'Congo'],
    ['Africa/Kinshasa', 'Kinshasa', 'RD Congo'],
    ['Africa/Lubumbashi', 'Lubumbashi', 'RD Congo'],
    ['Africa/Bangui', 'Bangui', 'Centrafrique'],
    ['Africa/Ndjamena', 'N’Djaména', 'Tchad'],
    ['Africa/Kigali', 'Kigali', 'Rwanda'],
    ['Africa/Bujumbura', 'Bujumbura', 'Burundi'],
    ['Africa/Djibouti', 'Djibouti', 'Djibouti'],
];

/** Large cities elsewhere, in French where the name differs (the IANA city otherwise). */
const CITIES = /** @type {Record<string, [string, string]>} */ ({
    'Europe/London': ['Londres', 'Royaume-Uni'], 'Europe/Dublin': ['Dublin', 'Irlande'], 'Europe/Lisbon': ['Lisbonne', 'Portugal'],
    'Europe/Madrid': ['Madrid', 'Espagne'], 'Europe/Rome': ['Rome', 'Italie'], 'Europe/Berlin': ['Berlin', 'Allemagne'],
    'Europe/Amsterdam': ['Amsterdam', 'Pays-Bas'], 'Europe/Vienna': ['Vienne', 'Autriche'], 'Europe/Warsaw': ['Varsovie', 'Pologne'],
    'Europe/Prague': ['Prague', 'Tchéquie'], 'Europe/Copenhagen': ['Copenhague', 'Danemark'], 'Europe/Stockholm': ['Stockholm', 'Suède'],
    'Europe/Oslo': ['Oslo', 'Norvège'], 'Europe/Helsinki': ['Helsinki', 'Finlande'], 'Europe/Athens': ['Athènes', 'Grèce'],
    'Europe/Bucharest': ['Bucarest', 'Roumanie'], 'Europe/Istanbul': ['Istanbul', 'Turquie'], 'Europe/Moscow': ['Moscou', 'Russie'],
    'Europe/Kiev': ['Kyiv', 'Ukraine'], 'Europe/Kyiv': ['Kyiv', 'Ukraine'], 'Europe/Andorra': ['Andorre-la-Vieille', 'Andorre'],
    'Europe/Budapest': ['Budapest', 'Hongrie'], 'Europe/Belgrade': ['Belgrade', 'Serbie'],
    'America/New_York': ['New York', 'États-Unis (heure de l’Est)'], 'America/Chicago': ['Chicago', 'États-Unis (heure du Centre)'],
    'America/Denver': ['Denver', 'États-Unis (heure des Rocheuses)'], 'America/Los_Angeles': ['Los Angeles', 'États-Unis (heure du Pacifique)'],
    'America/Vancouver': ['Vancouver', 'Canada (heure du Pacifique)'], 'America/Mexico_City': ['Mexico', 'Mexique'],
    'America/Sao_Paulo': ['São Paulo', 'Brésil'], 'America/Buenos_Aires': ['Buenos Aires', 'Argentine'],
    'America/Havana': ['La Havane', 'Cuba'], 'America/Bogota': ['Bogota', 'Colombie'], 'America/Lima': ['Lima', 'Pérou'],
    'Africa/Cairo': ['Le Caire', 'Égypte'], 'Africa/Johannesburg': ['Johannesbourg', 'Afrique du Sud'], 'Africa/Lagos': ['Lagos', 'Nigeria'],
    'Africa/Nairobi': ['Nairobi', 'Kenya'], 'Asia/Dubai': ['Dubaï', 'Émirats arabes unis'], 'Asia/Jerusalem': ['Jérusalem', 'Israël'],
    'Asia/Beirut': ['Beyrouth', 'Liban'], 'Asia/Calcutta': ['Calcutta, New Delhi, Bombay', 'Inde'],
    'Asia/Kolkata': ['Calcutta, New Delhi, Bombay', 'Inde'], 'Asia/Shanghai': ['Shanghai, Pékin', 'Chine'],
    'Asia/Hong_Kong': ['Hong Kong', 'Chine'], 'Asia/Singapore': ['Singapour', 'Singapour'], 'Asia/Tokyo': ['Tokyo', 'Japon'],
    'Asia/Seoul': ['Séoul', 'Corée du Sud'], 'Asia/Bangkok': ['Bangkok', 'Thaïlande'], 'Asia/Saigon': ['Hô-Chi-Minh-Ville', 'Viêt Nam'],
    'Asia/Ho_Chi_Minh': ['Hô-Chi-Minh-Ville', 'Viêt Nam'], 'Australia/Sydney': ['Sydney', 'Australie'],
    'Pacific/Auckland': ['Auckland', 'Nouvelle-Zélande'], 'UTC': ['UTC', 'temps universel'],
});

/** The continents of IANA names, in French. */
const REGIONS = /** @type {Record<string, string>} */ ({
    Africa: 'Afrique', America: 'Amérique', Antarctica: 'Antarctique', Arctic: 'Arctique', Asia: 'Asie', Atlantic: 'Atlantique',
    Australia: 'Australie', Europe: 'Europe', Indian: 'océan Indien', Pacific: 'Pacifique', Etc: 'fuseau fixe',
});

/** Lower case without accents, for searching ("reunion" finds "La Réunion"). @param {string} s */
export const fold = (s) => s.normalize('NFD').replace(/[\u0300-\u036f]/g, '').toLowerCase();

/** "UTC+1", "UTC−3", "UTC+5:30" now in that zone. @param {string} id */
const offsetOf = (id) => {
    try {
        const part = new Intl.DateTimeFormat('fr-FR', { timeZone: id, timeZoneName: 'shortOffset' }).formatToParts(new Date())
            .find((p) => p.type === 'timeZoneName')?.value;
        return part === 'UTC' ? 'UTC+0' : part ?? '';
    } catch {
        return '';
    }
};

/** @param {string} id @returns {TimeZoneOption} */
const option = (id) => {
    const known = FRANCOPHONE.find(([z]) => z === id);
    const [city, where] = known ? [known[1], known[2]] : CITIES[id] ?? [
        (id.split('/').pop() ?? id).replace(/_/g, ' '), REGIONS[id.split('/')[0]] ?? '',
    ];
    return { id, city, where, offset: offsetOf(id), francophone: !!known, search: fold(`${city} ${where} ${id.replace(/[_/]/g, ' ')}`) };
};

/**
 * Every time zone the browser knows (plus `current`, the coach's, if it is not among them), the French-speaking ones
 * first in FRANCOPHONE's order, then the others by city.
 * @param {string} [current] @returns {TimeZoneOption[]}
 */
export function timeZoneOptions(current) {
    /** @type {string[]} */
    let ids;
    try {
        ids = /** @type {string[]} */ (/** @type {any} */ (Intl).supportedValuesOf('timeZone'));
    } catch {
        ids = FRANCOPHONE.map(([z]) => z);
    }
    const all = [...new Set([...FRANCOPHONE.map(([z]) => z).filter((z) => ids.includes(z)), ...(current ? [current] : []), ...ids])].map(option);
    const first = FRANCOPHONE.map(([z]) => all.find((o) => o.id === z)).filter((o) => o != null);
    const rest = all.filter((o) => !o.francophone).sort((a, b) => a.city.localeCompare(b.city, 'fr'));
    return [.../** @type {TimeZoneOption[]} */ (first), ...rest];
}

/** "Bruxelles — Belgique (UTC+1)". @param {TimeZoneOption} o */
export const timeZoneLabel = (o) => `${o.city}${o.where ? ` — ${o.where}` : ''}${o.offset ? ` (${o.offset})` : ''}`;

/** The options matching what the coach typed (every word, accents ignored), the current one always kept. @param {TimeZoneOption[]} options @param {string} query @param {string} current */
export const filterTimeZones = (options, query, current) => {
    const words = fold(query).split(/\s+/).filter(Boolean);
    return words.length ? options.filter((o) => o.id === current || words.every((w) => o.search.includes(w))) : options;
};
