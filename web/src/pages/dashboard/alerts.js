// @ts-check
// The alerts above the tiles (get_alerts, kept by the database's upkeep): most severe first, each with a link to
// where the coach acts and, for the coach itself, "Masquer" (dismiss_alert: hidden until the alert changes). SQL
// decides what is an alert and writes its French message; this only shows it. Read again with every reload of the
// dashboard (after it loaded); a failure to read them leaves the dashboard as it is.
import { html } from 'htm/preact';
import { useEffect, useState } from 'preact/hooks';
import { CircleAlert, ExternalLink, Info, TriangleAlert, X } from 'lucide-preact';
import { describe } from '../../errors.js';
import { dismissAlert, fetchAlerts } from '../../notifications-api.js';

/** @typedef {import('../../notifications-api.js').Alert} Alert */

const TONES = {
    critical: { cls: 'border-red-300/50 bg-red-950 text-red-100', icon: CircleAlert, label: 'Urgent' },
    warning: { cls: 'border-amber-300/50 bg-amber-950 text-amber-100', icon: TriangleAlert, label: 'À surveiller' },
    info: { cls: 'border-sky-300/50 bg-sky-950 text-sky-100', icon: Info, label: 'Info' },
};

/** What each alert is about, in a few words (the name of its "Masquer" button). */
const TITLES = {
    no_data: 'Aucune donnée reçue',
    reply_rate_drop: 'Baisse du taux de réponse',
    hot_leads: 'Leads chauds en attente',
    calls_today: 'Calls du jour',
};

/** The words of an alert's link. @param {Alert} a */
const actionLabel = (a) => {
    switch (a.key) {
        case 'no_data': return 'Vérifier ManyChat';
        case 'reply_rate_drop': return 'Voir les taux de réponse';
        case 'hot_leads': return a.link.startsWith('https://ig.me/') ? 'Répondre sur Instagram' : 'Voir les leads à relancer';
        default: return 'Voir la journée';
    }
};

/** A dashboard link keeps the admin's ?coach= (its read-only view of that coach). @param {string} link @param {string | undefined} coachId */
const hrefFor = (link, coachId) => {
    if (!coachId || !link.startsWith('/dashboard')) return link;
    const url = new URL(link, 'https://x.invalid');
    url.searchParams.set('coach', coachId);
    return `${url.pathname}${url.search}${url.hash}`;
};

/**
 * @param {{ coachId?: string, readOnly: boolean, version: number | null, notify: (message: string) => void }} props
 */
export const AlertBanner = ({ coachId, readOnly, version, notify }) => {
    const [alerts, setAlerts] = useState(/** @type {Alert[]} */ ([]));
    useEffect(() => {
        // after each successful load of the dashboard only (an unknown coach's 404 is the dashboard's to say), and
        // never while the tab is hidden (live.js sends nothing then; the reload when it shows again brings them)
        if (version == null || document.visibilityState === 'hidden') return;
        let current = true;
        fetchAlerts(coachId).then((a) => current && setAlerts(a ?? []), () => {});
        return () => {
            current = false;
        };
    }, [coachId, version]);
    if (!alerts.length) return null;

    /** @param {Alert} a */
    const dismiss = async (a) => {
        setAlerts((list) => list.filter((x) => x.key !== a.key));
        try {
            await dismissAlert(a.key, a.fingerprint);
        } catch (e) {
            notify(`L’alerte n’a pas pu être masquée. ${describe(e).message}`);
            fetchAlerts(coachId).then(setAlerts, () => {});
        }
    };

    return html`<section aria-label="Alertes" data-testid="alerts">
        <ul class="space-y-2">
            ${alerts.map((a) => {
                const tone = TONES[a.severity] ?? TONES.info;
                const external = /^https?:/.test(a.link);
                return html`<li key=${a.key} data-alert=${a.key} data-severity=${a.severity}
                    class=${`flex flex-wrap items-start gap-x-3 gap-y-1 rounded-xl border p-3 text-sm ${tone.cls}`}>
                    <${tone.icon} size=${18} aria-hidden="true" class="mt-0.5 shrink-0" />
                    <p class="min-w-0 flex-1 basis-48 break-words"><span class="sr-only">${tone.label} : </span>${a.message}</p>
                    <span class="flex shrink-0 items-center gap-3">
                        <a href=${hrefFor(a.link, coachId)} class="inline-flex items-center gap-1 font-semibold underline underline-offset-2"
                            target=${external ? '_blank' : undefined} rel=${external ? 'noopener noreferrer' : undefined} data-testid="alert-link">
                            ${actionLabel(a)}${external && html`<${ExternalLink} size=${14} aria-hidden="true" /><span class="sr-only"> (nouvel onglet)</span>`}</a>
                        ${!readOnly &&
                        html`<button type="button" class="-m-1 rounded p-1 opacity-90 hover:opacity-100" onClick=${() => dismiss(a)}
                            aria-label=${`Masquer l’alerte « ${TITLES[a.key] ?? a.key} » jusqu’à ce qu’elle change`} data-testid="alert-dismiss">
                            <${X} size=${16} aria-hidden="true" /></button>`}
                    </span>
                </li>`;
            })}
        </ul>
    </section>`;
};
