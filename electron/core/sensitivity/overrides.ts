import { MIN_JUSTIFICATION_LENGTH, OverrideSet, checkOverride, type SensitivityOverride } from '../../../shared/sensitivity/index.js';
import { AppError } from '../errors.js';

/**
 * Checks manual overrides before they are stored or used, and indexes them.
 *
 * An override without a real justification is refused (INVALID_INPUT,
 * `errors.SENSITIVITY_OVERRIDE_JUSTIFICATION`): lowering a sensitive observation's level is a
 * decision someone must be able to account for in the audit log.
 */
export function validatedOverrides(overrides: readonly SensitivityOverride[]): OverrideSet {
  for (const o of overrides) {
    const problems = checkOverride(o);
    const first = problems[0];
    if (!first) continue;
    if (first.code === 'justification') {
      throw new AppError('INVALID_INPUT', `Sensitivity override ${o.id}: a justification of at least ${MIN_JUSTIFICATION_LENGTH} characters is required`, {
        key: 'errors.SENSITIVITY_OVERRIDE_JUSTIFICATION',
        params: { id: o.id, min: MIN_JUSTIFICATION_LENGTH },
        where: o.id,
      });
    }
    throw new AppError('INVALID_INPUT', `Sensitivity override ${o.id}: ${problems.map((p) => p.message).join('; ')}`, {
      key: 'errors.INVALID_INPUT',
      params: { issues: problems.map((p) => p.message).join('; ') },
      where: o.id,
    });
  }
  return new OverrideSet(overrides);
}
