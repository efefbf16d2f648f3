// @ts-check
// The pieces every section uses: a KPI card titled from the glossary, a value that says "pas assez de données"
// below the minimum sample, a count that opens its leads, a change against the previous period, ranked lists.
import { html } from 'htm/preact';
import { DASH, LOW_SAMPLE, formatChange, formatNumber, formatPercent, formatPoints } from '../../format.js';
import { BASES, dmLabel } from '../../labels.js';

/** @typedef {import('../../labels.js').BaseKey} BaseKey */
import { Minus } from 'lucide-preact';
import { Card, Change, Hint, ProgressBar } from '../../ui.js';
import { versusText } from '../../period.js';
import { useDashboard } from './context.js';

/** @typedef {import('preact').ComponentChildren} Children */
/** @typedef {import('../../dashboard-types').Rate} Rate */
/** @typedef {import('../../dashboard-types').Metric} Metric */
/** @typedef {import('../../dashboard-types').PeriodRate} PeriodRate */
/** @typedef {import('../../dashboard-types').PeriodRankedItem} PeriodRankedItem */

/** The glossary's label of a KPI (get_kpi_definitions()'s label, the one source of card titles), else the fallback. */
export const useLabel = () => {
    const { defs } = useDashboard();
    return (/** @type {string} */ key, /** @type {string} */ fallback) => defs[key]?.label ?? fallback;
};

/** "pas assez de données", the same everywhere a value rests on too few data points. @param {{ kpi?: string }} props */
export const LowSample = ({ kpi }) =>
    html`<span class="inline-block text-base font-medium leading-snug text-white/80" data-kpi=${kpi} data-low-sample="true">${LOW_SAMPLE}</span>`;

/** A rate, or "pas assez de données" under the minimum sample (an estimated rate is a setting, shown as is). @param {{ rate: Rate & { estimated?: boolean }, kpi: string }} props */
export const RateValue = ({ rate, kpi }) =>
    rate.low_sample && !rate.estimated ? html`<${LowSample} kpi=${kpi} />` : html`<span data-kpi=${kpi}>${formatPercent(rate.value)}</span>`;

/** "12 / 40" under a rate, so every percentage shows its parts. @param {Rate} rate */
export const parts = (rate) => `${formatNumber(rate.num)} / ${formatNumber(rate.den)}`;

/**
 * "12 réponses sur 40 leads" under a reply rate; the 40 (the leads whose DM N was sent in the period) opens them.
 * @param {{ n: number, rate: Rate }} props
 */
export const ReplyParts = ({ n, rate }) =>
    html`<span data-testid=${`reply-parts-${n}`}>${formatNumber(rate.num)} réponse${rate.num > 1 ? 's' : ''} sur <${Count} value=${rate.den}
        kpi=${`reply_rates.${n}.den`} drill=${`reply_rates.${n}`} label=${`Leads ayant reçu le ${dmLabel(n)}`} /> lead${rate.den > 1 ? 's' : ''}</span>`;

/**
 * A count; with `drill` (a count of get_kpi_leads) it is a button opening the leads behind it for the period.
 * @param {{ value: number | null, kpi: string, drill?: string, label: string, children?: Children }} props
 */
export const Count = ({ value, kpi, drill, label, children }) => {
    const { drill: open } = useDashboard();
    const text = children ?? formatNumber(value);
    if (!drill || !value) return html`<span data-kpi=${kpi}>${text}</span>`;
    return html`<button type="button" class="rounded text-left underline decoration-white/40 decoration-dotted underline-offset-4 hover:decoration-white"
        data-kpi=${kpi} data-drill=${drill} aria-label=${`${formatNumber(value)}, ${label} : voir les leads`}
        onClick=${() => open(drill, label)}>${text}</button>`;
};

export const NOT_COMPARABLE = 'comparaison non significative';

/**
 * The change of a Metric (in %) or a rate (in points) against the previous period, coloured by the KPI's `better`.
 * When SQL says the two sides cannot be compared (`comparable` false: no previous period, or either side under the
 * low-sample rule), a grey "comparaison non significative" instead of an arrow; nothing without a previous period.
 * @param {{ kpi: string, metric?: Metric, rate?: PeriodRate }} props
 */
export const PeriodChange = ({ kpi, metric, rate }) => {
    const { defs, doc } = useDashboard();
    const m = rate ?? metric;
    if (!m || !doc.period.previous) return null;
    const versus = versusText(doc.period);
    if (m.comparable === false) {
        return html`<span class="inline-flex items-center gap-1 text-xs text-white/70" data-testid="change" data-comparable="false"
            title=${`Trop peu de données d’un côté ou de l’autre pour comparer (${versus})`}><${Minus} size=${14} aria-hidden="true" />${NOT_COMPARABLE}</span>`;
    }
    const better = defs[kpi]?.better ?? null;
    if (rate) {
        if (rate.low_sample || rate.change_points == null) return null;
        return html`<${Change} delta=${rate.change_points} text=${formatPoints(rate.change_points)} better=${better} versus=${versus} />`;
    }
    if (!metric || metric.change_pct == null) return null;
    return html`<${Change} delta=${metric.change_pct} text=${formatChange(metric.change_pct)} better=${better} versus=${versus} />`;
};

/**
 * A KPI card: its title from the glossary, its definition, value, details and change.
 * @param {{ kpi: string, title: string, value: Children, icon?: import('preact').FunctionComponent<any>, sub?: Children,
 *   change?: Children, tone?: string, children?: Children, class?: string, hintKey?: string, base?: BaseKey }} props
 * `title` is used only when the glossary has no entry for `kpi`; `hintKey` names the broader entry whose
 * definition the card then shows (e.g. "reply_rates" for the card of DM 1); `base` says what the value counts, under
 * the title, where the screen shows a number that looks like it on another base (labels.js, BASES).
 */
export const KpiCard = ({ kpi, title, value, icon: Icon, sub, change, tone = 'text-blue-300', children, class: cls, hintKey, base }) => {
    const { defs } = useDashboard();
    const own = defs[kpi];
    const def = own ?? (hintKey ? defs[hintKey] : undefined);
    return html`<${Card} class=${cls} testid=${`card-${kpi}`} base=${base}>
        <div class="flex items-start justify-between gap-2">
            <div class="flex min-w-0 flex-1 flex-wrap items-center gap-x-1.5 text-sm text-white/80">
                <h3>${own?.label ?? title}</h3>
                <${Hint} def=${def} />
                ${base && html`<span class="block basis-full text-xs text-white/70" data-base-caption>${BASES[base]}</span>`}
            </div>
            ${Icon && html`<span class=${`hidden shrink-0 rounded-lg bg-white/10 p-2 sm:inline-flex ${tone}`}><${Icon} size=${18} aria-hidden="true" /></span>`}
        </div>
        <div class="mt-1 text-2xl font-bold tracking-tight sm:text-3xl">${value}</div>
        ${sub && html`<div class="mt-1 text-sm text-white/80">${sub}</div>`}
        ${change && html`<div class="mt-2">${change}</div>`}
        ${children}
    <//>`;
};

/**
 * A ranked list (sources, professions, lost reasons) with a bar per row; with `drill` each count opens its leads.
 * `what` names the list in the drill-down's title ("Source : Story").
 * @param {{ items: PeriodRankedItem[], label?: (s: string) => string, kpi: string, empty: string, drill?: boolean, what?: string }} props
 */
export const RankedList = ({ items, label = (s) => s, kpi, empty, drill = false, what }) =>
    items.length === 0
        ? html`<p class="text-sm text-white/80">${empty}</p>`
        : html`<ol class="space-y-3" data-list=${kpi}>
              ${items.map(
                  (item) => html`<li key=${item.label} data-row=${item.label}>
                      <div class="mb-1 flex flex-wrap items-baseline justify-between gap-x-3 text-sm">
                          <span class="break-words">${label(item.label)}</span>
                          <span class="tabular-nums text-white/80">
                              <span data-field="count"><${Count} value=${item.lead_count} kpi=${`${kpi}:${item.label}`}
                                  drill=${drill ? `${kpi}:${item.label}` : undefined} label=${what ? `${what} : ${label(item.label)}` : label(item.label)} /></span>${' · '}<span
                                  class="font-semibold text-white" data-field="percentage">${formatPercent(item.percentage)}</span>
                          </span>
                      </div>
                      <${ProgressBar} value=${item.percentage} label=${label(item.label)} />
                  </li>`,
              )}
          </ol>`;

/** A metric's value or "—". @param {Metric} m @param {(n: number | null) => string} [format] */
export const metricText = (m, format = formatNumber) => (m.value == null ? DASH : format(m.value));
