// stripe-webhook: Stripe reports a coach's payments (Supabase edge function, Deno).
//
//   POST /functions/v1/stripe-webhook/<coach_id>   Stripe-Signature: t=…,v1=…   (the event Stripe sends)
//   -> 200 {"received": true, "status": "recorded" | "duplicate" | "ignored", "event_id", "lead_id", "matched_by"}
//
// The coach adds this URL as a webhook endpoint in Stripe (events checkout.session.completed,
// payment_intent.succeeded, charge.refunded) and saves its signing secret (whsec_…) in the dashboard's settings
// (update_coach_settings, key stripe_webhook_secret). The signature is verified with Stripe's official SDK
// (constructEventAsync with the Web Crypto provider, as under Deno), tolerance 5 minutes: a bad or stale signature
// answers 400 and nothing is written. The event then goes to private.receive_stripe_event: kept once per event id,
// matched to a lead (client_reference_id or metadata.lead_id, then the customer's email), its payment recomputed.
// Errors are JSON {error, message}: 400 signature_missing, signature_invalid, invalid_event, webhook_not_configured;
// 404 coach_not_found; 405; 413; 503 database_unavailable; 500 internal_error. docs/integrations.md.
import Stripe from 'stripe';
import { HttpError, serveWebhook } from '../_shared/webhook.ts';

/** Stripe's default: events signed more than 5 minutes ago are refused (replays). */
export const TOLERANCE_SECONDS = 300;
const cryptoProvider = Stripe.createSubtleCryptoProvider();

async function verify(req: Request, body: string, secret: string): Promise<unknown> {
    const signature = req.headers.get('stripe-signature');
    if (!signature) throw new HttpError(400, 'signature_missing', 'the Stripe-Signature header is missing');
    try {
        return await Stripe.webhooks.constructEventAsync(body, signature, secret, TOLERANCE_SECONDS, cryptoProvider);
    } catch (e) {
        throw new HttpError(400, 'signature_invalid', (e as Error).message);
    }
}

Deno.serve(serveWebhook('stripe-webhook', 'stripe_webhook_secret', 'receive_stripe_event', verify));
