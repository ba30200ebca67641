import { AgreementActivated, AgreementEnded, StaffRegistered, StudentRegistered } from './network';

export * from './network';

/** Every event type the network knows, by name (consumers look contracts up here). */
export const EVENT_CONTRACTS = {
  AgreementActivated,
  AgreementEnded,
  StudentRegistered,
  StaffRegistered,
} as const;

export type EventName = keyof typeof EVENT_CONTRACTS;
