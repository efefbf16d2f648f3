// @ts-check
// The French messages of two forms that load on demand (the password offer after a magic link, the admin's creation
// of a coach): kept out of errors.js, which the first load carries.
import { OFFLINE, SERVER, SESSION_EXPIRED, UNEXPECTED, isNetwork } from './errors.js';

/** Setting a password (auth-js updateUser). @param {any} error */
export function passwordMessage(error) {
    if (isNetwork(error)) return OFFLINE;
    if (error?.code === 'weak_password') return 'Mot de passe trop faible : 8 caractères minimum.';
    if (error?.code === 'same_password') return 'C’est déjà votre mot de passe actuel.';
    if (error?.status === 401 || error?.code === 'session_not_found') return SESSION_EXPIRED;
    return 'Le mot de passe n’a pas pu être enregistré. Réessayez.';
}

/** The create-coach function's JSON errors `{error, message, field?}` (README), by their code. */
const COACH_FIELD_ERRORS = /** @type {Record<string, string>} */ ({
    email: 'L’email n’est pas valide.',
    name: 'Le nom doit faire entre 1 et 200 caractères.',
    specialty: 'La spécialité doit faire au plus 100 caractères.',
});
/** @param {number} status @param {{ error?: string, field?: string } | null} body @returns {string} */
export function createCoachMessage(status, body) {
    switch (body?.error) {
        case 'invalid_payload': return (body.field && COACH_FIELD_ERRORS[body.field]) || 'Le formulaire contient une valeur non valide.';
        case 'email_exists': return 'Un compte existe déjà avec cet email.';
        case 'forbidden': return 'Seul un administrateur peut créer un coach.';
        case 'unauthorized': return SESSION_EXPIRED;
        case 'coach_not_created': return 'Le coach n’a pas pu être créé et rien n’a été enregistré. Réessayez.';
        case 'auth_error': return 'Le service de connexion a refusé de créer ce compte. Réessayez plus tard.';
        default: return status >= 500 ? SERVER : status === 401 ? SESSION_EXPIRED : UNEXPECTED;
    }
}
