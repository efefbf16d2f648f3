// @ts-check
// Under the presets: "Mois en cours", "Mois dernier" and "Personnalisé" (two native date inputs), kept in the URL as
// ?du=YYYY-MM-DD&au=YYYY-MM-DD (issue 22). Days are the coach's (its time zone's today).
import { html } from 'htm/preact';
import { useState } from 'preact/hooks';
import { useLocation } from 'preact-iso';
import { CalendarRange } from 'lucide-preact';
import { customPeriod, dashboardHref, monthPicks, rangeProblem } from '../../period.js';
import { BUTTON, INPUT } from '../../ui.js';

/** @typedef {import('../../period.js').PeriodOption} PeriodOption */

const PICK = 'inline-flex items-center gap-1.5 rounded-lg border border-white/20 px-2.5 py-1.5 text-sm';

/** @param {{ period: PeriodOption, coachId?: string, today: string }} props */
export const PeriodPicker = ({ period, coachId, today }) => {
    const { route } = useLocation();
    const custom = period.key === 'range';
    const picks = monthPicks(today);
    const [open, setOpen] = useState(custom);
    const [start, setStart] = useState(period.start ?? picks[0].period.start ?? '');
    const [end, setEnd] = useState(period.end ?? today);
    const [problem, setProblem] = useState(/** @type {string | null} */ (null));
    const same = (/** @type {PeriodOption} */ p) => custom && p.start === period.start && p.end === period.end;
    const submit = (/** @type {Event} */ e) => {
        e.preventDefault();
        const wrong = rangeProblem(start, end, today);
        setProblem(wrong);
        if (!wrong) route(dashboardHref(customPeriod(start, end), coachId));
    };
    return html`<div class="space-y-2" data-testid="period-picker">
        <div class="flex flex-wrap items-center gap-2">
            ${picks.map(({ label, period: p }) => html`<a key=${label} href=${dashboardHref(p, coachId)} aria-current=${same(p) ? 'page' : undefined}
                data-pick=${label} class=${`${PICK} ${same(p) ? 'bg-white text-slate-900' : 'text-white hover:bg-white/10'}`}>${label}</a>`)}
            <button type="button" class=${`${PICK} ${custom && !picks.some((x) => same(x.period)) ? 'bg-white text-slate-900' : 'text-white hover:bg-white/10'}`}
                aria-expanded=${open} aria-controls="custom-period" onClick=${() => setOpen(!open)} data-testid="custom-toggle">
                <${CalendarRange} size=${16} aria-hidden="true" />Personnalisé</button>
        </div>
        ${open && html`<form id="custom-period" class="flex flex-wrap items-end gap-2" onSubmit=${submit} noValidate data-testid="custom-period">
            <label class="text-sm text-white/80">Du
                <input type="date" name="du" class=${`${INPUT} mt-1 block [color-scheme:dark] focus-within:ring-2 focus-within:ring-sky-300`} value=${start} max=${today} required
                    onInput=${(/** @type {any} */ e) => setStart(e.currentTarget.value)} aria-invalid=${problem ? 'true' : undefined}
                    aria-describedby=${problem ? 'custom-period-problem' : undefined} /></label>
            <label class="text-sm text-white/80">Au
                <input type="date" name="au" class=${`${INPUT} mt-1 block [color-scheme:dark] focus-within:ring-2 focus-within:ring-sky-300`} value=${end} max=${today} required
                    onInput=${(/** @type {any} */ e) => setEnd(e.currentTarget.value)} aria-invalid=${problem ? 'true' : undefined}
                    aria-describedby=${problem ? 'custom-period-problem' : undefined} /></label>
            <button type="submit" class=${BUTTON} data-testid="custom-apply">Afficher</button>
            ${problem && html`<p id="custom-period-problem" role="alert" class="w-full text-sm text-amber-200" data-testid="custom-problem">${problem}</p>`}
        </form>`}
    </div>`;
};
