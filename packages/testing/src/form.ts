/**
 * The form decoder lives once, guarded against prototype pollution, in `@hmi/core`: connectors
 * (Stripe's `decodeStripeForm`, MSW fakes) and this kit's validators read bodies the same way.
 */
export { decodeFormBody, type FormValue } from '@hmi/core/internal';
