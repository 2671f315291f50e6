import type { IncidentReason, ShippingStatus, Substatus } from '../../../core/shipment/shipping-status.js';

export type SandboxMapping = { status: ShippingStatus; substatus: Substatus; reason?: IncidentReason };

/** The sandbox carrier's own event codes, mapped like any vendor's. */
export const SANDBOX_STATUS_MAP: Readonly<Record<string, SandboxMapping>> = {
  LC: { status: 'info_received', substatus: 'label_created' },
  PU: { status: 'in_transit', substatus: 'picked_up' },
  AF: { status: 'in_transit', substatus: 'arrived_at_facility' },
  DF: { status: 'in_transit', substatus: 'departed_facility' },
  WX: { status: 'exception', substatus: 'delayed_weather', reason: 'weather_delay' },
  RS: { status: 'in_transit', substatus: 'problem_resolved' },
  OD: { status: 'out_for_delivery', substatus: 'out_for_delivery' },
  NH: { status: 'attempt_failed', substatus: 'recipient_unavailable', reason: 'consignee_not_home' },
  DL: { status: 'delivered', substatus: 'delivered' },
  RP: { status: 'available_for_pickup', substatus: 'ready_at_pickup_point' },
  CP: { status: 'delivered', substatus: 'collected_from_pickup_point' },
  RT: { status: 'return_to_sender', substatus: 'returning', reason: 'consignee_incorrect_address' },
  RD: { status: 'return_to_sender', substatus: 'returned' },
  LS: { status: 'failure', substatus: 'lost', reason: 'carrier_parcel_lost' },
};
