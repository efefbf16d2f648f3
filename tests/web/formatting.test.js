// The page's pure formatting, without a browser: the CSV for Excel in French (BOM, `;`, decimal comma, quoting,
// no formula injection), the period in the URL, the retry delays, and French sentences for every error shape.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { csvDateTime, csvFileName, csvNumber, csvText, toCsv } from '../../web/src/csv.js';
import { DEFAULT_PERIOD, PERIODS, dashboardHref, periodFromParam } from '../../web/src/period.js';
import { micros, retryDelay, versionOfDocument } from '../../web/src/live.js';
import { ApiError, describe, loginMessage } from '../../web/src/errors.js';
import { createCoachMessage } from '../../web/src/form-errors.js';
import { sourceLabel } from '../../web/src/labels.js';
import { formatAgo, formatDateTime } from '../../web/src/format.js';
import { formatDateIn, formatDateTimeIn, zoneNote } from '../../web/src/coach-time.js';

test('CSV: BOM, semicolons, CRLF, decimal commas, quoting and no formula injection', () => {
    const csv = toCsv(['Nom', 'Valeur'], [[csvText('a;b'), csvNumber(1234.5)], [csvText('dit "non"'), csvNumber(null)], [csvText('=1+1'), csvNumber(-3)]]);
    assert.deepEqual(Buffer.from(csv, 'utf8').subarray(0, 3), Buffer.from([0xef, 0xbb, 0xbf]));
    assert.equal(csv, '\uFEFFNom;Valeur\r\n"a;b";1234,5\r\n"dit ""non""";\r\n\'=1+1;-3\r\n');
    assert.equal(csvText(' espace'), '" espace"');
    assert.equal(csvText('ligne\nsuivante'), '"ligne\nsuivante"');
    assert.equal(csvText('@pseudo'), "'@pseudo");
    assert.equal(csvText(null), '');
    assert.equal(csvNumber(0), '0');
    assert.equal(csvDateTime('2026-03-29T00:30:00Z', 'Europe/Paris'), '29/03/2026 01:30');
    assert.equal(csvDateTime('2026-03-29T01:30:00Z', 'Europe/Paris'), '29/03/2026 03:30', 'summer time');
    assert.equal(csvDateTime(null, 'Europe/Paris'), '');
    assert.equal(csvFileName(['leads', 'Raisons de perte : Prix trop élevé', '30j', '2026-10-28', '2026-11-26']),
        'leads_raisons-de-perte-prix-trop-eleve_30j_2026-10-28_2026-11-26.csv');
});

test('the period in the URL: 30 j by default, unknown values fall back, links keep the coach of an admin', () => {
    assert.deepEqual(PERIODS.map((p) => [p.param, p.key]), [['aujourdhui', 'today'], ['7j', '7d'], ['30j', '30d'], ['90j', '90d'], ['tout', 'all']]);
    assert.equal(periodFromParam(undefined), DEFAULT_PERIOD);
    assert.equal(periodFromParam('30j').key, '30d');
    assert.equal(periodFromParam('7J'), DEFAULT_PERIOD);
    assert.equal(dashboardHref(DEFAULT_PERIOD), '/dashboard');
    assert.equal(dashboardHref(periodFromParam('7j')), '/dashboard?periode=7j');
    assert.equal(dashboardHref(periodFromParam('tout'), 'c1'), '/dashboard?coach=c1&periode=tout');
});

test('retries wait 5 s, then twice as long, at most 2 minutes', () => {
    assert.deepEqual([1, 2, 3, 4, 5, 6, 7, 10].map(retryDelay), [5000, 10000, 20000, 40000, 80000, 120000, 120000, 120000]);
});

test('every error becomes a French sentence', () => {
    const offline = describe({ message: 'TypeError: Failed to fetch', status: 0 });
    assert.deepEqual(offline, { message: 'Impossible de joindre le serveur. Vérifiez votre connexion internet.', retry: true, offline: true });
    assert.equal(describe(new ApiError({ code: '42501', message: 'permission denied' }, 403)).message, 'Vous n’avez pas accès à ces données.');
    assert.equal(describe(new ApiError({ code: 'PGRST303', message: 'JWT expired' }, 401)).message, 'Votre session a expiré. Reconnectez-vous.');
    assert.match(describe(new ApiError({ code: 'PT404', message: 'coach not found' }, 404)).message, /^Ce coach est introuvable/);
    assert.equal(describe(new ApiError({ code: 'XX000', message: 'boom' }, 500)).retry, true);
    const field = describe(new ApiError({ code: '22023', message: 'invalid field "currency": must be …' }, 400));
    assert.deepEqual([field.field, field.message], ['currency', 'Choisissez une devise de la liste (code à 3 lettres, par exemple EUR).']);
    assert.equal(describe(new TypeError('x is undefined')).message, 'Une erreur inattendue est survenue. Réessayez.');
    assert.equal(createCoachMessage(409, { error: 'email_exists' }), 'Un compte existe déjà avec cet email.');
    assert.equal(createCoachMessage(400, { error: 'invalid_payload', field: 'name' }), 'Le nom doit faire entre 1 et 200 caractères.');
    assert.equal(createCoachMessage(502, null), 'Le serveur a rencontré une erreur. Réessayez dans un instant.');
    assert.equal(loginMessage({ code: 'invalid_credentials', message: 'Invalid login credentials', status: 400 }), 'Email ou mot de passe incorrect.');
    assert.equal(loginMessage({ name: 'AuthRetryableFetchError', message: 'Failed to fetch', status: 0 }), 'Impossible de joindre le serveur. Vérifiez votre connexion internet.');
});

test('sources in a coach\'s words', () => {
    assert.equal(sourceLabel('dm_organique'), 'DM organique');
    assert.equal(sourceLabel('story'), 'Story');
    assert.equal(sourceLabel('lien_bio_2'), 'Lien bio 2');
    assert.equal(sourceLabel(null), 'Source inconnue');
});

test('"il y a …" never throws: a missing or unreadable time reads "—" (the numbers of a new database have none yet)', () => {
    const now = Date.parse('2026-12-01T12:00:00Z');
    for (const missing of [null, undefined, '', 'pas une date']) assert.equal(formatAgo(missing, now), '—', String(missing));
    assert.equal(formatAgo('2026-12-01T11:59:30Z', now), 'à l’instant');
    assert.equal(formatAgo('2026-12-01T11:57:00Z', now), 'il y a 3\u00a0min');
    assert.equal(formatAgo('2026-12-01T09:00:00Z', now), 'il y a 3\u00a0h');
    assert.equal(formatAgo('2026-11-29T12:00:00Z', now), 'avant-hier');
});

test('a document read beside its version: the version counts only when the document saw the pass that wrote it', () => {
    assert.equal(micros('2026-12-06T14:18:36.990135+00:00'), Date.parse('2026-12-06T14:18:36Z') * 1000 + 990135);
    assert.equal(micros('2026-12-06T14:18:36+00:00'), Date.parse('2026-12-06T14:18:36Z') * 1000);
    assert.equal(micros('2026-12-06T14:18:36.5Z'), Date.parse('2026-12-06T14:18:36Z') * 1000 + 500000);
    assert.ok(Number.isNaN(micros(null)));
    const at = Date.parse('2026-12-06T14:18:36Z') * 1000 + 990135; // a pass's start, in microseconds
    const doc = { last_updated: '2026-12-06T14:18:36.990135+00:00' };
    const v = (computed) => ({ version: `${computed}/0123abcd`, last_updated: doc.last_updated, now: doc.last_updated });
    assert.equal(versionOfDocument(v(at), doc), `${at}/0123abcd`, 'the documents of the pass the document saw');
    assert.equal(versionOfDocument(v(at - 5_000_000), doc), `${at - 5_000_000}/0123abcd`, 'older documents');
    assert.equal(versionOfDocument(v(at + 1), doc), undefined, 'written after what the document saw: not known');
    assert.equal(versionOfDocument(v(at), { last_updated: null }), undefined, 'no pass yet');
    assert.equal(versionOfDocument({ version: '0123abcd', last_updated: null, now: doc.last_updated }, doc), '0123abcd',
        'no stored documents: the settings version alone');
    assert.equal(versionOfDocument(null, doc), null, 'a server without get_dashboard_version');
});

test('a coach\'s times in the coach\'s time zone, named as the alerts name it (the admin list)', () => {
    // 2026-12-02 23:20:45 UTC is already the 3rd in Paris and still the 2nd, 18:20, in Montréal
    assert.equal(formatDateTimeIn('2026-12-02T23:20:45Z', 'Europe/Paris'), '3 décembre 2026 à 00:20');
    assert.equal(formatDateTimeIn('2026-12-02T23:20:45Z', 'America/Montreal'), '2 décembre 2026 à 18:20');
    assert.equal(formatDateIn('2026-12-02T23:20:45Z', 'Europe/Paris'), '3 déc. 2026');
    assert.equal(formatDateIn('2026-12-02T23:20:45Z', 'UTC'), '2 déc. 2026');
    assert.equal(zoneNote('Europe/Paris'), '(fuseau horaire Europe/Paris)');
    // a zone the browser does not know: its own zone rather than an error
    assert.equal(formatDateTimeIn('2026-12-02T23:20:45Z', 'Nowhere/Bad'), formatDateTime('2026-12-02T23:20:45Z'));
});
