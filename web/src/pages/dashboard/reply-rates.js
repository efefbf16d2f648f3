// @ts-check
// 2. Taux de réponse, DM 1 to 4.
import { html } from 'htm/preact';
import { MessageCircle } from 'lucide-preact';
import { RATINGS, dmLabel } from '../../labels.js';
import { Badge, ProgressBar, Section } from '../../ui.js';
import { KpiCard, PeriodChange, RateValue, ReplyParts } from './common.js';
import { useDashboard } from './context.js';

/** @typedef {import('../../ui.js').Color} Color */

export const ReplyRatesSection = () => {
    const { doc, defs } = useDashboard();
    return html`<${Section} id="reply_rates" title=${defs.reply_rates?.label ?? 'Taux de réponse'} icon=${MessageCircle}>
        <div class="grid grid-cols-2 gap-3 lg:grid-cols-4">
            ${doc.reply_rates.map(({ message_number: n, rate, rating }) => {
                const [label, color] = rating ? RATINGS[rating] : ['', /** @type {Color} */ ('gray')];
                return html`<${KpiCard} key=${n} kpi=${`reply_rates.${n}`} hintKey="reply_rates" title=${`Réponse au ${dmLabel(n)}`}
                    value=${html`<${RateValue} rate=${rate} kpi=${`reply_rates.${n}.value`} />`}
                    sub=${html`<${ReplyParts} n=${n} rate=${rate} />`} change=${html`<${PeriodChange} kpi=${`reply_rates.${n}`} rate=${rate} />`}>
                    <div class="mt-3 space-y-2">
                        <${ProgressBar} value=${rate.low_sample ? 0 : rate.value} color=${color} label=${`Taux de réponse au ${dmLabel(n)}`} />
                        ${rating && !rate.low_sample && html`<${Badge} color=${color} testid=${`rating-${n}`}>${label}<//>`}
                    </div>
                <//>`;
            })}
        </div>
    <//>`;
};
