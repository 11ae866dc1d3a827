/** The checkout form's values and how they become a CheckoutRequest (no card data: F-SEC-5). */
import { PAYMENT_METHODS, type CheckoutRequest } from '@kartshoppe/contracts';

export type PaymentMethod = (typeof PAYMENT_METHODS)[number];

export interface CheckoutForm {
  name: string;
  street: string;
  city: string;
  state: string;
  zipCode: string;
  country: string;
  paymentMethod: PaymentMethod;
  useCdc: boolean;
}

export const EMPTY_CHECKOUT_FORM: CheckoutForm = {
  name: '',
  street: '',
  city: '',
  state: '',
  zipCode: '',
  country: 'USA',
  paymentMethod: 'credit_card',
  useCdc: false,
};

export const PAYMENT_LABELS: Record<PaymentMethod, string> = {
  credit_card: 'Credit card',
  debit_card: 'Debit card',
  paypal: 'PayPal',
  bank_transfer: 'Bank transfer',
};

export function checkoutRequest(
  form: CheckoutForm,
  ids: { sessionId: string; userId: string; idempotencyKey: string },
): CheckoutRequest {
  return {
    sessionId: ids.sessionId,
    userId: ids.userId,
    shippingAddress: {
      name: form.name.trim(),
      street: form.street.trim(),
      city: form.city.trim(),
      state: form.state.trim(),
      zipCode: form.zipCode.trim(),
      country: form.country.trim(),
    },
    paymentMethod: form.paymentMethod,
    useCdc: form.useCdc,
    idempotencyKey: ids.idempotencyKey,
  };
}
