import { DomainError, ErrorCode } from '../core/errors.js';
import type { Clock } from '../core/ports/clock.port.js';
import type {
  NotificationTemplate,
  NotificationTemplateStore,
  TemplateKey,
  TemplateParts,
  TemplateRenderer,
} from '../core/ports/notification-template.port.js';

export type TemplateDeps = { clock: Clock; templates: NotificationTemplateStore; renderer: TemplateRenderer };

function describeKey(key: TemplateKey): string {
  return `${key.milestone}/${key.channel}/${key.locale}`;
}

/** The store's overrides, in key order. */
export function listNotificationTemplates(deps: TemplateDeps, storeId: string): Promise<NotificationTemplate[]> {
  return deps.templates.listTemplates(storeId);
}

/** One override; `not_found` when the store uses the built-in template there. */
export async function getNotificationTemplate(
  deps: TemplateDeps,
  storeId: string,
  key: TemplateKey,
): Promise<NotificationTemplate> {
  const template = await deps.templates.findTemplate(storeId, key);
  if (!template) throw new DomainError(ErrorCode.NotFound, `no template override for ${describeKey(key)}`);
  return template;
}

/**
 * Validates an override (grammar, size, sample render within the time
 * limit; `invalid_input` naming the part and line otherwise) and saves it,
 * replacing any earlier one under the same key. From the next message on it
 * is what customers get.
 */
export async function saveNotificationTemplate(
  deps: TemplateDeps,
  storeId: string,
  key: TemplateKey,
  parts: TemplateParts,
): Promise<{ template: NotificationTemplate; created: boolean }> {
  deps.renderer.validate(key, parts);
  return deps.templates.saveTemplate(storeId, key, parts, deps.clock.now());
}

/** Back to the built-in template; `not_found` when there was no override. */
export async function deleteNotificationTemplate(deps: TemplateDeps, storeId: string, key: TemplateKey): Promise<void> {
  if (!(await deps.templates.deleteTemplate(storeId, key))) {
    throw new DomainError(ErrorCode.NotFound, `no template override for ${describeKey(key)}`);
  }
}
