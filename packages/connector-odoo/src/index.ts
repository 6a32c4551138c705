/**
 * `@hmi/connector-odoo`: the Odoo ERP connector — JSON-2 (Odoo 19) and JSON-RPC (Odoo 16–18);
 * invoices, payments, partners and employees streams by `write_date`; idempotent partner,
 * invoice and payment writes; money as exact integer minor units. MSW fake at `./msw`.
 * @packageDocumentation
 */
export { createOdooConnector, type OdooConnector, odooConnector } from './odoo-connector.js';
export { OdooConfig, type OdooConfigInput, OdooProtocol } from './odoo-config.js';
export type { OdooContext } from './odoo-context.js';
export { classifyOdooError, type OdooFaultMeta, odooFaultToError } from './odoo-error.js';
export { ODOO_CALL_ID_HEADER, type OdooCall, type OdooRpc } from './odoo-rpc.js';
export { OdooCheckpoint } from './sync/incremental.js';
export { OdooInvoice, OdooInvoiceLine } from './invoices/invoice-model.js';
export { CreateInvoiceInput, CreateInvoiceResult, InvoiceIdInput, NewInvoiceLine } from './invoices/invoice-actions.js';
export { OdooPayment } from './payments/payment-model.js';
export { RegisterPaymentInput, RegisterPaymentResult } from './payments/payment-actions.js';
export { ODOO_REF_SYSTEM, VAT_SYSTEM } from './partners/partner-model.js';
export { UpsertPartnerInput, UpsertPartnerResult } from './partners/partner-actions.js';
export { ExternalRef, externalIdName } from './shared/external-id.js';
export { PartnerRef } from './shared/lookups.js';
export { minorToOdooAmount, odooAmountToMinor } from './shared/money.js';
export { isSaudiVatNumber } from './shared/vat.js';
