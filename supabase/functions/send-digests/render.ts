// The digest email of a coach, in French: subject, HTML (tables and inline styles only, so Gmail and Outlook render
// it; 600 px wide, one column on a phone) and the same as plain text. Everything it shows comes from
// private.digest_content: the period document of get_dashboard (the six headline KPIs, their change against the
// period before, the most urgent leads to follow up) and get_alerts. It formats; it computes no KPI.

type Metric = { value: number | null; previous: number | null; change_pct: number | null; comparable: boolean };
type Rate = { value: number | null; num: number; den: number; low_sample: boolean };
type PeriodRate = Rate & { previous: Rate | null; change_points: number | null; comparable: boolean };
type FollowUp = { lead_id: string; instagram_username: string | null; first_name: string | null; status: string; days_without_contact: number; priority: string };
export type Alert = { key: string; severity: 'critical' | 'warning' | 'info'; message: string; link: string };
export type Content = {
    dashboard: {
        coach: { id: string; name: string; currency: string };
        activity: { new_leads: Metric };
        reply_rates: { message_number: number; rate: PeriodRate }[];
        qualification: { calls_booked: Metric };
        performance: { deals_closed: Metric; revenue: Metric; roi: PeriodRate; setter_cost_estimated: boolean };
        pipeline: { follow_up: FollowUp[]; leads_to_follow_up: number };
    };
    alerts: Alert[];
};
export type DigestContext = {
    kind: 'weekly' | 'daily';
    periodStart: string; // YYYY-MM-DD
    periodEnd: string;
    appUrl: string;
    unsubscribeUrl: string;
};
export type Kpi = { label: string; value: string; change: string; tone: 'good' | 'bad' | 'neutral' };

const fr = (options: Intl.NumberFormatOptions) => new Intl.NumberFormat('fr-FR', options);
const integer = fr({ maximumFractionDigits: 0 });
const oneDecimal = fr({ maximumFractionDigits: 1 });
const signedPercent = fr({ style: 'percent', maximumFractionDigits: 1, signDisplay: 'exceptZero' });
const dayMonth = new Intl.DateTimeFormat('fr-FR', { day: 'numeric', month: 'long', timeZone: 'UTC' });
const dayMonthYear = new Intl.DateTimeFormat('fr-FR', { day: 'numeric', month: 'long', year: 'numeric', timeZone: 'UTC' });

const day = (ymd: string, withYear = false) => (withYear ? dayMonthYear : dayMonth).format(new Date(`${ymd}T00:00:00Z`));
export const money = (n: number | null, currency: string) =>
    n == null ? '—' : fr({ style: 'currency', currency, maximumFractionDigits: Number.isInteger(n) ? 0 : 2 }).format(n);
const rateText = (r: Rate) => (r.value == null ? '—' : r.low_sample ? 'pas assez de données' : `${oneDecimal.format(r.value)} %`);
const STATUS: Record<string, string> = {
    new: 'Nouveau', engaged: 'Engagé', qualified: 'Qualifié', call_proposed: 'Call proposé', call_booked: 'Call réservé',
    won: 'Gagné', lost: 'Perdu', relance: 'À relancer',
};
const PRIORITY: Record<string, string> = { high: 'priorité haute', medium: 'priorité moyenne', low: 'priorité basse' };

function metricChange(m: Metric, versus: string): Pick<Kpi, 'change' | 'tone'> {
    if (!m.comparable) return { change: `${versus} : comparaison non significative`, tone: 'neutral' };
    if (m.change_pct == null) return { change: `${versus} : ${m.previous == null ? '—' : integer.format(m.previous)} auparavant`, tone: 'neutral' };
    return { change: `${signedPercent.format(m.change_pct / 100)} ${versus}`, tone: m.change_pct > 0 ? 'good' : m.change_pct < 0 ? 'bad' : 'neutral' };
}

function rateChange(r: PeriodRate, versus: string): Pick<Kpi, 'change' | 'tone'> {
    if (!r.comparable || r.change_points == null) return { change: `${versus} : comparaison non significative`, tone: 'neutral' };
    const pts = `${r.change_points > 0 ? '+' : r.change_points < 0 ? '−' : ''}${oneDecimal.format(Math.abs(r.change_points))} pt${Math.abs(r.change_points) >= 2 ? 's' : ''}`;
    return { change: `${pts} ${versus}`, tone: r.change_points > 0 ? 'good' : r.change_points < 0 ? 'bad' : 'neutral' };
}

/** The six headline KPIs of the dashboard (the tiles), as the email shows them. */
export function headline(c: Content, kind: DigestContext['kind']): Kpi[] {
    const d = c.dashboard;
    const versus = kind === 'weekly' ? 'vs semaine précédente' : 'vs la veille';
    const cur = d.coach.currency;
    const dm1 = d.reply_rates.find((r) => r.message_number === 1)?.rate;
    const count = (label: string, m: Metric): Kpi => ({ label, value: m.value == null ? '—' : integer.format(m.value), ...metricChange(m, versus) });
    return [
        count('Nouveaux leads', d.activity.new_leads),
        dm1 ? { label: 'Réponse au 1er DM', value: rateText(dm1), ...rateChange(dm1, versus) } : { label: 'Réponse au 1er DM', value: '—', change: '', tone: 'neutral' },
        count('Calls réservés', d.qualification.calls_booked),
        count('Deals conclus', d.performance.deals_closed),
        { label: 'Chiffre d’affaires', value: money(d.performance.revenue.value, cur), ...metricChange(d.performance.revenue, versus) },
        { label: d.performance.setter_cost_estimated ? 'ROI (estimé)' : 'ROI', value: rateText(d.performance.roi), ...rateChange(d.performance.roi, versus) },
    ];
}

const escape = (s: string) => s.replace(/[&<>"']/g, (ch) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[ch]!);
const leadName = (f: FollowUp) => f.first_name?.trim() || (f.instagram_username ? `@${f.instagram_username}` : 'Lead sans nom');
const igConversation = (u: string) => `https://ig.me/m/${encodeURIComponent(u)}`;
const igProfile = (u: string) => `https://www.instagram.com/${encodeURIComponent(u)}/`;
/** A link of an alert: absolute as it is, a dashboard path on the page's URL. */
const absolute = (link: string, appUrl: string) => (/^https?:\/\//.test(link) ? link : `${appUrl.replace(/\/$/, '')}${link}`);

export function subject(c: Content, ctx: DigestContext): string {
    const d = c.dashboard;
    const leads = d.activity.new_leads.value ?? 0;
    const calls = d.qualification.calls_booked.value ?? 0;
    const what = `${integer.format(leads)} nouveau${leads > 1 ? 'x' : ''} lead${leads > 1 ? 's' : ''}, ${integer.format(calls)} call${calls > 1 ? 's' : ''} réservé${calls > 1 ? 's' : ''}`;
    const alert = c.alerts.some((a) => a.severity === 'critical') ? ' · alerte' : '';
    return ctx.kind === 'weekly'
        ? `Votre semaine du ${day(ctx.periodStart)} au ${day(ctx.periodEnd)} : ${what}${alert}`
        : `Votre journée du ${day(ctx.periodStart)} : ${what}${alert}`;
}

/** The words of an alert's link (as on the dashboard's banner). */
function actionLabel(a: Alert): string {
    switch (a.key) {
        case 'no_data': return 'Vérifier ManyChat';
        case 'reply_rate_drop': return 'Voir les taux de réponse';
        case 'hot_leads': return a.link.startsWith('https://ig.me/') ? 'Répondre sur Instagram' : 'Voir les leads à relancer';
        default: return 'Voir la journée';
    }
}

const TONE_COLOR = { good: '#15803d', bad: '#b91c1c', neutral: '#475569' };
const SEVERITY = {
    critical: { border: '#dc2626', background: '#fef2f2', label: 'Urgent' },
    warning: { border: '#d97706', background: '#fffbeb', label: 'À surveiller' },
    info: { border: '#0284c7', background: '#f0f9ff', label: 'Info' },
};
const FONT = "font-family:Arial,Helvetica,sans-serif;";

export function html(c: Content, ctx: DigestContext): string {
    const d = c.dashboard;
    const kpis = headline(c, ctx.kind);
    const title = ctx.kind === 'weekly' ? 'Votre résumé de la semaine' : 'Votre résumé de la veille';
    const period = ctx.kind === 'weekly'
        ? `Du lundi ${day(ctx.periodStart)} au dimanche ${day(ctx.periodEnd, true)}`
        : `Le ${day(ctx.periodStart, true)}`;
    const dashboard = `${ctx.appUrl.replace(/\/$/, '')}/dashboard?periode=${ctx.kind === 'weekly' ? '7j' : 'aujourdhui'}`;
    const cell = (k: Kpi | undefined) => !k ? '<td width="50%" style="padding:6px;"></td>' : `<td width="50%" valign="top" style="padding:6px;">
      <table role="presentation" width="100%" cellpadding="0" cellspacing="0" border="0" style="border:1px solid #e2e8f0;border-radius:6px;">
        <tr><td style="padding:12px 14px;${FONT}">
          <div style="font-size:13px;color:#475569;">${escape(k.label)}</div>
          <div style="font-size:${k.value.length > 12 ? 16 : 24}px;font-weight:bold;color:#0f172a;padding-top:4px;">${escape(k.value)}</div>
          <div style="font-size:12px;color:${TONE_COLOR[k.tone]};padding-top:4px;">${escape(k.change)}</div>
        </td></tr>
      </table></td>`;
    const rows = [0, 2, 4].map((i) => `<tr>${cell(kpis[i])}${cell(kpis[i + 1])}</tr>`).join('\n');
    const alerts = c.alerts.map((a) => {
        const s = SEVERITY[a.severity] ?? SEVERITY.info;
        return `<tr><td style="padding:0 0 8px 0;"><table role="presentation" width="100%" cellpadding="0" cellspacing="0" border="0" style="background:${s.background};border-left:4px solid ${s.border};">
          <tr><td style="padding:10px 12px;${FONT}font-size:14px;color:#0f172a;"><strong>${s.label} :</strong> ${escape(a.message)}
            <br><a href="${escape(absolute(a.link, ctx.appUrl))}" style="color:#1d4ed8;">${escape(actionLabel(a))}</a></td></tr></table></td></tr>`;
    }).join('\n');
    const followUps = d.pipeline.follow_up.slice(0, 5).map((f) => `<tr>
          <td style="padding:8px 0;border-top:1px solid #e2e8f0;${FONT}font-size:14px;color:#0f172a;">
            <strong>${escape(leadName(f))}</strong>${f.instagram_username ? ` <span style="color:#475569;">@${escape(f.instagram_username)}</span>` : ''}<br>
            <span style="font-size:12px;color:#475569;">${escape(STATUS[f.status] ?? f.status)} · ${f.days_without_contact} j sans contact · ${PRIORITY[f.priority] ?? f.priority}</span></td>
          <td align="right" style="padding:8px 0;border-top:1px solid #e2e8f0;${FONT}font-size:13px;white-space:nowrap;">${f.instagram_username
            ? `<a href="${escape(igConversation(f.instagram_username))}" style="color:#1d4ed8;">Conversation</a> · <a href="${escape(igProfile(f.instagram_username))}" style="color:#1d4ed8;">Profil</a>`
            : ''}</td></tr>`).join('\n');
    return `<!DOCTYPE html>
<html lang="fr">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="x-apple-disable-message-reformatting">
<title>${escape(title)}</title>
</head>
<body style="margin:0;padding:0;background:#f1f5f9;">
<table role="presentation" width="100%" cellpadding="0" cellspacing="0" border="0" style="background:#f1f5f9;">
  <tr><td align="center" style="padding:24px 12px;">
    <table role="presentation" width="600" cellpadding="0" cellspacing="0" border="0" style="width:100%;max-width:600px;background:#ffffff;border-radius:8px;">
      <tr><td style="padding:24px 24px 8px 24px;${FONT}">
        <div style="font-size:13px;color:#6d28d9;font-weight:bold;">Coach Setter</div>
        <h1 style="margin:4px 0 0 0;font-size:22px;color:#0f172a;${FONT}">${escape(title)}</h1>
        <div style="font-size:14px;color:#475569;padding-top:4px;">${escape(d.coach.name)} · ${escape(period)}</div>
      </td></tr>
${alerts ? `      <tr><td style="padding:16px 24px 0 24px;"><table role="presentation" width="100%" cellpadding="0" cellspacing="0" border="0">
${alerts}
      </table></td></tr>` : ''}
      <tr><td style="padding:16px 18px 0 18px;">
        <table role="presentation" width="100%" cellpadding="0" cellspacing="0" border="0">
${rows}
        </table>
      </td></tr>
      <tr><td style="padding:20px 24px 0 24px;${FONT}">
        <h2 style="margin:0 0 8px 0;font-size:17px;color:#0f172a;${FONT}">À relancer en priorité</h2>
        ${followUps
            ? `<table role="presentation" width="100%" cellpadding="0" cellspacing="0" border="0">\n${followUps}\n        </table>
        ${d.pipeline.leads_to_follow_up > 5 ? `<div style="font-size:13px;color:#475569;padding-top:6px;">Et ${integer.format(d.pipeline.leads_to_follow_up - 5)} autre${d.pipeline.leads_to_follow_up - 5 > 1 ? 's' : ''} dans le tableau de bord.</div>` : ''}`
            : '<div style="font-size:14px;color:#475569;">Personne à relancer pour l’instant.</div>'}
      </td></tr>
      <tr><td align="center" style="padding:24px;">
        <table role="presentation" cellpadding="0" cellspacing="0" border="0"><tr>
          <td align="center" bgcolor="#6d28d9" style="border-radius:6px;"><a href="${escape(dashboard)}" style="display:inline-block;padding:12px 22px;${FONT}font-size:15px;font-weight:bold;color:#ffffff;text-decoration:none;">Ouvrir le tableau de bord</a></td>
        </tr></table>
      </td></tr>
      <tr><td style="padding:0 24px 24px 24px;${FONT}font-size:12px;color:#64748b;border-top:1px solid #e2e8f0;">
        <p style="margin:16px 0 0 0;">Vous recevez ce résumé parce qu’il est activé dans vos réglages. <a href="${escape(ctx.unsubscribeUrl)}" style="color:#64748b;">Se désabonner en un clic</a> ou <a href="${escape(`${ctx.appUrl.replace(/\/$/, '')}/settings`)}" style="color:#64748b;">changer vos réglages</a>.</p>
      </td></tr>
    </table>
  </td></tr>
</table>
</body>
</html>
`;
}

export function text(c: Content, ctx: DigestContext): string {
    const d = c.dashboard;
    const kpis = headline(c, ctx.kind);
    const lines = [
        ctx.kind === 'weekly' ? 'Votre résumé de la semaine' : 'Votre résumé de la veille',
        `${d.coach.name} · ${ctx.kind === 'weekly' ? `du lundi ${day(ctx.periodStart)} au dimanche ${day(ctx.periodEnd, true)}` : `le ${day(ctx.periodStart, true)}`}`,
        '',
    ];
    if (c.alerts.length) {
        lines.push('ALERTES');
        for (const a of c.alerts) lines.push(`- ${(SEVERITY[a.severity] ?? SEVERITY.info).label} : ${a.message}`, `  ${absolute(a.link, ctx.appUrl)}`);
        lines.push('');
    }
    lines.push('VOS CHIFFRES');
    for (const k of kpis) lines.push(`- ${k.label} : ${k.value}${k.change ? ` (${k.change})` : ''}`);
    lines.push('', 'À RELANCER EN PRIORITÉ');
    const top = d.pipeline.follow_up.slice(0, 5);
    if (!top.length) lines.push('Personne à relancer pour l’instant.');
    for (const f of top) {
        lines.push(`- ${leadName(f)}${f.instagram_username ? ` (@${f.instagram_username})` : ''} : ${STATUS[f.status] ?? f.status}, ${f.days_without_contact} j sans contact`);
        if (f.instagram_username) lines.push(`  ${igConversation(f.instagram_username)}`);
    }
    if (d.pipeline.leads_to_follow_up > 5) lines.push(`Et ${d.pipeline.leads_to_follow_up - 5} autre(s) dans le tableau de bord.`);
    lines.push('', `Tableau de bord : ${ctx.appUrl.replace(/\/$/, '')}/dashboard?periode=${ctx.kind === 'weekly' ? '7j' : 'aujourdhui'}`, '',
        `Se désabonner en un clic : ${ctx.unsubscribeUrl}`, `Vos réglages : ${ctx.appUrl.replace(/\/$/, '')}/settings`);
    return `${lines.join('\n')}\n`;
}
